"""Issue 32, item 6: the low findings of the outside test of main (production settings, gunicorn), each
with a test that failed before its fix. (The two stale pages are tests/niimi_portal/test_page_invalidation.py.)"""

import subprocess

import pytest

from tests.production import PYTHON, ROOT, production_env

pytestmark = pytest.mark.django_db


# -- /_baseline, a benchmark view, answered in production -------------------------------------------


def test_the_benchmark_baseline_is_off_in_production_settings(tmp_path):
    env = production_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code = "import django; django.setup(); from django.conf import settings; print(settings.BENCHMARK_BASELINE)"
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_the_benchmark_baseline_is_not_found_unless_the_setting_allows_it(client, settings):
    settings.BENCHMARK_BASELINE = False
    assert client.get("/_baseline").status_code == 404
    settings.BENCHMARK_BASELINE = True
    response = client.get("/_baseline")
    assert response.status_code == 200 and response.content == b"ok"
