"""新年度の準備: opening a fiscal year from the last one, so nothing is typed from scratch in April.

The clerk creates the year with last year's 交付基準 copied into an editable form and its 期限 (交付申請・
実績報告, grants.deadlines) carried one year on, copies the allocations of the integrated subsidies, runs
the April rotation of the liaison assignments (staff.rotation), checks that every area has its statistics
at the reference date, and publishes the year's roster when it is ready (until then residents see the
latest published one).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from grants.models import FiscalYear, GrantRule, SubsidyAllocation
from niimi_portal.lib import workdays
from niimi_portal.lib.history import record_change
from niimi_portal.lib.refusal import refuse
from organizations.areas import AreaTree
from organizations.models import Region
from organizations.public import counted_areas

# What preparing a year may do: create the year and its rule, copy allocations, make assignments.
PREPARE = ("grants.add_fiscalyear", "grants.add_grantrule", "grants.add_subsidyallocation", "staff.add_assignment")


def require_prepare(request):
    if not request.user.has_perms(PREPARE):
        raise PermissionDenied


def next_year():
    """The year to open: the one after the latest there is."""
    latest = FiscalYear.objects.order_by("-year").values_list("year", flat=True).first()
    return (latest + 1) if latest else datetime.date.today().year


def previous_rule(year):
    return GrantRule.objects.filter(fiscal_year__year=year - 1).first()


# The 期限 of a year (grants.deadlines) that the next year carries, one year on.
DUE_FIELDS = ("application_due_on", "report_due_on")
CARRY = object()  # year_open: take the 期限 from last year's (carried_due_dates)


def one_year_on(day):
    """`day` a year later (29 February → 28 February), moved to the next working day when the offices are
    closed then (niimi_portal.lib.workdays): 4月30日 of one year is 4月30日 of the next, or the day after."""
    try:
        later = day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        later = day.replace(year=day.year + 1, day=28)
    return workdays.next_working_day(later)


def carried_due_dates(year):
    """{field: date or None} of the 期限 of fiscal `year`: last year's one year on; None where last year left
    it blank (the default, 要確認, applies) or there is no last year."""
    previous = FiscalYear.objects.filter(year=year - 1).first()
    return {
        field: one_year_on(getattr(previous, field)) if previous and getattr(previous, field) else None
        for field in DUE_FIELDS
    }


@transaction.atomic
def year_open(
    *,
    year,
    statistics_reference_date,
    previous_year_edit_until,
    rule,
    copy_allocations,
    by,
    application_due_on=CARRY,
    report_due_on=CARRY,
):
    """Create fiscal `year` (its roster not yet published) with `rule` (an unsaved GrantRule, the form's
    copy of last year's) and, with `copy_allocations`, last year's allocations. Its 期限 are those given
    (the form shows the carried ones to edit; None leaves one to its default), else last year's one year
    on (carried_due_dates). Refused beside the field, before anything is written, when the year exists
    or a date does not fit it."""
    if FiscalYear.objects.filter(year=year).exists():
        refuse(f"{FiscalYear(year=year).label}はすでに作成されています。", field="year")
    carried = carried_due_dates(year)
    fiscal_year = FiscalYear(
        year=year,
        starts_on=datetime.date(year, 4, 1),
        statistics_reference_date=statistics_reference_date,
        previous_year_edit_until=previous_year_edit_until,
        roster_published_on=None,
        application_due_on=carried["application_due_on"] if application_due_on is CARRY else application_due_on,
        report_due_on=carried["report_due_on"] if report_due_on is CARRY else report_due_on,
    )
    fiscal_year.full_clean()
    fiscal_year.save()
    rule.fiscal_year = fiscal_year
    record_change(rule, by=by, reason="新年度の準備（前年度の交付基準から作成）").save()
    if copy_allocations:
        allocations_copy(fiscal_year=fiscal_year, by=by)
    return fiscal_year


@transaction.atomic
def allocations_copy(*, fiscal_year, by):
    """Copy last year's allocation of each integrated subsidy to each organization into `fiscal_year`,
    leaving any the year has already. Returns how many were made."""
    have = set(SubsidyAllocation.objects.filter(fiscal_year=fiscal_year).values_list("subsidy_id", "organization_id"))
    made = 0
    for allocation in SubsidyAllocation.objects.filter(fiscal_year__year=fiscal_year.year - 1).order_by("pk"):
        if (allocation.subsidy_id, allocation.organization_id) in have:
            continue
        copy = SubsidyAllocation(
            subsidy_id=allocation.subsidy_id,
            organization_id=allocation.organization_id,
            fiscal_year=fiscal_year,
            amount=allocation.amount,
            is_demo=allocation.is_demo,
        )
        record_change(copy, by=by, reason="新年度の準備（前年度の配分から写す）").save()
        made += 1
    return made


@transaction.atomic
def roster_publish(*, fiscal_year, published_on):
    """Put the year's 地域担当職員名簿 on the residents' pages from `published_on`."""
    if not fiscal_year.assignments.exists():
        refuse(f"{fiscal_year.label}の担当がまだ登録されていません。", field="published_on")
    fiscal_year.roster_published_on = published_on
    fiscal_year.save(update_fields=["roster_published_on"])
    return fiscal_year


@dataclass(frozen=True)
class MissingArea:
    name: str
    town_name: str
    kind: str


def statistics_missing(fiscal_year):
    """The areas (those the town tallies count: the lowest level registered, 行政区 aside) that have no
    population and households at exactly the year's reference date, in the city's order."""
    tree = AreaTree.load(on=fiscal_year.statistics_reference_date)
    areas = counted_areas(published=False).values("pk", "name", "town_name", "kind")
    kinds = dict(Region.Kind.choices)
    return [
        MissingArea(area["name"], area["town_name"], kinds.get(area["kind"], ""))
        for area in areas
        if tree.figures([area["pk"]]).missing
    ]


def checklist(fiscal_year):
    """What the 新年度の準備 page shows for `fiscal_year`: each step and whether it is done."""
    previous = FiscalYear.objects.filter(year=fiscal_year.year - 1).first()
    return {
        "rule": GrantRule.objects.filter(fiscal_year=fiscal_year).first(),
        "allocations": SubsidyAllocation.objects.filter(fiscal_year=fiscal_year).count(),
        "previous_allocations": SubsidyAllocation.objects.filter(fiscal_year__year=fiscal_year.year - 1).count(),
        "previous": previous,
        "assignments": fiscal_year.assignments.count(),
        "previous_assignments": previous.assignments.count() if previous else 0,
        "missing_statistics": statistics_missing(fiscal_year),
        "grace_until": fiscal_year.grace_until,
    }
