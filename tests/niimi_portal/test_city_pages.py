"""Issue 31, item 7: the pages residents expect of a city site — 更新日 and a contact block on every public page,
プライバシーポリシー, 免責事項, サイトマップ (page and sitemap.xml) and お知らせ, as texts the 総合政策課 edits."""

import datetime
import re

import pytest
from defusedxml import ElementTree
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from niimi_portal.lib import furigana
from niimi_portal.lib.demo_mode import EXAMPLE_CONTACT
from niimi_portal.lib.wareki import wareki_date
from niimi_portal.models import ContentChange
from organizations.models import FAQ, CaseStudy, Notice, Region, SitePage
from organizations.public import public_organizations
from tests.niimi_portal.test_demo_mode import DEMO_WORDS, crawl, every_public_page

pytestmark = pytest.mark.django_db

UPDATED = re.compile(r'更新日 <time datetime="(\d{4}-\d{2}-\d{2})">(令和[^<]+)</time>')
# Pages that show no content of their own: the login, the password reset and the 404 page carry the contact block
# but no 更新日.
NO_CONTENT = ("/accounts/", "/no-such-page/")
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    furigana.forget_readings()
    yield
    cache.clear()
    furigana.forget_readings()


def every_page_with_notices():
    return [*every_public_page(), *(n.get_absolute_url() for n in Notice.objects.published())]


def crawl_all(client):
    pages = crawl(client)
    for path in every_page_with_notices():
        if path not in pages:
            response = client.get(path)
            assert response.status_code == 200, path
            pages[path] = response.content.decode()
    return pages


def contact_block(html):
    start = html.index('<section class="contact"')
    return html[start : html.index("</section>", start)]


# -- 更新日 and the contact block on every public page --------------------------------------------------


def test_every_public_page_shows_its_update_day_and_the_citys_contact(module_demo, client):
    pages = crawl_all(client)
    for path in ("/notices/", "/privacy/", "/disclaimer/", "/sitemap/"):
        assert path in pages
    for path, html in pages.items():
        block = contact_block(html)
        for label in ("所在地", "電話", "受付時間"):
            assert f"<dt>{label}</dt>" in block, (path, label)
        assert "〒718-8501 岡山県新見市新見310番地3" in block and "0867-72-6143" in block, path
        assert 'href="https://www.city.niimi.okayama.jp/"' in block, path
        if path.startswith(NO_CONTENT):
            continue
        found = UPDATED.search(html)
        assert found, path
        day = datetime.date.fromisoformat(found.group(1))
        assert found.group(2) == wareki_date(day) and day <= timezone.localdate(), path


def test_with_the_mode_on_the_contact_block_is_the_labelled_example_on_every_page(module_demo, client):
    with override_settings(DEMO_MODE=True):
        pages = crawl_all(client)
    for path, html in pages.items():
        block = contact_block(html)
        assert "表示例" in block and EXAMPLE_CONTACT["CONTACT_ADDRESS"] in block, path
        assert f"{EXAMPLE_CONTACT['CONTACT_FAX']}（例）" in block and EXAMPLE_CONTACT["CONTACT_HOURS"] in block, path
        assert "718-8501" not in block and "0867-72-6143" not in block, path


def set_every_change_to(day):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    ContentChange.objects.update(changed_at=moment)


def updated_on(client, path):
    return UPDATED.search(client.get(path).content.decode()).group(2)


def test_the_update_day_is_the_last_change_of_what_the_page_shows(module_demo, client):
    long_ago = datetime.date(2025, 4, 1)
    set_every_change_to(long_ago)
    cache.clear()
    assert updated_on(client, "/faq/") == updated_on(client, "/cases/") == "令和7年4月1日"
    faq = FAQ.objects.first()
    faq.answer += "（追記）"
    faq.save()
    today = wareki_date(timezone.localdate())
    assert updated_on(client, "/faq/") == today  # the FAQ changed
    assert updated_on(client, "/cases/") == "令和7年4月1日"  # the case examples did not


def test_a_rolled_back_save_leaves_the_update_day_as_it_was(module_demo, client):
    set_every_change_to(datetime.date(2025, 4, 1))
    with pytest.raises(RuntimeError), transaction.atomic():
        faq = FAQ.objects.first()
        faq.answer += "（追記）"
        faq.save()
        raise RuntimeError
    cache.clear()
    assert updated_on(client, "/faq/") == "令和7年4月1日"


def test_a_notice_and_a_site_page_show_their_own_publication_and_update_days(module_demo, client):
    notice = Notice.objects.create(
        title="説明会のお知らせ", body="説明会を開きます。", published_on=datetime.date(2026, 5, 1), is_published=True
    )
    html = client.get(notice.get_absolute_url()).content.decode()
    assert '掲載日 <time datetime="2026-05-01">令和8年5月1日</time>' in html
    assert UPDATED.search(html).group(2) == wareki_date(timezone.localdate())
    page = SitePage.objects.get(kind="privacy")
    html = client.get("/privacy/").content.decode()
    assert f'掲載日 <time datetime="{page.published_on:%Y-%m-%d}">' in html and UPDATED.search(html)


# -- お知らせ -------------------------------------------------------------------------------------------


