"""The benchmarks' smoke runs share one database with the demo data: a copy of the freshly migrated test
database, loaded once; each run gets a copy of that (CREATE DATABASE … TEMPLATE, about a second) instead of
migrating and loading anew (a minute on a busy machine)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connections

from tests.production import manage, production_env

ROOT = Path(__file__).resolve().parents[2]
# What the pytest process has and a benchmark, run as `make bench` runs it, must not inherit.
NOT_INHERITED = {"DJANGO_SETTINGS_MODULE", "DJANGO_TESTING", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


class Server:
    """The suite's PostgreSQL server, from the test database's settings."""

    def __init__(self):
        database = settings.DATABASES["default"]
        self.host, self.port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
        self.user = database["USER"] or "postgres"

    def url(self, name):
        return f"postgres://{self.user}@{self.host}:{self.port}/{name}"

    def copy(self, source, name):
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        return name

    def drop(self, name):
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def admin(self):
        return psycopg.connect(host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True)


def bench_env(files, **extra):
    """The environment of a benchmark run: this one's, without the test settings, with the session's
    folders for static and uploaded files (`files`)."""
    return {**{k: v for k, v in os.environ.items() if k not in NOT_INHERITED}, **files, **extra}


def run_bench(script, *args, env):
    """Run bench/`script` with `args`; its output, or a failure showing what it printed."""
    result = subprocess.run(
        [sys.executable, f"bench/{script}", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"bench/{script} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="session")
def bench_files(static_root, tmp_path_factory):
    """The folders of the benchmark runs: the static files as production serves them (collectstatic:
    compressed, hashed names), collected once; the uploaded files (the demo's photo), out of the project."""
    if not (static_root / "staticfiles.json").exists():
        env = production_env(tmp_path_factory.mktemp("collect"), "sqlite:///unused.sqlite3")
        manage({**env, "DJANGO_STATIC_ROOT": str(static_root)}, "collectstatic", "--noinput")
    return {"DJANGO_STATIC_ROOT": str(static_root), "DJANGO_MEDIA_ROOT": str(tmp_path_factory.mktemp("media"))}


@pytest.fixture(scope="session")
def demo_database(django_db_setup, bench_files):
    """The name of a database with the migrations and the demo data (scale 1): a copy of the test database
    taken before any test that empties it has run (these tests use `db`, which pytest-django runs first)."""
    server = Server()
    connections.close_all()  # a database with open connections cannot be a template
    name = server.copy(settings.DATABASES["default"]["NAME"], settings.DATABASES["default"]["NAME"] + "_bench")
    manage(bench_env(bench_files, DATABASE_URL=server.url(name), DJANGO_DEBUG="1"), "loaddemo", "--force")
    yield name
    server.drop(name)


@pytest.fixture
def database_url(demo_database, request):
    """The URL of this test's own copy of the demo database, dropped afterwards."""
    server = Server()
    run = re.sub(r"\W", "_", request.node.callspec.id).lower()
    name = server.copy(demo_database, f"{demo_database}_{run}"[:63])
    yield server.url(name)
    server.drop(name)
