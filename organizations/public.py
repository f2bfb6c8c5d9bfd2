"""What residents may see of areas, organizations, FAQ and case examples. Every public page and the site
search read through these functions, so "unpublished never shows" is decided in one place. The liaison
roster and the 予定, which read staff and grants too, are the site package's (niimi_portal.roster,
niimi_portal.schedule)."""

from django.db.models import Count, F, Prefetch, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from organizations.areas import population_of
from organizations.models import FAQ, CaseStudy, Organization, PublicationConsent, Region

TOWN = Region.Kind.FORMER_TOWN


# What a card or a line naming an organization or a case example shows (lists, an area's page): their
# descriptions, bodies and contacts are long, and a DISTINCT over whole rows compares them all.
ORGANIZATION_CARD_FIELDS = ("name", "slug", "stage", "approval_status", "approved_on", "approval_number", "is_demo")
CASE_LINK_FIELDS = ("title", "slug", "held_on", "is_demo")


def public_organizations():
    return Organization.objects.published()


def consents_prefetch():
    """An organization's current consents to publication, read by `Organization.published_contact`."""
    return Prefetch(
        "publication_consents", queryset=PublicationConsent.objects.current().order_by(), to_attr="current_consents"
    )


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
    areas there are. The count closes the ORDER BY (it changes nothing: the keys before it are unique per row)
    so that PostgreSQL sorts the few rows counted, not the thousands of areas before counting them."""
    stage = "stage_public" if published else "stage_all"
    rows = (
        Region.objects.filter(is_counted=True)
        .values_list("town__slug", "town__name", stage)
        .annotate(count=Count("id"))
        .order_by("town_order", "town_kana", "town__slug", stage, "count")
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
