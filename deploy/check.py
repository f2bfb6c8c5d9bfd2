#!/usr/bin/env python3
"""`make deploy-check`: the deployment in deploy/ run for real on loopback, checked through nginx.

Starts Debian's nginx with the site file deploy/nginx/niimi-portal.conf (a self-signed certificate, free
ports, a temporary prefix) in front of two gunicorn instances under production settings that share one
PostgreSQL database (made for the check and dropped after it) and one Redis database, then checks each
promise of the deployment and prints it. Everything it started is stopped, and its database and files
removed, also when a check fails or the run is interrupted. Exit status 0 only when every check passed.

PostgreSQL: DATABASE_URL's server if it names one, else postgres@127.0.0.1:5432 (the database is its own).
Redis: DEPLOY_CHECK_REDIS_URL, default redis://127.0.0.1:6379/11 (emptied before and after).
"""

import concurrent.futures
import contextlib
import datetime
import email
import email.policy
import html
import html.parser
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import redis  # noqa: E402
import urllib3  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402

from tests.nginx import NginxProxy  # noqa: E402
from tests.production import PYTHON, Browserless, PostgresDatabase, free_port, manage, production_env  # noqa: E402

# The local-only demo login that `manage.py loaddemo` creates (niimi_portal/management/commands/loaddemo.py).
DEMO_PASSWORD = "niimi-demo-2026"  # noqa: S105  # nosec B105
# nginx's own 429 page (deploy/nginx/errors/429.html), told apart from any 429 of the app.
NGINX_429_TEXT = "短い時間に多くの PDF を求められたため"
# The site file's server_name (deploy/nginx/niimi-portal.conf): the port-80 redirect goes there.
SERVER_NAME = "portal.example.jp"
REDIS_URL = os.environ.get("DEPLOY_CHECK_REDIS_URL", "redis://127.0.0.1:6379/11")


class CheckFailed(AssertionError):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


class Gunicorn:
    """One instance, as systemd's niimi-portal@<port>.service runs it."""

    def __init__(self, name, env, tmp, *, workers=2):
        self.name, self.env, self.tmp, self.workers = name, env, tmp, workers
        self.port = free_port()
        self.process = None

    def start(self):
        log = (self.tmp / f"gunicorn-{self.name}.log").open("a")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "niimi_portal.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--timeout", "30", "--graceful-timeout", "25", "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise CheckFailed(
            f"gunicorn {self.name} did not start:\n" + (self.tmp / f"gunicorn-{self.name}.log").read_text()
        )

    def stop(self):
        """SIGTERM, as systemd stops the unit: gunicorn finishes the requests in hand, then exits."""
        if self.process:
            stop_process(self.process)

    def client(self):
        """Straight to this instance, as nginx would forward an HTTPS request (bypassing the proxy)."""
        return Browserless(f"http://127.0.0.1:{self.port}")

    def new_worker(self, killed):
        """The worker gunicorn's master starts in place of `killed`, once it is there."""
        deadline = time.monotonic() + 30
        while True:
            pids = [pid for pid in self.worker_pids() if pid != killed]
            if pids:
                time.sleep(1)  # the worker imports the application before it accepts
                return pids[0]
            expect(time.monotonic() < deadline, "gunicorn did not start a new worker")
            time.sleep(0.2)

    def worker_pids(self):
        """The master's children: the worker processes that handle the requests."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return [int(pid) for pid in children.split()]


class FormFields(html.parser.HTMLParser):
    """What a browser would submit for the form with the given id: inputs, checked boxes, selections, text."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select, self.textarea, self.text = None, None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind not in {"submit", "button", "file", "image", "reset"}:
                self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, "".join(self.text).removeprefix("\n")))
            self.textarea = None


def form_fields(page, form_id):
    parser = FormFields(form_id)
    parser.feed(page)
    return parser.fields


