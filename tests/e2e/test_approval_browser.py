"""The demo walk-through in a real browser: the policy officer approves an 申請中 organization with the buttons."""

from organizations.models import Organization
from tests.e2e.conftest import axe_violations, browser_login


def test_policy_officer_approves_with_the_admin_buttons_and_the_history_shows_it(page, axe, demo_live):
    base = demo_live.url
    takao = Organization.objects.get(slug="takao-fureai")
    page.goto(base + "/")
    approved_before = page.locator("text=認可を受けて活動している地域運営組織").inner_text()

    browser_login(page, base, "seisaku", admin=True)
    assert page.locator("#waiting-for-review").get_by_text("高尾ふれあい協議会").count() == 1

    page.goto(f"{base}/admin/organizations/organization/{takao.pk}/change/")
    assert page.get_by_role("link", name="認可を取り消す").count() == 0
    page.get_by_role("link", name="認可する", exact=True).click()
    page.wait_for_url(f"**/{takao.pk}/approve/")
    assert axe_violations(axe, page) == []
    page.get_by_label("認可番号").fill("新総政第321号")
    page.get_by_role("button", name="認可する").click()
    page.wait_for_url(f"**/{takao.pk}/change/")
    assert "「高尾ふれあい協議会」の認可の状況を「認可」にしました。" in page.content()

    takao.refresh_from_db()
    assert (takao.approval_status, takao.approval_number, takao.stage) == ("approved", "新総政第321号", 3)

    page.get_by_role("link", name="変更履歴を見る").click()
    latest = page.locator("#change-history tbody tr").first.inner_text().replace("\xa0", " ")
    assert "総合政策課 職員" in latest
    assert "認可の状況: 申請中 → 認可" in latest
    assert "段階: ② 地域の将来計画の策定 → ③ 地域運営組織の設立・活動開始" in latest
    assert "認可しました（認可番号 新総政第321号" in latest

    page.goto(base + "/")
    approved_after = page.locator("text=認可を受けて活動している地域運営組織").inner_text()
    assert approved_before != approved_after
    assert "3" in approved_after


def test_the_confirmation_form_works_from_the_keyboard_on_a_phone(phone_page, axe, demo_live):
    base = demo_live.url
    tessei = Organization.objects.get(slug="tessei-mirai")
    browser_login(phone_page, base, "seisaku", admin=True)
    phone_page.goto(f"{base}/admin/organizations/organization/{tessei.pk}/return/")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone_page.get_by_label("差戻しの理由").focus()
    phone_page.keyboard.type("将来計画の目標に、担い手と時期を書くこと。")
    phone_page.keyboard.press("Tab")
    assert phone_page.evaluate("document.activeElement.value") == "差し戻す"
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url(f"**/{tessei.pk}/change/")
    tessei.refresh_from_db()
    assert tessei.approval_status == "returned"
