"""認可 and 差戻し as the 課 performs them: the organization's move (organizations.services), the letter's
number from the 文書番号簿 (grants.register) and, for 認可, the liaisons' pending proposals of ③
(staff.services), all in one transaction: a refusal or a failure anywhere rolls every part back.

organizations sits below grants and staff, so it never numbers a letter itself; the admin's workflow
buttons (grants.admin_organizations) and every caller that approves or returns go through here.
"""

from django.db import transaction
from django.utils import timezone

from grants import register
from grants.models import FiscalYear, GrantDecision
from organizations import services
from staff.services import stage_change_accept_by_approval


def organization_approve(*, organization, by, date, number=""):
    """認可する: the 認可通知書 takes the register's next number, or `number` as typed from the paper
    register (refused beside the field if it is used), and that number is the 認可番号. Approving is how
    総合政策課 accepts a liaison's pending proposal of ③: it is marked 反映 and the liaison told."""
    typed = (number or "").strip()
    with transaction.atomic():
        org = services.organization_approve_check(organization=organization, by=by, date=date, number=typed)
        entry = register.number_take(
            kind=register.DocumentKind.APPROVAL,
            day=date,
            subject=f"地域運営組織の認可 {org.name}",
            organization=org,
            typed=typed,
            by=by,
        )
        org = services.organization_approve(organization=org, by=by, date=date, number=entry.text)
        stage_change_accept_by_approval(organization=org, by=by)
        return org


def organization_return(*, organization, by, reason, date=None):
    """差し戻す: the 補正の求め通知書 (not a 処分: no 教示) takes the next number of the 文書番号簿, with
    the reason as it was given."""
    with transaction.atomic():
        org = services.organization_return(organization=organization, by=by, reason=reason)
        register.number_take(
            kind=register.DocumentKind.RETURN,
            day=date or timezone.localdate(),
            subject=f"地域運営組織の認可申請の差戻し {org.name}",
            organization=org,
            details={"reason": org.status_reason},
            by=by,
        )
        return org


def organization_refuse(*, organization, by, reason, date=None):
    """認可しない（不認可）: the 不認可通知書 (a 処分, with 教示) takes the next number of the 文書番号簿,
    with the reason as it was given."""
    with transaction.atomic():
        org = services.organization_refuse(organization=organization, by=by, reason=reason)
        register.number_take(
            kind=register.DocumentKind.REFUSAL,
            day=date or timezone.localdate(),
            subject=f"地域運営組織の認可申請の不認可 {org.name}",
            organization=org,
            details={"reason": org.status_reason},
            by=by,
        )
        return org


# The moves as the admin runs them: submit and revoke number no letter here.
ACTS = {
    **services.SERVICES,
    services.APPROVE.name: organization_approve,
    services.RETURN.name: organization_return,
    services.REFUSE.name: organization_refuse,
}


def revocation_consequences(organization):
    """What follows a revocation, for the confirmation page: the stage it falls back to and this
    fiscal year's grant decision, if any (the clerk decides on it separately)."""
    fiscal_year = FiscalYear.objects.current()
    decision = (
        GrantDecision.objects.filter(organization=organization, fiscal_year=fiscal_year).first()
        if fiscal_year
        else None
    )
    return {
        "stage_after": services.STAGE_AFTER_REVOCATION.label,
        "fiscal_year": fiscal_year,
        "grant_decision": decision,
    }
