"""What residents may see. Every public page and the site search read through these functions,
so "unpublished never shows" is decided in one place."""

from django.db.models import Case, F, Max, Prefetch, Q, Value, When
from django.utils import timezone

from niimi_portal.wareki import fiscal_year_of
from organizations.models import FAQ, CaseStudy, Organization, Region, RegionStatistic

TOWN = Region.Kind.FORMER_TOWN


def public_organizations():
    return Organization.objects.published()


def public_faqs():
    return FAQ.objects.published()


def public_cases():
    """Published case examples, except those of an organization that is itself unpublished."""
    return CaseStudy.objects.published().filter(Q(organization__isnull=True) | Q(organization__is_published=True))


def with_former_town(regions):
    """Annotate town_name, town_kana and town_slug: the 旧町 an area lies in (up to two levels up)."""

    def pick(field):
        return Case(
            When(kind=TOWN, then=F(field)),
            When(parent__kind=TOWN, then=F(f"parent__{field}")),
            When(parent__parent__kind=TOWN, then=F(f"parent__parent__{field}")),
            default=Value(""),
        )

    return regions.annotate(town_name=pick("name"), town_kana=pick("name_kana"), town_slug=pick("slug"))


def public_areas():
    """Every area below the 旧町 level, in よみ order of its 旧町 and then its own よみ."""
    return with_former_town(Region.objects.exclude(kind=TOWN)).order_by("town_kana", "name_kana", "id")


def areas_with_stage():
    """Areas annotated with `stage`: the furthest stage among the published organizations covering them."""
    return public_areas().annotate(
        stage=Max("organizations__stage", filter=Q(organizations__is_published=True)),
    )


def prefetch_public_organizations(prefix=""):
    """Prefetch each region's published organizations into `.public_organizations`."""
    return Prefetch(
        f"{prefix}organizations",
        queryset=public_organizations().order_by("name_kana"),
        to_attr="public_organizations",
    )


def latest_statistic(region, on=None):
    """The area's population and households at `on` (or the latest before it); None when never counted."""
    statistics = RegionStatistic.objects.filter(region=region)
    if on is not None:
        statistics = statistics.filter(reference_date__lte=on)
    return statistics.order_by("-reference_date").first()


def find_regions(variants, limit=100):
    """Regions whose name or よみ equals one of the query variants, else contains one; exact matches first."""
    exact = Q()
    partial = Q()
    for text in variants:
        exact |= Q(name=text) | Q(name_kana=text)
        partial |= Q(name__icontains=text) | Q(name_kana__icontains=text)
    regions = with_former_town(Region.objects.all()).order_by("town_kana", "name_kana", "id")
    return list(regions.filter(exact)) or list(regions.filter(partial)[:limit])


def current_fiscal_year_number():
    return fiscal_year_of(timezone.localdate())
