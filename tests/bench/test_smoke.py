"""Each benchmark script still runs, so a bench cannot rot silently: a tiny run of each (`--smoke`: about
a second of measuring, on a copy of the demo data at scale 1), run as `make bench` runs it: PostgreSQL, and
gunicorn, Redis and wrk where the bench uses them. In `make test` (so in CI, in its PostgreSQL run; on SQLite
these are deselected), not in `make test-fast`."""

import pytest

from tests.bench.conftest import ROOT, bench_env, run_bench

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

# script → its smoke run's options, and a line of the figures it prints.
RUNS = {
    "notices.py": (["--smoke"], "通知書1件あたり（中央値）"),
    "ruby.py": (["--smoke"], "比 ふりがな / 通常"),
    "cold_render.py": (["--smoke"], "cold renders on postgresql"),
    # The page-cache half only, with its office day (bench/office_day.py); ruby.py has its own run above.
    "load.py": (["--smoke", "--only", "cached", "--no-ruby", "--cache-url", "redis://127.0.0.1:6379/13"], "HIT SHARE"),
    "concurrent_writes.py": (["--smoke"], "OK: every successful submission is in the database"),
    "staff_pages.py": (["--smoke"], "pages; slowest"),
}
# Given the database as an option (they would otherwise make, migrate and fill one of their own).
TAKE_A_DATABASE_URL = {"load.py", "concurrent_writes.py", "staff_pages.py"}
RUN_BY_ANOTHER = {"office_day.py": "load.py"}


def test_every_bench_script_has_a_smoke_run():
    scripts = {path.name for path in (ROOT / "bench").glob("*.py")}
    assert scripts == set(RUNS) | set(RUN_BY_ANOTHER)


@pytest.mark.parametrize("script", RUNS)
def test_the_bench_script_runs_and_prints_its_figures(request, bench_files, script):
    options, figures = RUNS[script]
    if script == "notices.py":  # no database
        output = run_bench(script, *options, env=bench_env(bench_files))
    else:
        url = request.getfixturevalue("database_url")
        options = [*options, *(["--database-url", url] if script in TAKE_A_DATABASE_URL else [])]
        output = run_bench(script, *options, env=bench_env(bench_files, DATABASE_URL=url))
    assert figures in output, output
    if script == "load.py":
        assert "office day (pages stale by what changed)" in output
