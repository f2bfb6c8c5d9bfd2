"""Concurrent writes under load: liaisons log meetings while the public pages are hammered.

Starts the portal as production runs it (gunicorn, production settings, the demo data) on a fresh
PostgreSQL database (tests/production.py sets it up), drives the public pages with `wrk` from a
separate process, and meanwhile has N liaison clients (threads; each its own account, logged in
through the real login form with its CSRF token) submit meetings through the workspace form.

Afterwards it prints the submissions attempted, succeeded and failed, the meetings found in the
database, and the errors under load (wrk's socket errors and non-2xx/3xx answers, server errors in
gunicorn's log). It exits non-zero when the database holds a different number of meetings than
the submissions that succeeded, or when anything failed.

    make concurrent-writes                          # 8 liaisons × 10 meetings
    .venv/bin/python bench/concurrent_writes.py --liaisons 16 --meetings 20 --threads 4

PostgreSQL: the server of DATABASE_URL when that is a postgres:// URL, else 127.0.0.1:5432 (user
postgres); a throw-away database is created there and dropped at the end. `--database-url` writes into
a migrated database with the demo data instead, left in place; `--smoke` is the smoke test's tiny run
(2 liaisons × 1 meeting, 2 wrk connections).
"""

import argparse
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from tests.production import PostgresDatabase, ProductionSite, manage  # noqa: E402

PASSWORD = "concurrent-writes-2026"  # noqa: S105 (a throw-away account in a throw-away database)
PLACE = "同時書き込み試験"
PUBLIC_PAGES = [
    "/",
    "/regions/",
    "/organizations/",
    "/faq/",
    "/cases/",
    "/liaisons/",
    "/grants/",
    "/search/?q=%E5%94%90%E6%9D%BE",  # 唐松
    "/regions/karamatsu/",
]

# Each request of wrk takes the next public page; the proxy's header says the client used HTTPS.
WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["X-Forwarded-Proto"] = "https"})
end
"""

# Run inside the portal's database (manage.py shell): N liaison accounts, each assigned (as 副担当,
# this fiscal year) to one of the demo organizations, round robin. Prints [[username, slug], …].
MAKE_LIAISONS = """
import json
from django.conf import settings
from django.contrib.auth.models import Group, User
from grants.models import FiscalYear
from organizations.models import Organization
from staff.models import Assignment, LiaisonOfficer
year = FiscalYear.current()
group = Group.objects.get(name=settings.LIAISON_GROUP)
organizations = list(Organization.objects.order_by("name_kana"))
made = []
for i in range({n}):
    user = User.objects.create_user(f"concurrent{{i:02d}}", password="{password}")
    user.groups.add(group)
    officer = LiaisonOfficer.objects.create(
        user=user, name=f"試験 職員{{i:02d}}", name_kana=f"しけん しょくいん{{i:02d}}", department="総務課"
    )
    organization = organizations[i % len(organizations)]
    Assignment.objects.create(officer=officer, organization=organization, fiscal_year=year, role="sub")
    made.append([user.username, organization.slug])
print(json.dumps(made))
"""


@dataclass
class Tally:
    attempted: int = 0
    succeeded: list = field(default_factory=list)  # meeting pks from the redirects
    failures: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def success(self, pk):
        with self.lock:
            self.attempted += 1
            self.succeeded.append(pk)

    def failure(self, why):
        with self.lock:
            self.attempted += 1
            self.failures.append(why)


def meeting_fields(username, number, today):
    return {
        "kind": "workshop",
        "status": "held",
        "date": today.isoformat(),
        "start_time": "19:00",
        "end_time": "20:30",
        "place": f"{PLACE} {username} {number}",
        "attendees": "12",
        "attendees_residents": "10",
        "summary": "同時書き込みの試験で登録した記録です。",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "30",
        "steps-0-description": "次回の準備",
        "steps-0-owner": "事務局",
        "steps-0-due_date": today.isoformat(),
    }


def liaison(site, username, slug, meetings, tally, start):
    """One liaison: log in through the form, then submit `meetings` meetings one after another."""
    client = site.client()
    today = datetime.datetime.now(ZoneInfo("Asia/Tokyo")).date()
    start.wait()
    try:
        status, headers, _ = client.login(username, PASSWORD)
        if status != 302:
            raise RuntimeError(f"login answered {status}")
    except Exception as error:  # every failure is counted and shown
        for _ in range(meetings):
            tally.failure(f"{username}: login: {error}")
        return
    url = f"/workspace/organizations/{slug}/meetings/new/"
    for number in range(1, meetings + 1):
        try:
            status, headers, body = client.post_form(url, meeting_fields(username, number, today))
            saved = re.fullmatch(r"/workspace/meetings/(\d+)/", headers.get("Location") or "")
            if status == 302 and saved:
                tally.success(int(saved.group(1)))
            else:
                errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*<strong>([^<]+)', body)[:3]
                tally.failure(f"{username} #{number}: {status} {headers.get('Location', '')} {errors}")
        except Exception as error:  # counted and shown, like a refused submission
            tally.failure(f"{username} #{number}: {type(error).__name__}: {error}")


def start_wrk(site, connections, threads, tmp):
    script = tmp / "public_pages.lua"
    script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in PUBLIC_PAGES))
    return subprocess.Popen(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", "3600s", "--timeout", "20s", "-s", str(script),
         site.url + "/"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def wrk_summary(output):
    def number(pattern):
        found = re.search(pattern, output)
        return int(found.group(1)) if found else 0

    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return {
        "requests": number(r"(\d+) requests in"),
        "requests_per_second": float(rate.group(1)) if rate else 0.0,
        "socket_errors": sum(int(n) for n in socket.groups()) if socket else 0,
        "non_2xx_3xx": number(r"Non-2xx or 3xx responses: (\d+)"),
    }


def meetings_in_database(database):
    with psycopg.connect(host=database.host, port=database.port, user=database.user, dbname=database.name) as conn:
        rows = conn.execute("SELECT id FROM staff_meeting WHERE place LIKE %s", [PLACE + " %"]).fetchall()
    return sorted(pk for (pk,) in rows)


def server_errors(log):
    text = log.read_text(errors="replace") if log.exists() else ""
    return len(re.findall(r"Internal Server Error|Traceback \(most recent call last\)|\[CRITICAL\]", text)), text


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--liaisons", type=int, default=8, help="liaison clients writing at once (default 8)")
    parser.add_argument("--meetings", type=int, default=10, help="meetings each liaison submits (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections on the public pages")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (2 workers)")
    parser.add_argument("--database-url", help="a migrated PostgreSQL database with the demo data, used as it is")
    parser.add_argument("--smoke", action="store_true", help="a tiny run: is the script still working?")
    args = parser.parse_args()
    if args.smoke:
        args.liaisons, args.meetings, args.connections, args.wrk_threads = 2, 1, 2, 1
    return args


@dataclass
class Run:
    """What one run found: the meetings before and after, the submissions, the load, the server's errors."""

    before: list
    in_database: list
    tally: Tally
    writing_seconds: float
    load: dict
    errors: int
    log: str


