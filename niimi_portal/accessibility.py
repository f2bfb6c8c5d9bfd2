"""The latest accessibility test result, written by the browser tests (tests/e2e/public) and read by
the アクセシビリティ方針 page. The file is a test artifact: never committed, absent until a test run."""

import datetime
import json
import os

from django.conf import settings

TARGET = "JIS X 8341-3:2016 適合レベルAA"


def report_path():
    default = settings.BASE_DIR / "test-results" / "accessibility.json"
    return os.environ.get("PORTAL_ACCESSIBILITY_REPORT") or str(default)


def latest_report():
    """The parsed report, or None when no test has run here (or the file is unreadable)."""
    try:
        with open(report_path(), encoding="utf-8") as f:
            report = json.load(f)
        report["tested_at"] = datetime.datetime.fromisoformat(report["tested_at"])
        report["all_passed"] = report["failed"] == 0 and report["passed"] > 0
        return report
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_report(report):
    path = report_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=2, default=str)
