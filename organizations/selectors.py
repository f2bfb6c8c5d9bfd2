"""What the public pages show, read in one place so the views stay thin: an area's page, an
organization's plan summary (its page and its printout). What may be shown at all is decided by
`organizations.public`; the liaisons those pages name are added by the site package (niimi_portal.roster)."""

from itertools import groupby

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone

from niimi_portal.lib.wareki import current_fiscal_year
from organizations.areas import AreaTree, subtree
from organizations.models import AnnualPlan, CaseStudy, FuturePlan, Organization, PlannedProject, Region
from organizations.public import (
    CASE_LINK_FIELDS,
    ORGANIZATION_CARD_FIELDS,
    areas_with_stage,
    consents_prefetch,
    public_cases,
    public_organizations,
    with_former_town,
)


def region_summary(region):
    """What an area's page shows (all but its paginated child areas and its liaisons): the areas above it,
    the organizations covering it (whole or in part), its figures and case examples; `below` holds the ids
    of the areas under it."""
    ancestors = region.ancestors
    today = timezone.localdate()
    year = current_fiscal_year()
    tree = AreaTree.load(on=today, exact=False, within=[region.pk])
    below = tree.descendant_ids(region.pk)
    figures = tree.figures([region.pk])
    organizations = list(covering_organizations([region.pk, *(a.pk for a in ancestors)], year))
    ids = [o.pk for o in organizations]
    cases = area_cases(region.pk, ids)
    # Organizations working in part of this area (in one of its 大字, say) are named, not claimed.
    partial = []
    if below:
        partial = list(
            public_organizations()
            .filter(regions__in=descendants(region).values("pk"))
            .only(*ORGANIZATION_CARD_FIELDS)
            .exclude(pk__in=ids)
            .distinct()
        )
    return {
        "region": region,
        "ancestors": ancestors,
        "organizations": organizations,
        "partial": partial,
        "established": [o for o in organizations if o.stage == Organization.Stage.ESTABLISHED],
        "forming": [o for o in organizations if o.stage != Organization.Stage.ESTABLISHED],
        "statistic": figures if figures.complete else None,
        "cases": cases,
        "below": below,
        "fiscal_year": year,
    }


# What an area's page reads of the area and of each area above it (its breadcrumb and chain).
AREA_PAGE_FIELDS = ("kind", "parent", "name", "name_kana", "slug")


def area_by_slug(slug):
    """The area with that URL name and the areas above it; None for none. The slug is unique: a plain
    lookup, with no ORDER BY (nor a 旧市町 annotation, which the area's page does not show), and only the
    columns the page reads (not the 14 columns of each of the four areas)."""
    above = ("parent__", "parent__parent__", "parent__parent__parent__")
    fields = [*AREA_PAGE_FIELDS, *(prefix + name for prefix in above for name in AREA_PAGE_FIELDS)]
    try:
        return Region.objects.select_related("parent__parent__parent").only(*fields).get(slug=slug)
    except Region.DoesNotExist:
        return None


def covering_organizations(region_ids, year):
    """The published organizations whose 活動区域 names one of `region_ids` (an area and those above it),
    each with its future plans (`plans`) and the summary of its annual plan of `year` (`this_year_summary`,
    None for none: read in the same query, one plan per organization and year)."""
    this_year = AnnualPlan.objects.filter(organization=OuterRef("pk"), fiscal_year__year=year).values("summary")
    return (
        public_organizations()
        .filter(regions__in=region_ids)
        .only(*ORGANIZATION_CARD_FIELDS)
        .annotate(this_year_summary=Subquery(this_year[:1]))
        .distinct()
        .prefetch_related(Prefetch("future_plans", queryset=future_plan_cards(), to_attr="plans"))
    )


def future_plan_cards():
    """An organization's future plans, the latest first (as its own page picks one), with what an area's
    page shows of them: not ordered by the organization's よみ, which needs a join and is the same for all."""
    return FuturePlan.objects.only("organization", "title", "vision", "start_year", "end_year", "status").order_by(
        "-start_year", "-id"
    )


def area_cases(region_id, organization_ids):
    """The five case examples an area's page links: of the area, or of an organization covering it."""
    return (
        public_cases()
        .filter(Q(regions=region_id) | Q(organization__in=organization_ids))
        .only(*CASE_LINK_FIELDS)
        .distinct()[:5]
    )


