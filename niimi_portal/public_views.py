"""The public pages that name liaison staff or their meetings: an area's page, an organization's page and
its printable plan summary, the liaison roster and its PDF, the 予定 and its calendar feed.

They read organizations with staff and grants (niimi_portal.roster, niimi_portal.schedule), so their views
are the site's; niimi_portal/urls.py keeps their URL names in the `organizations` namespace as before.
Nothing here needs a login.
"""

from itertools import groupby

from django.conf import settings
from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from niimi_portal import schedule
from niimi_portal.lib.page_tags import AREAS, ROSTER, SCHEDULE, STAGE_TEXTS, shows
from niimi_portal.lib.throttle import throttled
from niimi_portal.lib.wareki import current_fiscal_year, wareki_month
from niimi_portal.roster import (
    area_liaisons,
    named_liaisons,
    organization_liaisons,
    public_roster_year,
    roster_assignments,
    roster_rows,
    roster_years,
)
from organizations import printouts
from organizations.models import Organization, RegionSlugRedirect
from organizations.public_forms import FiscalYearForm
from organizations.selectors import (
    area_by_slug,
    child_areas,
    descendants,
    label_stages,
    organization_cases,
    plan_summary,
    public_organization,
    region_summary,
)
from organizations.views import paginate


def region_detail(request, slug):
    shows(request, AREAS)
    region = area_by_slug(slug)
    if region is None:
        old = RegionSlugRedirect.objects.select_related("region").filter(old_slug=slug).first()
        if old is None:
            raise Http404("その地域は見つかりませんでした。")
        return redirect(old.region, permanent=True)
    summary = region_summary(region)
    children = counted_below = None
    if summary["below"]:
        children = paginate(request, child_areas(region), count=len(summary["below"]))
        # The 地域数 by the home table's rule (Region.is_counted): one figure on every page.
        counted_below = descendants(region).filter(is_counted=True).count()
        label_stages(children)
    organization_ids = [o.pk for o in (*summary["organizations"], *summary["partial"])]
    below = descendants(region).values("pk") if summary["below"] else None
    liaisons = named_liaisons(area_liaisons(region.pk, organization_ids, below=below))
    return render(
        request,
        "organizations/region_detail.html",
        {**summary, **liaisons, "children": children, "counted_below": counted_below},
    )


def pdf_renders_per_minute():
    return settings.PDF_RENDERS_PER_MINUTE


def pdf_download(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def organization_plan(organization):
    """What the organization's page and its printout show: its plan summary and its liaisons."""
    return {**plan_summary(organization), **named_liaisons(organization_liaisons(organization))}


def organization_detail(request, slug):
    organization = public_organization(slug)
    shows(request, organization, STAGE_TEXTS)
    summary = organization_plan(organization)
    context = {
        **summary,
        # The size of the printout the page links: its HTML rendered, the size looked up by that content.
        "plan_pdf_size": printouts.plan_pdf_size(summary),
        "stage_steps": [{"value": v, "label": label, "count": None} for v, label in Organization.Stage.choices],
        "cases": organization_cases(organization),
    }
    return render(request, "organizations/organization_detail.html", context)


# A PDF takes WeasyPrint 0.3–1.4 s; the page cache keeps it, and each client may have it rendered a few
# times a minute (a flood of new URLs would otherwise keep every worker busy).
@throttled("pdf", pdf_renders_per_minute)
def organization_plan_pdf(request, slug):
    """The plan summary as an A4 PDF, for a community hall's noticeboard."""
    organization = public_organization(slug)
    shows(request, organization)
    return pdf_download(printouts.plan_pdf(organization_plan(organization)), printouts.plan_filename(organization))


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
    page = paginate(request, schedule.public_meetings())
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
        schedule.recent_and_upcoming_meetings(),
        uid_domain=split_domain_port(request.get_host())[0],  # an IPv6 host keeps its brackets: …@[::1]
        page_url=request.build_absolute_uri(reverse("organizations:schedule")),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, "niimi-schedule.ics")
    response["Access-Control-Allow-Origin"] = "*"
    return response
