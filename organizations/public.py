"""What residents may see. Every public page and the site search read through these functions,
so "unpublished never shows" is decided in one place."""

import datetime

from django.db.models import Count, F, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from grants.models import FiscalYear, GrantDecision
from niimi_portal.lib.wareki import fiscal_year_of
from organizations.areas import population_of
from organizations.models import FAQ, CaseStudy, Organization, Region
from staff.models import Assignment, Meeting

TOWN = Region.Kind.FORMER_TOWN


# What a card or a line naming an organization or a case example shows (lists, an area's page): their
# descriptions, bodies and contacts are long, and a DISTINCT over whole rows compares them all.
ORGANIZATION_CARD_FIELDS = ("name", "slug", "stage", "approval_status", "approved_on", "approval_number", "is_demo")
CASE_LINK_FIELDS = ("title", "slug", "held_on", "is_demo")


def public_organizations():
    return Organization.objects.published()


def public_faqs():
    return FAQ.objects.published()


def public_cases():
    """Published case examples, except those of an organization that is itself unpublished."""
    return CaseStudy.objects.public()


def with_former_town(regions):
    """Annotate town_name and town_slug ("" for none) beside the stored town_kana and town_order: the 旧市町
    an area lies in (stored on the area as `town`, organizations.area_summary)."""
    return regions.annotate(
        town_name=Coalesce(F("town__name"), Value("")), town_slug=Coalesce(F("town__slug"), Value(""))
    )


def former_town_names(organization, *, by="kana"):
    """The 旧市町 an organization's areas lie in, each once: in their よみ order (by="kana", the list
    and admin CSV) or in the order of its areas (by="areas", the open data). Needs its regions
    prefetched through `with_former_town`."""
    towns = {}
    for region in organization.regions.all():
        if region.town_name:
            towns.setdefault(region.town_name, region.town_kana)
    if by == "kana":
        return sorted(towns, key=lambda name: (towns[name], name))
    return list(towns)


def public_areas():
    """Every area below the 旧市町 level, in the city's order of 旧市町 and then by よみ."""
    return with_former_town(Region.objects.exclude(kind=TOWN)).order_by("town_order", "town_kana", "name_kana", "id")


def public_area_count():
    """How many areas `public_areas` lists, counted without its joins to the areas above."""
    return Region.objects.exclude(kind=TOWN).count()


def areas_with_stage(*, published=True):
    """Areas annotated with `stage`: the furthest stage among the organizations (published ones only,
    unless published=False) whose 活動区域 covers them, directly or through an area above them (a 学区
    covers its 大字); 0 for none. Stored on each area (organizations.area_summary)."""
    return public_areas().annotate(stage=F("stage_public" if published else "stage_all"))


def counted_areas(*, published=True):
    """The areas the town tallies count, each once: those with no area below them but 行政区 (a 学区
    with 大字 registered counts as its 大字, never as one more area)."""
    return areas_with_stage(published=published).filter(is_counted=True)


def areas_by_town(*, published=True):
    """The town tally, for the home page (published organizations) and the admin dashboard
    (published=False: every organization): per 旧市町 that has areas, in the city's order, how many
    areas and how many at each stage ("stages", in the order of Organization.Stage) or at none.

    One query over the areas' stored 旧市町 and stage, whose answer is a few rows per town however many
    areas there are."""
    stage = "stage_public" if published else "stage_all"
    rows = (
        Region.objects.filter(is_counted=True)
        .values_list("town__slug", "town__name", stage)
        .annotate(count=Count("id"))
        .order_by("town_order", "town_kana", "town__slug", stage)
    )
    stages = Organization.Stage.values
    towns = {}
    for slug, name, stage, count in rows:
        town = towns.setdefault(slug, {"name": name, "slug": slug, "areas": 0, "none": 0, "by_stage": {}})
        town["areas"] += count
        if stage:
            town["by_stage"][stage] = count
        else:
            town["none"] += count
    return [{**t, "stages": [t["by_stage"].get(v, 0) for v in stages]} for t in towns.values()]


def prefetch_public_organizations(prefix=""):
    """Prefetch each region's published organizations into `.public_organizations`."""
    return Prefetch(
        f"{prefix}organizations",
        queryset=public_organizations().order_by("name_kana"),
        to_attr="public_organizations",
    )


def latest_statistic(region, on=None):
    """The area's population and households at `on` (or the latest before it), by the one rule of
    `organizations.areas` (a 学区 with figures for every 大字 counts as their sum); None when not counted."""
    figures = population_of([region], on=on or timezone.localdate(), exact=False)
    return figures if figures.complete else None


