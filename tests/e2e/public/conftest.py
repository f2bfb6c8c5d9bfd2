"""The residents' pages in real Chromium. Every check here is also written, with the date, the browser
and axe-core's version, to the accessibility report the アクセシビリティ方針 page shows
(niimi_portal.accessibility; a test artifact in test-results/, never committed)."""

import pytest
from django.utils import timezone

from niimi_portal.accessibility import write_report
from tests.e2e.conftest import WCAG_AA_TAGS

# Every public page, with the demo data: lists, details, form results and the error page.
PUBLIC_PAGES = [
    "/",
    "/about/",
    "/regions/",
    "/regions/karamatsu/",
    "/regions/chiya/",
    "/regions/niimi/",
    "/regions/osa-school/",
    "/regions/osa-tajibe/",
    "/regions/find/?q=いく",
    "/regions/find/?q=ロンドン",
    "/organizations/",
    "/organizations/?stage=3",
    "/organizations/kumano-mirai/",
    "/organizations/takao-fureai/",
    "/liaisons/",
    "/schedule/",
    "/open-data/",
    "/cases/",
    "/cases/kumano-ikurano-tasukeai/",
    "/cases/karamatsu-hirose-workshop/",
    "/grants/",
    "/grants/?region=karamatsu",
    "/grants/?area=しんごう",
    "/grants/?area=アトランティス",
    "/grants/?population=-1&households=",
    "/faq/",
    "/faq/?q=交付金",
    "/search/",
    "/search/?q=からまつ",
    "/search/?q=一括交付金とは",
    "/search/?q=アトランティス",
    "/documents/",
    "/grants/?region=shoden",
    "/grants/?region=takao",
    "/accounts/password_reset/",
    "/accessibility/",
    "/notices/",
    "/privacy/",
    "/disclaimer/",
    "/sitemap/",
    "/accounts/login/",
    "/no-such-page/",
]

HIGH_CONTRAST_LARGE_TEXT = {"portal_text_size": "large", "portal_contrast": "high"}
FURIGANA = {"portal_ruby": "on"}
DISPLAYS = {"large-text-high-contrast": HIGH_CONTRAST_LARGE_TEXT, "furigana": FURIGANA}


class Report:
    def __init__(self):
        self.checks = []
        self.pages = {}
        self.axe_version = ""
        self.browser = ""

    def page(self, path, title, violations):
        entry = self.pages.setdefault(path, {"path": path, "title": title, "violations": 0})
        entry["violations"] += violations

    def as_json(self):
        passed = sum(1 for c in self.checks if c["outcome"] == "passed")
        return {
            "tested_at": timezone.localtime().isoformat(timespec="seconds"),
            "standard": "JIS X 8341-3:2016 AA (WCAG 2.1 AA)",
            "browser": self.browser,
            "axe_version": self.axe_version,
            "pages": list(self.pages.values()),
            "checks": self.checks,
            "passed": passed,
            "failed": len(self.checks) - passed,
        }


REPORT = Report()


@pytest.fixture(scope="session")
def accessibility_report(browser):
    REPORT.browser = f"Chromium {browser.version}"
    return REPORT


PARAM_LABELS = {
    "standard": "標準の表示",
    "large-text-high-contrast": "文字サイズ大・黒地に黄色",
    "furigana": "ふりがな",
    "without-javascript": "JavaScript なし",
    "with-javascript": "JavaScript あり",
}


def param_label(callspec):
    return PARAM_LABELS.get(callspec.id) or "・".join(str(v) for v in callspec.params.values())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" or (report.when == "setup" and report.failed):
        doc = (item.function.__doc__ or item.name).strip().splitlines()[0]
        param = f"（{param_label(item.callspec)}）" if hasattr(item, "callspec") else ""
        REPORT.checks.append({"name": doc + param, "outcome": "passed" if report.passed else "failed"})


def pytest_sessionfinish(session):
    if REPORT.checks:
        write_report(REPORT.as_json())


def goto(page, live, path):
    response = page.goto(live.url + path)
    assert response is not None
    return response


def use_display(page, live, cookies):
    page.context.add_cookies([{"name": k, "value": v, "url": live.url + "/"} for k, v in cookies.items()])


def axe_check(axe, page, report, path=None):
    """axe-core's WCAG 2.0/2.1 A and AA rules on the page; records the page in the report when given its path."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}})
    report.axe_version = results.response.get("testEngine", {}).get("version", "")
    violations = [
        f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]
    ]
    if path is not None:
        report.page(path, page.title().split(" | ")[0], len(violations))
    return violations


@pytest.fixture(params=[False, True], ids=["without-javascript", "with-javascript"])
def switch_page(browser, request):
    """A page for the display switches, once with JavaScript off and once with it on: both must work."""
    context = browser.new_context(
        locale="ja-JP", viewport={"width": 1280, "height": 900}, java_script_enabled=request.param
    )
    yield context.new_page()
    context.close()
