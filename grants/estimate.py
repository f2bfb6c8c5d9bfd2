"""The public estimate on /grants/ for one area, spoken in terms of organizations.

- An area inside a published organization's 活動区域 (listed itself, or an area above it such as its
  学区): that organization. Its 交付決定額 and the
  decision's breakdown when this fiscal year is decided; otherwise an estimate over all its areas
  with its integrated subsidies and 激変緩和, by `calculate_year` — the clerks' own calculation.
- An area with no organization: what one organization covering just this area would get as its
  基本額 (fixed parts once), from the area's figures at the fiscal year's reference date.
- Figures missing at the reference date are said plainly; nothing falls back to other dates.
"""

from dataclasses import dataclass, field

from grants.calculation import calculate_grant, calculate_year
from grants.models import GrantDecision
from organizations.areas import covering_ids
from organizations.models import Organization, RegionStatistic


@dataclass
class AreaEstimate:
    kind: str  # decided | organization | hypothetical | missing
    area: object
    fiscal_year: object
    organization: object = None
    decision: object = None
    lines: list = field(default_factory=list)  # [{label, basis, amount, kind}]
    base_amount: int = 0
    subsidy_amount: int = 0
    total: int = 0
    population: int = 0
    households: int = 0
    statistic_is_demo: bool = False
    missing_message: str = ""
    other_organizations: list = field(default_factory=list)
    # The names of the organization's whole 活動区域: its figures cover all of them, not the area asked for.
    covered_areas: list = field(default_factory=list)


def organizations_covering(area):
    """Published organizations whose 活動区域 includes the area, directly or through an area above it
    (an organization of a 学区 covers its 大字), as on the area's own page."""
    # A subquery rather than a join, so no DISTINCT over every column; only what the page shows of them
    # (organization_estimate reads the pk). Equal よみ come in id order, as the DISTINCT's sort gave them.
    links = Organization.regions.through.objects.filter(region_id__in=covering_ids(area))
    return list(
        Organization.objects.published()
        .filter(pk__in=links.values("organization_id"))
        .only("name", "slug", "approval_status", "is_demo")
        .order_by("name_kana", "id")
    )


def area_estimate(*, area, fiscal_year, rule):
    organizations = organizations_covering(area)
    if organizations:
        estimate = organization_estimate(organization=organizations[0], area=area, fiscal_year=fiscal_year)
        estimate.other_organizations = organizations[1:]
        return estimate
    return hypothetical_estimate(area=area, fiscal_year=fiscal_year, rule=rule)


def organization_estimate(*, organization, area, fiscal_year):
    decision = (
        GrantDecision.objects.filter(organization=organization, fiscal_year=fiscal_year)
        .select_related("calculation")
        .only("decided_on", "amount", *(f"calculation__{name}" for name in ("lines", "base_amount", "subsidy_amount")))
        .first()
    )
    covered = list(organization.regions.order_by("name_kana", "id").values_list("name", flat=True))
    if decision is not None:
        calc = decision.calculation
        return AreaEstimate(
            "decided",
            area,
            fiscal_year,
            organization=organization,
            covered_areas=covered,
            decision=decision,
            lines=list(calc.lines),
            base_amount=calc.base_amount,
            subsidy_amount=calc.subsidy_amount,
            total=decision.amount,
        )
    year = calculate_year(fiscal_year, Organization.objects.filter(pk=organization.pk), approved_only=False)
    if year.missing:
        return AreaEstimate(
            "missing", area, fiscal_year, organization=organization, missing_message=year.missing[0].message
        )
    grant = year.grants[0]
    return AreaEstimate(
        "organization",
        area,
        fiscal_year,
        organization=organization,
        covered_areas=covered,
        lines=grant.breakdown.as_json(),
        base_amount=grant.breakdown.base_amount,
        subsidy_amount=grant.breakdown.subsidy_amount,
        total=grant.breakdown.total,
        population=grant.population,
        households=grant.households,
        statistic_is_demo=any(
            s.is_demo for r in grant.organization.regions.all() for s in getattr(r, "at_reference_date", [])
        ),
    )


def hypothetical_estimate(*, area, fiscal_year, rule):
    """If one organization covered just this area: its 基本額, fixed parts counted once, no subsidies."""
    statistic = RegionStatistic.objects.filter(
        region=area, reference_date=fiscal_year.statistics_reference_date
    ).first()
    if statistic is None:
        from niimi_portal.lib.wareki import wareki_date

        return AreaEstimate(
            "missing",
            area,
            fiscal_year,
            missing_message=(
                f"{area.name}の{wareki_date(fiscal_year.statistics_reference_date)}現在の人口・世帯数が"
                "まだ登録されていないため、試算できません。"
            ),
        )
    breakdown = calculate_grant(rule=rule, population=statistic.population, households=statistic.households)
    return AreaEstimate(
        "hypothetical",
        area,
        fiscal_year,
        lines=breakdown.as_json(),
        base_amount=breakdown.base_amount,
        total=breakdown.base_amount,
        population=statistic.population,
        households=statistic.households,
        statistic_is_demo=statistic.is_demo,
    )
