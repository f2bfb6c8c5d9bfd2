#!/usr/bin/env python
"""The staff's pages (not a test): `make bench-staff` or `.venv/bin/python bench/staff_pages.py`.

Every admin changelist and change page, as the policy clerk (`seisaku`) sees them, and every page of the
liaison workspace, as an assigned liaison (`tanto1`) sees them (tests/staff_pages.py lists them), rendered
in-process through Django's test client with production settings (DEBUG off, the cached template loader)
on a fresh PostgreSQL database: first with `loaddemo` (scale 1), counting each page's queries; then with
`loaddemo --scale N` (default 100), each page rendered a few times. Prints per page the median time and
the queries at scale 1 and at scale N, and flags a page over 200 ms or whose queries grow with the data.

--database-url uses that database as it is (migrated; the demo data loaded unless it holds some) instead
of a fresh one; --smoke is the smoke test's tiny run (scale 1, one render, the first pages of each kind).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niimi_portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "staff-pages-bench-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,testserver")
STATIC_ROOT = Path(tempfile.gettempdir()) / "niimi-staff-pages-static"
os.environ.setdefault("DJANGO_STATIC_ROOT", str(STATIC_ROOT))
os.environ.setdefault("DJANGO_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "niimi-staff-pages-media"))
os.environ.setdefault("AXES_ENABLED", "0")

# The budget for a staff page at scale 100.
BUDGET_MS = 200
SMOKE_PAGES = 3  # of each kind, in the smoke test's run


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="the larger data set (default 100)")
    parser.add_argument("--renders", type=int, default=5, help="timed renders of each page (default 5)")
    parser.add_argument(
        "--database-server", default=os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--database-name", default="niimi_bench_staff", help="dropped and created afresh")
    parser.add_argument("--database-url", help="use this migrated database as it is")
    parser.add_argument("--pages", default="", help="comma-separated words; only the pages whose label has one")
    parser.add_argument("--smoke", action="store_true", help="a tiny run: scale 1, one render, a few pages")
    args = parser.parse_args()
    if args.smoke:
        args.scale, args.renders = 1, 1
    return args


def fresh_database(server_url, name):
    """Drop and create database `name` on the server; its URL."""
    parsed = urllib.parse.urlparse(server_url)
    user, host, port = parsed.username or "postgres", parsed.hostname, parsed.port or 5432
    with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://{user}@{host}:{port}/{name}"


args = parse_args()
os.environ["DATABASE_URL"] = args.database_url or fresh_database(args.database_server, args.database_name)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from organizations.models import Organization  # noqa: E402
from tests.staff_pages import give_the_liaison_every_page, queries_of, staff_pages  # noqa: E402


def chosen(pages):
    wanted = [word for word in args.pages.split(",") if word]
    pages = [page for page in pages if not wanted or any(word in page[0] for word in wanted)]
    if args.smoke:
        admin = [page for page in pages if page[0].startswith("admin")][:SMOKE_PAGES]
        pages = admin + [page for page in pages if page[0].startswith("workspace")][:SMOKE_PAGES]
    return pages


def load(scale):
    started = time.monotonic()
    call_command("loaddemo", scale=scale, allow_production=True, verbosity=0)
    with connection.cursor() as cursor:  # the planner's statistics, as autovacuum has them in production
        cursor.execute("ANALYZE")
    print(f"loaddemo --scale {scale}: {time.monotonic() - started:.1f} s ({connection.vendor})", flush=True)


def count_queries(pages):
    """{label: queries} of each page's second render (the first compiles templates, fills caches)."""
    counts = {}
    for label, client, url in pages:
        queries_of(client, url)
        counts[label] = queries_of(client, url)[0]
    return counts


def render_times(pages, renders):
    """{label: median ms} of `renders` renders of each page, the pages in turn each round."""
    times = {label: [] for label, _, _ in pages}
    for _ in range(renders):
        for label, client, url in pages:
            started = time.perf_counter()
            response = client.get(url)
            times[label].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return {label: statistics.median(values) for label, values in times.items()}


def print_table(small, large, medians):
    print(f"\nstaff pages on {connection.vendor}, median of {args.renders} renders at scale {args.scale}, DEBUG off")
    head = f"| {'page':<46} | {'median ms':>9} | {'queries ×1':>10} | {f'queries ×{args.scale}':>12} | flag |"
    print(head)
    print("".join(char if char == "|" else "-" for char in head))
    flagged = []
    for label, ms in medians.items():
        flags = [f"> {BUDGET_MS} ms"] * (ms > BUDGET_MS) + ["queries grow"] * (small.get(label) != large[label])
        flagged += [label] * bool(flags)
        print(f"| {label:<46} | {ms:>9.1f} | {small.get(label, '-'):>10} | {large[label]:>12} | {', '.join(flags)} |")
    slowest = max(medians, key=medians.get)
    print(
        f"\n{len(medians)} pages; slowest {slowest} {medians[slowest]:.1f} ms; flagged: {', '.join(flagged) or 'none'}"
    )


def main():
    if not (STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    if not args.database_url:
        call_command("migrate", interactive=False, verbosity=0)
    if not Organization.objects.exists():
        load(1)
    give_the_liaison_every_page()
    small = count_queries(chosen(staff_pages(HTTP_X_FORWARDED_PROTO="https")))
    if args.scale > 1:
        load(args.scale)
    pages = chosen(staff_pages(HTTP_X_FORWARDED_PROTO="https"))
    large = count_queries(pages)
    print_table(small, large, render_times(pages, args.renders))


if __name__ == "__main__":
    main()