def find_regions(variants, limit=100, regions=None):
    """Regions (of `regions`, default all) whose name or よみ equals one of the query variants, else
    contains one; exact matches first."""
    exact = Q()
    partial = Q()
    for text in variants:
        exact |= Q(name=text) | Q(name_kana=text)
        partial |= Q(name__icontains=text) | Q(name_kana__icontains=text)
    if regions is None:
        regions = with_former_town(Region.objects.all()).order_by("town_kana", "name_kana", "id")
    return list(regions.filter(exact)) or list(regions.filter(partial)[:limit])


def roster_years(today=None):
    """The fiscal years whose roster residents may see on `today`, newest first: published, with assignments."""
    return FiscalYear.objects.roster_published(today).filter(assignments__isnull=False).distinct().order_by("-year")


def public_roster_year(today=None, years=None):
    """The year the public roster shows by default: the current fiscal year once its roster is published,
    until then the latest published year before it (so 1 April leaves no empty roster). `years`: the
    years (numbers) of roster_years(today) already loaded, to spare the query."""
    current = fiscal_year_of(today or timezone.localdate())
    if years is None:
        years = roster_years(today).filter(year__lte=current).values_list("year", flat=True)[:1]
    return max((year for year in years if year <= current), default=current)


def public_assignments(year, today=None):
    """Assignments residents may see for `year`: of a published roster, of an area or a published organization."""
    return Assignment.objects.public().filter(
        fiscal_year__year=year, fiscal_year__roster_published_on__lte=today or timezone.localdate()
    )


def latest_public_assignments(today=None):
    """Assignments residents may see of the year the roster shows by default (see public_roster_year), in
    the same query: a region's or organization's page names the liaisons of that year."""
    today = today or timezone.localdate()
    latest = roster_years(today).filter(year__lte=fiscal_year_of(today)).values("year")[:1]
    return public_assignments(Subquery(latest), today).select_related("fiscal_year")


def shown_roster_year(assignments, today=None):
    """The fiscal year of `assignments` (from latest_public_assignments), else the current one."""
    return assignments[0].fiscal_year.year if assignments else fiscal_year_of(today or timezone.localdate())


def roster_assignments(year, today=None):
    """The liaison assignments of a fiscal year residents may see (its roster published; of an area, or of
    a published organization), with the officer and the areas covered, each with its 旧町."""
    areas = with_former_town(Region.objects.all()).order_by("name_kana")
    return (
        public_assignments(year, today)
        .select_related("officer", "organization")
        .prefetch_related(
            Prefetch("organization__regions", queryset=areas),
            Prefetch("region", queryset=areas),
        )
        .order_by("officer__name_kana")
    )


def roster_rows(assignments):
    """One row per organization or area: its 旧町, areas, and main and sub assignments (each with its
    officer and that year's 所属/職名)."""
    rows = {}
    for assignment in assignments:
        target = assignment.organization or assignment.region
        key = (type(target).__name__, target.pk)
        if key not in rows:
            areas = list(assignment.organization.regions.all()) if assignment.organization else [assignment.region]
            town = areas[0] if areas else None
            rows[key] = {
                "organization": assignment.organization,
                "areas": areas,
                "town_name": town.town_name if town else "",
                "town_kana": town.town_kana if town else "",
                "sort": (town.town_kana if town else "", target.name_kana),
                "main": [],
                "sub": [],
            }
        rows[key]["main" if assignment.role == Assignment.Role.MAIN else "sub"].append(assignment)
    return sorted(rows.values(), key=lambda row: row["sort"])


# What a public meeting may show; its agenda, notes, decisions and attendance are internal records.
PUBLIC_MEETING_FIELDS = [
    "kind",
    "date",
    "start_time",
    "end_time",
    "place",
    "updated_at",
    "organization__name",
    "organization__slug",
    "region__name",
    "region__slug",
]


def public_meetings(since=None):
    """Meetings and workshops liaisons marked public, from `since` (today by default) on, except those of
    an unpublished organization; only the fields a resident may see are loaded."""
    return (
        Meeting.objects.public(since=since)
        .select_related("organization", "region")
        .only(*PUBLIC_MEETING_FIELDS)
        .order_by("date", F("start_time").asc(nulls_first=True), "id")
    )


def recent_and_upcoming_meetings(days=30):
    """Public meetings of the last `days` days and after: a subscribed calendar keeps what just happened."""
    return public_meetings(since=timezone.localdate() - datetime.timedelta(days=days))


def public_grant_decisions(year):
    """交付決定 of a fiscal year to published organizations, with the stored calculation."""
    return (
        GrantDecision.objects.filter(fiscal_year__year=year, organization__is_published=True)
        .select_related("organization", "fiscal_year", "calculation")
        .order_by("number")
    )
