"""The approval workflow of a 地域運営組織: one function per move, each atomic and recorded in the history.

    未申請 ─submit→ 申請中 ─approve→ 認可 ─revoke→ 取消
                      │  ↑
                 return  submit
                      ↓  │
                     差戻し

Every move locks the organization's row (`select_for_update`) and checks the status it finds
there, so two clerks acting at the same moment cannot both succeed: the second sees what the
first did and is refused. The history record of the save carries the acting user and the reason. Who may run a move is
checked before, by organizations/access.py (the admin pages ask there); the services trust their caller.

These are the organization's part of each move. 認可 and 差戻し are also letters numbered from the
課's 文書番号簿, and 認可 accepts a liaison's pending proposal of ③: the apps above do that, calling
these functions inside their own transaction (grants.approval_acts, which the admin's buttons use).
"""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from niimi_portal.lib.history import record_change
from niimi_portal.lib.refusal import refuse
from niimi_portal.lib.wareki import wareki_date
from organizations.models import FuturePlan, Organization, PublicationConsent
from organizations.signals import organization_returned

Status = Organization.ApprovalStatus


# A move that the organization's status, its application or the given input does not allow raises
# ValidationError({field: [message]}) (niimi_portal.lib.refusal). The old name is kept for code
# written against it; catch ValidationError.
TransitionRefused = ValidationError


@dataclass(frozen=True)
class Transition:
    name: str  # also the last part of the admin URL: …/<id>/<name>/
    verb: str  # the button and the confirmation page: 「認可する」
    sources: frozenset
    target: str
    needs_reason: bool = False

    @property
    def source_labels(self):
        return "・".join(f"「{Status(s).label}」" for s in Status.values if s in self.sources)

    def allowed_from(self, status):
        return status in self.sources


SUBMIT = Transition("submit", "申請を受け付ける", frozenset({Status.NOT_APPLIED, Status.RETURNED}), Status.APPLIED)
APPROVE = Transition("approve", "認可する", frozenset({Status.APPLIED}), Status.APPROVED)
RETURN = Transition("return", "差し戻す", frozenset({Status.APPLIED}), Status.RETURNED, needs_reason=True)
REVOKE = Transition("revoke", "認可を取り消す", frozenset({Status.APPROVED}), Status.REVOKED, needs_reason=True)
# 不認可: the application is refused (a 処分, with its own letter and 教示); the area may apply again later.
REFUSE = Transition(
    "refuse", "認可しない（不認可）", frozenset({Status.APPLIED}), Status.NOT_APPLIED, needs_reason=True
)
TRANSITIONS = {t.name: t for t in (SUBMIT, APPROVE, RETURN, REFUSE, REVOKE)}


def allowed_transitions(organization):
    """The moves open from the organization's current status, in the order the buttons show them."""
    return [t for t in TRANSITIONS.values() if t.allowed_from(organization.approval_status)]


def missing_requirements(organization):
    """What an application still lacks before it can be approved, each named in Japanese (empty when complete)."""
    missing = []
    if not organization.regions.exists():
        missing.append("活動区域が登録されていません（1つ以上の地域を選んでください）。")
    if not organization.representative_name.strip():
        missing.append("代表者名が登録されていません。")
    if not organization.future_plans.filter(status=FuturePlan.Status.ADOPTED).exists():
        missing.append("策定済みの「地域の将来計画」がありません。")
    return missing


# -- the moves ----------------------------------------------------------------------------------


def organization_submit(*, organization, by, date=None):
    """申請を受け付ける: 未申請 or 差戻し → 申請中. The application date defaults to today."""
    date = date or timezone.localdate()
    with transaction.atomic():
        org = _lock(organization, SUBMIT, by)
        _refuse(date=_date_errors(date, "申請日"))
        kind = "再申請" if org.approval_status == Status.RETURNED else "申請"
        org.approval_status = Status.APPLIED
        org.applied_on = date
        org.status_reason = ""
        return _save(org, by, f"{kind}を受け付けました（申請日 {wareki_date(date)}）。")


