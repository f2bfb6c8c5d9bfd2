#!/usr/bin/env python
"""What each public page costs rendered afresh (not a test): `python bench/cold_render.py [--load 100]`.

Production settings (DEBUG off, the cached template loader), the public page cache off, in-process
through Django's test client against the database DATABASE_URL names (PostgreSQL for the figures the
issue asks for). Pages and the bare baseline view are requested in turn, many times, so the machine's
load weighs on all alike; prints per page the median wall-clock time ("ms": the page rendered from
the database, as after an edit of what it shows), its ratio to the baseline's, the number of queries,
and — with --ruby — the same page with ふりがな:
its median; its first rendering after a deploy ("first": `warm_pages` has rendered the fixed pages and
lists and the table's detail pages with ふりがな, as it does every public page, storing the readings of
their texts; then a new process: nothing in its memo, no names table of its own; search results and the
grant estimate are not warmed, only the texts they share with other pages); and its first rendering
ever ("unseen": nothing stored but the readings the public texts' saves prepared; the pages in turn, so
the first page also reads the header and footer); each also as a ratio to the plain page.

--load N first empties the database's demo data and loads `loaddemo --scale N` (needs a migrated database).
--profile LABEL prints the cProfile of ten renderings of that page (ruby:LABEL: with ふりがな).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niimi_portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "cold-render-bench-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
STATIC_ROOT = Path(tempfile.gettempdir()) / "niimi-cold-render-static"
os.environ.setdefault("DJANGO_STATIC_ROOT", str(STATIC_ROOT))
os.environ.setdefault("DJANGO_CACHE_DIR", str(Path(tempfile.gettempdir()) / "niimi-cold-render-cache"))
os.environ["PUBLIC_PAGE_CACHE_SECONDS"] = "0"
os.environ.setdefault("AXES_ENABLED", "0")
os.environ.setdefault("BENCHMARK_BASELINE", "1")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from niimi_portal import names as names_module  # noqa: E402
from niimi_portal.context_processors import RUBY_COOKIE  # noqa: E402
from niimi_portal.lib import furigana  # noqa: E402
from niimi_portal.names import names  # noqa: E402

try:
    from niimi_portal.management.commands.warm_pages import public_paths, visit
    from niimi_portal.models import Reading
    from niimi_portal.names import PUBLIC_TEXTS, prepare_texts
except ImportError:  # a checkout from before the readings were stored, to measure "before"
    Reading = None

PAGES = [
    ("baseline", "/_baseline"),
    ("home", "/"),
    ("areas", "/regions/"),
    ("an area", "/regions/karamatsu/"),
    ("organizations", "/organizations/"),
    ("an organization", "/organizations/karamatsu-machizukuri/"),
    ("FAQ", "/faq/"),
    ("cases", "/cases/"),
    ("roster", "/liaisons/"),
    ("grants + estimate", "/grants/?region=karamatsu"),
    ("search 唐松", "/search/?q=" + urllib.parse.quote("唐松")),
    ("search からまつ", "/search/?q=" + urllib.parse.quote("からまつ")),
]


def get(client, path):
    started = time.perf_counter()
    response = client.get(path, HTTP_X_FORWARDED_PROTO="https")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, response


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="renderings per page (default 30)")
    parser.add_argument("--load", type=int, help="load the demo data at this scale first")
    parser.add_argument("--ruby", action="store_true", help="also with ふりがな, and its first rendering")
    parser.add_argument("--pages", default="", help="comma-separated labels (default: all)")
    parser.add_argument("--profile", help="the label of a page to profile")
    parser.add_argument("--smoke", action="store_true", help="a tiny run for the smoke test: one rendering of home")
    args = parser.parse_args()
    if args.smoke:
        args.n, args.pages = 1, args.pages or "home"
    return args


def prepare(args):
    """The static files collected once, and the demo data at --load's scale."""
    if not (STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    if args.load:
        call_command("loaddemo", scale=args.load, allow_production=True, verbosity=0)


def chosen_pages(args):
    wanted = {label for label in args.pages.split(",") if label}
    return [(label, path) for label, path in PAGES if not wanted or label in wanted or label == "baseline"]


def count_queries(plain, pages):
    """{label: queries} of each page, each rendered once before to warm up: imports, templates, connections."""
    queries = {}
    for label, path in pages:
        get(plain, path)
        with CaptureQueriesContext(connection) as captured:
            get(plain, path)
        queries[label] = len(captured)
    return queries


def first_ruby_before(plain, ruby, pages):
    """Before: readings cached per page (all its texts under one key); a page whose texts changed, or seen
    for the first time, is read whole. Each page with the cache emptied, then its other caches (the PDF
    sizes, the names table) filled again, so only the ふりがな is cold. The same figures serve as "first"."""
    unseen = {}
    for label, path in pages:
        cache.clear()
        names()
        get(plain, path)
        unseen[label], _ = get(ruby, path)
    return unseen


def forget_stored_readings():
    """Nothing stored but the readings of the public texts, prepared as their saves do; an empty memo."""
    Reading.objects.all().delete()
    for model in PUBLIC_TEXTS:
        prepare_texts(model.objects.all())
    furigana.forget_readings()


def first_ruby_unseen(ruby, pages):
    """The first ふりがな rendering of each page in turn, with nothing stored but the readings of the public
    texts (so the first page also reads the header and footer)."""
    forget_stored_readings()
    cache.clear()
    return {label: get(ruby, path)[0] for label, path in pages}


def first_ruby_after_deploy(ruby, pages):
    """After a deploy: warm_pages renders the public pages with ふりがな (here the fixed pages and lists,
    first pages only, and the table's detail pages), then a new process renders each page."""
    forget_stored_readings()
    names_module._tables.clear()
    measured = {path for _, path in pages}
    warmed = [(name, path) for name, path in public_paths() if not name.endswith("_detail") or path in measured]
    _, failed = visit(warmed, host="localhost", further_pages=False)
    assert not failed, failed
    furigana.forget_readings()
    names_module._tables.clear()
    return {label: get(ruby, path)[0] for label, path in pages}


def first_ruby_renders(args, plain, ruby, pages):
    """({label: seconds} of the first ふりがな rendering after a deploy, {label: seconds} never seen)."""
    if not args.ruby:
        return {}, {}
    if Reading is None:
        unseen = first_ruby_before(plain, ruby, pages)
        return unseen, unseen
    unseen = first_ruby_unseen(ruby, pages)
    return first_ruby_after_deploy(ruby, pages), unseen


def time_pages(args, plain, ruby, pages):
    """{label: {"plain": [seconds…], "ruby": [seconds…]}}, the pages requested in turn, n times."""
    times = {label: {"plain": [], "ruby": []} for label, _ in pages}
    for _ in range(args.n):
        for label, path in pages:
            times[label]["plain"].append(get(plain, path)[0])
            if args.ruby:
                times[label]["ruby"].append(get(ruby, path)[0])
    return times


def print_table(args, pages, times, queries, first, unseen):
    median = {label: statistics.median(t["plain"]) * 1000 for label, t in times.items()}
    base = median["baseline"]
    vendor = connection.vendor
    print(f"cold renders on {vendor}, median of {args.n}, page cache off, DEBUG off")
    header = f"| {'page':<18} | {'ms':>6} | {'÷ baseline':>10} | {'queries':>7} |"
    if args.ruby:
        header += (
            f" {'ruby ms':>7} | {'ruby ÷ plain':>12} | {'first ruby ms':>13} | {'first ÷ plain':>13} |"
            f" {'unseen ms':>9} | {'÷ plain':>8} |"
        )
    print(header)
    for label, _ in pages:
        row = f"| {label:<18} | {median[label]:>6.1f} | {median[label] / base:>10.1f} | {queries[label]:>7} |"
        if args.ruby:
            r = statistics.median(times[label]["ruby"]) * 1000
            f = first[label] * 1000
            u = unseen[label] * 1000
            row += f" {r:>7.1f} | {r / median[label]:>12.2f} | {f:>13.1f} | {f / median[label]:>13.2f} |"
            row += f" {u:>9.1f} | {u / median[label]:>8.2f} |"
        print(row)
    if args.ruby:
        print_ruby_totals(pages, times, median, first, unseen)


def print_ruby_totals(pages, times, median, first, unseen):
    labels = [label for label, _ in pages if label != "baseline"]
    plain_sum = sum(median[label] for label in labels)
    for name, total in (
        ("ruby", sum(statistics.median(times[x]["ruby"]) for x in labels) * 1000),
        ("first ruby after a deploy (warm_pages, new process)", sum(first[x] for x in labels) * 1000),
        ("unseen (only saved texts stored)", sum(unseen[x] for x in labels) * 1000),
    ):
        print(f"{name}, all pages: {total:.1f} ms, {total / plain_sum:.2f}× the plain pages (target <= 1.3x)")


def profile(label, client):
    """The cProfile of ten renderings of the page `label`."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        get(client, dict(PAGES)[label])
    profiler.disable()
    pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "tottime")).print_stats(
        int(os.environ.get("PROFILE_LINES", "30"))
    )


def main():
    args = parse_args()
    prepare(args)
    pages = chosen_pages(args)
    plain = Client(HTTP_HOST="localhost")
    ruby = Client(HTTP_HOST="localhost")
    ruby.cookies[RUBY_COOKIE] = "on"
    queries = count_queries(plain, pages)
    first, unseen = first_ruby_renders(args, plain, ruby, pages)
    times = time_pages(args, plain, ruby, pages)
    print_table(args, pages, times, queries, first, unseen)
    if args.profile:
        client = ruby if args.profile.startswith("ruby:") else plain
        profile(args.profile.removeprefix("ruby:"), client)


if __name__ == "__main__":
    main()
