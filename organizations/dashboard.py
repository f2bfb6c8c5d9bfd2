"""Where the whole city stands, for 総合政策課's admin landing page. Every part runs a fixed number of queries."""

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.utils import timezone

from grants.models import FiscalYear, GrantCalculation, GrantDecision
from organizations.models import FuturePlan, Organization, Region

Status = Organization.ApprovalStatus


def policy_dashboard(today=None):
    today = today or timezone.localdate()
    fiscal_year = FiscalYear.current()
    return {
        "today": today,
        "stage_columns": [label for _, label in Organization.Stage.choices],
        "towns": areas_by_stage(),
        "waiting": waiting_for_review(today),
        "returned": returned_not_resubmitted(today),
        "proposals": proposals_waiting(today),
        "fiscal_year": fiscal_year,
        "grants": grant_status(fiscal_year),
    }


def areas_by_stage():
    """Per 旧市町, how many areas have no organization yet and how many stand at ①, ② and ③ (2 queries).

    Each area counts once, at its lowest level above 行政区 (a 学区 with 大字 registered counts as its
    大字), at the furthest stage among the organizations covering it directly or through the 学区 above.
    """
    stages = Organization.Stage.values
    towns = {
        town.pk: {"town": town, "no_organization": 0, "by_stage": dict.fromkeys(stages, 0), "total": 0}
        for town in Region.objects.filter(kind=Region.Kind.FORMER_TOWN).order_by("order", "name_kana")
    }
    below = Region.objects.filter(parent=OuterRef("pk")).exclude(kind=Region.Kind.DISTRICT)
    areas = (
        Region.objects.exclude(kind__in=[Region.Kind.FORMER_TOWN, Region.Kind.DISTRICT])
        .exclude(Exists(below))
        .select_related("parent__parent")
        .annotate(
            own_stage=Max("organizations__stage"),
            parent_stage=Max("parent__organizations__stage"),
        )
    )
    for area in areas:
        found = [stage for stage in (area.own_stage, area.parent_stage) if stage is not None]
        area.furthest_stage = max(found) if found else None
        town = area.former_town
        row = towns.get(town.pk) if town else None
        if row is None:
            continue  # an area not yet placed under a 旧町
        row["total"] += 1
        if area.furthest_stage is None:
            row["no_organization"] += 1
        else:
            row["by_stage"][area.furthest_stage] += 1
    rows = list(towns.values())
    for row in rows:
        row["cells"] = [row["no_organization"], *(row["by_stage"][s] for s in stages)]
    totals = [sum(column) for column in zip(*(row["cells"] for row in rows), strict=True)] if rows else []
    return {"rows": rows, "totals": totals, "total": sum(row["total"] for row in rows)}


def proposals_waiting(today):
    """Liaisons' proposals 確認待ち: counts by kind and the oldest's age in days (2 queries)."""
    from staff.proposals import pending_proposals  # staff depends on organizations, not the reverse

    rows = pending_proposals(today)
    return {
        "count": len(rows),
        "stage_changes": sum(1 for row in rows if row["kind"] == "stage"),
        "case_studies": sum(1 for row in rows if row["kind"] == "case"),
        "oldest_days": rows[0]["days"] if rows else None,
    }


def waiting_for_review(today):
    """申請中 organizations, longest waiting first, with days waiting and whether the file is complete (1 query)."""
    organizations = (
        Organization.objects.filter(approval_status=Status.APPLIED)
        .annotate(
            has_regions=Exists(Organization.regions.through.objects.filter(organization=OuterRef("pk"))),
            has_adopted_plan=Exists(
                FuturePlan.objects.filter(organization=OuterRef("pk"), status=FuturePlan.Status.ADOPTED)
            ),
        )
        .order_by(F("applied_on").asc(nulls_first=True), "name_kana")
    )
    waiting = list(organizations)
    for org in waiting:
        org.days_waiting = (today - org.applied_on).days if org.applied_on else None
        org.is_complete = org.has_regions and org.has_adopted_plan and bool(org.representative_name.strip())
    return waiting


def returned_not_resubmitted(today):
    """差戻し organizations not yet applied again, with when they were returned (2 queries).

    The return date is read from the history: the first record of the latest run of 差戻し records.
    """
    returned = list(Organization.objects.filter(approval_status=Status.RETURNED).order_by("name_kana"))
    history = (
        Organization.history.filter(id__in=[org.pk for org in returned])
        .order_by("id", "history_date", "history_id")
        .values_list("id", "approval_status", "history_date")
    )
    returned_at = {}
    for pk, status, when in history:
        if status != Status.RETURNED:
            returned_at.pop(pk, None)
        elif pk not in returned_at:
            returned_at[pk] = when
    for org in returned:
        when = returned_at.get(org.pk)
        org.returned_on = timezone.localdate(when) if when else None
        org.days_since_return = (today - org.returned_on).days if org.returned_on else None
    return returned


# -- this fiscal year's grant status (the one summary; grants.services had a second, used only by tests) --


def grant_status(fiscal_year):
    """A fiscal year's grants by step (算定済, 交付決定, 変更決定, 実績報告済, 額の確定): counts and yen (2 queries)."""
    if fiscal_year is None:
        return None
    undecided = GrantCalculation.objects.filter(fiscal_year=fiscal_year, decision__isnull=True).aggregate(
        count=Count("id"), amount=Sum("total")
    )
    decided = {
        row["status"]: row
        for row in GrantDecision.objects.filter(fiscal_year=fiscal_year)
        .values("status")
        .annotate(count=Count("id"), amount=Sum("amount"), settled=Sum("settled_amount", filter=Q(status="settled")))
    }
    rows = [{"label": "算定済（交付決定前）", "count": undecided["count"], "amount": undecided["amount"] or 0}]
    for status, label in GrantDecision.Status.choices:
        row = decided.get(status, {})
        rows.append({"label": label, "count": row.get("count", 0), "amount": row.get("amount") or 0})
    decided_rows = decided.values()
    return {
        "rows": rows,
        "decided_count": sum(row["count"] for row in decided_rows),
        "decided_amount": sum(row["amount"] or 0 for row in decided_rows),
        "settled_amount": sum(row["settled"] or 0 for row in decided_rows),
    }
