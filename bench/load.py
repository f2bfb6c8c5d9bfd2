#!/usr/bin/env python
"""Load benchmark: the portal at scale 100 on PostgreSQL, under gunicorn with production settings,
driven by wrk from a separate process, each page compared with a bare baseline view on the same server.

In one run: every public page with the page cache on, then an office day (bench/office_day.py: a
minute of resident traffic with an edit every 10 s, once with pages made stale by what changed and
once with every page stale on each edit, as before), then every page again with the page cache off
("cold": each request rendered from the database), then the ふりがな pages against the plain ones
(bench/ruby.py, rendered). For the cold half each page is also requested over one connection, one
request at a time: the "1-conn ms" column is that median latency, the render time of the issue's
"at most 15 ms median" with no queueing behind other requests.
Prints one table (requests/s, p50 and p99 of both, and their ratios to the baseline), the ruby/plain
ratio and the office day's hit shares, and stops everything it started. The baseline is measured at
the start and the end of each half; the ratios use the mean of the two.

Usage: `make bench` (or `python bench/load.py --scale 100 --duration 10`); `--only cached|cold`
runs one half; `--no-page-cache` runs the cold half only (the page cache off); `--gzip` asks for compressed pages as
browsers do (the KB column then shows the bytes sent); `--no-office-day` and `--no-ruby` leave those
parts out; `--smoke` is the smoke test's tiny run (the baseline and the home page, a second each, one
worker, a second of office day) and `--database-url` measures a migrated database with the demo data as it is.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
# The aim for a page rendered afresh: at most this median at --scale 100.
TARGET_MS = 15
# Each half of the table and the settings it runs with.
HALVES = {
    "cached": {},
    "cold": {"PUBLIC_PAGE_CACHE_SECONDS": "0"},
}
PAGES = [
    ("baseline", "/_baseline"),
    ("/", "/"),
    ("/regions/", "/regions/"),
    ("area page", "/regions/karamatsu/"),
    ("/organizations/", "/organizations/"),
    ("organization page", "/organizations/karamatsu-machizukuri/"),
    ("/faq/", "/faq/"),
    ("/cases/", "/cases/"),
    ("/liaisons/", "/liaisons/"),
    ("/grants/", "/grants/"),
    ("grants estimate", "/grants/?region=karamatsu"),
    ("/search/?q=唐松", "/search/?q=" + urllib.parse.quote("唐松")),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True, **kwargs)


def prepare_database(server_url, name):
    parsed = urllib.parse.urlparse(server_url)
    with psycopg.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres", dbname="postgres",
        autocommit=True,
    ) as conn:  # fmt: skip
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://{parsed.username or 'postgres'}@{parsed.hostname}:{parsed.port or 5432}/{name}"


def wrk(url, connections, duration, threads, headers):
    out = subprocess.run(
        ["wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
         *[arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")], url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if os.environ.get("BENCH_VERBOSE"):
        print(out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    p99 = to_ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors}


def response_size(url, headers):
    request = urllib.request.Request(url, headers=headers)
    # Generous: right after wrk, this request may wait behind the last of its queue on a busy machine.
    with urllib.request.urlopen(request, timeout=60) as response:
        return len(response.read())


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--database-server", default=os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--cache-url", default=os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--database-name", default="niimi_bench", help="dropped and created afresh")
    parser.add_argument("--pages", default="", help="comma-separated labels to run (default: all)")
    parser.add_argument("--only", choices=HALVES, help="run one half of the table")
    parser.add_argument("--no-page-cache", action="store_true", help="only the cold half (page cache off)")
    parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip, as browsers do")
    parser.add_argument("--no-office-day", action="store_true")
    parser.add_argument("--office-seconds", type=int, default=60)
    parser.add_argument("--no-ruby", action="store_true")
    parser.add_argument("--ruby-rounds", type=int, default=10, help="renders of each page for the ruby ratio")
    parser.add_argument("--database-url", help="a migrated database with the demo data, used as it is")
    parser.add_argument("--smoke", action="store_true", help="a tiny run: is the script still working?")
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.workers, args.office_seconds, args.ruby_rounds = 1, 1, 1, 1
        args.pages = args.pages or "/"
    return args


def production_env(args, tmp, database_url):
    """The environment the portal runs in: production settings on `database_url`."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Static files already collected (the smoke test's) are used as they are.
        "DJANGO_STATIC_ROOT": os.environ.get("DJANGO_STATIC_ROOT") or str(tmp / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DATABASE_URL": database_url,
        "CACHE_URL": args.cache_url,
        "AXES_ENABLED": "0",
        # The yardstick view answers only when asked to (404 in production).
        "BENCHMARK_BASELINE": "1",
        # The office day counts hits by this header (off in production: it tells an outsider what is cached).
        "PUBLIC_PAGE_CACHE_HEADER": "1",
    }


