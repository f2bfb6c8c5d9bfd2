"""When an organization was 認可, read from its history (django-simple-history), not from today's status.

A fiscal year's 算定 and a 交付決定 ask "was it approved then?": an organization approved in 2026 had
no approval in 令和7年度, and one whose approval was revoked keeps the years it was approved. A period
of approval starts on the 認可日 the record states and ends on the day the status left 認可 (取消 has
no date field of its own, so the day it was recorded is used).
"""

from dataclasses import dataclass

from organizations.models import Organization

APPROVED = Organization.ApprovalStatus.APPROVED
REVOKED = Organization.ApprovalStatus.REVOKED


@dataclass(frozen=True)
class ApprovalPeriod:
    approved_on: object
    ended_on: object = None  # the first day without approval; None while it lasts

    def covers(self, day):
        return self.approved_on <= day and (self.ended_on is None or day < self.ended_on)

    def overlaps(self, start, end):
        return self.approved_on <= end and (self.ended_on is None or self.ended_on > start)


def approval_periods(organization_ids=None):
    """{organization id: [ApprovalPeriod, …]} from the history (two queries: the history, and today's
    approvals, which stand for an organization whose history missed its approval)."""
    return _read_history(organization_ids)[0]


def _read_history(organization_ids):
    """The periods of approval by organization, and the status each organization's history ends with."""
    history = Organization.history.order_by("id", "history_date", "history_id")
    current = Organization.objects.all()
    if organization_ids is not None:
        ids = list(organization_ids)
        history = history.filter(id__in=ids)
        current = current.filter(pk__in=ids)
    periods, open_periods, last_status = {}, {}, {}
    for org_id, status, approved_on, recorded in history.values_list(
        "id", "approval_status", "approved_on", "history_date"
    ):
        last_status[org_id] = status
        if status == APPROVED and approved_on is not None:
            # A later row of the same approval may correct its date: the latest date stands.
            open_periods[org_id] = approved_on
        elif org_id in open_periods:
            periods.setdefault(org_id, []).append(ApprovalPeriod(open_periods.pop(org_id), recorded.date()))
    for org_id, approved_on in open_periods.items():
        periods.setdefault(org_id, []).append(ApprovalPeriod(approved_on))
    # Today's approval stands even where the history missed it (a bulk load or an `update()`).
    approved_now = current.filter(approval_status=APPROVED, approved_on__isnull=False)
    for org_id, approved_on in approved_now.values_list("pk", "approved_on"):
        if org_id not in open_periods:
            periods.setdefault(org_id, []).append(ApprovalPeriod(approved_on))
    return periods, last_status


def approved_during(start, end, organization_ids=None):
    """The ids of the organizations approved on at least one day from `start` to `end`."""
    return {
        org_id
        for org_id, spans in approval_periods(organization_ids).items()
        if any(span.overlaps(start, end) for span in spans)
    }


def approved_during_and_not_revoked(start, end, organization_ids=None):
    """Those of `approved_during` whose 認可 was not revoked by `end` (every period over by then, and the
    history ending in 取消); one revoked after `end` keeps the period. Two queries, as approved_during."""
    periods, last_status = _read_history(organization_ids)
    return {
        org_id
        for org_id, spans in periods.items()
        if any(span.overlaps(start, end) for span in spans)
        and not (
            last_status.get(org_id) == REVOKED
            and all(span.ended_on is not None and span.ended_on <= end for span in spans)
        )
    }


def approval_on(organization, day):
    """The 認可日 of the approval in force on `day`, or None when the organization was not approved then."""
    for span in approval_periods([organization.pk]).get(organization.pk, []):
        if span.covers(day):
            return span.approved_on
    return None
