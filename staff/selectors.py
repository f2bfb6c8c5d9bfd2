"""What the liaison workspace's dashboard shows, read in one place so the views stay thin."""

from django.db.models import OuterRef, Q, Subquery

from organizations.models import CaseStudy, Organization, Region
from staff.access import target_kind
from staff.models import Meeting, NextStep, StageChange


def my_proposals(user, limit=20):
    """The liaison's own proposals, newest first, each with its status (確認待ち／反映／見送り and why)."""
    stage_changes = StageChange.objects.filter(recorded_by=user).select_related("organization")[:limit]
    cases = CaseStudy.objects.filter(proposed_by=user).select_related("organization")[:limit]
    rows = [
        {
            "kind": "段階の変更",
            "target": c.organization,
            "summary": f"{c.get_from_stage_display()} → {c.get_to_stage_display()}",
            "status": c.get_status_display(),
            "status_value": c.status,
            "reason": c.decline_reason,
            "when": c.recorded_at,
            "decided_at": c.decided_at,
        }
        for c in stage_changes
    ] + [
        {
            "kind": "取組事例",
            "target": c.organization,
            "summary": c.title,
            "status": c.get_status_display(),
            "status_value": c.status,
            "reason": c.decline_reason,
            "when": c.created_at,
            "decided_at": c.decided_at,
        }
        for c in cases
    ]
    return sorted(rows, key=lambda row: row["when"], reverse=True)[:limit]


def distinct_steps(steps):
    """The same next step carried over from meeting to meeting (「アンケートの集計」 at six meetings, issue 31)
    shown once: [{"step": the earliest due, "times": how many open ones it stands for}], in the order given."""
    grouped = {}
    for step in steps:
        key = (" ".join(step.description.split()), " ".join(step.owner.split()))
        if key in grouped:
            grouped[key]["times"] += 1
        else:
            grouped[key] = {"step": step, "times": 1}
    return list(grouped.values())


def dashboard_rows(access, assignments):
    """One row per current assignment: the area or organization, its last held meeting and its open
    next steps (4 queries whatever the number of assignments)."""
    org_ids = [a.organization_id for a in assignments if a.organization_id]
    region_ids = [a.region_id for a in assignments if a.region_id]
    held = Meeting.objects.active().filter(status=Meeting.Status.HELD, date__lte=access.today).order_by("-date", "-id")
    last_org = dict(
        Organization.objects.filter(pk__in=org_ids)
        .annotate(last=Subquery(held.filter(organization=OuterRef("pk")).values("pk")[:1]))
        .values_list("pk", "last")
    )
    last_region = dict(
        Region.objects.filter(pk__in=region_ids)
        .annotate(last=Subquery(held.filter(region=OuterRef("pk")).values("pk")[:1]))
        .values_list("pk", "last")
    )
    last_meetings = Meeting.objects.in_bulk([pk for pk in [*last_org.values(), *last_region.values()] if pk])
    steps = (
        NextStep.objects.filter(is_done=False, meeting__archived_at__isnull=True)
        .filter(Q(meeting__organization_id__in=org_ids) | Q(meeting__region_id__in=region_ids))
        .select_related("meeting")
        .order_by("due_date", "id")
    )
    steps_by_target = {}
    for step in steps:
        meeting = step.meeting
        key = ("organization", meeting.organization_id) if meeting.organization_id else ("region", meeting.region_id)
        steps_by_target.setdefault(key, []).append(step)
    steps_by_target = {key: distinct_steps(found) for key, found in steps_by_target.items()}
    rows = []
    for a in assignments:
        kind = target_kind(a.target)
        last_id = (last_org if kind == "organization" else last_region).get(a.target.pk)
        rows.append(
            {
                "assignment": a,
                "kind": kind,
                "last_meeting": last_meetings.get(last_id),
                "next_steps": steps_by_target.get((kind, a.target.pk), []),
            }
        )
    return rows
