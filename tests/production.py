"""A real portal process under production settings, for tests that must see what a server sends.

`ProductionSite` makes its own database (a temporary SQLite file, or a fresh PostgreSQL database when
the suite runs on PostgreSQL), migrates it, loads the demo data, collects static files and serves it
with gunicorn on a free loopback port. Requests carry `X-Forwarded-Proto: https`, as the city's
reverse proxy sends them.
"""

import http.cookies
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def outer_database_url():
    return os.environ.get("DATABASE_URL", "")


def on_postgres():
    return outer_database_url().startswith(("postgres://", "postgresql://"))


class PostgresDatabase:
    """A throw-away PostgreSQL database on the suite's server; or, given `existing` (a URL), that database,
    which is neither created nor dropped."""

    def __init__(self, prefix="niimi_prod", *, existing=None):
        parsed = urllib.parse.urlparse(existing or outer_database_url())
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 5432
        self.user = parsed.username or "postgres"
        self.owned = existing is None
        if not self.owned:
            self.name = parsed.path.lstrip("/")
            return
        self.name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def _admin(self):
        return psycopg.connect(host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True)

    def url(self, port=None):
        return f"postgres://{self.user}@{self.host}:{port or self.port}/{self.name}"

    def drop(self):
        if not self.owned:
            return
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def production_env(tmp, database_url, **extra):
    # The browser tests' conftest allows sync ORM calls in Playwright's loop; production must not inherit that.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "niimi_portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_TESTING": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_BACKUP_DIR": str(tmp / "backups"),
        "DJANGO_CACHE_DIR": str(tmp / "cache"),
        "DATABASE_URL": database_url,
        "AXES_FAILURE_LIMIT": "5",
    }
    # The browser tests set this for Playwright in the test process; a production process never has it
    # (and `check --deploy` rightly reports it).
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    # The browser tests set this for their own process; a production server must never inherit it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def manage(env, *args, timeout=300):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


class ProductionSite:
    def __init__(self, tmp, database_url, static_root=None):
        self.tmp = tmp
        self.env = production_env(tmp, database_url)
        self.static_root = static_root
        if static_root:
            self.env["DJANGO_STATIC_ROOT"] = str(static_root)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def prepare(self):
        manage(self.env, "migrate", "--noinput")
        manage(self.env, "loaddemo", "--allow-production")
        if not (self.static_root and (self.static_root / "staticfiles.json").exists()):
            manage(self.env, "collectstatic", "--noinput")
        return self

    def start(self):
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "niimi_portal.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "2",
             "--timeout", "30", "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=(self.tmp / "gunicorn.log").open("w"),
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start:\n" + (self.tmp / "gunicorn.log").read_text())

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=15)

    def client(self):
        return Browserless(self.url)


class Browserless:
    """An HTTP client that speaks to the site as a browser behind the TLS proxy would.

    Cookies are marked Secure, so a standard cookie jar would not send them over the test's plain
    loopback HTTP; the proxy's side of the connection is HTTPS, so this client keeps and sends them.
    """

    def __init__(self, base):
        self.base = base
        self.https_base = base.replace("http:", "https:")
        self.cookies = {}
        self.opener = urllib.request.build_opener(NoRedirect())

    def request(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        all_headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            all_headers.setdefault("Referer", self.https_base + path)
            all_headers.setdefault("Origin", self.https_base)
        req = urllib.request.Request(self.base + path, data=body, headers=all_headers)
        try:
            with self.opener.open(req, timeout=30) as response:
                status, headers, content = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, content = error.code, error.headers, error.read()
        for raw in headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return status, headers, content.decode("utf-8", "replace")

    def get(self, path):
        return self.request(path)

    def post_form(self, path, fields):
        _, _, html = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return self.request(path, {**fields, "csrfmiddlewaretoken": token})

    def login(self, username, password, path="/accounts/login/"):
        return self.post_form(path, {"username": username, "password": password})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
