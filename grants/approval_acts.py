"""認可, 差戻し, 不認可 and 認可取消 as the 課 performs them: the organization's move
(organizations.services), the letter's line of the 文書番号簿 (grants.register: reserved, numbered on the
letter's 決裁 — 「番号は決裁の後」 — unless a number is typed from the paper register) and, for 認可,
the liaisons' pending proposals of ③ (staff.services), all in one transaction: a refusal or a failure
anywhere rolls every part back.

organizations sits below grants and staff, so it never numbers a letter itself; the admin's workflow
buttons (grants.admin_organizations) and every caller that approves or returns go through here.

認可取消 is a 不利益処分: before it, the organization is given the 弁明の機会 (hearing_notify, with its
付与通知書 and a deadline on a working day), its 弁明 recorded if one comes (hearing_record_explanation),
and only then, once the deadline has passed or the 弁明 is on record, is the 認可 revoked with the
認可取消通知書 (organization_revoke). 行政手続法第13条第1項第2号 and the city's 行政手続条例 (要確認).
"""

from django.db import transaction
from django.utils import timezone

from grants import register
from grants.models import ApprovalHearing, FiscalYear, GrantDecision
from niimi_portal.lib import workdays
from niimi_portal.lib.history import record_change
from niimi_portal.lib.refusal import refuse
from niimi_portal.lib.wareki import wareki_date
from organizations import services
from organizations.models import Organization
from staff.services import stage_change_accept_by_approval


