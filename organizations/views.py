"""Public pages for residents: areas, organizations, FAQ, case examples, the liaison roster, the 予定
of public meetings, and the printable roster and plan summaries (open data: niimi_portal.opendata_views).

Nothing here needs a login; what may be shown is decided by `organizations.public`.
"""

from itertools import groupby

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from niimi_portal.lib.markdown import render_markdown
from niimi_portal.lib.page_tags import AREAS, CASES, FAQ_PAGE, ORGANIZATIONS, ROSTER, SCHEDULE, shows
from niimi_portal.lib.throttle import throttled
from niimi_portal.lib.wareki import current_fiscal_year, wareki_month
from organizations import printouts, schedule
from organizations.models import CaseStudyPhoto, Organization, Region, RegionSlugRedirect
from organizations.public import (
    ORGANIZATION_CARD_FIELDS,
    find_regions,
    public_area_count,
    public_areas,
    public_cases,
    public_faqs,
    public_meetings,
    public_organizations,
    public_roster_year,
    recent_and_upcoming_meetings,
    roster_assignments,
    roster_rows,
    roster_years,
)
from organizations.public_forms import FAQFilterForm, FiscalYearForm, OrganizationFilterForm, RegionFindForm
from organizations.search import matching_words, query_variants, words
from organizations.selectors import (
    area_by_slug,
    attach_covering_organizations,
    child_areas,
    label_stages,
    organization_cases,
    plan_summary,
    public_organization,
    region_summary,
)

PER_PAGE = 50


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
    page = paginate(request, public_areas().select_related("parent__parent"), count=public_area_count())
    attach_covering_organizations(page.object_list)
    towns = [(town, list(rows)) for town, rows in groupby(page.object_list, key=town_of)]
    context = {"page": page, "towns": towns, "find_form": RegionFindForm()}
    return render(request, "organizations/region_list.html", context)


def town_of(area):
    return (area.town_name, area.town_slug)


def region_detail(request, slug):
    shows(request, AREAS)
    region = area_by_slug(slug)
    if region is None:
        old = RegionSlugRedirect.objects.select_related("region").filter(old_slug=slug).first()
        if old is None:
            raise Http404("その地域は見つかりませんでした。")
        return redirect(old.region, permanent=True)
    summary = region_summary(region)
    children = None
    if summary["below"]:
        children = paginate(request, child_areas(region), count=len(summary["below"]))
        label_stages(children)
    return render(request, "organizations/region_detail.html", {**summary, "children": children})


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
    context = {
        "page": paginate(request, organizations),
        "form": form,
        "filters": form.describe() if form.is_bound else "",
    }
    return render(request, "organizations/organization_list.html", context)


def listed_organizations(*, stage=None, approval=None):
    """Published organizations of one stage (None: all) and approval ("approved", "preparing", None: all), each
    with its areas (`area_links`, in よみ order). Only what a card shows: the descriptions and contacts are long."""
    areas = Region.objects.only("name", "slug").order_by("name_kana")
    organizations = (
        public_organizations()
        .only(*ORGANIZATION_CARD_FIELDS)
        .prefetch_related(Prefetch("regions", queryset=areas, to_attr="area_links"))
    )
    if stage:
        organizations = organizations.filter(stage=stage)
    if approval == "approved":
        organizations = organizations.approved()
    elif approval == "preparing":
        organizations = organizations.exclude(approval_status=Organization.ApprovalStatus.APPROVED)
    return organizations.order_by("name_kana", "id")


def organization_detail(request, slug):
    organization = public_organization(slug)
    shows(request, organization)
    summary = plan_summary(organization)
    context = {
        **summary,
        # The size of the printout the page links: its HTML rendered, the size looked up by that content.
        "plan_pdf_size": printouts.plan_pdf_size(summary),
        "stage_steps": [{"value": v, "label": label, "count": None} for v, label in Organization.Stage.choices],
        "cases": organization_cases(organization),
    }
    return render(request, "organizations/organization_detail.html", context)


def pdf_renders_per_minute():
    return settings.PDF_RENDERS_PER_MINUTE


