"""Public pages for residents: the areas, the organizations, FAQ and case examples (the pages that name
liaison staff or their meetings: niimi_portal.public_views; open data: niimi_portal.opendata_views).

Nothing here needs a login; what may be shown is decided by `organizations.public`.
"""

from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition

from niimi_portal.lib.markdown import render_markdown
from niimi_portal.lib.page_tags import AREAS, CASES, FAQ_PAGE, ORGANIZATIONS, shows
from organizations.models import CaseStudyPhoto, Organization, Region
from organizations.public import (
    ORGANIZATION_CARD_FIELDS,
    areas_by_town,
    find_regions,
    public_area_count,
    public_areas,
    public_cases,
    public_faqs,
    public_organizations,
)
from organizations.public_forms import FAQFilterForm, OrganizationFilterForm, RegionFindForm
from organizations.search import matching_words, query_variants, words
from organizations.selectors import attach_covering_organizations

PER_PAGE = 50
AREA_ROW_FIELDS = ("name", "name_kana", "kind", "slug", "is_counted")


def paginate(request, items, count=None):
    """A page of `items`; `count`, when given, is how many there are (a cheaper query than counting
    `items` with all their annotations and joins)."""
    paginator = Paginator(items, PER_PAGE)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


def region_list(request):
    """Every area, grouped by 旧市町 in the city's order, with the organizations whose 活動区域 contains it."""
    shows(request, AREAS)
    # What a row shows, and of the two areas above only the ids their organizations are looked up by: the
    # parent's own row holds the id of the area above it, so that one needs no join nor object of its own.
    # (PostgreSQL keeps reading the city's order from its index.)
    areas = public_areas().select_related("parent").only(*AREA_ROW_FIELDS, "parent__parent")
    page = paginate(request, areas, count=public_area_count())
    attach_covering_organizations(page.object_list)
    # Each 旧市町's 地域数 from the same tally as the home page's table: one figure everywhere.
    counts = {town["slug"]: town["areas"] for town in areas_by_town()}
    towns = [((*town, counts.get(town[1])), list(rows)) for town, rows in groupby(page.object_list, key=town_of)]
    context = {"page": page, "towns": towns, "find_form": RegionFindForm()}
    return render(request, "organizations/region_list.html", context)


def town_of(area):
    return (area.town_name, area.town_slug)


def region_find(request):
    """The find-my-area box: one match goes straight to the area's page, several are listed."""
    shows(request, AREAS)
    form = RegionFindForm(request.GET or None)
    candidates, too_many = [], False
    if form.is_valid():
        found = find_regions(query_variants(form.cleaned_data["q"]), limit=PER_PAGE + 1)
        if len(found) == 1:
            return redirect(found[0])
        candidates, too_many = found[:PER_PAGE], len(found) > PER_PAGE
        if not candidates:
            form.add_error(
                "q", "その名前の地域は見つかりませんでした。別の書き方（ひらがな・漢字）でもお試しください。"
            )
    return render(
        request, "organizations/region_find.html", {"form": form, "candidates": candidates, "too_many": too_many}
    )


def organization_list(request):
    """Published organizations, filterable by stage and approval status."""
    shows(request, ORGANIZATIONS)
    form = OrganizationFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    organizations = listed_organizations(stage=chosen.get("stage"), approval=chosen.get("approval"))
    page = paginate(request, organizations)
    attach_area_links(page.object_list)
    context = {
        "page": page,
        "form": form,
        "filters": form.describe() if form.is_bound else "",
    }
    return render(request, "organizations/organization_list.html", context)


def listed_organizations(*, stage=None, approval=None):
    """Published organizations of one stage (None: all) and approval ("approved", "preparing", None: all). Only
    what a card shows: the descriptions and contacts are long. Their areas: attach_area_links."""
    organizations = public_organizations().only(*ORGANIZATION_CARD_FIELDS)
    if stage:
        organizations = organizations.filter(stage=stage)
    if approval == "approved":
        organizations = organizations.approved()
    elif approval == "preparing":
        organizations = organizations.exclude(approval_status=Organization.ApprovalStatus.APPROVED)
    return organizations.order_by("name_kana", "id")


