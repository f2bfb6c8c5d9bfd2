"""Grant arithmetic for the 小規模多機能自治一括交付金.

`calculate_grant` is pure: given a fiscal year's rule, an area's population and households and the
organization's integrated subsidies, it returns every named line and the total. The public estimate
on /grants/ and the clerks' 算定 in the admin both call it, so residents and the city see one figure.

`calculate_year` reads what the pure function needs from the database (the 活動区域's population and
households at the fiscal year's reference date, by the one rule in `organizations.areas`; the
organization's allocations; last year's base amount) for
every 認可 organization, and names the organizations it cannot calculate. It writes nothing: storing
the snapshots is `grants.services.grant_calculate_year`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch

from grants.models import GrantCalculation, GrantRule, SubsidyAllocation
from niimi_portal.lib.money import yen
from niimi_portal.lib.wareki import wareki_date
from organizations.approvals import approved_during_and_not_revoked
from organizations.areas import AreaTree
from organizations.models import Organization, Region


@dataclass(frozen=True)
class Line:
    label: str
    amount: int
    basis: str = ""
    kind: str = "base"  # base | adjustment | subsidy


@dataclass(frozen=True)
class Breakdown:
    lines: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def base_amount(self):
        return sum(line.amount for line in self.lines if line.kind != "subsidy")

    @property
    def subsidy_amount(self):
        return sum(line.amount for line in self.lines if line.kind == "subsidy")

    @property
    def total(self):
        return sum(line.amount for line in self.lines)

    def as_json(self):
        return [{"label": ln.label, "amount": ln.amount, "basis": ln.basis, "kind": ln.kind} for ln in self.lines]


def _yen(amount):
    return yen(amount)


def _round_down(amount, unit):
    return amount // unit * unit


def _round_up(amount, unit):
    return -(-amount // unit) * unit


def calculate_grant(
    *,
    rule,
    population,
    households,
    subsidies: Iterable[tuple[str, int]] = (),
    previous_base=None,
    area_changed=False,
    merged_from=1,
):
    """The grant from one rule (anything with GrantRule's fields), counts of people and households,
    (name, yen) pairs of integrated subsidies, and last year's base amount for 激変緩和.

    The base amount is rounded down to the rule's unit; with a cap, it stays within ±cap % of last
    year's base amount, on a multiple of the unit whenever the band holds one.

    The rule's settings say when the cap does not apply: `cap_exempt_area_change` when the 活動区域
    changed since last year (`area_changed`), and `merger_keeps_shares` gives an organization formed
    from `merged_from` organizations of last year as many 均等割 and 事務局人件費 as they had."""
    if population < 0 or households < 0:
        raise ValueError("人口・世帯数は0以上です。")
    subsidies = list(subsidies)
    if any(amount < 0 for _, amount in subsidies):
        raise ValueError("統合された既存補助金の額は0円以上です。")
    shares = merged_from if getattr(rule, "merger_keeps_shares", False) and merged_from > 1 else 1
    lines = _base_lines(rule, population, households, shares)
    raw_base = sum(line.amount for line in lines)
    unit = max(rule.rounding_unit, 1)
    rounded = _round_down(raw_base, unit)
    if rounded != raw_base:
        lines.append(Line("端数調整", rounded - raw_base, f"{yen(unit)}未満切り捨て", "adjustment"))
    if cap_applies(rule, previous_base=previous_base, area_changed=area_changed):
        lines += _cap_lines(rule.change_cap_percent, rounded, previous_base, unit)
    for name, amount in subsidies:
        lines.append(Line(name, amount, "統合された既存補助金", "subsidy"))
    return Breakdown(tuple(lines))


def _base_lines(rule, population, households, shares):
    """均等割, 人口割, 世帯割 and 事務局人件費, the shares counted once per organization merged."""
    each = "各組織同額" if shares == 1 else f"{yen(rule.equal_share)} × 合併前の{shares}組織"
    return [
        Line("均等割", rule.equal_share * shares, each),
        Line("人口割", population * rule.per_capita, f"{population:,}人 × {yen(rule.per_capita)}"),
        Line("世帯割", households * rule.per_household, f"{households:,}世帯 × {yen(rule.per_household)}"),
        Line(
            "事務局人件費",
            rule.secretariat_cost * shares,
            "役員・事務局の負担への手当" + ("" if shares == 1 else f"（{yen(rule.secretariat_cost)} × {shares}組織）"),
        ),
    ]


def _cap_lines(ratio, rounded, previous_base, unit):
    """The 激変緩和 line keeping the base within ±ratio % of last year's, or none when it is within."""
    lower = -((-previous_base * (100 - ratio)) // 100)  # ceiling: never below the cap
    upper = previous_base * (100 + ratio) // 100
    if _round_up(lower, unit) <= _round_down(upper, unit):
        lower, upper = _round_up(lower, unit), _round_down(upper, unit)
    capped = min(max(rounded, lower), upper)
    if capped == rounded:
        return []
    return [Line("激変緩和", capped - rounded, f"前年度基本額 {yen(previous_base)} の ±{ratio}% 以内", "adjustment")]


def cap_applies(rule, *, previous_base, area_changed):
    """激変緩和 applies with a cap set, a base amount last year, and no exemption for this change."""
    if rule.change_cap_percent is None or not previous_base:
        return False
    return not (area_changed and getattr(rule, "cap_exempt_area_change", False))


def cap_effect(breakdown):
    """What 激変緩和 changed in a breakdown (negative: the base was cut), 0 when it did not apply."""
    return sum(line.amount for line in breakdown.lines if line.label == "激変緩和")


# -- reading the inputs from the database ---------------------------------------------------------


class MissingGrantRule(Exception):
    """The fiscal year has no 交付基準 yet."""


@dataclass(frozen=True)
class MissingStatistics:
    """An approved organization that cannot be calculated: areas without figures at the reference date."""

    organization: object
    areas: tuple[str, ...]
    reference_date: object

    @property
    def message(self):
        if not self.areas:
            return f"{self.organization.name}: 活動区域が登録されていません。"
        return (
            f"{self.organization.name}: {'・'.join(self.areas)}の"
            f"{wareki_date(self.reference_date)}現在の人口・世帯数が登録されていません。"
        )


@dataclass(frozen=True)
class OrganizationGrant:
    organization: object
    population: int
    households: int
    breakdown: Breakdown
    previous: object = None  # last fiscal year's GrantCalculation, if any
    area_changed: bool = False  # the 活動区域 differs from last year's calculation
    merged_from: int = 1  # how many of last year's organizations' areas this one now covers
    region_ids: tuple = ()


@dataclass(frozen=True)
class YearCalculation:
    fiscal_year: object
    rule: object
    grants: tuple[OrganizationGrant, ...]
    missing: tuple[MissingStatistics, ...]


def calculate_year(fiscal_year, organizations=None, *, approved_only=True):
    """Calculate (without saving) every 認可 organization's grant for `fiscal_year`.

    "認可" means approved on at least one day of the fiscal year, read from the approval history
    (organizations.approvals), so a past year recalculates with the organizations approved then; but an
    organization whose 認可 was revoked by the year's end (and not given again) is left out. Assumed,
    for the city to confirm: an organization revoked during the year receives no grant for it (a
    decision already made is taken back by its own 交付決定取消).

    Nine queries whatever the number of organizations: the rule, the approval history (and the
    organizations without one), the organizations, their areas, the tree of areas and its statistics
    at the reference date (organizations.areas: the one rule for an 活動区域's population), the
    allocations, last year's calculations.
    The public estimate of an organization not yet approved passes `approved_only=False`, so it
    is calculated exactly as the clerks' calculation would."""
    rule = _rule_of(fiscal_year)
    approved = _organizations_to_calculate(fiscal_year, organizations, approved_only)
    # One organization's estimate (the public grant page) reads only its own areas and those under them.
    within = None if organizations is None else [region.pk for o in approved for region in o.regions.all()]
    tree = AreaTree.load(on=fiscal_year.statistics_reference_date, within=within)
    allocations = _allocations_by_organization(fiscal_year, approved)
    last_year = list(GrantCalculation.objects.filter(fiscal_year__year=fiscal_year.year - 1))
    previous = {calc.organization_id: calc for calc in last_year}
    inputs = _YearInputs(rule, tree, allocations, last_year, previous)
    grants, missing = [], []
    for organization in approved:
        result = _organization_grant(organization, inputs, fiscal_year.statistics_reference_date)
        (missing if isinstance(result, MissingStatistics) else grants).append(result)
    return YearCalculation(fiscal_year, rule, tuple(grants), tuple(missing))


@dataclass(frozen=True)
class _YearInputs:
    """What every organization's calculation of the year reads, loaded once."""

    rule: object
    tree: object  # organizations.areas.AreaTree at the reference date
    allocations: dict  # organization pk -> [(subsidy name, yen)]
    last_year: list  # last fiscal year's GrantCalculations
    previous: dict  # organization pk -> its GrantCalculation of last year


def _rule_of(fiscal_year):
    try:
        return GrantRule.objects.select_related("fiscal_year").get(fiscal_year=fiscal_year)
    except GrantRule.DoesNotExist:
        raise MissingGrantRule(f"{fiscal_year.label}の交付基準が登録されていません。") from None


def _organizations_to_calculate(fiscal_year, organizations, approved_only):
    """The organizations (all, or those given), approved during the year unless told otherwise, with their areas."""
    queryset = Organization.objects.all() if organizations is None else organizations
    if approved_only:
        queryset = queryset.filter(pk__in=approved_during_and_not_revoked(fiscal_year.starts_on, fiscal_year.ends_on))
    return list(
        queryset.order_by("name_kana", "pk").prefetch_related(
            Prefetch("regions", queryset=Region.objects.order_by("name_kana").only("pk", "name"))
        )
    )


def _allocations_by_organization(fiscal_year, organizations):
    allocations = {}
    for allocation in (
        SubsidyAllocation.objects.filter(fiscal_year=fiscal_year, organization__in=organizations)
        .select_related("subsidy")
        .order_by("subsidy__order", "subsidy__name")
    ):
        allocations.setdefault(allocation.organization_id, []).append((allocation.subsidy.name, allocation.amount))
    return allocations


def _organization_grant(organization, inputs, reference_date):
    """One organization's OrganizationGrant, or MissingStatistics when its areas lack figures."""
    regions = list(organization.regions.all())
    figures = inputs.tree.figures([region.pk for region in regions])
    if figures.missing or not regions:
        return MissingStatistics(organization, figures.missing, reference_date)
    last = inputs.previous.get(organization.pk)
    region_ids = tuple(sorted(region.pk for region in regions))
    area_changed = bool(last and last.region_ids and tuple(sorted(last.region_ids)) != region_ids)
    merged = sum(1 for calc in inputs.last_year if calc.region_ids and set(calc.region_ids) <= set(region_ids))
    merged_from = max(merged, 1)
    breakdown = calculate_grant(
        rule=inputs.rule,
        population=figures.population,
        households=figures.households,
        subsidies=inputs.allocations.get(organization.pk, ()),
        previous_base=last.base_amount if last else None,
        area_changed=area_changed,
        merged_from=merged_from,
    )
    return OrganizationGrant(
        organization, figures.population, figures.households, breakdown, last, area_changed, merged_from, region_ids
    )
