# 新見市 小規模多機能自治ポータル — two commands: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Debian packages the portal and its tests use: the browser for the accessibility tests,
# poppler to read PDFs back, the 明朝/ゴシック fonts embedded in notices, wrk for the benchmark,
# nginx, openssl and redis-server for the proxy tests and `make deploy-check` (deploy/).
SYSTEM_PACKAGES := chromium poppler-utils fonts-morisawa-bizud-mincho fonts-morisawa-bizud-gothic wrk \
	nginx openssl redis-server gettext

.PHONY: run test test-fast lint audit pip-audit system-deps venv messages bench clean backup restore

# The admin's Japanese catalog (niimi_portal/locale): the .po is the source, the .mo is built from it, never committed.
PO := niimi_portal/locale/ja/LC_MESSAGES/django.po
MO := $(PO:.po=.mo)

$(VENV)/.installed: requirements.lock
	@py=$$(scripts/find-python) || exit 1; \
	  echo "Python: $$py"; \
	  [ -x $(PY) ] || $$py -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

# The venv target also builds the catalog, so every target that needs the venv has it.
venv: $(VENV)/.installed $(MO)

$(MO): $(PO)
	msgfmt --check -o $@ $<

messages: $(MO)

system-deps:
	@scripts/system-deps $(SYSTEM_PACKAGES)

run: export DJANGO_DEBUG := 1
run: export DJANGO_DEMO_MODE := 1
run: system-deps venv
	$(MANAGE) migrate --noinput
	$(MANAGE) loaddemo
	@$(MANAGE) demo_logins
	$(MANAGE) runserver 127.0.0.1:8000

lint: export DJANGO_TESTING := 1
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

# Static security analysis of our own code (bandit); accepted findings carry `# nosec` with a reason.
audit: venv
	$(VENV)/bin/bandit -q -r niimi_portal organizations staff grants offices -x '*/migrations/*'

# Known vulnerabilities in the locked dependencies. Needs the vulnerability service of PyPI or OSV.
pip-audit: venv
	$(VENV)/bin/pip-audit --strict --no-deps --disable-pip -r requirements.lock

# Backups with django-dbbackup, into DJANGO_BACKUP_DIR (default ./backups); works for SQLite and PostgreSQL.
backup: venv
	$(MANAGE) dbbackup --noinput --clean
	$(MANAGE) mediabackup --noinput --clean

# Restore the newest backup (database and uploaded files) into the configured database.
restore: venv
	$(MANAGE) dbrestore --noinput
	$(MANAGE) mediarestore --noinput

test: export DJANGO_TESTING := 1
# Everything but the browser tests on two processes (pytest-xdist), then the browser tests (tests/e2e), also on
# two: each worker drives its own Chromium against its own live server and test database.
test: system-deps venv lint audit
	$(VENV)/bin/pytest --ignore=tests/e2e -n 2 $(PYTEST_ARGS)
	$(VENV)/bin/pytest tests/e2e -n 2 $(PYTEST_ARGS)

# The inner loop: everything but the browser tests (tests/e2e) and the benchmarks' smoke runs (tests/bench),
# on two processes (pytest-xdist).
test-fast: export DJANGO_TESTING := 1
test-fast: venv
	$(VENV)/bin/pytest -m "not e2e and not bench" --ignore=tests/e2e -n 2 -q -p no:cacheprovider $(PYTEST_ARGS)

# Load benchmark against PostgreSQL at scale 100 (bench/load.py): one table with every public page cached (after
# warm_pages), rendered from the kept parts (page cache off) and rendered from nothing kept, as ratios to a baseline
# view and as one-request-at-a-time medians, the ふりがな/plain ratio, and the share of cache hits during a simulated
# office day (bench/office_day.py: residents' traffic, an edit every 10 s, one minute); then the staff pages
# (bench/staff_pages.py, as `make bench-staff`). Options of bench/load.py go in BENCH_ARGS:
# `make bench BENCH_ARGS="--no-page-cache --duration 6"`. Each bench script has a smoke run in `make test` (tests/bench).
bench: system-deps venv
	$(PY) bench/load.py $(BENCH_ARGS)
	$(PY) bench/staff_pages.py

.PHONY: bench-cold
# The same with the page cache off only (the cold half): `make bench BENCH_ARGS=--no-page-cache`.
bench-cold: system-deps venv
	$(PY) bench/load.py --no-page-cache $(BENCH_ARGS)

.PHONY: bench-notices
# Renders 100 notices; prints the median time per notice, its ratio to a one-page baseline, peak memory.
bench-notices: system-deps venv
	$(PY) bench/notices.py

.PHONY: bench-staff
# Every admin changelist and change page (as the policy clerk) and every workspace page (as a liaison), in-process
# on a fresh PostgreSQL database: queries at scale 1 and 100, median ms at 100; flags a page over 200 ms or whose
# queries grow. Options in STAFF_ARGS: `make bench-staff STAFF_ARGS="--scale 10 --renders 3"`.
bench-staff: venv
	$(PY) bench/staff_pages.py $(STAFF_ARGS)

.PHONY: bench-ruby
# Renders the public pages without and with ふりがな; prints the medians and their ratio.
bench-ruby: venv
	$(PY) bench/ruby.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache $(MO)

.PHONY: concurrent-writes
# Liaisons log meetings through the workspace form while wrk loads the public pages (gunicorn, production
# settings, a fresh PostgreSQL database); fails unless the database holds exactly the successful submissions.
concurrent-writes: system-deps venv
	$(PY) bench/concurrent_writes.py $(CONCURRENT_ARGS)

.PHONY: deploy-check
# The deployment in deploy/ for real on loopback: Debian's nginx (self-signed TLS) in front of two gunicorn
# instances sharing PostgreSQL (127.0.0.1:5432, a database of its own) and Redis (db 11); prints each check.
deploy-check: system-deps venv
	$(PY) deploy/check.py