def attach_area_links(organizations):
    """Give each organization `area_links`: its areas' names and addresses, in よみ order. One query of names and
    slugs through the organization–area table (no area objects to build and match as a prefetch would)."""
    links = {organization.pk: [] for organization in organizations}
    rows = (
        Organization.regions.through.objects.filter(organization__in=list(links))
        .order_by("region__name_kana")
        .values_list("organization_id", "region__name", "region__slug")
    )
    for organization_id, name, slug in rows:
        links[organization_id].append({"name": name, "url": Region(slug=slug).get_absolute_url()})
    for organization in organizations:
        organization.area_links = links[organization.pk]


# What templates/organizations/faq.html reads of a question, its category and its source (whose `url` needs
# `file` and `external_url`).
FAQ_SHOWN = (
    "number",
    "question",
    "answer",
    "category__code",
    "category__name",
    *(f"source__{name}" for name in ("title", "file", "external_url", "is_published", "is_demo")),
)


def faq_list(request):
    """The FAQ by category; the filter box narrows it on the server, and in the browser as you type."""
    shows(request, FAQ_PAGE)
    form = FAQFilterForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() and form.cleaned_data["q"] else ""
    faqs = public_faqs().filter(matching_words(["question", "answer"], words(query)))
    faqs = (
        faqs.select_related("category", "source")
        .only(*FAQ_SHOWN)  # what the page shows: fewer columns for the ORM to build and order
        .order_by("category__order", "category_id", "order", "id")
    )
    page = paginate(request, faqs)
    for faq in page.object_list:
        faq.answer_html = render_markdown(faq.answer)
        # The page names each question by its anchor four times: one string, not four localized numbers.
        faq.anchor = f"faq-{faq.pk}"
        # A source the library has withdrawn is named nowhere (its link would answer 404).
        faq.public_source = faq.source if faq.source_id and faq.source.is_published else None
    categories = [
        {"value": category.code, "label": category.name, "faqs": list(rows)}
        for category, rows in groupby(page.object_list, key=lambda f: f.category)
    ]
    # A question's own link leads to the unfiltered page it sits on.
    on_page = f"?page={page.number}" if page.number > 1 and not query else ""
    context = {
        "page": page,
        "categories": categories,
        "permalink_base": reverse("organizations:faq") + on_page,
        "form": form,
        "query": query,
    }
    return render(request, "organizations/faq.html", context)


def case_list(request):
    shows(request, CASES)
    cases = public_cases().select_related("organization").prefetch_related(Prefetch("regions", to_attr="area_links"))
    return render(request, "organizations/case_list.html", {"page": paginate(request, cases)})


def case_detail(request, slug):
    case = get_object_or_404(public_cases().select_related("organization"), slug=slug)
    shows(request, case, case.organization)
    return render(
        request,
        "organizations/case_detail.html",
        {"case": case, "regions": case.regions.order_by("name_kana"), "photos": case.photos.publishable()},
    )


def public_photo(slug, pk):
    """A photo of a public case example; 404 while the case (or its organization) is not public, or while the
    people shown have not consented (or withdrew)."""
    return get_object_or_404(
        CaseStudyPhoto.objects.publishable().filter(case__in=public_cases()), case__slug=slug, pk=pk
    )


def case_photo_etag(request, slug, pk):
    """The stored file's name: a new upload is stored under a new name."""
    return public_photo(slug, pk).image.name


# Revalidated on every use (no-cache with an ETag: a 304 costs one query and no file): a photo removed for
# privacy, or whose case is unpublished, must not stay in a browser or a proxy for a while.
@cache_control(public=True, no_cache=True)
@condition(etag_func=case_photo_etag)
def case_photo(request, slug, pk):
    photo = public_photo(slug, pk)
    try:
        stream = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404("写真が見つかりません。") from None
    return FileResponse(stream, content_type="image/jpeg")
