"""Settings that fail loudly: production never falls back to SQLite, TESTING comes only from an
explicit DJANGO_TESTING=1, and a number that is not a number stops the start with its name."""

import subprocess

from tests.production import PYTHON, ROOT, production_env

SHOW = (
    "import pytest, django; django.setup(); from django.conf import settings; print(settings.TESTING, settings.DEBUG)"
)


def run(env, *args):
    return subprocess.run([PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_production_without_database_url_stops_with_a_clear_message(tmp_path):
    env = production_env(tmp_path, "")
    env.pop("DATABASE_URL")
    result = run(env, "manage.py", "check")
    assert result.returncode != 0
    assert "DATABASE_URL が設定されていません" in result.stderr


def test_development_without_database_url_still_uses_sqlite(tmp_path):
    env = production_env(tmp_path, "", DJANGO_DEBUG="1")
    env.pop("DATABASE_URL")
    result = run(env, "-c", SHOW + "; print(settings.DATABASES['default']['ENGINE'])")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "django.db.backends.sqlite3"]


def test_importing_pytest_does_not_turn_testing_on(tmp_path):
    env = production_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    env.pop("DJANGO_TESTING")
    result = run(env, "-c", SHOW)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_only_an_explicit_django_testing_turns_testing_on(tmp_path):
    env = production_env(tmp_path, "", DJANGO_TESTING="1", DJANGO_SECRET_KEY="")
    env.pop("DATABASE_URL")
    result = run(env, "-c", SHOW)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]


def test_a_number_setting_that_is_not_a_number_stops_with_its_name(tmp_path):
    result = run(
        production_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}", AXES_FAILURE_LIMIT="five"), "-c", SHOW
    )
    assert result.returncode != 0
    assert "AXES_FAILURE_LIMIT は整数で指定してください" in result.stderr