def test_home_lists_the_latest_published_notices_with_their_days_below_the_first_screen(module_demo, client):
    html = client.get("/").content.decode()
    notices = list(Notice.objects.published()[:5])
    assert notices
    section = html[html.index('id="notices-heading"') :]
    for notice in notices:
        assert f'{wareki_date(notice.published_on)}</time>　<a href="{notice.get_absolute_url()}">' in section
    # below the first-screen content (the find-my-area box and the introduction)
    assert html.index('id="find-heading"') < html.index('id="notices-heading"')


def test_an_unpublished_notice_is_shown_nowhere(module_demo, client):
    hidden = Notice.objects.create(title="未公開の下書きのお知らせ", body="下書き", published_on=timezone.localdate())
    for path in ("/", "/notices/", "/sitemap/", "/sitemap.xml", "/search/?q=下書き"):
        html = client.get(path).content.decode()
        assert "未公開の下書きのお知らせ" not in html and f'{hidden.get_absolute_url()}"' not in html, path
        assert f"{hidden.get_absolute_url()}<" not in html, path  # sitemap.xml's <loc>
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_unpublishing_a_notice_takes_it_off_the_cached_pages_at_once(module_demo, client):
    notice = Notice.objects.published().first()
    paths = ["/", "/notices/", "/sitemap/", "/sitemap.xml", notice.get_absolute_url()]
    shown = {path: notice.get_absolute_url() if path == "/sitemap.xml" else notice.title for path in paths}
    for path in paths:
        client.get(path)
        response = client.get(path)
        assert response["X-Page-Cache"] == "hit" and shown[path] in response.content.decode(), path
    assert client.get("/faq/")["X-Page-Cache"] == "miss" and client.get("/faq/")["X-Page-Cache"] == "hit"
    notice.is_published = False
    notice.save()
    for path in paths[:-1]:
        response = client.get(path)
        assert response["X-Page-Cache"] == "miss" and shown[path] not in response.content.decode(), path
    assert client.get(paths[-1]).status_code == 404
    assert client.get("/faq/")["X-Page-Cache"] == "hit"  # a page that shows no notice stays cached


def test_the_notice_list_pages_through_every_published_notice(module_demo, client):
    Notice.objects.bulk_create(
        Notice(title=f"お知らせ{i}", body="本文", published_on=datetime.date(2026, 1, 1), is_published=True)
        for i in range(25)
    )
    first = client.get("/notices/").content.decode()
    second = client.get("/notices/?page=2").content.decode()
    total = Notice.objects.published().count()
    assert f"全 {total} 件中 1～20 件目" in first and "お知らせ0" in first + second and "お知らせ24" in first + second


# -- プライバシーポリシー and 免責事項 ---------------------------------------------------------------------


def test_the_privacy_policy_says_what_the_portal_collects_and_leaves_the_points_to_confirm_to_the_admin(
    module_demo, client
):
    html = client.get("/privacy/").content.decode()
    for collected in ("クッキー", "IP アドレス", "本人の同意があるときだけ", "地域担当職員の氏名・所属・職名"):
        assert collected in html, collected
    assert "要確認" not in html


@pytest.mark.parametrize("path", ["/privacy/", "/disclaimer/", "/notices/", "/", "/sitemap/"])
def test_the_portals_example_texts_are_labelled_only_with_the_mode_on(module_demo, client, path):
    with override_settings(DEMO_MODE=True):
        on = client.get(path).content.decode()
    cache.clear()
    off = client.get(path).content.decode()
    assert "例文" in on
    assert "例文" not in off and not DEMO_WORDS.search(off)


# -- サイトマップ ----------------------------------------------------------------------------------------


def test_the_sitemap_lists_each_kind_of_public_page(module_demo, client):
    html = client.get("/sitemap/").content.decode()
    fixed = ["/", "/about/", "/grants/", "/faq/", "/documents/", "/regions/", "/organizations/", "/liaisons/",
             "/schedule/", "/cases/", "/open-data/", "/notices/", "/search/", "/accessibility/", "/privacy/",
             "/disclaimer/"]  # fmt: skip
    kinds = [
        Region.objects.first().get_absolute_url(),
        public_organizations().first().get_absolute_url(),
        CaseStudy.objects.public().first().get_absolute_url(),
        Notice.objects.published().first().get_absolute_url(),
    ]
    for url in [*fixed, *kinds]:
        assert f'href="{url}"' in html, url
    for region in Region.objects.all():
        assert f'href="{region.get_absolute_url()}"' in html, region


def test_sitemap_xml_parses_and_lists_the_same_pages(module_demo, client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    locations = {loc.text.removeprefix("http://testserver") for loc in root.findall("s:url/s:loc", SITEMAP_NS)}
    expected = [
        "/", "/privacy/", "/sitemap/", "/notices/",
        *(r.get_absolute_url() for r in Region.objects.all()),
        *(o.get_absolute_url() for o in public_organizations()),
        *(c.get_absolute_url() for c in CaseStudy.objects.public()),
        *(n.get_absolute_url() for n in Notice.objects.published()),
    ]  # fmt: skip
    assert set(expected) <= locations
    for path in locations:  # every listed page answers
        assert client.get(path).status_code == 200, path