def prepare_site(python, env, args, database_url):
    """The demo data at --scale (unless a database was given), its statistics, the static files."""
    if not args.database_url:
        run([python, "manage.py", "migrate", "--noinput"], env)
        started = time.monotonic()
        run([python, "manage.py", "loaddemo", "--allow-production", "--scale", str(args.scale)], env)
        print(f"loaddemo --scale {args.scale}: {time.monotonic() - started:.1f} s (PostgreSQL)")
    # Production's autovacuum analyzes freshly loaded tables within a minute; this machine's PostgreSQL
    # runs without it, and a planner with no statistics is not what residents would meet.
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    if not (Path(env["DJANGO_STATIC_ROOT"]) / "staticfiles.json").exists():
        run([python, "manage.py", "collectstatic", "--noinput"], env)


def office_day(python, env, port, args):
    """bench/office_day.py against the running server, by what changed and site-wide: its notes."""
    notes = []
    for site_wide in (False, True):
        out = run(
            [python, "bench/office_day.py", "--url", f"http://127.0.0.1:{port}",
             "--seconds", str(args.office_seconds), *(["--site-wide"] if site_wide else []),
             *(["--edit-every", "0.5", "--detail-pages", "3"] if args.smoke else [])],
            env,
        ).stdout  # fmt: skip
        print(out.rstrip())
        share = re.search(r"HIT SHARE ([\d.]+)%", out).group(1)
        miss = re.search(r"miss ([\d.]+|nan) ms", out).group(1)
        notes.append(
            f"office day hit share ({'site-wide, as before' if site_wide else 'by what changed'}): {share}%"
            f" (median miss {miss} ms)"
        )
    return notes


def run_half(python, env, half, pages, headers, args, tmp):
    """One half of the table on its own gunicorn: (its results, the office day's notes)."""
    half_env = {**env, **HALVES[half]}
    clear_cache(python, half_env, args.cache_url)
    port = free_port()
    server = start_server(python, half_env, port, args.workers, tmp)
    try:
        print(f"{half}: gunicorn {args.workers} sync workers on 127.0.0.1:{port}; wrk {args.connections} "
              f"connections, {args.duration} s per page, on the same {os.cpu_count()}-core machine")  # fmt: skip
        results = measure(port, pages, headers, args, serial=half != "cached")
        notes = office_day(python, half_env, port, args) if half == "cached" and not args.no_office_day else []
    finally:
        stop_server(server)
    return results, notes


def main():
    args = parse_args()
    halves = ["cold"] if args.no_page_cache else [args.only] if args.only else list(HALVES)
    tmp = Path(tempfile.mkdtemp(prefix="niimi-bench-"))
    database_url = args.database_url or prepare_database(args.database_server, args.database_name)
    env = production_env(args, tmp, database_url)
    python = sys.executable
    notes = []
    try:
        prepare_site(python, env, args, database_url)
        headers = {"X-Forwarded-Proto": "https", **({"Accept-Encoding": "gzip"} if args.gzip else {})}
        wanted = {label for label in args.pages.split(",") if label}
        pages = [(label, path) for label, path in PAGES if not wanted or label in wanted or label == "baseline"]
        results = {}
        for half in halves:
            results[half], half_notes = run_half(python, env, half, pages, headers, args, tmp)
            notes.extend(half_notes)
        if not args.no_ruby:
            notes.extend(ruby_ratio(python, env, args.ruby_rounds))
        print(f"\nAccept-Encoding: {headers.get('Accept-Encoding', '(none)')}; cached = page cache on; "
              "cold = PUBLIC_PAGE_CACHE_SECONDS=0 (every request rendered)")  # fmt: skip
        print_table(results)
        print()
        for note in notes:
            print(note)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def clear_cache(python, env, cache_url):
    if cache_url.startswith("redis://"):
        run([python, "manage.py", "shell", "-c", "from django.core.cache import cache; cache.clear()"], env)


def start_server(python, env, port, workers, tmp):
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "niimi_portal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(tmp / "gunicorn.log").open("a"),
    )  # fmt: skip
    try:
        wait_for(port, workers)
    except BaseException:
        stop_server(server)
        raise
    return server


def stop_server(server):
    server.terminate()
    server.wait(timeout=30)


