"""起案 → 決裁 → 施行, as the 課 performs an act on paper. A document number is taken only after 決裁
(「番号は決裁の後」):

1. 起案: a clerk drafts the document (`draft_submit`, the 変更交付決定), or sends for 決裁 the document of an
   act already recorded (`entry_submit`: the 交付決定, 額の確定, 認可, 補正の求め, 不認可, 弁明の機会の付与,
   認可取消, 交付決定取消, 返還請求), whose line of the 文書番号簿 the act reserved without a number. Its PDF
   is a preview marked 「案」 with UNNUMBERED where the number will be (`draft_preview`).
2. 決裁 (`draft_approve`): a user holding the 決裁 permission of the kind's 専決区分 (ApprovalRoute)
   approves it; in one transaction the act takes effect (a drafted one), the document's line takes the
   series' next number (grants.register.number_assign, which writes it into the decision's or the
   organization's copy) and the document is frozen (grants.notices.document_issue). If any part is
   refused (a setting missing, a figure that no longer holds), nothing is numbered. A document that cites
   another (the 返還請求 its 確定 or 取消 notice, the 認可取消 its 弁明の機会, every grant letter its
   交付決定) is refused until the cited one is approved: it prints that number.
3. 差戻し (`draft_reject`): the 決裁権者 returns it to the drafter with a reason (required); the drafter
   edits it and sends it again (`draft_redraft`).

So the numbers follow the order of the 決裁, and an act voided before its 決裁 consumes no number. Each step
is recorded in the draft's history (who, when, the reason); the draft keeps who drafted it and who decided
it last. A number typed from the 課's paper register means the 決裁 was done on paper: that line is
numbered at once and its document only needs issuing. 要確認 for the city: whether its 文書取扱規程 takes
the number at 決裁 (as here) or at 施行 (発送), and whether an act may be voided after its 決裁.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from grants import budget, register, services, settlement
from grants.models import (
    LEVEL_ORDER,
    LEVEL_PERMISSIONS,
    ApprovalLevel,
    ApprovalRoute,
    DocumentDraft,
    DocumentKind,
    DocumentNumber,
    GrantChangeRequest,
    NoticeSettings,
)
from grants.notices import (
    LETTERS,
    UNNUMBERED,
    document_content,
    document_html,
    document_issue,
    document_preview,
    issued_original,
    render_pdf,
    settings_for,
)
from niimi_portal.lib.history import record_change
from niimi_portal.lib.refusal import refuse

Status = DocumentDraft.Status


def may_approve(user, level):
    """Whether `user` may approve a document of `level`: the level's permission or a higher one's
    (a 部長 may approve what a 課長 may; 要確認 against the city's 事務決裁規程)."""
    higher = LEVEL_ORDER[LEVEL_ORDER.index(ApprovalLevel(level)) :]
    return any(user.has_perm(LEVEL_PERMISSIONS[each]) for each in higher)


def may_approve_any(user):
    return any(user.has_perm(permission) for permission in LEVEL_PERMISSIONS.values())


# -- the acts that take effect on 決裁 -------------------------------------------------------------
# Each returns the register line (DocumentNumber) its document is issued under, numbered by draft_approve.
# A kind without its own act only reserves its line (its letter states what the draft's details say).


def _take_number(draft, by):
    return register.number_take(
        reserve=True,
        kind=draft.kind,
        day=draft.dated,
        subject=draft.subject,
        organization=draft.organization,
        decision=draft.decision,
        details=draft.details,
        by=by,
    )


def _change_check(draft):
    details, decision = draft.details, draft.decision
    amount = details.get("after")
    change_request = details.get("change_request")
    services.decision_change_check(
        decision=decision,
        amount=amount,
        reason=details.get("reason"),
        changed_on=draft.dated,
        change_request=GrantChangeRequest.objects.get(pk=change_request) if change_request else None,
    )
    budget.check_within_budget(decision.fiscal_year, amount - decision.amount, field="amount")


def _change_act(draft, by):
    """変更交付決定: the decided amount changes on 決裁, and the change's letter is numbered then. A change
    answering a 変更申請 (`change_request` in the details) decides that request."""
    details = draft.details
    if details.get("change_request"):
        change_request = GrantChangeRequest.objects.get(pk=details["change_request"])
        settlement.change_request_decide(
            change_request=change_request,
            changed_on=draft.dated,
            amount=details["after"],
            reason=details["reason"],
            by=by,
        )
        change_request.refresh_from_db()
        return change_request.entry
    decision = services.decision_change(
        decision=draft.decision, amount=details["after"], reason=details["reason"], changed_on=draft.dated, by=by
    )
    return decision.change_entry


ACTS = {DocumentKind.CHANGE: _change_act}
CHECKS = {DocumentKind.CHANGE: _change_check}


def _check(draft):
    if draft.kind not in LETTERS:
        refuse(f"「{draft.get_kind_display()}」の様式がありません。")
    check = CHECKS.get(draft.kind)
    if check is not None:
        check(draft)


# -- the steps -------------------------------------------------------------------------------------


@transaction.atomic
def draft_submit(*, kind, day, subject, organization, by, decision=None, details=None):
    """起案: a draft of `kind` sent for 決裁 to the level of its 専決区分. No number is taken."""
    draft = DocumentDraft(
        kind=kind,
        level=ApprovalRoute.objects.level_for(kind),
        dated=day,
        subject=subject[:200],
        organization=organization,
        decision=decision,
        details=details or {},
        drafted_by=by,
    )
    _check(draft)
    settings_for(day, kind)  # refused now, naming what is missing, rather than at 決裁
    record_change(draft, by=by, reason="起案")
    draft.save()
    return draft


@transaction.atomic
def draft_approve(*, draft, by):
    """決裁: the act takes effect, the document takes its number (register.number_assign) and is frozen;
    returns the issued document. Refused (PermissionDenied) for a user without the 決裁 permission of the
    draft's level, and while a document it cites waits for its own 決裁."""
    draft = DocumentDraft.objects.select_for_update().get(pk=draft.pk)
    if not may_approve(by, draft.level):
        raise PermissionDenied
    if draft.status != Status.SUBMITTED:
        refuse(f"この起案は「{draft.get_status_display()}」のため、決裁できません。")
    if draft.drafted_by_id == by.pk:
        # 要確認: the 事務決裁規程 usually has the 起案者 and the 決裁者 be different people.
        refuse("自分が起案した文書は決裁できません。ほかの決裁権者に回してください。")
    register.cited_check(kind=draft.kind, decision=draft.decision, details=draft.details)
    if draft.numbered_by_act:
        entry = draft.entry  # its act reserved the line when it was recorded (or a number was typed)
    else:
        _check(draft)
        entry = ACTS.get(draft.kind, _take_number)(draft, by)
    entry = register.number_assign(entry=entry, by=by)
    draft.entry = entry
    draft.status = Status.APPROVED
    draft.decided_by = by
    draft.decided_at = timezone.now()
    draft.reject_reason = ""
    record_change(draft, by=by, reason=f"決裁（{entry.text}）")
    draft.save()
    return document_issue(entry=entry, by=by)


@transaction.atomic
def draft_reject(*, draft, by, reason):
    """差戻し: the draft goes back to its drafter with `reason` (required, refused beside the field)."""
    draft = DocumentDraft.objects.select_for_update().get(pk=draft.pk)
    if not may_approve(by, draft.level):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        refuse("差戻しの理由を入力してください。", field="reason")
    if draft.status != Status.SUBMITTED:
        refuse(f"この起案は「{draft.get_status_display()}」のため、差し戻せません。")
    draft.status = Status.REJECTED
    draft.reject_reason = reason
    draft.decided_by = by
    draft.decided_at = timezone.now()
    record_change(draft, by=by, reason=f"差戻し: {reason}")
    draft.save()
    return draft


@transaction.atomic
def draft_redraft(*, draft, by, day=None, subject=None, details=None):
    """再起案: the drafter's corrections (date, subject, details), sent for 決裁 again under the 専決区分
    in force now. Only a returned draft is redrafted; the 差戻し stays in its history."""
    draft = DocumentDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != Status.REJECTED:
        refuse(f"この起案は「{draft.get_status_display()}」のため、修正できません（差戻しの後に限ります）。")
    # A draft of an act already recorded takes its words from its register line: the clerk corrects the act or
    # the notice settings (or voids the line and records the act again), then sends it again as it is.
    if not draft.numbered_by_act:
        if day is not None:
            draft.dated = day
        if subject:
            draft.subject = subject[:200]
        if details:
            draft.details = {**draft.details, **details}
        _check(draft)
    draft.level = ApprovalRoute.objects.level_for(draft.kind)
    draft.status = Status.SUBMITTED
    draft.submitted_at = timezone.now()
    draft.reject_reason = ""
    draft.decided_by = None
    draft.decided_at = None
    record_change(draft, by=by, reason="再起案")
    draft.save()
    return draft


@transaction.atomic
def entry_submit(*, entry, by):
    """起案 of the document of a register line an act recorded (the 交付決定, 額の確定, 認可, 補正の求め, 不認可,
    弁明の機会, 認可取消, 交付決定取消, 返還請求: the line waits for 決裁 without a number, or has the number
    typed from the paper register): sent for 決裁, which numbers it and freezes it. Returns the draft (the
    one already waiting, if any: a second click drafts nothing)."""
    entry = DocumentNumber.objects.select_for_update().get(pk=entry.pk)
    if entry.status == DocumentNumber.Status.VOIDED:
        refuse(f"文書番号簿の「{entry.text or entry.subject}」は欠番のため、文書を発行できません。")
    if entry.kind not in LETTERS:
        refuse(f"「{entry.get_kind_display()}」の様式がありません。")
    existing = DocumentDraft.objects.filter(entry=entry).first()
    if existing is not None:
        return existing
    if issued_original(entry) is not None:
        refuse(f"文書番号「{entry.text_with_year}」の文書はすでに発行されています。")
    settings_for(entry.dated, entry.kind)  # refused now, naming what is missing, rather than at 決裁
    draft = DocumentDraft(
        kind=entry.kind,
        level=ApprovalRoute.objects.level_for(entry.kind),
        dated=entry.dated,
        subject=entry.subject,
        organization_id=entry.organization_id,
        decision_id=entry.decision_id,
        details=entry.details,
        entry=entry,
        numbered_by_act=True,
        drafted_by=by,
    )
    record_change(draft, by=by, reason=f"起案（{entry.text_with_year}）")
    draft.save()
    return draft


def entry_draft(entry):
    """The draft of a register line's document, or None (a read: what a GET may show)."""
    return DocumentDraft.objects.filter(entry=entry).first()


def draft_preview(*, draft):
    """The PDF the draft would be issued as, marked 「案」 and without a number; stored nowhere."""
    if draft.numbered_by_act:
        return document_preview(entry=draft.entry)
    entry = DocumentNumber(
        kind=draft.kind,
        dated=draft.dated,
        subject=draft.subject,
        organization=draft.organization,
        decision=draft.decision,
        details=draft.details,
        text=UNNUMBERED,
    )
    version = NoticeSettings.objects.in_force(draft.dated)
    if version is None:
        settings_for(draft.dated)  # refuses, naming what is missing
    return render_pdf(document_html(document_content(entry, version), mark="案"))


def change_draft_submit(*, decision, amount, reason, changed_on, by, change_request=None):
    """起案 of a 変更交付決定 (answering `change_request`, a 変更申請, when given): the amount changes only on
    決裁 (`_change_act`)."""
    details = {"before": decision.amount, "after": amount, "reason": (reason or "").strip()}
    if change_request is not None:
        # requested_on and requested are what the letter cites; change_request is the 変更申請 decided on 決裁.
        details |= {
            "requested_on": change_request.received_on.isoformat(),
            "requested": change_request.requested_amount,
            "change_request": change_request.pk,
        }
    return draft_submit(
        kind=DocumentKind.CHANGE,
        day=changed_on,
        subject=f"{decision.fiscal_year.label} 変更交付決定 {decision.organization.name}",
        organization=decision.organization,
        decision=decision,
        details=details,
        by=by,
    )
