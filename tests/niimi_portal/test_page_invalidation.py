"""Issue 20, item 1: a save makes stale the cached pages that show what changed, and only those.

Each test fills the cache with the pages it names, checks they are hits, saves one object through the
ORM or a service, then asks for every page again: the pages that show the object are rendered afresh
and show the change, the others are still answered from the cache.
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from grants import approval_acts
from grants.models import FiscalYear
from niimi_portal import caching
from niimi_portal.caching import ANY_KEY, PublicPageCacheMiddleware
from niimi_portal.lib import page_tags
from organizations.models import FAQ, CaseStudy, FuturePlan, Organization, PageBlock, Region
from staff.models import Assignment, LiaisonOfficer, Meeting
from tests.helpers import Client

pytestmark = pytest.mark.django_db

KARAMATSU = "/organizations/karamatsu-machizukuri/"
KUMANO = "/organizations/kumano-mirai/"
EVERY_PAGE = [
    "/",
    "/about/",
    "/accessibility/",
    "/regions/",
    "/regions/karamatsu/",
    "/organizations/",
    KARAMATSU,
    KUMANO,
    "/organizations/karamatsu-machizukuri/plan.pdf",
    "/organizations/kumano-mirai/plan.pdf",
    "/faq/",
    "/cases/",
    "/liaisons/",
    "/liaisons/roster.pdf",
    "/schedule/",
    "/grants/",
    "/grants/?region=karamatsu",
    "/open-data/",
    "/search/?q=からまつ",
]


def status(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response["X-Page-Cache"], response.content


def warm(client, urls):
    for url in urls:
        status(client, url)
        assert status(client, url)[0] == "hit", url


def after_change(client, urls):
    """Which of `urls` were answered from the cache and which rendered afresh, and the pages."""
    found = {url: status(client, url) for url in urls}
    return {url for url, (how, _) in found.items() if how == "miss"}, {u: c for u, (_, c) in found.items()}


def check(client, change, *, fresh, stays_cached=None):
    """Fill the cache, make the change, then: every page in `fresh` is rendered afresh (and stays
    stored again afterwards), every other page is still a hit."""
    others = [url for url in (stays_cached or EVERY_PAGE) if url not in fresh]
    warm(client, [*fresh, *others])
    change()
    missed, pages = after_change(client, [*fresh, *others])
    assert missed == set(fresh), f"rendered afresh: {sorted(missed)}; expected {sorted(fresh)}"
    assert all(status(client, url)[0] == "hit" for url in fresh)
    return pages


def test_a_faq_typo_makes_only_the_faq_and_search_pages_stale(client, demo):
    faq = FAQ.objects.filter(is_published=True).first()
    faq.answer += "（誤字を直しました）"
    pages = check(client, faq.save, fresh=["/faq/", "/search/?q=からまつ"])
    assert "誤字を直しました" in pages["/faq/"].decode()


def test_editing_an_organization_refreshes_its_page_lists_area_and_home_not_another_one(client, demo):
    organization = Organization.objects.get(slug="karamatsu-machizukuri")

    def rename():
        organization.name = "唐松みらい協議会"
        organization.save()

    fresh = [
        "/", "/regions/", "/regions/karamatsu/", "/organizations/", KARAMATSU,
        "/organizations/karamatsu-machizukuri/plan.pdf", "/cases/", "/liaisons/", "/liaisons/roster.pdf",
        "/schedule/", "/grants/", "/grants/?region=karamatsu", "/open-data/", "/search/?q=からまつ",
    ]  # fmt: skip
    pages = check(client, rename, fresh=fresh)
    for url in ("/regions/karamatsu/", "/organizations/", KARAMATSU, "/search/?q=からまつ"):
        assert "唐松みらい協議会" in pages[url].decode(), url
    assert "唐松みらい協議会" not in pages[KUMANO].decode()


def test_an_approval_through_the_service_refreshes_the_organization_page(client, demo):
    organization = Organization.objects.get(slug="takao-fureai")
    url = organization.get_absolute_url()
    warm(client, [url, KUMANO, "/faq/"])
    approval_acts.organization_approve(
        organization=organization, by=User.objects.get(username="seisaku"), number="新総政第99号",
        date=organization.applied_on,
    )  # fmt: skip
    how, content = status(client, url)
    assert how == "miss" and "認可番号 新総政第99号" in content.decode()
    assert status(client, KUMANO)[0] == status(client, "/faq/")[0] == "hit"


def test_a_future_plan_refreshes_its_organization_page_and_pdf_only(client, demo):
    plan = FuturePlan.objects.filter(organization__slug="karamatsu-machizukuri").first()
    fresh = [
        KARAMATSU,
        "/organizations/karamatsu-machizukuri/plan.pdf",
        "/regions/",
        "/regions/karamatsu/",
        "/open-data/",
    ]
    check(client, plan.save, fresh=fresh)


def test_logging_a_public_meeting_refreshes_only_the_schedule(client, demo):
    organization = Organization.objects.get(slug="kumano-mirai")
    author = User.objects.get(username="seisaku")

    def log():
        Meeting.objects.create(
            organization=organization, kind=Meeting.Kind.choices[0][0],
            date=timezone.localdate() + datetime.timedelta(days=3), place="熊野公民館（新しい会場）",
            is_public=True, author=author,
        )  # fmt: skip

    pages = check(client, log, fresh=["/schedule/"])
    assert "熊野公民館（新しい会場）" in pages["/schedule/"].decode()


def test_an_assignment_refreshes_the_roster_its_organization_and_the_areas(client, demo):
    assignment = Assignment.objects.public().filter(organization__slug="karamatsu-machizukuri").first()
    fresh = [
        "/regions/", "/regions/karamatsu/", KARAMATSU, "/organizations/karamatsu-machizukuri/plan.pdf",
        "/liaisons/", "/liaisons/roster.pdf", "/open-data/",
    ]  # fmt: skip
    check(client, assignment.save, fresh=fresh)


def test_a_case_example_refreshes_its_page_the_list_its_organization_and_search(client, demo):
    case = CaseStudy.objects.public().select_related("organization").first()
    organization_url = case.organization.get_absolute_url()
    other = KUMANO if organization_url != KUMANO else KARAMATSU
    case.title += "（更新）"
    fresh = [case.get_absolute_url(), "/cases/", organization_url, "/search/?q=からまつ"]
    pages = check(client, case.save, fresh=fresh, stays_cached=["/faq/", "/liaisons/", "/schedule/", "/", other])
    assert case.title in pages["/cases/"].decode()


def test_a_page_text_refreshes_the_pages_that_show_page_texts(client, demo):
    def edit():
        PageBlock.objects.update_or_create(key="home_intro", defaults={"body": "新しい紹介文です。"})

    pages = check(client, edit, fresh=["/", "/about/", "/accessibility/", "/grants/", "/grants/?region=karamatsu"])
    assert "新しい紹介文です。" in pages["/"].decode()


def test_a_change_of_areas_refreshes_the_organization_and_the_area_pages(client, demo):
    organization = Organization.objects.get(slug="kumano-mirai")
    region = Region.objects.get(slug="karamatsu")

    def link():
        organization.regions.add(region)

    pages = check(client, link, fresh=["/regions/", "/regions/karamatsu/", KUMANO], stays_cached=["/faq/", KARAMATSU])
    assert "熊野" in pages["/regions/karamatsu/"].decode()


def test_a_rolled_back_save_leaves_the_page_as_it_was(client, demo):
    faq = FAQ.objects.published().first()
    warm(client, ["/faq/"])
    with pytest.raises(RuntimeError), transaction.atomic():
        faq.question = "取り消される質問"
        faq.save()
        raise RuntimeError
    how, content = status(client, "/faq/")
    assert how == "miss" and "取り消される質問" not in content.decode()


def test_a_model_without_a_rule_makes_every_page_stale(client, demo, monkeypatch):
    """The never-stale guarantee for a model added later without a rule: site-wide, as before."""
    monkeypatch.delitem(page_tags._rules, FAQ)
    assert page_tags.rule_for(FAQ) is page_tags.SITE_WIDE
    faq = FAQ.objects.published().first()
    check(client, faq.save, fresh=EVERY_PAGE)


@pytest.mark.parametrize("model", [Region, LiaisonOfficer, FiscalYear])
def test_names_shown_everywhere_make_every_page_stale(client, demo, model):
    check(client, model.objects.first().save, fresh=EVERY_PAGE)


def test_a_page_whose_view_says_nothing_is_stale_after_any_save(client, demo, rf):
    """A view that does not call `shows()` (a new page, say) is refreshed by every save."""
    url = "/faq/"
    middleware = PublicPageCacheMiddleware(lambda request: HttpResponse("古い内容"))
    middleware(rf.get(url))
    assert middleware(rf.get(url))["X-Page-Cache"] == "hit"
    stored = cache.get(caching.page_key(rf.get(url)))
    assert ANY_KEY in stored[0]
    Meeting.objects.first().save()  # shown on the 予定 page only
    assert middleware(rf.get(url))["X-Page-Cache"] == "miss"


def test_a_page_rendered_while_a_save_happens_is_served_but_not_stored(client, demo, rf):
    def view(request):
        page_tags.shows(request, page_tags.FAQ_PAGE)
        Meeting.objects.first().save()  # another worker's save while this page is rendered
        return HttpResponse("描画中")

    middleware = PublicPageCacheMiddleware(view)
    assert middleware(rf.get("/faq/"))["X-Page-Cache"] == "miss"
    assert cache.get(caching.page_key(rf.get("/faq/"))) is None


# --- Every model has a rule, every public page says what it shows -------------------------------


def test_every_model_of_the_public_apps_has_a_rule():
    """A new model must be given a rule (or `SITE_WIDE`, or `()` if no public page shows it) in its app's
    cache_rules.py; until then it falls back to site-wide page_tags."""
    missing = [
        model._meta.label
        for model in page_tags.cached_models()
        if model not in page_tags._rules and not page_tags.is_historical(model)
    ]
    assert missing == []
    assert {m._meta.app_label for m in page_tags.cached_models()} == set(page_tags.CACHED_APPS)


def test_every_rule_gives_tags_for_a_real_row_without_falling_back(demo):
    """Each rule runs on a row of the demo data; only models declared SITE_WIDE renew the site-wide tag."""
    for model, rule in page_tags._rules.items():
        instance = model._default_manager.first()
        if instance is None:
            continue
        tags = page_tags.tags_for(instance)
        assert (page_tags.SITE in tags) == (rule is page_tags.SITE_WIDE), model._meta.label
        assert page_tags.ANY in tags


def test_historical_rows_follow_their_model(demo):
    history = Organization.history.model
    assert page_tags.is_historical(history)
    assert page_tags.tags_for(history.objects.first()) == {page_tags.ANY}


MORE_PAGES = [
    "/cases/kumano-ikurano-tasukeai/", "/schedule.ics", "/regions/find/?q=か", "/open-data/organizations.json",
    "/open-data/organizations.csv",
]  # fmt: skip


@pytest.mark.parametrize("url", EVERY_PAGE + MORE_PAGES)
def test_every_public_page_says_what_it_shows(demo, url):
    """Stored under its own tags, not under ANY: a save elsewhere leaves it cached."""
    client = Client()
    response = client.get(url)
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss", url
    stored = cache.get(caching.page_key(response.wsgi_request))
    assert stored is not None, url
    assert ANY_KEY not in stored[0] and caching.GENERATION_KEY in stored[0], (url, sorted(stored[0]))


def test_an_import_of_statistics_refreshes_the_area_and_grant_pages_not_the_faq(client, demo):
    """The import writes with bulk_create/bulk_update, which send no signal: it renews the tags itself."""
    from organizations import imports

    header, rows = imports.export_rows("statistics")
    population = header.index("人口")
    rows = [[*row[:population], str(int(row[population]) + 1), *row[population + 1 :]] for row in rows]
    content = "\r\n".join(",".join(map(str, row)) for row in [header, *rows]).encode("utf-8-sig")

    def load():
        assert imports.import_table(content, "s.csv", kind="statistics").updated == len(rows)

    fresh = ["/", "/regions/", "/regions/karamatsu/", "/grants/", "/grants/?region=karamatsu", "/open-data/"]
    check(client, load, fresh=fresh, stays_cached=["/faq/", KUMANO, "/liaisons/", "/schedule/"])


# --- Issue 32, item 6: the two stale pages of the outside test ------------------------------------


def test_a_stage_text_refreshes_the_home_and_every_organization_page(client, demo):
    """段階の説明 (PageBlock stage_1…3) is on the home page and in every organization page's diagram."""

    def edit():
        PageBlock.objects.update_or_create(key="stage_1", defaults={"body": "新しい段階の説明です。"})

    fresh = ["/", "/about/", "/accessibility/", "/grants/", "/grants/?region=karamatsu", KARAMATSU, KUMANO]
    pages = check(client, edit, fresh=fresh)
    for url in ("/", KARAMATSU, KUMANO):
        assert "新しい段階の説明です。" in pages[url].decode(), url


def test_renaming_and_unpublishing_a_library_document_refreshes_the_faq_that_cites_it(client, demo):
    faq = FAQ.objects.published().exclude(source=None).select_related("source").first()
    document = faq.source
    old_title = document.title

    def rename():
        document.title = "改めた題名の資料"
        document.save()

    pages = check(client, rename, fresh=["/faq/", "/search/?q=からまつ"])
    assert "改めた題名の資料" in pages["/faq/"].decode() and old_title not in pages["/faq/"].decode()

    def unpublish():
        document.is_published = False
        document.save()

    pages = check(client, unpublish, fresh=["/faq/", "/search/?q=からまつ"])
    assert "改めた題名の資料" not in pages["/faq/"].decode()
    searched = client.get("/faq/", {"q": faq.question[:4]})
    assert faq.question in searched.content.decode()
    # the answers (the footer links to the city's official site, which may be the document's address too)
    main = searched.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    assert "改めた題名の資料" not in main and document.url not in main