def prepare(site, database, args, static_root):
    """The database with the demo data (unless given) and the static files; the liaisons: [[username, slug], …]."""
    if not args.database_url:
        print(f"Preparing a fresh PostgreSQL database ({database.name}) with the demo data…", flush=True)
        site.prepare()
    elif not (static_root and (static_root / "staticfiles.json").exists()):
        manage(site.env, "collectstatic", "--noinput")
    output = manage(site.env, "shell", "-v", "0", "-c", MAKE_LIAISONS.format(n=args.liaisons, password=PASSWORD))
    return json.loads(output.strip().splitlines()[-1])


def write_meetings(site, made, meetings):
    """Every liaison of `made` submits `meetings` meetings, all at once: (the tally, the seconds it took)."""
    tally, start = Tally(), threading.Event()
    writers = [
        threading.Thread(target=liaison, args=(site, username, slug, meetings, tally, start)) for username, slug in made
    ]
    for writer in writers:
        writer.start()
    started = time.monotonic()
    start.set()
    for writer in writers:
        writer.join()
    return tally, time.monotonic() - started


def run_under_load(site, database, made, args, tmp):
    """The liaisons write while wrk loads the public pages; what the run found."""
    site.start()
    before = meetings_in_database(database)
    print(
        f"gunicorn: 2 workers × {args.threads} threads at {site.url}; wrk: {args.connections} connections on "
        f"{len(PUBLIC_PAGES)} public pages; {args.liaisons} liaisons × {args.meetings} meetings",
        flush=True,
    )
    wrk = start_wrk(site, args.connections, args.wrk_threads, tmp)
    try:
        time.sleep(2)  # the public pages are under load before the first write
        tally, writing_seconds = write_meetings(site, made, args.meetings)
        wrk.send_signal(signal.SIGINT)  # wrk prints its summary when interrupted
        load = wrk_summary(wrk.communicate(timeout=60)[0])
    except BaseException:
        wrk.kill()
        raise
    in_database = meetings_in_database(database)
    errors, log = server_errors(tmp / "gunicorn.log")
    return Run(before, in_database, tally, writing_seconds, load, errors, log)


def report(found):
    """Print what the run found; 0 when every successful submission is in the database and nothing failed."""
    tally, load, in_database, errors = found.tally, found.load, found.in_database, found.errors
    matches = len(in_database) == len(tally.succeeded) and in_database == sorted(tally.succeeded) and not found.before
    print()
    print(f"submissions attempted:          {tally.attempted}")
    print(f"submissions succeeded:          {len(tally.succeeded)}")
    print(f"submissions failed:             {len(tally.failures)}")
    print(f"meetings in the database:       {len(in_database)}{'' if matches else '  ← MISMATCH'}")
    print(f"writing took:                   {found.writing_seconds:.1f} s")
    print(f"public pages under load:        {load['requests']} requests, {load['requests_per_second']:.1f} req/s")
    print(
        f"errors under load:              {load['socket_errors']} socket errors, {load['non_2xx_3xx']} non-2xx/3xx "
        f"answers (wrk); {errors} server errors (gunicorn log)"
    )
    for failure in tally.failures[:10]:
        print(f"  failed: {failure}")
    if errors:
        print(found.log[-3000:])
    problems = len(tally.failures) + load["socket_errors"] + load["non_2xx_3xx"] + errors
    if not matches:
        print("FAIL: the meetings in the database differ from the successful submissions.")
        return 1
    if problems:
        print(f"FAIL: {problems} error(s) under load.")
        return 1
    print("OK: every successful submission is in the database, and nothing failed.")
    return 0


def main():
    args = parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/postgres"
    tmp = Path(tempfile.mkdtemp(prefix="niimi-concurrent-"))
    database = PostgresDatabase(prefix="niimi_concurrent", existing=args.database_url)
    # Static files already collected (the smoke test's) are used as they are.
    static_root = Path(os.environ["DJANGO_STATIC_ROOT"]) if os.environ.get("DJANGO_STATIC_ROOT") else None
    site = ProductionSite(tmp, database.url(), static_root)
    site.env["GUNICORN_CMD_ARGS"] = f"--threads {args.threads}"
    try:
        made = prepare(site, database, args, static_root)
        found = run_under_load(site, database, made, args, tmp)
    finally:
        site.stop()
        database.drop()
    return report(found)


if __name__ == "__main__":
    sys.exit(main())
