"""Benchmark of the ふりがな pages (not a test): `make bench-ruby` or `.venv/bin/python bench/ruby.py`.

Renders the public pages in-process through Django's test client, with the demo data and the public
page cache off (each request rendered), as a visitor without and with ふりがな (the `portal_ruby`
cookie), interleaved so the machine's load weighs on both alike, many times each. Prints per page the
median of each and their ratio, then the ratio of the sums of the medians (at most 2), and two first
ふりがな renderings of each page (the median over --first-rounds new processes), as ratios of the
sums to the plain pages' medians:

- after a deploy (the figure the issue asks for: at most 1.3): `warm_pages` has rendered every public
  page with ふりがな, so the readings of its texts are stored; then a new process (nothing in its memo,
  its names table from the shared cache) renders each page once;
- never seen: nothing stored but the readings the public texts' saves prepared (the readings of the
  texts the templates show are not), in a new process, the pages in turn; the first page also reads
  the header and footer, and the new readings are written as each response ends.

The database: DATABASE_URL when set, else a SQLite file in the temporary folder, migrated and filled
with `loaddemo` when empty. The cache: the configured one (local memory unless CACHE_URL is set).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niimi_portal.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'niimi_bench_ruby.sqlite3'}")
os.environ.setdefault("PUBLIC_PAGE_CACHE_SECONDS", "0")
if not os.environ.get("DJANGO_SECRET_KEY"):
    os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from niimi_portal import names  # noqa: E402
from niimi_portal.context_processors import RUBY_COOKIE  # noqa: E402
from niimi_portal.lib import furigana  # noqa: E402
from niimi_portal.management.commands import warm_pages  # noqa: E402
from niimi_portal.models import Reading  # noqa: E402
from organizations.models import Region  # noqa: E402

PAGES = [
    "/",
    "/about/",
    "/regions/",
    "/regions/karamatsu/",
    "/organizations/",
    "/organizations/kumano-mirai/",
    "/liaisons/",
    "/cases/",
    "/cases/kumano-ikurano-tasukeai/",
    "/grants/",
    "/grants/?region=karamatsu",
    "/faq/",
    "/search/?q=からまつ",
    "/accounts/login/",
]


def ensure_demo_data():
    call_command("migrate", verbosity=0, interactive=False)
    if not Region.objects.exists():
        call_command("loaddemo", force=True, verbosity=0)


def timed_get(client, path):
    """(wall-clock seconds, CPU seconds, response) of one request."""
    started_wall, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    wall, cpu = time.perf_counter() - started_wall, time.process_time() - started_cpu
    assert response.status_code == 200, (path, response.status_code)
    return wall, cpu, response


def ms(seconds):
    return f"{seconds * 1000:6.1f} ms"


def new_process(*, shared_cache):
    """What a new worker starts with: an empty memo and no names table of its own; the shared cache as
    it was (after a deploy) or empty too (never seen)."""
    furigana.forget_readings()
    names._tables.clear()
    if not shared_cache:
        cache.clear()


def first_ruby_renders(ruby, *, never_seen, rounds, warmed=None):
    """{path: seconds} of each page's first ふりがな rendering in a new process (the median of `rounds`
    new processes), after a deploy (warm_pages stored the readings of every public page's texts) or
    with nothing stored but the public texts'. `warmed`: the (name, path) warm_pages renders (default all)."""
    seconds = {path: [] for path in PAGES}
    for round_ in range(rounds):
        if never_seen or round_ == 0:
            Reading.objects.all().delete()
            new_process(shared_cache=False)
            for model in names.PUBLIC_TEXTS:  # as their saves prepare them
                names.prepare_texts(model.objects.all())
        if not never_seen and round_ == 0:
            _, failed = warm_pages.visit(warmed or warm_pages.public_paths(), host="localhost", secure=False)
            assert not failed, failed
        new_process(shared_cache=not never_seen)
        for path in PAGES:
            wall, _, response = timed_get(ruby, path)
            seconds[path].append(wall)
            assert b"<ruby>" in response.content, path
    return {path: statistics.median(values) for path, values in seconds.items()}


def parse_args():
    parser = argparse.ArgumentParser(description="ふりがなページの表示時間のベンチマーク")
    parser.add_argument("-n", type=int, default=60, help="ページごとの回数（既定 60）")
    parser.add_argument("--first-rounds", type=int, default=5, help="初回を測る新しいプロセスの数（既定 5）")
    parser.add_argument("--smoke", action="store_true", help="スモークテスト用の最小の実行（2ページ、各1回）")
    args = parser.parse_args()
    if args.smoke:  # two pages, each once
        args.n, args.first_rounds = 1, 1
        del PAGES[2:]
    return args


def time_pages(plain, ruby, count):
    """({path: {kind: wall seconds…}}, {path: {kind: CPU seconds…}}), plain and ruby interleaved."""
    kinds = ("plain", "ruby")
    wall = {path: {kind: [] for kind in kinds} for path in PAGES}
    cpu = {path: {kind: [] for kind in kinds} for path in PAGES}
    for _ in range(count):
        for path in PAGES:
            for name, client in (("plain", plain), ("ruby", ruby)):
                w, c, _ = timed_get(client, path)
                wall[path][name].append(w)
                cpu[path][name].append(c)
    return wall, cpu


def print_figures(count, wall, cpu, first, unseen):
    print(f"ふりがなページの表示時間（各ページ {count} 回の中央値、Django テストクライアント、同一プロセス）")
    print(f"  {'ページ':<34}{'通常':>10}{'ふりがな':>10}{'比':>7}{'CPU比':>8}{'配備後の初回':>9}{'未見':>9}")
    totals = {"wall": [0.0, 0.0], "cpu": [0.0, 0.0]}
    for path in PAGES:
        medians = {}
        for kind, samples in (("wall", wall), ("cpu", cpu)):
            p, r = statistics.median(samples[path]["plain"]), statistics.median(samples[path]["ruby"])
            totals[kind][0] += p
            totals[kind][1] += r
            medians[kind] = (p, r)
        (p, r), (cp, cr) = medians["wall"], medians["cpu"]
        print(f"  {path:<36}{ms(p)}{ms(r)}{r / p:6.2f}倍{cr / cp:6.2f}倍{ms(first[path])}{ms(unseen[path])}")
    (p, r), (cp, cr) = totals["wall"], totals["cpu"]
    print(f"  全ページ（中央値の合計）: 通常 {ms(p)}、ふりがな {ms(r)}")
    print(f"  比 ふりがな / 通常: {r / p:.2f} 倍（CPU {cr / cp:.2f} 倍）　目標 2 倍以下")
    total = sum(first.values())
    after = "配備の後の初回（warm_pages の後、新しいプロセス）"
    print(f"  {after}の合計: {ms(total)} = 通常の {total / p:.2f} 倍　目標 1.3 倍以下")
    total = sum(unseen.values())
    print(
        f"  未見の初回（保存された本文の読みだけ、何も保存されていない新しいプロセス）の合計: {ms(total)} = "
        f"通常の {total / p:.2f} 倍"
    )


def main():
    args = parse_args()
    ensure_demo_data()
    # In the smoke run, warm_pages renders only the pages measured.
    warmed = [(name, path) for name, path in warm_pages.public_paths() if path in PAGES] if args.smoke else None
    plain = Client(HTTP_HOST="localhost")
    ruby = Client(HTTP_HOST="localhost")
    ruby.cookies[RUBY_COOKIE] = "on"

    cache.clear()
    for path in PAGES:  # warm up: templates, queries, and the analyzer's dictionary (loaded once per process)
        timed_get(plain, path)
    furigana.analyze("新見")
    unseen = first_ruby_renders(ruby, never_seen=True, rounds=args.first_rounds)
    first = first_ruby_renders(ruby, never_seen=False, rounds=args.first_rounds, warmed=warmed)
    wall, cpu = time_pages(plain, ruby, args.n)
    print_figures(args.n, wall, cpu, first, unseen)


if __name__ == "__main__":
    main()
