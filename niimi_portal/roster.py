"""What residents may see of the liaison roster: the published years, the assignments of a year, and
the liaisons an area's or an organization's page names. The roster joins staff with organizations and
grants' fiscal years, so it is read in the site package; what an area or an organization may show at all
is decided by `organizations.public`."""

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from grants.models import FiscalYear
from niimi_portal.lib.wareki import fiscal_year_of
from organizations.models import Region
from organizations.public import with_former_town
from staff.models import Assignment


def roster_years(today=None):
    """The fiscal years whose roster residents may see on `today`, newest first: published, with assignments."""
    with_assignments = Exists(Assignment.objects.filter(fiscal_year=OuterRef("pk")))  # no join, so no DISTINCT
    return FiscalYear.objects.roster_published(today).filter(with_assignments).order_by("-year")


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
    # The latest of roster_years(today) up to this year, without its DISTINCT (the top year is the same).
    latest = (
        FiscalYear.objects.roster_published(today)
        .filter(assignments__isnull=False, year__lte=fiscal_year_of(today))
        .order_by("-year")
        .values("year")[:1]
    )
    return public_assignments(Subquery(latest), today).select_related("fiscal_year")


def shown_roster_year(assignments, today=None):
    """The fiscal year of `assignments` (from latest_public_assignments), else the current one."""
    return assignments[0].fiscal_year.year if assignments else fiscal_year_of(today or timezone.localdate())


def named_liaisons(assignments):
    """What a page naming liaisons shows: `assignments` (from latest_public_assignments) and their year."""
    assignments = list(assignments)
    return {"assignments": assignments, "roster_year": shown_roster_year(assignments)}


# What a page naming liaisons shows of an assignment (and its printout of an organization's plan).
LIAISON_FIELDS = ("role", "department", "title", "fiscal_year__year", "officer__name", "officer__is_demo")


def area_liaisons(region_id, organization_ids, today=None, below=None):
    """The liaisons residents see for an area: its own, those of the areas `below` it (a query of their
    ids) and those of the organizations covering it or part of it — the same assignments the roster lists
    under those areas, so the area's page and the roster never disagree."""
    areas = Q(region=region_id) if below is None else Q(region=region_id) | Q(region__in=below)
    return (
        latest_public_assignments(today)
        .filter(areas | Q(organization__in=organization_ids))
        .select_related("officer", "organization", "region")
        .only(*LIAISON_FIELDS, "organization__name", "region__name")
        .order_by("role", "officer__name_kana")
    )


def organization_liaisons(organization):
    """The liaisons residents see for an organization."""
    return (
        latest_public_assignments()
        .filter(organization=organization)
        .select_related("officer")
        .only(*LIAISON_FIELDS)
        .order_by("role", "officer__name_kana")
    )


# What the roster (page, printout, open data) reads of an assignment, its officer, organization and areas:
# the ORM builds and orders fewer columns. `fiscal_year` stays for the open data's select_related.
ROSTER_FIELDS = (
    "role",
    "department",
    "title",
    "fiscal_year",
    "region",
    *(f"officer__{name}" for name in ("name", "name_kana", "is_demo", "phone")),
    *(f"organization__{name}" for name in ("name", "name_kana", "slug")),
)
ROSTER_AREA_FIELDS = ("name", "name_kana", "slug", "town_kana")


def roster_assignments(year, today=None):
    """The liaison assignments of a fiscal year residents may see (its roster published; of an area, or of
    a published organization), with the officer and the areas covered, each with its 旧市町."""
    areas = with_former_town(Region.objects.only(*ROSTER_AREA_FIELDS)).order_by("name_kana")
    return (
        public_assignments(year, today)
        .select_related("officer", "organization")
        .only(*ROSTER_FIELDS)
        .prefetch_related(
            Prefetch("organization__regions", queryset=areas),
            Prefetch("region", queryset=areas),
        )
        .order_by("officer__name_kana")
    )


def roster_rows(assignments):
    """One row per organization or area: its 旧市町, areas, and main and sub assignments (each with its
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