def organization_approve(*, organization, by, date, number=""):
    """認可する: the 認可通知書's line of the register waits for its 決裁, which gives the number and makes it
    the 認可番号 (grants.register.number_assign); or `number` as typed from the paper register (refused
    beside the field if it is used) is the 認可番号 at once. Approving is how
    総合政策課 accepts a liaison's pending proposal of ③: it is marked 反映 and the liaison told."""
    typed = (number or "").strip()
    with transaction.atomic():
        org = services.organization_approve_check(organization=organization, by=by, date=date, number=typed)
        entry = register.number_take(
            reserve=True,
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
    """差し戻す: the 補正の求め通知書 (not a 処分: no 教示), with the reason as it was given; its line of the
    文書番号簿 is numbered on its 決裁."""
    with transaction.atomic():
        org = services.organization_return(organization=organization, by=by, reason=reason)
        register.number_take(
            reserve=True,
            kind=register.DocumentKind.RETURN,
            day=date or timezone.localdate(),
            subject=f"地域運営組織の認可申請の差戻し {org.name}",
            organization=org,
            details={"reason": org.status_reason},
            by=by,
        )
        return org


def organization_refuse(*, organization, by, reason, date=None):
    """認可しない（不認可）: the 不認可通知書 (a 処分, with 教示), with the reason as it was given; its line
    of the 文書番号簿 is numbered on its 決裁."""
    with transaction.atomic():
        org = services.organization_refuse(organization=organization, by=by, reason=reason)
        register.number_take(
            reserve=True,
            kind=register.DocumentKind.REFUSAL,
            day=date or timezone.localdate(),
            subject=f"地域運営組織の認可申請の不認可 {org.name}",
            organization=org,
            details={"reason": org.status_reason},
            by=by,
        )
        return org


# -- 弁明の機会 → 認可取消 ---------------------------------------------------------------------------

# The 弁明書's usual deadline: 14 days after the 付与通知, moved to the next working day. 行政手続法 asks
# only for 「相当な期間」; the period is an assumption the city must confirm (要確認).
HEARING_PERIOD_DAYS = 14


def default_hearing_deadline(day):
    """The usual 弁明書の提出期限 for a 付与通知 dated `day`: HEARING_PERIOD_DAYS later, on a working day."""
    return workdays.deadline_after(day, HEARING_PERIOD_DAYS)


def open_hearing(organization):
    """The organization's 弁明の機会 that has not yet led to a 取消 (None if there is none)."""
    return (
        ApprovalHearing.objects.filter(organization=organization, revocation_entry__isnull=True)
        .select_related("notice_entry")
        .order_by("-notified_on", "-pk")
        .first()
    )


def hearing_notify(*, organization, by, notified_on, facts, deadline=None, number=""):
    """弁明の機会の付与: the 付与通知書 (not a 処分: no 教示), numbered on its 決裁 (or typed), stating the 取消
    planned, its article, the facts and the deadline (a working day; HEARING_PERIOD_DAYS later when not given)."""
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        if not org.is_approved:
            refuse(f"「{org}」は認可されていないため、認可の取消しの弁明の機会は付与できません。")
        pending = open_hearing(org)
        if pending is not None:
            refuse(
                f"「{org}」にはすでに弁明の機会を付与しています（{wareki_date(pending.notified_on)}、"
                f"{pending.notice_entry.text_with_year}）。その弁明を記録し、認可を取り消すか、手続きを見直してください。"
            )
        if notified_on is None:
            refuse("通知日を入力してください。", field="notified_on")
        facts = (facts or "").strip()
        if not facts:
            refuse("不利益処分の原因となる事実を入力してください。", field="facts")
        deadline = deadline or default_hearing_deadline(notified_on)
        if deadline <= notified_on:
            refuse("弁明書の提出期限は通知日より後の日にしてください。", field="deadline")
        if not workdays.is_working_day(deadline):
            refuse(
                f"弁明書の提出期限が土日・祝日・年末年始（{wareki_date(deadline)}）です。"
                f"開庁日（例えば{wareki_date(workdays.next_working_day(deadline))}）にしてください。",
                field="deadline",
            )
        entry = register.number_take(
            reserve=True,
            kind=register.DocumentKind.HEARING,
            day=notified_on,
            subject=f"地域運営組織の認可の取消しに係る弁明の機会の付与 {org.name}",
            organization=org,
            typed=number,
            by=by,
            details={
                "facts": facts,
                "deadline": deadline.isoformat(),
                **_approval_cited(org),
            },
        )
        hearing = ApprovalHearing(
            organization=org,
            notified_on=notified_on,
            deadline=deadline,
            facts=facts,
            notice_entry=entry,
            notified_by=by,
        )
        record_change(
            hearing, by=by, reason=f"弁明の機会の付与（{entry.text_with_year}、提出期限 {wareki_date(deadline)}）"
        )
        hearing.save()
        return hearing


def _approval_cited(organization):
    """How a letter about an organization's 認可 cites it: the 認可通知書's line of the register (its number
    read when the letter is issued, grants.notices.letters) and, for a 認可 entered before the register, the
    認可番号 as the organization keeps it."""
    entry = register.latest_entry(kind=register.DocumentKind.APPROVAL, organization=organization)
    return {
        "approval_entry": entry.pk if entry else None,
        "approval_number": organization.approval_number,
        "approved_on": organization.approved_on.isoformat() if organization.approved_on else "",
    }


def hearing_record_explanation(*, hearing, by, explained_on, explanation):
    """弁明書の受付: the date it came and the gist of the 弁明, for the 取消 to weigh and cite."""
    with transaction.atomic():
        locked = ApprovalHearing.objects.select_for_update().get(pk=hearing.pk)
        if not locked.is_open:
            refuse("この弁明の機会はすでに認可の取消しに至っているため、弁明を記録できません。")
        if locked.explained_on is not None:
            refuse(f"弁明書は{wareki_date(locked.explained_on)}に受け付けています。", field="explained_on")
        if explained_on is None:
            refuse("弁明書の受付日を入力してください。", field="explained_on")
        if explained_on < locked.notified_on:
            refuse(
                f"弁明書の受付日は通知日（{wareki_date(locked.notified_on)}）以降にしてください。", field="explained_on"
            )
        explanation = (explanation or "").strip()
        if not explanation:
            refuse("弁明の要旨を入力してください。", field="explanation")
        locked.explained_on = explained_on
        locked.explanation = explanation
        record_change(locked, by=by, reason=f"弁明書の受付（{wareki_date(explained_on)}）")
        locked.save()
        hearing.refresh_from_db()
        return locked


def revocation_refusal(hearing, date):
    """Why the 認可 cannot be revoked on `date` given its 弁明の機会, or "" when it can: only after a
    弁明の機会, once its deadline has passed or a 弁明 is on record (and not before the 弁明 came)."""
    if hearing is None:
        return "認可を取り消す前に、弁明の機会を付与してください（組織のページの「弁明の機会の付与」）。"
    if date is None:
        return "取消日を入力してください。"
    if hearing.explained_on is not None:
        if date < hearing.explained_on:
            return f"取消日は弁明書の受付日（{wareki_date(hearing.explained_on)}）以降にしてください。"
        return ""
    if date <= hearing.deadline:
        return (
            f"弁明書の提出期限（{wareki_date(hearing.deadline)}）が過ぎるまで、または弁明を記録するまで、"
            "認可は取り消せません。"
        )
    return ""


def organization_revoke(*, organization, by, reason, date=None, number=""):
    """認可を取り消す: after the 弁明の機会 (revocation_refusal), the 認可取消通知書 (a 処分, with 教示), numbered
    on its 決裁 (or typed), cites the 弁明 by its line of the register (its 決裁 waits for the 付与通知書's); the
    organization falls back to ② (organizations.services)."""
    date = date or timezone.localdate()
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        if not (reason or "").strip():  # the reason first, as organizations.services refuses it
            refuse("取消の理由を入力してください。", field="reason")
        hearing = open_hearing(org)
        problem = revocation_refusal(hearing, date) if org.is_approved else ""
        if problem:
            refuse(problem, field="date")
        org = services.organization_revoke(organization=org, by=by, reason=reason, date=date)
        entry = register.number_take(
            reserve=True,
            kind=register.DocumentKind.APPROVAL_REVOCATION,
            day=date,
            subject=f"地域運営組織の認可の取消し {org.name}",
            organization=org,
            typed=number,
            by=by,
            details={
                "reason": org.status_reason,
                **_approval_cited(org),
                "cited_entry": hearing.notice_entry_id,
                "hearing_on": hearing.notified_on.isoformat(),
                "deadline": hearing.deadline.isoformat(),
                "explained_on": hearing.explained_on.isoformat() if hearing.explained_on else "",
                "explanation": hearing.explanation,
                "grant_follows": GrantDecision.objects.filter(organization=org)
                .exclude(status=GrantDecision.Status.REVOKED)
                .exclude(status=GrantDecision.Status.SETTLED)
                .exists(),
            },
        )
        hearing.revocation_entry = entry
        record_change(hearing, by=by, reason=f"認可の取消し（{entry.text_with_year}）")
        hearing.save()
        return org


# The moves as the admin runs them: submit numbers no letter.
ACTS = {
    **services.SERVICES,
    services.APPROVE.name: organization_approve,
    services.RETURN.name: organization_return,
    services.REFUSE.name: organization_refuse,
    services.REVOKE.name: organization_revoke,
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
        "hearing": open_hearing(organization),
    }
