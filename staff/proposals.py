"""What waits for 総合政策課: liaisons' proposals not yet accepted (反映) or declined (見送り)."""

from django.utils import timezone

from organizations.models import CaseStudy
from staff.models import StageChange


def pending_proposals(today=None):
    """Every 確認待ち proposal, oldest first, with its age in days (2 queries)."""
    today = today or timezone.localdate()
    rows = [
        {
            "kind": "stage",
            "kind_label": "段階の変更",
            "pk": c.pk,
            "target": c.organization,
            "summary": f"{c.get_from_stage_display()} → {c.get_to_stage_display()}（変更日 {c.changed_on:%Y-%m-%d}）",
            "detail": c.note,
            "evidence": c.evidence_meeting,
            "proposer": c.recorded_by,
            "proposed_at": c.recorded_at,
            "stage_error": c.organization.stage_error(c.to_stage),
            "needs_approval": c.to_stage == 3 and c.organization.approval_status == "applied",
        }
        for c in StageChange.objects.pending().select_related("organization", "recorded_by", "evidence_meeting")
    ] + [
        {
            "kind": "case",
            "kind_label": "取組事例",
            "pk": c.pk,
            "target": c.organization or (c.source_meeting.target if c.source_meeting else "—"),
            "summary": c.title,
            "detail": f"{c.summary}\n\n{c.body}",
            "evidence": c.source_meeting,
            "proposer": c.proposed_by,
            "proposed_at": c.created_at,
            "case": c,
        }
        for c in CaseStudy.objects.pending_proposals().select_related(
            "organization", "proposed_by", "source_meeting__organization", "source_meeting__region"
        )
    ]
    rows.sort(key=lambda row: row["proposed_at"])
    for row in rows:
        row["key"] = f"{row['kind']}-{row['pk']}"
        row["days"] = (today - timezone.localdate(row["proposed_at"])).days
    return rows