def child_areas(region):
    """The areas under an area, each with the stage it stands at, in よみ order."""
    return areas_with_stage().filter(pk__in=descendants(region).values("pk")).order_by("name_kana", "id")


def descendants(region):
    """Every area under `region`, as a query (a 旧市町 has some 1,700 at 100× data: not a list of their ids
    in the SQL): a 旧市町's through the 旧市町 each area stores, any other's down the parent index."""
    if region.kind == Region.Kind.FORMER_TOWN:
        return Region.objects.filter(town=region).exclude(pk=region.pk)
    return subtree([region.pk]).exclude(pk=region.pk)


def label_stages(areas):
    """Set `stage_label` on each area annotated with `stage` (none when no organization covers it)."""
    labels = stage_labels()
    for area in areas:
        area.stage_label = labels.get(area.stage)


def stage_labels():
    return dict(Organization.Stage.choices)


def attach_covering_organizations(areas):
    """Set `covering_organizations` on each area: the published organizations whose 活動区域 contains
    it, directly or through the 学区 or 旧市町 above it (one query; `areas` with their parent loaded: its
    parent_id is the area above that). Each organization carries only what the list shows: its name and stage."""
    chains = {}
    for area in areas:
        chain = [area.pk]
        if area.parent_id is not None:
            chain.append(area.parent_id)
            if area.parent.parent_id is not None:
                chain.append(area.parent.parent_id)
        chains[area.pk] = chain
    links = (
        Organization.regions.through.objects.filter(
            region_id__in={pk for chain in chains.values() for pk in chain}, organization__is_published=True
        )
        .select_related("organization")
        .only("region", "organization__name", "organization__stage", "organization__is_demo")
        .order_by("organization__name_kana", "organization_id")
    )
    by_region = {}
    for link in links:
        by_region.setdefault(link.region_id, []).append(link.organization)
    for area in areas:
        found = [organization for pk in chains[area.pk] for organization in by_region.get(pk, [])]
        area.covering_organizations = list({o.pk: o for o in found}.values())


def projects_by_field(annual_plan):
    """This year's projects grouped by 分野, in the order the 分野 are listed."""
    if annual_plan is None:
        return []
    order = {value: i for i, value in enumerate(PlannedProject.Field.values)}
    projects = sorted(annual_plan.projects.all(), key=lambda p: (order.get(p.field, 99), p.order, p.id))
    return [
        {"label": PlannedProject.Field(field).label, "projects": list(rows)}
        for field, rows in groupby(projects, key=lambda p: p.field)
    ]


def public_organization(slug):
    """A published organization, with its areas and their 旧市町; 404 for any other."""
    try:
        # The slug is unique: a plain lookup, with no ORDER BY.
        return public_organizations().prefetch_related(areas_prefetch(), consents_prefetch()).get(slug=slug)
    except Organization.DoesNotExist:
        raise Http404("その組織は見つかりませんでした。") from None


def areas_prefetch():
    """An organization's areas (`regions`, in よみ order) with their 旧市町: what its page and printout show."""
    areas = Region.objects.only("name", "name_kana", "slug").order_by("name_kana")
    return Prefetch("regions", queryset=with_former_town(areas))


def plan_summary(organization):
    """What the organization's page and its printable summary show (but its liaisons): its future plan, this
    fiscal year's annual plan with the projects by 分野."""
    year = current_fiscal_year()
    plan = organization.future_plans.order_by("-start_year", "-id").first()
    # One per organization and year: a plain lookup, with no ORDER BY (first() would order by the id).
    try:
        annual_plan = (
            AnnualPlan.objects.filter(organization=organization, fiscal_year__year=year)
            .only("organization", "summary")
            .order_by()
            .prefetch_related("projects")
            .get()
        )
    except AnnualPlan.DoesNotExist:
        annual_plan = None
    return {
        "organization": organization,
        "plan": plan,
        "annual_plan": annual_plan,
        "fields": projects_by_field(annual_plan),
        "fiscal_year": year,
    }


def organization_cases(organization):
    """The ten case examples a published organization's page links (of a published organization the
    published cases are the public ones: no join to check the organization again)."""
    return CaseStudy.objects.published().filter(organization=organization).only(*CASE_LINK_FIELDS)[:10]