def organization_approve_check(*, organization, by, date, number=""):
    """Lock an 申請中 organization for 認可 and refuse, each beside its field, what the application, the
    date or a typed number does not allow. Returns the locked row; call it inside the approval's
    transaction, before the 認可通知書 takes its number (grants.approval_acts.organization_approve)."""
    number = (number or "").strip()
    org = _lock(organization, APPROVE, by)
    number_errors = []
    if number and Organization.objects.filter(approval_number=number).exclude(pk=org.pk).exists():
        number_errors.append(f"認可番号「{number}」はほかの組織に使われています。")
    date_errors = ["認可日を入力してください。"] if date is None else _date_errors(date, "認可日", org.applied_on)
    _refuse(**{NON_FIELD_ERRORS: missing_requirements(org), "number": number_errors, "date": date_errors})
    return org


def organization_approve(*, organization, by, date, number):
    """認可する: 申請中 → 認可, once the application is complete; records the number and date, stage ③.

    The 認可番号 is the 認可通知書's number in the 課's 文書番号簿: grants.approval_acts.organization_approve
    reserves its line and calls this in the same transaction (the whole act: call that); `number` is blank
    until the 認可通知書's 決裁 gives it (「番号は決裁の後」), unless typed from the paper register."""
    with transaction.atomic():
        org = organization_approve_check(organization=organization, by=by, date=date, number=number)
        org.approval_status = Status.APPROVED
        org.approval_number = number
        org.approved_on = date
        org.status_reason = ""
        org.stage = Organization.Stage.ESTABLISHED
        try:
            with transaction.atomic():
                numbered = f"認可番号 {number}" if number else "認可番号は認可通知書の決裁の後"
                _save(org, by, f"認可しました（{numbered}、認可日 {wareki_date(date)}）。")
        except IntegrityError:  # the same number given to another organization at this very moment
            raise ValidationError({"number": [f"認可番号「{number}」はほかの組織に使われています。"]}) from None
        return org


def organization_return(*, organization, by, reason):
    """差し戻す: 申請中 → 差戻し, with the reason the area reads when it corrects its application. The
    補正の求め通知書 takes its number in the same transaction: grants.approval_acts.organization_return."""
    with transaction.atomic():
        org = _lock(organization, RETURN, by)
        reason = _required_reason(reason, "差戻しの理由")
        org.approval_status = Status.RETURNED
        org.status_reason = reason
        org = _save(org, by, f"差し戻しました。理由: {reason}")
        transaction.on_commit(
            lambda: organization_returned.send(sender=Organization, organization=org, reason=reason, by=by)
        )
        return org


def organization_refuse(*, organization, by, reason):
    """認可しない（不認可）: 申請中 → 未申請, with the reason. Unlike the 差戻し (a 補正の求め), this decides
    the application; the 不認可通知書 (a 処分, with 教示) takes its number in the same transaction:
    grants.approval_acts.organization_refuse."""
    with transaction.atomic():
        org = _lock(organization, REFUSE, by)
        reason = _required_reason(reason, "不認可の理由")
        org.approval_status = Status.NOT_APPLIED
        org.status_reason = reason
        return _save(org, by, f"認可しないこと（不認可）としました。理由: {reason}")


STAGE_AFTER_REVOCATION = Organization.Stage.PLANNING


