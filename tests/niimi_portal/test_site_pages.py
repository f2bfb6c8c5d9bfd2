"""Site-wide pages: about, the display switch, the アクセシビリティ方針 and the error pages."""

import json

import pytest
from django.urls import path

from niimi_portal.urls import urlpatterns as site_urlpatterns
from tests.helpers import Client

pytestmark = pytest.mark.django_db


def test_about_explains_the_roles_and_the_steps(client):
    page = client.get("/about/").content.decode()
    for text in (
        "地域運営組織",
        "地域担当職員",
        "小地域ケア会議",
        "生活支援コーディネーター",
        "協働のまちづくり交付金",
    ):
        assert f"<li><strong>{text}</strong>" in page  # the clerks' Markdown list (PageBlock about_roles)
    steps = [
        page.index(step)
        for step in (
            "<strong>① 地域での機運づくり",
            "<strong>② 地域の将来計画の策定",
            "<strong>③ 地域運営組織の設立・活動開始",
        )
    ]
    assert steps == sorted(steps)


# --- 文字サイズ and 背景色 -----------------------------------------------------------------------


def test_display_switch_remembers_the_choice_and_returns_to_the_page(client):
    response = client.get("/display/", {"text": "large", "next": "/faq/?q=交付金"})
    assert response.status_code == 302
    assert response["Location"] == "/faq/?q=%E4%BA%A4%E4%BB%98%E9%87%91"  # 交付金
    assert response.cookies["portal_text_size"].value == "large"
    assert response.cookies["portal_text_size"]["max-age"] == 365 * 24 * 3600
    response = client.get("/display/", {"contrast": "high", "next": "/about/"})
    assert response.cookies["portal_contrast"].value == "high"
    page = client.get("/about/").content.decode()
    assert '<body class="text-large contrast-high' in page
    assert 'name="text" value="standard" class="btn btn-outline-dark display-toggle" aria-pressed="true"' in page


def test_display_switch_works_as_a_plain_form_in_every_page(client):
    page = client.get("/").content.decode()
    assert '<form method="get" action="/display/"' in page
    assert '<input type="hidden" name="next" value="/">' in page
    assert '<body class="text-standard contrast-standard' in page


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "0", "admin:index", "faq/"]
)
def test_display_switch_never_sends_the_visitor_to_another_site(client, target):
    response = client.get("/display/", {"text": "large", "next": target})
    assert response["Location"] == "/"


def test_display_switch_ignores_unknown_values(client):
    response = client.get("/display/", {"text": "huge", "contrast": "<script>", "next": "/"})
    assert "portal_text_size" not in response.cookies and "portal_contrast" not in response.cookies
    client.cookies["portal_contrast"] = "<script>"
    assert '<body class="text-standard contrast-standard' in client.get("/").content.decode()


# --- アクセシビリティ方針 ------------------------------------------------------------------------


@pytest.fixture
def report_file(tmp_path, monkeypatch):
    path = tmp_path / "accessibility.json"
    monkeypatch.setenv("PORTAL_ACCESSIBILITY_REPORT", str(path))
    return path


def write(path, **fields):
    report = {
        "tested_at": "2026-11-27T10:00:00+09:00",
        "browser": "Chromium 131",
        "axe_version": "4.10.2",
        "pages": [{"path": "/", "title": "ホーム", "violations": 0}],
        "checks": [{"name": "axe-core で WCAG 2.1 AA の違反がない", "outcome": "passed"}],
        "passed": 1,
        "failed": 0,
    }
    report.update(fields)
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")


def test_policy_states_the_target_and_scope_and_says_not_yet_tested_without_a_report(client, report_file):
    page = client.get("/accessibility/").content.decode()
    assert "JIS X 8341-3:2016 適合レベルAA" in page
    assert "対象範囲" in page
    assert "まだ試験を行っていません" in page
    assert "問題は見つかりませんでした" not in page


def test_policy_shows_the_date_and_result_of_the_latest_test_run(client, report_file):
    write(report_file)
    page = client.get("/accessibility/").content.decode()
    assert "令和8年11月27日" in page
    assert "自動試験の 1 項目すべてで問題は見つかりませんでした" in page
    assert "axe-core 4.10.2" in page
    assert "「準拠」とは表明していません" in page  # no claim beyond what the tests back


def test_policy_reports_failures_as_failures(client, report_file):
    write(report_file, passed=3, failed=2, checks=[{"name": "320px", "outcome": "failed"}])
    page = client.get("/accessibility/").content.decode()
    assert "5 項目のうち 2 項目で問題が見つかりました" in page
    assert "すべてで問題は見つかりませんでした" not in page


def test_policy_treats_an_unreadable_report_as_no_test(client, report_file):
    report_file.write_text("{not json", encoding="utf-8")
    assert "まだ試験を行っていません" in client.get("/accessibility/").content.decode()


# --- Error pages -----------------------------------------------------------------------------------


def test_not_found_is_japanese_in_the_site_look(client):
    response = client.get("/regions/no-such-area/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<title>ページが見つかりません | 新見市 小規模多機能自治ポータル</title>" in page
    assert "/static/css/portal.css" in page and "サイト内の主なページ" in page  # header and nav


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken_view), *site_urlpatterns]
handler500 = "niimi_portal.views.server_error"


@pytest.mark.urls(__name__)
def test_server_error_is_japanese_in_the_site_look():
    response = Client(raise_request_exception=False).get("/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "ただいまページを表示できません" in page
    assert "/static/bootstrap/css/bootstrap.min.css" in page and "/static/css/portal.css" in page
    assert "0867-72-6143" in page  # the contact desk, from settings without the database
