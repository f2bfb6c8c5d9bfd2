"""Issue 31, item 7: the city-site texts the 総合政策課 edits (お知らせ, プライバシーポリシー, 免責事項), who may edit
them, and the parts of the contact block the city sets — on a small database without the demo."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.utils import timezone

from organizations.models import Notice, SitePage
from organizations.site_texts import REVIEW_POINTS
from tests.helpers import Client
from tests.niimi_portal.test_city_pages import contact_block

pytestmark = pytest.mark.django_db


def test_fax_and_the_contact_form_show_once_the_city_sets_them(client, settings, current_year):
    assert "<dt>FAX</dt>" not in contact_block(client.get("/about/").content.decode())
    settings.PORTAL = {
        **settings.PORTAL,
        "CONTACT_FAX": "0867-00-0000",
        "CONTACT_FORM_URL": "https://www.city.niimi.okayama.jp/form/",
    }
    cache.clear()
    block = contact_block(client.get("/about/").content.decode())
    assert "<dt>FAX</dt><dd>0867-00-0000</dd>" in block
    assert 'href="https://www.city.niimi.okayama.jp/form/">お問い合わせフォーム' in block


def test_a_site_page_shows_only_once_published(client, current_year):
    SitePage.objects.create(kind="disclaimer", body="下書きの免責事項です。", published_on=timezone.localdate())
    html = client.get("/disclaimer/").content.decode()
    assert "下書きの免責事項です。" not in html and "このページの内容は準備中です。" in html
    SitePage.objects.filter(kind="disclaimer").update(is_published=True)
    cache.clear()
    assert "下書きの免責事項です。" in client.get("/disclaimer/").content.decode()


@pytest.mark.parametrize("url", ["/admin/organizations/notice/add/", "/admin/organizations/sitepage/add/"])
def test_only_the_policy_division_edits_the_city_texts(client, policy_officer, assigned_liaison, url):
    assert client.get(url).status_code == 302  # anonymous: to the login
    liaison = Client()
    liaison.force_login(assigned_liaison)
    assert liaison.get(url).status_code == 302  # a liaison never enters the admin
    other_staff = User.objects.create_user("other", password="x", is_staff=True)
    staff = Client()
    staff.force_login(other_staff)
    assert staff.get(url).status_code == 403  # staff without the 課's permissions
    clerk = Client()
    clerk.force_login(policy_officer)
    assert clerk.get(url).status_code == 200
    assert Group.objects.get(name="総合政策課").permissions.filter(codename="change_notice").exists()


def test_a_clerk_publishes_a_notice_and_it_shows_on_the_home_page(clerk, current_year):
    response = clerk.post(
        "/admin/organizations/notice/add/",
        {"title": "説明会を開きます", "body": "**12月**に開きます。", "published_on": "令和8年12月1日",
         "is_published": "on", "history_change_reason": "掲載"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = Notice.objects.get()
    assert notice.published_on == datetime.date(2026, 12, 1)
    resident = Client()
    assert "説明会を開きます" in resident.get("/").content.decode()
    assert "<strong>12月</strong>に開きます。" in resident.get(notice.get_absolute_url()).content.decode()


def test_the_admin_shows_the_points_to_confirm_beside_the_draft(clerk):
    html = clerk.get("/admin/organizations/sitepage/add/?kind=privacy").content.decode()
    assert REVIEW_POINTS["privacy"][0] in html.replace("&amp;", "&")
    assert "ポータルを見るときに集める情報" in html  # the form starts from the portal's draft