def organization_revoke(*, organization, by, reason, date=None, number=""):
    """認可を取り消す: 認可 → 取消 on `date` (today by default). The approval number and date stay on
    record; the stage goes back to ② because ③ needs 認可. This year's grant decision is not touched here:
    the confirmation page links to it, and its own 取消 is a decision of its own. The 弁明の機会 before it
    and the 認可取消通知書 (numbered, `number` if typed) are the grants app's: grants.approval_acts."""
    date = date or timezone.localdate()
    with transaction.atomic():
        org = _lock(organization, REVOKE, by)
        reason = _required_reason(reason, "取消の理由")
        early = org.approved_on and date < org.approved_on
        _refuse(date=[f"取消日は認可日（{wareki_date(org.approved_on)}）より前にはできません。"] if early else [])
        _refuse(date=_date_errors(date, "取消日"))
        org.approval_status = Status.REVOKED
        org.status_reason = reason
        org.stage = STAGE_AFTER_REVOCATION
        return _save(
            org,
            by,
            f"認可を取り消しました（取消日 {wareki_date(date)}、"
            f"段階は{STAGE_AFTER_REVOCATION.label}へ）。理由: {reason}",
        )


SERVICES = {
    SUBMIT.name: organization_submit,
    APPROVE.name: organization_approve,
    RETURN.name: organization_return,
    REFUSE.name: organization_refuse,
    REVOKE.name: organization_revoke,
}


# -- helpers ------------------------------------------------------------------------------------


def _lock(organization, transition, by):
    """Re-read the row under a lock held until the transaction ends; refuse unless the move is open."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if not transition.allowed_from(org.approval_status):
        refuse(refusal_message(org, transition))
    return org


def refusal_message(organization, transition):
    status = organization.get_approval_status_display()
    if organization.approval_status == transition.target == Status.APPROVED:
        return (
            f"「{organization}」はすでに認可されています（認可番号 {organization.approval_number}、"
            f"認可日 {wareki_date(organization.approved_on)}）。画面を読み込み直して確認してください。"
        )
    if organization.approval_status == transition.target:
        return f"「{organization}」はすでに「{status}」になっています。画面を読み込み直して確認してください。"
    return (
        f"「{organization}」の認可の状況は「{status}」のため、「{transition.verb}」ことはできません"
        f"（できるのは認可の状況が{transition.source_labels}のときです）。"
    )


def _required_reason(reason, label):
    reason = (reason or "").strip()
    _refuse(reason=[] if reason else [f"{label}を入力してください。"])
    return reason


def _date_errors(date, label, not_before=None):
    if date > timezone.localdate():
        return [f"{label}に未来の日付は指定できません。"]
    if not_before and date < not_before:
        return [f"{label}は申請日（{wareki_date(not_before)}）より前にはできません。"]
    return []


def _refuse(**errors_by_field):
    """Raise ValidationError with every error found, keyed by the form field it belongs to."""
    errors = {field: messages for field, messages in errors_by_field.items() if messages}
    if errors:
        raise ValidationError(errors)


def _save(org, by, reason):
    record_change(org, by=by, reason=reason)
    org.save()
    return org


# -- 掲載の同意 -------------------------------------------------------------------------------------


@transaction.atomic
def record_consent(*, organization, item, by, given_by, given_on, method, value=None, is_demo=False):
    """Record a consent to publish `item` (PublicationConsent.Item) of `organization`, covering the value it
    holds now unless `value` says otherwise. Saving renews the organization's cached pages (cache_rules)."""
    consent = PublicationConsent(
        organization=organization,
        item=item,
        consented_value=getattr(organization, item) if value is None else value,
        given_by=given_by,
        given_on=given_on,
        method=method,
        entered_by=by,
        is_demo=is_demo,
    )
    consent.full_clean()
    record_change(consent, by=by, reason="掲載の同意を記録")
    consent.save()
    return consent


@transaction.atomic
def withdraw_consent(*, consent, by, on=None, reason=""):
    """Withdraw a consent from `on` (today by default): the item leaves the public pages, printouts and open
    data at once (the save renews the organization's cached pages)."""
    consent = PublicationConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        refuse(f"この同意は{wareki_date(consent.withdrawn_on)}に撤回されています。", "withdrawn_on")
    consent.withdrawn_on = on or timezone.localdate()
    consent.full_clean()
    record_change(consent, by=by, reason=reason or "掲載の同意の撤回")
    consent.save()
    return consent