class Deployment:
    def __init__(self, tmp):
        self.tmp = tmp
        self.stack = contextlib.ExitStack()
        self.results = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stack.close()

    def start(self):
        say("準備: PostgreSQL のデータベース、Redis、移行、デモデータ、静的ファイル …")
        database = self.database = PostgresDatabase(prefix="niimi_deploy_check")
        self.stack.callback(database.drop)
        self.redis = redis.Redis.from_url(REDIS_URL)
        self.redis.flushdb()
        self.stack.callback(self.redis.flushdb)
        static_root = self.static_root = self.tmp / "static"
        self.nginx = NginxProxy(self.tmp, [], static_root)
        env = production_env(
            self.tmp, database.url(), CACHE_URL=REDIS_URL, PORTAL_TRUSTED_PROXY_COUNT="1",
            # The app's own PDF limit (tests/security/test_page_cache_findings.py) is raised here so that the
            # check sees nginx's limit, the outer of the two layers.
            PDF_RENDERS_PER_MINUTE="1000",
            DJANGO_CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{self.nginx.https_port}",
            DJANGO_STATIC_ROOT=str(static_root),
        )  # fmt: skip
        # collectstatic (compressing 10 MB of static files, the slowest step) needs no database: run it alongside.
        log = self.tmp / "collectstatic.log"
        collect = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=log.open("w"),
        )  # fmt: skip
        self.stack.callback(stop_process, collect)
        # Generous limits: on a shared 2-core machine under load, migrating alone has taken over 5 minutes.
        manage(env, "migrate", "--noinput", timeout=900)
        manage(env, "loaddemo", "--allow-production", timeout=900)
        if collect.wait() != 0:
            raise CheckFailed("collectstatic failed:\n" + log.read_text())
        self.env = env
        self.a, self.b = Gunicorn("a", env, self.tmp), Gunicorn("b", env, self.tmp)
        self.nginx.upstream_ports = [self.a.port, self.b.port]
        for instance in (self.a, self.b):
            self.stack.callback(instance.stop)
            instance.start()
        self.stack.callback(self.nginx.stop)
        self.nginx.start()
        say(f"起動: nginx https://127.0.0.1:{self.nginx.https_port} → gunicorn :{self.a.port} と :{self.b.port}")

    def run(self, description, check):
        started = time.monotonic()
        try:
            detail = check()
        except Exception as error:  # every check is reported, then the run fails
            self.results.append(False)
            say(f"NG  {description}\n    {type(error).__name__}: {error}")
            return
        self.results.append(True)
        say(f"OK  {description} ({time.monotonic() - started:.1f} 秒){f': {detail}' if detail else ''}")

    # The checks, each through nginx unless it says otherwise.

    def security_headers(self):
        status, headers, page = self.nginx.client().get("/")
        expect(status == 200, f"/ answered {status}")
        wanted = {
            "Strict-Transport-Security": "max-age=31536000",
            "Content-Security-Policy": "default-src 'self'",
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin",
            "Permissions-Policy": "camera=()",
        }
        for name, part in wanted.items():
            expect(part in (headers.get(name) or ""), f"{name}: {headers.get(name)!r} lacks {part!r}")
        expect(headers.get("Server") == "nginx", f"Server: {headers.get('Server')!r} (version shown)")
        _, login_headers, _ = self.nginx.client().get("/accounts/login/")
        cookies = login_headers.get_all("Set-Cookie") or []
        expect(cookies and all("Secure" in c and "HttpOnly" in c for c in cookies), f"cookies: {cookies}")
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
        expect(stylesheet, "no stylesheet on /")
        status, headers, _ = self.nginx.client().get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
        expect(status == 200, f"{stylesheet.group(1)} answered {status}")
        expect("immutable" in headers.get("Cache-Control", ""), f"static Cache-Control: {headers.get('Cache-Control')}")
        for name in ("Strict-Transport-Security", "Content-Security-Policy", "X-Content-Type-Options"):
            expect(headers.get(name), f"{stylesheet.group(1)} lacks {name}")
        return (
            f"{', '.join(wanted)}、Cookie は Secure・HttpOnly、静的ファイルは nginx から ({stylesheet.group(1)}、"
            "HSTS・CSP 付き)"
        )

    def http_redirects_to_https(self):
        """To the configured server name, whatever Host the client sent."""
        for host in (None, "evil.example"):
            status, headers, _ = self.nginx.client(scheme="http").get(
                "/about/?q=1", headers={"Host": host} if host else None
            )
            expect(status == 301, f"HTTP answered {status}")
            wanted = f"https://{SERVER_NAME}/about/?q=1"
            expect(headers.get("Location") == wanted, f"Location: {headers.get('Location')} (Host: {host})")
        return f"301 → {headers.get('Location')}（Host: evil.example でも同じ）"

    def request_limits(self):
        """A large body only where staff upload files; the benchmark's view is not served."""
        status, _, _ = self.nginx.client(source="127.0.0.6").request(
            "/accounts/login/", data={"username": "x", "password": "x" * (30 * 1024 * 1024)}
        )
        expect(status == 413, f"a 30 MB anonymous POST to /accounts/login/ answered {status}")
        status = self.nginx.client().get("/_baseline")[0]
        expect(status == 404, f"/_baseline answered {status}")
        return "ログインへの 30 MB の POST は 413、/_baseline は 404"

    def library_file_throttle(self):
        """The library's PDFs (/documents/<pk>/file/) under the same limit as every other PDF."""
        greedy = self.nginx.client(source="127.0.0.7")
        paths = [f"/documents/{900_000 + n}/file/" for n in range(16)]
        started = time.monotonic()
        answers = [greedy.get(path) for path in paths]
        elapsed = time.monotonic() - started
        refused = [page for status, _, page in answers if status == 429]
        expect(len(refused) >= len(paths) - 11 - int(elapsed // 6), f"statuses: {[a[0] for a in answers]}")
        expect(all(NGINX_429_TEXT in page for page in refused), "a 429 without nginx's Japanese page")
        return f"同じアドレスから {len(paths)} 件: {len(refused)} 件に日本語の 429"

    def edit_visible_through_both(self):
        clerk = self.a.client()
        status, _, _ = clerk.login("seisaku", DEMO_PASSWORD, path="/admin/login/?next=/admin/")
        expect(status == 302, f"login through instance a answered {status}")
        _, _, listing = clerk.get("/admin/organizations/organization/")
        for pk in dict.fromkeys(re.findall(r"/admin/organizations/organization/(\d+)/change/", listing)):
            change = f"/admin/organizations/organization/{pk}/change/"
            _, _, page = clerk.get(change)
            fields = form_fields(page, "organization_form")
            slug = dict(fields).get("slug")
            if dict(fields).get("is_published") and slug:
                break
        else:
            fields = None
        if fields is None:  # the admin no longer offers the box: unpublish with the ORM (same DATABASE_URL)
            slug = self.orm("print(Organization.objects.filter(is_published=True).order_by('pk')[0].slug)")
        public = f"/organizations/{slug}/"
        visitors = {"a": self.a.client(), "b": self.b.client(), "nginx": self.nginx.client()}
        for _ in range(2):  # the second visit is answered from the shared page cache
            for name, visitor in visitors.items():
                status = visitor.get(public)[0]
                expect(status == 200, f"{public} through {name} answered {status} before the edit")
        if fields is None:
            # Saved the way the admin saves it, so the same signals (and cache invalidation) run.
            self.orm(f"o = Organization.objects.get(slug={slug!r}); o.is_published = False; o.save()")
            route = "ORM"
        else:
            fields = [(k, v) for k, v in fields if k != "is_published"] + [("_save", "保存")]
            if "history_change_reason" in dict(fields):
                fields = [(k, "配備の確認で非公開" if k == "history_change_reason" else v) for k, v in fields]
            status, _, answer = clerk.request(change, data=fields)  # a list of pairs: repeated names stay
            expect(status == 302, f"saving through instance a answered {status}: {error_list(answer)}")
            route = "a の管理画面"
        saved = time.monotonic()
        for name in ("a", "b"):
            status = visitors[name].get(public)[0]
            expect(status == 404, f"{public} through {name} still answered {status} after it was unpublished")
        # nginx keeps a public page PUBLIC_PAGE_PROXY_SECONDS (5) itself: gone within 10 s.
        waited = gone_within(visitors["nginx"], public, saved, limit=10)
        return f"{public} を {route} で非公開にすると、a・b はすぐ、nginx は {waited:.1f} 秒で 404"

    def warm_up(self):
        """`manage.py warm_pages`, as after an update: every public page lands in the shared Redis cache."""
        self.redis.flushdb()
        out = manage(self.env, "warm_pages", "--host", "127.0.0.1")
        done = re.search(r"(\d+) ページを ([\d.]+) 秒で用意しました（失敗 0 件）", out)
        expect(done, f"warm_pages printed: {out[-300:]!r}")
        expect(re.search(r"\d+/\d+ ページ /", out), "no progress line")
        stored = sum(1 for _ in self.redis.scan_iter(match="*portal:page:*"))
        expect(stored >= int(done.group(1)), f"{stored} pages in Redis after warming {done.group(1)}")
        return f"{done.group(1)} ページ、{done.group(2)} 秒、Redis にページ {stored} 件"

    def orm(self, statement):
        code = f"from organizations.models import Organization\n{statement}"
        return manage(self.env, "shell", "--verbosity", "0", "-c", code).strip()

    def lockout_per_client(self):
        attacker, clerk = self.nginx.client(source="127.0.0.2"), self.nginx.client(source="127.0.0.3")
        statuses = [attacker.login("tanto2", "wrong-password")[0] for _ in range(5)]
        expect(statuses[-1] == 429, f"five wrong passwords answered {statuses}")
        expect(attacker.login("tanto2", DEMO_PASSWORD, headers={"X-Forwarded-For": "127.0.0.3"})[0] == 429,
               "the locked-out client escaped with its own X-Forwarded-For")  # fmt: skip
        status = clerk.login("tanto2", DEMO_PASSWORD)[0]
        expect(status == 302, f"the right password from another address answered {status}")
        return "127.0.0.2 から5回失敗 → 127.0.0.2 は 429、127.0.0.3 は同じ利用者でログインできる"

    def pdf_throttle(self):
        """nginx's own limit (10 a minute, a burst of 10); unknown plans cost the app nothing, so the burst is quick."""
        greedy, other = self.nginx.client(source="127.0.0.4"), self.nginx.client(source="127.0.0.5")
        paths = [f"/organizations/no-such-{n}/plan.pdf" for n in range(16)] + ["/liaisons/roster.pdf"] * 2
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(greedy.get, paths))
        elapsed = time.monotonic() - started
        statuses = [status for status, _, _ in answers]
        refused = [page for status, _, page in answers if status == 429]
        # At most 1 + 10 at once, and one more every 6 seconds the burst took.
        expect(len(refused) >= len(paths) - 11 - int(elapsed // 6), f"{len(paths)} quick PDF requests: {statuses}")
        expect(all(NGINX_429_TEXT in page for page in refused), "a 429 without nginx's Japanese page")
        expect(statuses[-2:] != [200, 200], "the roster was rendered twice right after the burst")
        expect(greedy.get("/about/")[0] == 200, "ordinary pages were throttled too")
        status, headers, _ = other.get("/liaisons/roster.pdf")
        expect(status == 200 and headers.get("Content-Type") == "application/pdf", f"another client got {status}")
        return f"同じアドレスから {len(paths)} 件: {len(refused)} 件に日本語の 429、ほかのアドレスの PDF は 200"

    def survives_restart(self):
        failures, served, stop = [], [], threading.Event()

        def visit():
            client, n = self.nginx.client(source="127.0.0.6"), 0
            while not stop.is_set():
                path = ("/", "/about/", "/faq/", "/organizations/")[n % 4]
                n += 1
                try:
                    status = client.get(path)[0]
                except Exception as error:
                    failures.append(f"{path}: {error}")
                    continue
                (served if status == 200 else failures).append(f"{path}: {status}")

        visitors = [threading.Thread(target=visit) for _ in range(3)]
        for thread in visitors:
            thread.start()
        try:
            time.sleep(1)
            self.a.stop()
            during = len(served)
            time.sleep(1)
            self.a.start()
            time.sleep(1.5)
        finally:
            stop.set()
            for thread in visitors:
                thread.join(timeout=60)
        expect(not failures, f"{len(failures)} failed requests: {failures[:5]}")
        expect(self.a.client().get("/about/")[0] == 200, "instance a did not come back")
        expect(len(served) > during > 0, f"requests served: {during} before the restart, {len(served)} in all")
        return f"a を再起動する間に {len(served)} 件すべて 200"

    def both_down(self):
        """Last: with both instances stopped, nginx serves the last good copy of a public page with a notice that
        it may be out of date, and its Japanese page (with the security headers) for a page it never kept."""
        expect(self.nginx.client().get("/about/")[0] == 200, "/about/ before the stop")
        self.a.stop()
        self.b.stop()
        time.sleep(6)  # past the copy's lifetime (PUBLIC_PAGE_PROXY_SECONDS)
        status, _, page = self.nginx.client().get("/about/")
        expect(status == 200 and "内容が最新ではない場合があります" in page, f"/about/ with no instance: {status}")
        status, headers, page = self.nginx.client().get("/search/?q=never-kept")
        expect(status == 502 and "ただいまご利用になれません" in page, f"an unkept page with no instance: {status}")
        expect("charset=utf-8" in headers.get("Content-Type", ""), f"Content-Type {headers.get('Content-Type')}")
        for name in ("Strict-Transport-Security", "Content-Security-Policy"):
            expect(headers.get(name), f"nginx's error page lacks {name}")
        return "前に表示したページは「最新ではない場合があります」と添えて 200、ほかは 502 と日本語の案内（HSTS・CSP）"

    def surge(self):
        """Residents' traffic on a bad day: wrk on the home page through nginx, beside the same page's HTML
        as a static file served by the same nginx; an organization unpublished during the surge is gone within 10 s."""
        home = self.nginx.client().get("/")[2]
        (self.static_root / "surge-home.html").write_text(home, encoding="utf-8")
        base = f"https://127.0.0.1:{self.nginx.https_port}"
        static = wrk(f"{base}/static/surge-home.html")
        slug = self.orm("print(Organization.objects.filter(is_published=True, is_demo=True).order_by('-pk')[0].slug)")
        public = f"/organizations/{slug}/"
        expect(self.nginx.client().get(public)[0] == 200, f"{public} before the surge")
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            running = pool.submit(wrk, f"{base}/", duration=12)
            time.sleep(3)
            self.orm(f"o = Organization.objects.get(slug={slug!r}); o.is_published = False; o.save()")
            waited = gone_within(self.nginx.client(source="127.0.0.8"), public, time.monotonic(), limit=10)
            pages = running.result()
        ratio = pages["rps"] / static["rps"]
        expect(pages["errors"] == 0, f"{pages['errors']} errors during the surge")
        expect(pages["p99"] < 1.0, f"p99 {pages['p99']:.3f} s")
        expect(ratio >= 0.3, f"public pages {pages['rps']:.0f}/s, the static file {static['rps']:.0f}/s")
        return (
            f"静的ファイル {static['rps']:,.0f} 件/秒、公開ページ {pages['rps']:,.0f} 件/秒（比 {ratio:.2f}）、"
            f"p99 {pages['p99'] * 1000:.0f} ms、エラー 0 件、非公開にした組織は {waited:.1f} 秒で 404"
        )

    def redis_settings(self):
        port = free_port()
        folder = self.tmp / "redis"
        folder.mkdir()
        process = subprocess.Popen(
            ["redis-server", str(ROOT / "deploy" / "redis" / "niimi-portal.conf"), "--port", str(port),
             "--dir", str(folder), "--bind", "127.0.0.1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            client = redis.Redis(port=port)
            deadline = time.monotonic() + 10
            while True:
                try:
                    config = client.config_get("maxmemory*")
                    break
                except redis.ConnectionError:
                    expect(time.monotonic() < deadline and process.poll() is None, "redis-server did not start")
                    time.sleep(0.1)
        finally:
            process.terminate()
            process.wait(timeout=10)
        expect(config.get("maxmemory-policy") == "allkeys-lru", f"maxmemory-policy {config.get('maxmemory-policy')}")
        expect(int(config.get("maxmemory", 0)) > 0, f"maxmemory {config.get('maxmemory')}")
        return f"maxmemory {int(config['maxmemory']) // 2**20}MB, {config['maxmemory-policy']}"

    # The bad day: Redis, PostgreSQL, a worker and the mail server failing, each on an instance of its own.

    def extra_instance(self, name, **env):
        """A third instance (one worker, so its PID is the one handling the request) with changed settings."""
        instance = Gunicorn(name, {**self.env, **env}, self.tmp, workers=1)
        self.stack.callback(instance.stop)
        return instance.start()

    def redis_stopped(self):
        """Its own redis-server (the shared one is not ours to stop): killed with SIGKILL, then started again."""
        port, folder = free_port(), self.tmp / "redis-bad-day"
        folder.mkdir()
        command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", ""]
        server = start_redis(command, port)
        self.stack.callback(stop_process, server)
        instance = self.extra_instance("redis", CACHE_URL=f"redis://127.0.0.1:{port}/0")
        search = "/search/?q=" + urllib.parse.quote("防災")
        visitor, paths = instance.client(), ("/", "/regions/", "/faq/", "/organizations/", search)
        for path in paths:
            expect(visitor.get(path)[0] == 200, f"{path} with Redis up")
        server.kill()
        server.wait(timeout=10)
        started = time.monotonic()
        statuses = [visitor.get(path)[0] for path in paths * 2]
        down = time.monotonic() - started
        expect(statuses == [200] * len(statuses), f"with Redis stopped: {statuses}")
        server = start_redis(command, port)
        self.stack.callback(stop_process, server)
        back, deadline = 0, time.monotonic() + 30  # the fallback retries Redis after its interval
        while not back:
            expect(all(visitor.get(path)[0] == 200 for path in paths), "a page failed after Redis came back")
            back = sum(1 for _ in redis.Redis(port=port).scan_iter(match="*portal:page:*"))
            expect(back or time.monotonic() < deadline, "the page cache did not come back to Redis within 30 s")
            time.sleep(0.5 if not back else 0)
        return (
            f"Redis を SIGKILL で停止: 公開ページ {len(statuses)} 件すべて 200（{down:.1f} 秒）、"
            f"再起動後はページが再び Redis に入る（{back} 件）"
        )

    def postgres_connections_cut(self):
        """A restart of PostgreSQL cannot be done on the shared server: instead every connection of the app is
        terminated (pg_terminate_backend) while its writes wait on a lock, as a restart would cut them."""
        liaison, form = self.liaison_meeting_form(self.a)
        before = self.count("staff_meeting")
        answers = []
        with self.pg() as locker:
            locker.execute("BEGIN")
            locker.execute("LOCK TABLE staff_meeting IN EXCLUSIVE MODE")  # INSERTs wait, reads go on
            writers = [threading.Thread(target=lambda: answers.append(save_meeting(liaison, form))) for _ in range(2)]
            for thread in writers:
                thread.start()
            self.wait_for_lock_waiters(2, answers)
            cut = time.monotonic()
            with self.pg() as killer:
                terminated = killer.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
                    [locker.info.backend_pid],
                ).fetchone()[0]
            for thread in writers:
                thread.join(timeout=30)
            locker.execute("ROLLBACK")
        statuses = sorted(status for status, _ in answers)
        expect(statuses == [503, 503], f"the cut writes answered {statuses}")
        expect(all("ただいまご利用いただけません" in page for _, page in answers), "a 503 without the Japanese page")
        while True:
            status, _ = save_meeting(liaison, form)
            if status == 302:
                break
            expect(time.monotonic() - cut < 10, f"a write still answered {status} 10 s after the cut")
            time.sleep(0.2)
        recovered = time.monotonic() - cut
        for _ in range(3):
            status, _ = save_meeting(liaison, form)
            expect(status == 302, f"a write after the recovery answered {status}")
        saved = 4
        after = self.count("staff_meeting")
        expect(after - before == saved, f"meetings {before} → {after}, {saved} writes answered 302")
        return (
            f"再起動の代わりにアプリの接続 {terminated} 本を pg_terminate_backend で切断（共有サーバーのため"
            f"再起動はしない）: 書き込み中の 2 件は日本語の 503、{recovered:.1f} 秒後に 302、"
            f"成功と答えた書き込み {saved} 件 = 増えた会議記録 {after - before} 件"
        )

    def worker_killed(self):
        """kill -9 of the worker while its request is inside the transaction, after the uploaded file was written
        to MEDIA_ROOT (its attachment row waits on a lock); and while a large upload is still being sent."""
        instance = self.extra_instance("kill")
        liaison, form = self.liaison_meeting_form(instance)
        media = Path(self.env["DJANGO_MEDIA_ROOT"])  # compared in meeting-attachments/: the demo's photos lie elsewhere
        before = {table: self.count(table) for table in ("staff_meeting", "staff_meetingattachment")}
        answers = []
        with self.pg() as locker:
            locker.execute("BEGIN")
            locker.execute("LOCK TABLE staff_meetingattachment IN EXCLUSIVE MODE")
            writer = threading.Thread(target=lambda: answers.append(save_meeting(liaison, form, attach=True)))
            writer.start()
            self.wait_for_lock_waiters(1, answers)
            (worker,) = instance.worker_pids()
            os.kill(worker, signal.SIGKILL)
            writer.join(timeout=30)
            locker.execute("ROLLBACK")
        expect(answers and answers[0][0] in (None, 502), f"the killed request answered {answers}")
        after = {table: self.count(table) for table in before}
        expect(after == before, f"rows {before} → {after}")
        left = files_under(media, "meeting-attachments") - self.stored_files()
        expect(left, "no file was written before the kill (the check did not reach the point it means)")
        # The second kill: a 4 MB upload sent slowly, the worker killed while it still reads the body.
        worker = instance.new_worker(worker)
        slow = slow_upload(instance, liaison, form)
        time.sleep(1.5)
        os.kill(worker, signal.SIGKILL)
        slow.join(timeout=30)
        expect({table: self.count(table) for table in before} == before, "rows after the slow upload's kill")
        manage(self.env, "remove_orphan_uploads", "--older-than", "0")
        orphans = files_under(media, "meeting-attachments") - self.stored_files()
        expect(not orphans, f"files without a row after remove_orphan_uploads: {sorted(orphans)[:3]}")
        instance.new_worker(worker)
        status, _ = save_meeting(liaison, form, attach=True)
        expect(status == 302, f"a save after the kills answered {status}")
        same = files_under(media, "meeting-attachments") == self.stored_files()
        expect(same, "files and rows differ after the new save")
        return (
            f"保存の途中（添付の行の前）と 4 MB の送信中に worker を kill -9: 会議記録・添付の行は増えず、"
            f"書きかけのファイル {len(left)} 件は remove_orphan_uploads で削除、次の保存は 302 でファイルと行が一致"
        )

    def smtp_down(self):
        """SMTP refusing (nothing listens on its port): the message stays queued; once aiosmtpd answers there,
        send_outbox delivers it, once. The first retry waits a minute: the check moves that time forward."""
        port = free_port()
        env = {**self.env, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
        queue = "from django.core.mail import send_mail; send_mail('配備の確認', '本文', None, ['kakunin@example.jp'])"
        manage(env, "shell", "--verbosity", "0", "-c", queue)
        manage(env, "send_outbox")
        queued = self.outbox_status("配備の確認")
        expect(queued == ("queued", 1), f"after a send with SMTP down: {queued}")
        received = []

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
                received.append(email.message_from_bytes(envelope.content, policy=email.policy.default)["Subject"])
                return "250 OK"

        controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        controller.start()
        try:
            with self.pg() as conn:
                conn.execute("UPDATE outbox_message SET next_attempt_at = now() WHERE subject = '配備の確認'")
            manage(env, "send_outbox")
            manage(env, "send_outbox")
        finally:
            controller.stop()
        # Only this message counts: mail the demo or an earlier check queued may be delivered in the same runs.
        expect(received.count("配備の確認") == 1, f"aiosmtpd received {received}")
        sent = self.outbox_status("配備の確認")
        expect(sent == ("sent", 2), f"after SMTP came back: {sent}")
        return (
            "SMTP 停止中は送信待ちのまま（1 回目は失敗）、aiosmtpd が答えると 1 通だけ届く"
            "（2 回目で送信、もう一度実行しても重複なし）"
        )

    # Helpers of the bad-day checks.

    def pg(self):
        return psycopg.connect(self.database.url().replace("postgres://", "postgresql://"), autocommit=True)

    def count(self, table):
        with self.pg() as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 — our own names

    def outbox_status(self, subject):
        with self.pg() as conn:
            return conn.execute("SELECT status, attempts FROM outbox_message WHERE subject = %s", [subject]).fetchone()

    def stored_files(self):
        with self.pg() as conn:
            return {name for (name,) in conn.execute("SELECT file FROM staff_meetingattachment")}

    def wait_for_lock_waiters(self, count, answers):
        """Until `count` requests of the app wait on the check's lock; a write answered meanwhile never reached it."""
        deadline = time.monotonic() + 20
        while True:
            expect(not answers, f"a write answered before it reached the lock: {[a[0] for a in answers]}")
            with self.pg() as conn:
                waiting = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                ).fetchone()[0]
            if waiting >= count:
                return
            expect(time.monotonic() < deadline, f"{waiting} of {count} writes reached the lock")
            time.sleep(0.1)

    def liaison_meeting_form(self, instance):
        liaison = instance.client()
        status = liaison.login("tanto1", DEMO_PASSWORD)[0]
        expect(status == 302, f"the liaison's login answered {status}")
        workspace = liaison.get("/workspace/")[2]
        target = re.search(r"/workspace/(organization|region)s/([-\w]+)/", workspace)
        expect(target, "no assigned area on the workspace")
        return liaison, f"/workspace/{target.group(1)}s/{target.group(2)}/meetings/new/"


def gone_within(client, path, since, *, limit):
    """Seconds from `since` until `path` answers 404 through `client`; fails after `limit` seconds."""
    while True:
        status = client.get(path)[0]
        waited = time.monotonic() - since
        if status == 404:
            return waited
        expect(waited < limit, f"{path} still answered {status} {waited:.1f} s after it was unpublished")
        time.sleep(0.2)


WRK_SECONDS = re.compile(r"([\d.]+)(us|ms|s)\b")


def wrk(url, *, duration=5):
    """wrk's figures for `url` (2 threads, 32 connections): requests per second, p99 in seconds, errors."""
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = WRK_SECONDS.match(re.search(r"99%\s+(\S+)", out).group(1)).groups()
    p99 = float(value) / {"us": 1_000_000, "ms": 1000, "s": 1}[unit]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return {"rps": rps, "p99": p99, "errors": errors}


MEETING = {
    "kind": "workshop", "status": "held", "start_time": "19:00", "end_time": "20:30", "place": "配備の確認",
    "attendees": "3", "summary": "配備の確認（悪い日）", "steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0",
    "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "1000", "steps-0-description": "確認",
    "steps-0-owner": "事務局",
}  # fmt: skip
# A complete one-page PDF: the upload check reads what it is sent.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def meeting_fields():
    today = datetime.date.today()
    return [*MEETING.items(), ("date", today.isoformat()), ("steps-0-due_date", str(today + datetime.timedelta(14)))]


def meeting_body(client, path, *, attach):
    """The meeting form as a browser sends it (multipart, with the page's CSRF token)."""
    page = client.get(path)[2]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    expect(token, f"no form at {path}")
    fields = [*meeting_fields(), ("csrfmiddlewaretoken", token.group(1))]
    if attach:
        fields.append(("attachments", ("議事録.pdf", PDF, "application/pdf")))
    return urllib3.encode_multipart_formdata(fields)


def meeting_headers(client, path, content_type):
    return {
        "X-Forwarded-Proto": "https", "Content-Type": content_type, "Referer": client.https_base + path,
        "Origin": client.https_base, "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()),
    }  # fmt: skip


def save_meeting(client, path, *, attach=False):
    """POST one meeting; (status, page), or (None, error) when the connection broke (a killed worker)."""
    body, content_type = meeting_body(client, path, attach=attach)
    request = urllib.request.Request(client.base + path, data=body, headers=meeting_headers(client, path, content_type))
    try:
        with client.opener.open(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except OSError as error:
        return None, str(error)


def slow_upload(instance, client, path):
    """Start sending a meeting with a 4 MB attachment at about 256 KB a second on a raw socket; the thread ends
    when the connection breaks (the worker is killed) or the body is sent."""
    page = client.get(path)[2]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    padded = PDF[:-6] + b" " * (4 * 2**20) + b"%%EOF\n"
    fields = [*meeting_fields(), ("csrfmiddlewaretoken", token)]
    body, content_type = urllib3.encode_multipart_formdata(
        [*fields, ("attachments", ("大きな資料.pdf", padded, "application/pdf"))]
    )
    headers = {**meeting_headers(client, path, content_type), "Host": "127.0.0.1", "Content-Length": str(len(body))}
    head = f"POST {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"

    def send():
        try:
            with socket.create_connection(("127.0.0.1", instance.port), timeout=30) as sock:
                sock.sendall(head.encode("latin-1"))
                for offset in range(0, len(body), 64 * 1024):
                    sock.sendall(body[offset : offset + 64 * 1024])
                    time.sleep(0.25)
        except OSError:
            pass  # the worker was killed: the connection is gone, as it should be

    thread = threading.Thread(target=send)
    thread.start()
    return thread


def error_list(page):
    return [html.unescape(e) for e in re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)][:3]


def start_redis(command, port):
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis(port=port).ping()
            return process
        except redis.ConnectionError:
            expect(time.monotonic() < deadline and process.poll() is None, "redis-server did not start")
            time.sleep(0.1)


def files_under(media, folder):
    """Every file in MEDIA_ROOT's `folder`, as FileFields name them (relative to MEDIA_ROOT, with slashes)."""
    if not (media / folder).exists():
        return set()
    return {path.relative_to(media).as_posix() for path in (media / folder).rglob("*") if path.is_file()}


def stop_process(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def say(line):
    print(line, flush=True)


def main():
    # `kill` (SIGTERM) unwinds like Ctrl-C, so the cleanup below still runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="niimi-deploy-check-"))
    try:
        with Deployment(tmp) as deployment:
            deployment.stack.callback(shutil.rmtree, tmp, ignore_errors=True)  # last out
            deployment.start()
            deployment.run("Redis の設定 (deploy/redis/niimi-portal.conf) が読み込める", deployment.redis_settings)
            deployment.run("HTTPS でセキュリティヘッダーが付く", deployment.security_headers)
            deployment.run("HTTP は HTTPS へ転送される", deployment.http_redirects_to_https)
            deployment.run("manage.py warm_pages で公開ページがキャッシュに入る", deployment.warm_up)
            deployment.run(
                "一方のインスタンスで保存した変更が、もう一方ですぐ見える", deployment.edit_visible_through_both
            )
            deployment.run("ログインの一時停止は実際の接続元アドレスごと", deployment.lockout_per_client)
            deployment.run("PDF の連続要求に nginx が 429 で答える", deployment.pdf_throttle)
            deployment.run("資料室の PDF の連続要求にも nginx が 429 で答える", deployment.library_file_throttle)
            deployment.run("大きな本文はアップロードの場所だけ、/_baseline はない", deployment.request_limits)
            deployment.run("片方のインスタンスを再起動しても失敗する要求がない", deployment.survives_restart)
            deployment.run("公開ページへの集中: nginx が静的ファイルに近い速さで答える", deployment.surge)
            deployment.run("悪い日: Redis が止まっても公開ページは 200", deployment.redis_stopped)
            deployment.run(
                "悪い日: PostgreSQL の接続が切れると 503、すぐ 200 に戻り、書き込みは数が合う",
                deployment.postgres_connections_cut,
            )
            deployment.run(
                "悪い日: 書き込み中に worker を kill -9 しても行とファイルが一致する", deployment.worker_killed
            )
            deployment.run("悪い日: SMTP が止まるとメールは送信待ち、戻ると 1 通だけ届く", deployment.smtp_down)
            deployment.run("両方のインスタンスが止まっても、前のページを注意書き付きで返す", deployment.both_down)
            results = deployment.results
    except BaseException:  # a failed start-up, Ctrl-C or kill: say so once everything is stopped
        say("中断しました。起動した nginx・gunicorn、確認用のデータベースと一時フォルダは片付けました。")
        raise
    say(f"{results.count(True)}/{len(results)} の確認が通りました ({time.monotonic() - started:.0f} 秒)")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