def measure(port, pages, headers, args, serial=False):
    results = {}
    for label, path in [*pages, ("baseline (again)", "/_baseline")]:
        url = f"http://127.0.0.1:{port}{path}"
        if not args.smoke:
            wrk(url, 4, 2, 2, headers)  # warm up: caches, connections, imports
        results[label] = {**wrk(url, args.connections, args.duration, 2, headers), "bytes": response_size(url, headers)}
        if serial:  # one request at a time: the render time, no queueing
            seconds = 1 if args.smoke else max(3, args.duration // 2)
            results[label]["serial"] = wrk(url, 1, seconds, 1, headers)["p50"]
    return results


def ruby_ratio(python, env, rounds):
    """bench/ruby.py on the same data, rendered (no page cache): the ratio of ふりがな to plain pages."""
    ruby_env = {key: value for key, value in env.items() if key != "DJANGO_SECRET_KEY"}
    ruby_env.update({"DJANGO_DEBUG": "1", "CACHE_URL": "", "PUBLIC_PAGE_CACHE_SECONDS": "0"})
    out = run([python, "bench/ruby.py", "-n", str(rounds)], ruby_env).stdout
    if os.environ.get("BENCH_VERBOSE"):
        print(out)
    ratio = re.search(r"比 ふりがな / 通常: ([\d.]+) 倍（CPU ([\d.]+) 倍）", out)
    totals = re.search(r"全ページ（中央値の合計）: 通常 +([\d.]+) ms、ふりがな +([\d.]+) ms", out)
    after = re.search(r"配備の後の初回.*?の合計: +([\d.]+) ms = 通常の ([\d.]+) 倍", out)
    unseen = re.search(r"未見の初回.*?の合計: +([\d.]+) ms = 通常の ([\d.]+) 倍", out)
    return [
        f"ruby/plain (rendered, {rounds} rounds of 14 pages, median sums): {ratio.group(1)}x "
        f"(CPU {ratio.group(2)}x); plain {totals.group(1)} ms, ruby {totals.group(2)} ms (target <= 1.3x)",
        f"first ruby render of each page after a deploy (warm_pages, then a new process): {after.group(1)} ms = "
        f"{after.group(2)}x the plain pages (target <= 1.3x)",
        f"first ruby render of pages never seen (only the saved texts' readings stored): "
        f"{unseen.group(1)} ms = {unseen.group(2)}x the plain pages",
    ]


def wait_for(port, workers):
    """Until every worker answers: the port opens before the workers have imported Django."""
    deadline = time.monotonic() + 60
    answered = 0
    while time.monotonic() < deadline and answered < 4 * workers:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/_baseline", headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                answered += response.status == 200
        except OSError:
            time.sleep(0.2)
    if answered < 4 * workers:
        raise SystemExit("gunicorn did not start")


def print_table(results):
    bases = {}
    for half, rows in results.items():
        first, last = rows["baseline"], rows["baseline (again)"]
        bases[half] = {"rps": (first["rps"] + last["rps"]) / 2, "p99": (first["p99"] + last["p99"]) / 2}
    halves = list(results)
    labels = list(results[halves[0]])
    print()
    head = f"| {'page':<20} |"
    rule = f"|{'-' * 22}|"
    for half in halves:
        head += f" {half + ' req/s':>12} | {'p50 ms':>7} | {'p99 ms':>7} | {'KB':>6} | {'÷ baseline':>10} |"
        rule += f"{'-' * 14}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 12}|"
        if "serial" in results[half]["baseline"]:
            head += f" {'1-conn ms':>9} |"
            rule += f"{'-' * 11}|"
    print(head + f" {'errors':>6} |")
    print(rule + f"{'-' * 8}|")
    for label in labels:
        line = f"| {label:<20} |"
        errors = 0
        for half in halves:
            r = results[half][label]
            errors += r["errors"]
            line += (f" {r['rps']:>12.0f} | {r['p50']:>7.1f} | {r['p99']:>7.1f} | {r['bytes'] / 1000:>6.1f} "
                     f"| {r['rps'] / bases[half]['rps']:>10.2f} |")  # fmt: skip
            if "serial" in r:
                line += f" {r['serial']:>9.2f} |"
        print(line + f" {errors:>6} |")
    for half in halves:
        print(f"{half}: ratios are req/s to the mean of its two baseline rows ({bases[half]['rps']:.0f} req/s, "
              f"p99 {bases[half]['p99']:.1f} ms)")  # fmt: skip
    for half in halves:
        serial = {label: r["serial"] for label, r in results[half].items() if "serial" in r and "baseline" not in label}
        if serial:
            slowest = max(serial, key=serial.get)
            over = [label for label, ms in serial.items() if ms > TARGET_MS]
            print(f"{half}: one request at a time, median per page {min(serial.values()):.1f}–{serial[slowest]:.1f} ms "
                  f"(slowest: {slowest}); over {TARGET_MS} ms: {', '.join(over) if over else 'none'}")  # fmt: skip


if __name__ == "__main__":
    main()
