#!/usr/bin/env python
"""Load benchmark: the portal at scale 100 on PostgreSQL, under gunicorn with production settings,
driven by wrk from a separate process, each page compared with a bare baseline view on the same server.

Prints one table (requests/s, p50, p99, errors, response size, throughput as a ratio to the
baseline) and stops everything it started. The baseline is measured first and again last; the ratios
use the mean of the two, and both rows are printed so the machine's drift during the run shows.

Usage: `make bench` (or `python bench/load.py --scale 100 --duration 20`); `--no-page-cache` turns the
public page cache off, to see what rendering each page costs; `--gzip` asks for compressed pages as
browsers do (the KB column then shows the bytes sent).
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
PAGES = [
    ("baseline", "/_baseline"),
    ("/", "/"),
    ("/regions/", "/regions/"),
    ("area page", "/regions/karamatsu/"),
    ("/organizations/", "/organizations/"),
    ("organization page", "/organizations/karamatsu-machizukuri/"),
    ("/faq/", "/faq/"),
    ("/search/?q=唐松", "/search/?q=" + urllib.parse.quote("唐松")),
    ("/grants/", "/grants/"),
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
    with urllib.request.urlopen(request, timeout=10) as response:
        return len(response.read())


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--database-server", default=os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--cache-url", default=os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--pages", default="", help="comma-separated labels to run (default: all)")
    parser.add_argument("--no-page-cache", action="store_true", help="render every page (PUBLIC_PAGE_CACHE_SECONDS=0)")
    parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip, as browsers do")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="niimi-bench-"))
    database_url = prepare_database(args.database_server, "niimi_bench")
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DATABASE_URL": database_url,
        "CACHE_URL": args.cache_url,
        "AXES_ENABLED": "0",
        **({"PUBLIC_PAGE_CACHE_SECONDS": "0"} if args.no_page_cache else {}),
    }
    python = sys.executable
    server = None
    try:
        run([python, "manage.py", "migrate", "--noinput"], env)
        started = time.monotonic()
        run([python, "manage.py", "loaddemo", "--allow-production", "--scale", str(args.scale)], env)
        load_seconds = time.monotonic() - started
        run([python, "manage.py", "collectstatic", "--noinput"], env)
        if args.cache_url.startswith("redis://"):
            run([python, "manage.py", "shell", "-c", "from django.core.cache import cache; cache.clear()"], env)
        print(f"loaddemo --scale {args.scale}: {load_seconds:.1f} s (PostgreSQL)")

        port = free_port()
        server = subprocess.Popen(
            [python, "-m", "gunicorn", "niimi_portal.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(tmp / "gunicorn.log").open("w"),
        )  # fmt: skip
        wait_for(port, args.workers)
        print(f"gunicorn: {args.workers} sync workers on 127.0.0.1:{port}; wrk: {args.connections} connections, "
              f"{args.duration} s per page, on the same {os.cpu_count()}-core machine")  # fmt: skip
        headers = {"X-Forwarded-Proto": "https", **({"Accept-Encoding": "gzip"} if args.gzip else {})}
        wanted = {label for label in args.pages.split(",") if label}
        pages = [(label, path) for label, path in PAGES if not wanted or label in wanted or label == "baseline"]
        results = {}
        for label, path in [*pages, ("baseline (again)", "/_baseline")]:
            url = f"http://127.0.0.1:{port}{path}"
            wrk(url, 4, 2, 2, headers)  # warm up: caches, connections, imports
            results[label] = {
                **wrk(url, args.connections, args.duration, 2, headers),
                "bytes": response_size(url, headers),
            }
        print(f"page cache: {'off (every page rendered)' if args.no_page_cache else 'on'}; "
              f"Accept-Encoding: {headers.get('Accept-Encoding', '(none)')}")  # fmt: skip
        print_table(results)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


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
    first, last = results["baseline"], results["baseline (again)"]
    base = {"rps": (first["rps"] + last["rps"]) / 2, "p99": (first["p99"] + last["p99"]) / 2}
    print()
    print(f"| {'page':<20} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} | {'errors':>6} | {'KB':>6} "
          f"| {'req/s ÷ baseline':>16} | {'p99 ÷ baseline':>14} |")  # fmt: skip
    print(f"|{'-' * 22}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 8}|{'-' * 18}|{'-' * 16}|")
    for label, r in results.items():
        rps, p99 = r["rps"] / base["rps"], r["p99"] / base["p99"]
        print(f"| {label:<20} | {r['rps']:>8.0f} | {r['p50']:>7.1f} | {r['p99']:>7.1f} | {r['errors']:>6} "
              f"| {r['bytes'] / 1000:>6.1f} | {rps:>16.2f} | {p99:>14.2f} |")  # fmt: skip
    print(f"\nratios are to the mean of the two baseline rows ({base['rps']:.0f} req/s, p99 {base['p99']:.1f} ms)")


if __name__ == "__main__":
    main()
