"""The pages every city site has: お知らせ (list and each notice), プライバシーポリシー, 免責事項 and the サイトマップ
(a page for residents, and sitemap.xml for search engines through django.contrib.sitemaps).

Their texts are the policy division's (`Notice`, `SitePage`, edited in the admin); only published ones show.
No login is needed and nothing here changes anything.
"""

from django.contrib.sitemaps.views import sitemap
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.timezone import localdate

from niimi_portal.lib.page_tags import AREAS, CASES, NOTICES, ORGANIZATIONS, SITE_PAGES, shows
from niimi_portal.sitemaps import FIXED_PAGES, SITEMAPS
from organizations.models import CaseStudy, Notice, Region, SitePage
from organizations.public import public_organizations

NOTICES_PER_PAGE = 20
# How many お知らせ the home page lists (the お知らせ page has the rest).
HOME_NOTICES = 5


def notice_list(request):
    shows(request, NOTICES)
    page = Paginator(Notice.objects.published(), NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "city/notice_list.html", {"page": page, "notices": page.object_list})


def notice_detail(request, pk):
    notice = get_object_or_404(Notice.objects.published(), pk=pk)
    shows(request, notice, NOTICES)
    context = {"notice": notice, "published_on": notice.published_on, "updated_on": localdate(notice.updated_at)}
    return render(request, "city/notice_detail.html", context)


def site_page(request, kind):
    """プライバシーポリシー or 免責事項: the published text, or a short note that it is being prepared."""
    shows(request, SITE_PAGES)
    page = SitePage.objects.filter(kind=kind, is_published=True).first()
    context = {"page": page, "heading": SitePage.Kind(kind).label}
    if page is not None:
        context.update(published_on=page.published_on, updated_on=localdate(page.updated_at))
    return render(request, "city/site_page.html", context)


def sitemap_page(request):
    """Every public page: the fixed pages, then each area, organization, case example and お知らせ."""
    shows(request, AREAS, ORGANIZATIONS, CASES, NOTICES, SITE_PAGES)
    groups = [
        {"heading": heading, "pages": [(reverse(name), title) for name, title in pages]}
        for heading, pages in FIXED_PAGES
    ]
    context = {
        "groups": groups,
        "regions": Region.objects.all(),
        "organizations": public_organizations().order_by("name_kana"),
        "cases": CaseStudy.objects.public().order_by("-held_on", "-id"),
        "notices": Notice.objects.published(),
    }
    return render(request, "city/sitemap.html", context)


def sitemap_xml(request):
    """sitemap.xml by django.contrib.sitemaps' view (niimi_portal.sitemaps), saying what it lists so that the
    page cache keeps it fresh."""
    shows(request, AREAS, ORGANIZATIONS, CASES, NOTICES)
    return sitemap(request, sitemaps=SITEMAPS)
