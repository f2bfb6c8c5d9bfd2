"""Where the whole city stands, for 総合政策課's admin landing page. Every part runs a fixed number of queries.

It reads organizations, the liaisons' proposals (staff) and the grants, so it lives in the site package.
"""

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from grants import deadlines as grant_deadlines
from grants.budget import year_budget
from grants.models import FiscalYear, GrantCalculation, GrantDecision, GrantRevocation
from niimi_portal.lib.wareki import wareki_date
from offices.models import ProfileEdit
from organizations.models import FuturePlan, Organization, ProposalStatus, Region
from organizations.public import areas_by_town
from outbox.models import Message
from staff.proposals import pending_proposals

Status = Organization.ApprovalStatus
DEADLINE_DAYS = grant_deadlines.DASHBOARD_DAYS


def policy_dashboard(today=None, *, deadlines=False):
    """The dashboard's parts; `deadlines` adds the 期限 list (for those who handle the grants)."""
    today = today or timezone.localdate()
    fiscal_year = FiscalYear.current()
    return {
        "today": today,
        "stage_columns": [label for _, label in Organization.Stage.choices],
        "towns": areas_by_stage(),
        "waiting": waiting_for_review(today),
        "returned": returned_not_resubmitted(today),
        "proposals": proposals_waiting(today),
        "profile_edits": profile_edits_waiting(today),
        "fiscal_year": fiscal_year,
        "grants": grant_status(fiscal_year),
        "budget": year_budget(fiscal_year) if fiscal_year else None,
        "mail_failed": Message.objects.failed().count(),
        "deadlines": grant_deadlines.deadline_rows(today, within_days=DEADLINE_DAYS) if deadlines else None,
        "deadline_caption": f"期限（期限を過ぎたものと{DEADLINE_DAYS}日以内のもの、{wareki_date(today)}現在）",
    }


def areas_by_stage():
    """Per 旧市町 (every one, in the city's order), how many areas have no organization yet and how many
    stand at ①, ② and ③, counting unpublished organizations too (2 queries).

    The tally is the home page's (organizations.public.areas_by_town): each area counts once, at its
    lowest level above 行政区, at the furthest stage among the organizations covering it.
    """
    stages = Organization.Stage.values
    tallies = {town["slug"]: town for town in areas_by_town(published=False)}
    rows = []
    for town in Region.objects.filter(kind=Region.Kind.FORMER_TOWN).order_by("order", "name_kana"):
        tally = tallies.get(town.slug, {"areas": 0, "none": 0, "stages": [0] * len(stages)})
        rows.append(
            {
                "town": town,
                "no_organization": tally["none"],
                "by_stage": dict(zip(stages, tally["stages"], strict=True)),
                "total": tally["areas"],
                "cells": [tally["none"], *tally["stages"]],
            }
        )
    totals = [sum(column) for column in zip(*(row["cells"] for row in rows), strict=True)] if rows else []
    return {"rows": rows, "totals": totals, "total": sum(row["total"] for row in rows)}


def proposals_waiting(today):
    """Liaisons' proposals 確認待ち: counts by kind and the oldest's age in days (2 queries)."""
    rows = pending_proposals(today)
    return {
        "count": len(rows),
        "stage_changes": sum(1 for row in rows if row["kind"] == "stage"),
        "case_studies": sum(1 for row in rows if row["kind"] == "case"),
        "oldest_days": rows[0]["days"] if rows else None,
    }


def profile_edits_waiting(today):
    """The 事務局's proposed edits of their public page 確認待ち (offices, reviewed in their own admin screen):
    how many and the oldest's age in days (1 query)."""
    proposed = list(
        ProfileEdit.objects.filter(status=ProposalStatus.PENDING)
        .order_by("proposed_at")
        .values_list("proposed_at", flat=True)
    )
    return {
        "count": len(proposed),
        "oldest_days": (today - timezone.localdate(proposed[0])).days if proposed else None,
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
    """A fiscal year's grants by step (算定済, 交付決定, 変更交付決定, 実績報告済, 額の確定, 取消): counts and yen
    (2 queries). An organization whose 認可 is revoked is not 算定済; a partial 取消 keeps its decision at
    its step and is counted again, with the yen taken back, as 「うち一部取消」."""
    if fiscal_year is None:
        return None
    undecided = (
        GrantCalculation.objects.filter(fiscal_year=fiscal_year, decision__isnull=True)
        .counted()
        .aggregate(count=Count("id"), amount=Sum("total"))
    )
    partly_revoked = Subquery(
        GrantRevocation.objects.filter(decision=OuterRef("pk"), scope=GrantRevocation.Scope.PART)
        .values("decision")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    decided = {
        row["status"]: row
        for row in GrantDecision.objects.filter(fiscal_year=fiscal_year)
        .annotate(partly_revoked=Coalesce(partly_revoked, 0))
        .values("status")
        .annotate(
            count=Count("id"),
            amount=Sum("amount"),
            settled=Sum("settled_amount", filter=Q(status="settled")),
            part_count=Count("id", filter=Q(partly_revoked__gt=0)),
            part_amount=Sum("partly_revoked"),
        )
    }
    rows = [{"label": "算定済（交付決定前）", "count": undecided["count"], "amount": undecided["amount"] or 0}]
    for status, label in GrantDecision.Status.choices:
        row = decided.get(status, {})
        rows.append({"label": label, "count": row.get("count", 0), "amount": row.get("amount") or 0})
    still = [row for status, row in decided.items() if status != GrantDecision.Status.REVOKED]
    rows.append(
        {
            "label": "うち一部取消",
            "count": sum(row["part_count"] for row in still),
            "amount": sum(row["part_amount"] or 0 for row in still),
        }
    )
    decided_rows = decided.values()
    return {
        "rows": rows,
        "decided_count": sum(row["count"] for row in decided_rows),
        "decided_amount": sum(row["amount"] or 0 for row in decided_rows),
        "settled_amount": sum(row["settled"] or 0 for row in decided_rows),
    }
