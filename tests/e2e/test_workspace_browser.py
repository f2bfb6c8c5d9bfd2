"""A liaison on a phone: log in, log a meeting with an attachment, find it in "my meetings"; axe on every page."""

import datetime

import pytest
from django.utils import timezone

from staff.models import Meeting
from tests.e2e.conftest import axe_violations, browser_login
from tests.staff.conftest import pdf_bytes


def test_liaison_logs_a_meeting_with_an_attachment_on_a_phone(phone_page, demo_live):
    page = phone_page
    browser_login(page, demo_live.url, "tanto1")
    assert page.locator("h1").inner_text() == "職員ページ"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    takao = page.locator("section", has=page.get_by_role("heading", name="高尾ふれあい協議会"))
    takao.get_by_role("link", name="会議を記録する").click()
    assert page.locator("h1").inner_text() == "会議を記録する"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    today = timezone.localdate()
    page.get_by_label("種類").select_option(label="ワークショップ")
    page.get_by_label("実施済").check()
    page.get_by_label("開催日").fill(today.isoformat())
    page.get_by_label("開始時刻").fill("19:00")
    page.get_by_label("終了時刻").fill("20:30")
    page.get_by_label("場所").fill("高尾ふれあいセンター（ブラウザ試験）")
    page.get_by_label("参加者数（合計）").fill("16")
    page.get_by_label("うち住民").fill("13")
    page.get_by_label("議題").fill("防災マップづくり")
    page.locator("#id_steps-0-description").fill("避難所の確認")
    page.locator("#id_steps-0-owner").fill("自主防災会")
    page.locator("#id_steps-0-due_date").fill((today + datetime.timedelta(days=21)).isoformat())
    page.get_by_label("添付ファイル").set_input_files(
        {"name": "当日の資料.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("browser")}
    )
    page.get_by_role("button", name="保存する").click()

    page.wait_for_url(f"{demo_live.url}/workspace/meetings/*/")
    assert "会議記録を保存しました" in page.locator(".messages").inner_text()
    assert page.get_by_role("link", name="当日の資料.pdf", exact=True).is_visible()
    meeting = Meeting.objects.get(place="高尾ふれあいセンター（ブラウザ試験）")
    assert meeting.attachments.get().original_name == "当日の資料.pdf"
    assert meeting.next_steps.get().owner == "自主防災会"

    page.get_by_role("navigation", name="職員ページ内のメニュー").get_by_role("link", name="会議記録の一覧").click()
    page.wait_for_url(f"{demo_live.url}/workspace/meetings/")
    assert page.get_by_text("高尾ふれあいセンター（ブラウザ試験）").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_bad_input_shows_the_error_next_to_the_field_in_the_browser(phone_page, demo_live):
    page = phone_page
    browser_login(page, demo_live.url, "tanto1")
    page.goto(demo_live.url + "/workspace/organizations/takao-fureai/meetings/new/")
    page.get_by_label("種類").select_option(label="勉強会")
    page.get_by_label("開催日").fill(timezone.localdate().isoformat())
    page.get_by_label("開始時刻").fill("19:00")
    page.get_by_label("終了時刻").fill("18:00")
    page.get_by_label("場所").fill("集会所")
    page.get_by_role("button", name="保存する").click()
    error = page.locator("#div_id_end_time .invalid-feedback")
    assert "終了時刻は開始時刻より後の時刻にしてください。" in error.inner_text()
    assert error.is_visible()
    assert page.get_by_label("場所").input_value() == "集会所"


WORKSPACE_PAGES = [
    "/workspace/",
    "/workspace/meetings/",
    "/workspace/organizations/takao-fureai/",
    "/workspace/organizations/takao-fureai/meetings/new/",
    "/workspace/organizations/takao-fureai/stage/",
    "MEETING",  # a meeting of theirs: detail, edit, archive
    "MEETING/edit/",
    "MEETING/archive/",
]


@pytest.mark.parametrize("path", WORKSPACE_PAGES)
def test_workspace_pages_have_no_axe_violations(page, axe, demo_live, path):
    browser_login(page, demo_live.url, "tanto1")
    if path.startswith("MEETING"):
        meeting = Meeting.objects.filter(organization__slug="takao-fureai", author__username="tanto1").active().first()
        path = path.replace("MEETING", f"/workspace/meetings/{meeting.pk}/").replace("//", "/")
    page.goto(demo_live.url + path)
    assert page.locator("h1").count() == 1
    assert page.title().endswith("| 新見市 小規模多機能自治ポータル")
    assert axe_violations(axe, page) == []


def test_the_form_with_errors_has_no_axe_violations(page, axe, demo_live):
    browser_login(page, demo_live.url, "tanto1")
    page.goto(demo_live.url + "/workspace/organizations/takao-fureai/meetings/new/")
    page.get_by_label("参加者数（合計）").fill("-2")
    page.get_by_role("button", name="保存する").click()
    assert page.locator(".invalid-feedback").count() >= 3
    assert axe_violations(axe, page) == []