# A PDF takes WeasyPrint 0.3–1.4 s; the page cache keeps it, and each client may have it rendered a few
# times a minute (a flood of new URLs would otherwise keep every worker busy).
@throttled("pdf", pdf_renders_per_minute)
def organization_plan_pdf(request, slug):
    """The plan summary as an A4 PDF, for a community hall's noticeboard."""
    organization = public_organization(slug)
    shows(request, organization)
    return pdf_download(printouts.plan_pdf(plan_summary(organization)), printouts.plan_filename(organization))


def pdf_download(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def faq_list(request):
    """The FAQ by category; the filter box narrows it on the server, and in the browser as you type."""
    shows(request, FAQ_PAGE)
    form = FAQFilterForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() and form.cleaned_data["q"] else ""
    faqs = public_faqs().filter(matching_words(["question", "answer"], words(query)))
    faqs = faqs.select_related("category", "source").order_by("category__order", "category_id", "order", "id")
    page = paginate(request, faqs)
    for faq in page.object_list:
        faq.answer_html = render_markdown(faq.answer)
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
        {"case": case, "regions": case.regions.order_by("name_kana"), "photos": case.photos.all()},
    )


def case_photo(request, slug, pk):
    """A photo of a public case example; 404 while the case (or its organization) is not public."""
    photo = get_object_or_404(CaseStudyPhoto.objects.filter(case__in=public_cases()), case__slug=slug, pk=pk)
    try:
        stream = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404("写真が見つかりません。") from None
    response = FileResponse(stream, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def roster_year(request):
    """The roster's fiscal-year form and the chosen year (by default the current one once its roster is
    published, else the latest published one)."""
    years = list(roster_years())
    shown = public_roster_year(years=[fy.year for fy in years])
    # Only `year` binds the form: another parameter (?page=2, ?utm_source=…) is not a year asked for.
    form = FiscalYearForm(request.GET if "year" in request.GET else None, years=years)
    year = form.cleaned_data["year"] if form.is_valid() else shown
    if not form.is_bound:
        form = FiscalYearForm(initial={"year": year}, years=years)
    return form, year, shown


def liaison_roster(request):
    """地域担当職員名簿 for a chosen fiscal year (the current one by default), by area."""
    shows(request, ROSTER)
    form, year, shown = roster_year(request)
    current = current_fiscal_year()
    rows = roster_rows(roster_assignments(year))
    page = paginate(request, rows)
    towns = [(name, list(group)) for name, group in groupby(page.object_list, key=lambda r: r["town_name"])]
    context = {
        "form": form,
        "page": page,
        "towns": towns,
        "year": year,
        "is_current": year == current,
        # The new year's roster is not published yet: the latest published one stands in for it.
        "new_year_pending": year == shown and shown < current,
        "roster_pdf_size": printouts.roster_pdf_size(year=year, rows=rows),
    }
    return render(request, "organizations/liaison_roster.html", context)


@throttled("pdf", pdf_renders_per_minute)
def liaison_roster_pdf(request):
    """The whole roster of a fiscal year as an A4 PDF, for a community hall's noticeboard."""
    shows(request, ROSTER)
    form, year, _ = roster_year(request)
    if form.is_bound and not form.is_valid():
        raise Http404("その年度の名簿はありません。")
    content = printouts.roster_pdf(year=year, rows=roster_rows(roster_assignments(year)))
    return pdf_download(content, printouts.roster_filename(year))


def schedule_page(request):
    """予定: upcoming public meetings and workshops, month by month, with the calendar feed to subscribe to."""
    shows(request, SCHEDULE)
    page = paginate(request, public_meetings())
    months = [
        (wareki_month(day), list(rows)) for day, rows in groupby(page.object_list, key=lambda m: m.date.replace(day=1))
    ]
    feed = request.build_absolute_uri(reverse("organizations:schedule_ics"))
    return render(
        request,
        "organizations/schedule.html",
        {"page": page, "months": months, "feed_url": feed, "webcal_url": "webcal://" + feed.split("://", 1)[1]},
    )


def schedule_ics(request):
    """予定 as an iCalendar feed; it keeps the last 30 days so a subscribed calendar does not lose them."""
    shows(request, SCHEDULE)
    content = schedule.calendar_ics(
        recent_and_upcoming_meetings(),
        uid_domain=split_domain_port(request.get_host())[0],  # an IPv6 host keeps its brackets: …@[::1]
        page_url=request.build_absolute_uri(reverse("organizations:schedule")),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, "niimi-schedule.ics")
    response["Access-Control-Allow-Origin"] = "*"
    return response
