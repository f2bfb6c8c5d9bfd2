"""The 事務局 on a phone (375 px): the invitation's link sets a password, signing in lands on the organization's
home, the documents list opens; axe (WCAG 2.x A/AA) finds nothing on each page and nothing is wider than the
screen."""

import re

from django.contrib.auth.models import User

from niimi_portal.demo.loader import DEMO_PASSWORD
from offices import invitations
from organizations.models import Organization
from tests.e2e.conftest import axe_violations

PASSWORD = "mizuhiki-7392-sora"


def fits_and_passes_axe(page, axe):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(axe, page) == []


def sign_in(page, base, username, password):
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()


def test_a_demo_office_login_lands_on_its_home_and_reads_its_documents(phone_page, demo_live, axe):
    page = phone_page
    sign_in(page, demo_live.url, "karamatsu-jimukyoku", DEMO_PASSWORD)
    page.wait_for_url(f"{demo_live.url}/office/karamatsu-machizukuri/")
    assert page.locator("h1").inner_text() == "唐松まちづくり協議会 事務局"
    assert page.get_by_role("heading", name=re.compile("の手続きの状況")).is_visible()
    fits_and_passes_axe(page, axe)

    menu = page.get_by_role("navigation", name="事務局のページ内のメニュー")
    menu.get_by_role("link", name="届いた文書").click()
    page.wait_for_url(f"{demo_live.url}/office/karamatsu-machizukuri/documents/")
    assert page.locator("h1").inner_text() == "届いた文書"
    fits_and_passes_axe(page, axe)


def test_the_invitation_link_sets_a_password_on_a_phone(phone_page, demo_live, axe):
    page = phone_page
    karamatsu = Organization.objects.get(slug="karamatsu-machizukuri")
    member = invitations.member_invite(
        organization=karamatsu,
        name="新見 花子",
        email="hanako@karamatsu.example",
        role="会計",
        by=User.objects.get(username="seisaku"),
    )
    link = invitations.welcome_url(member.user).removeprefix("http://localhost:8000")
    page.goto(demo_live.url + link)
    assert page.locator("h1").inner_text() == "パスワードの設定"
    fits_and_passes_axe(page, axe)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="パスワードを設定する").click()
    page.wait_for_url(f"{demo_live.url}/accounts/login/")
    assert "パスワードを設定しました" in page.locator(".messages").inner_text()
    sign_in(page, demo_live.url, "hanako@karamatsu.example", PASSWORD)
    page.wait_for_url(f"{demo_live.url}/office/karamatsu-machizukuri/")
    page.goto(demo_live.url + link)  # the link is spent
    assert "このリンクは使えません" in page.locator("main").inner_text()
    fits_and_passes_axe(page, axe)
