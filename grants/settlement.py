"""The money of the grant year after the 交付決定: 変更申請, 請求 and 支払, 精算払, 返還, 交付決定取消.

    交付決定 ─ 変更申請 → 変更交付決定 (通知書) ─ 請求 → 支払 (概算払, 何回でも) ─ 実績報告 ─ 額の確定 (通知書)
        ├─ 確定額 > 支払済額: 精算払の請求 (組織の請求書、通知書なし) → 支払
        └─ 確定額 < 支払済額: 返還請求 (返還請求書、納付期限) → 納付

Paying what the 確定額 leaves unpaid is a 精算払: a payment of an amount already decided, on the
organization's 請求, with no notice beyond the 交付額確定通知書. An 追加交付 increases the grant: in the
portal that is a 変更交付決定 (増額) before the 額の確定 (the 確定額 never exceeds the decided amount), so
no act here numbers a 追加交付通知書 (the kind stays for lines numbered before: 要確認 with the city).
    認可の取消し → 交付決定取消 (全部・一部、通知書) → 返還請求

Like grants.services: keyword arguments, one transaction, the audit history (record_change), and a
refusal is ValidationError({field: [message]}) raised before anything is written. Every notice has its
line in the 文書番号簿 (grants.register), numbered on its 決裁 (grants.drafts), and is issued through
grants.notices.
"""

from django.db import transaction

from grants import register, services
from grants.categories import EXPENSE_CATEGORIES, BudgetCategory
from grants.models import (
    DocumentKind,
    GrantChangeRequest,
    GrantChangeRequestLine,
    GrantDecision,
    GrantPayment,
    GrantRefund,
    GrantRevocation,
    Receipt,
)
from grants.receipts import take_receipt
from niimi_portal.lib import workdays
from niimi_portal.lib.history import record_change
from niimi_portal.lib.money import yen
from niimi_portal.lib.refusal import refuse
from niimi_portal.lib.wareki import wareki_date

Status = GrantDecision.Status
BEFORE_SETTLEMENT = (Status.DECIDED, Status.CHANGED, Status.REPORTED)


def _amount(value, field, label):
    if value is None or value < 1:
        refuse(f"{label}は1円以上で入力してください。", field=field)
    return value


def _not_before(day, earliest, field, message):
    if day is None:
        refuse("日付を入力してください。", field=field)
    if day < earliest:
        refuse(f"{message}（{wareki_date(earliest)}以降）。", field=field)


# -- 変更申請 → 変更交付決定 --------------------------------------------------------------------------


@transaction.atomic
def change_request_receive(*, decision, received_on, requested_amount, reason, budget=None, by=None, receipt=None):
    """変更申請の受付 (`receipt`: its 受付簿 line when already taken, as for a form sent online): the date it
    arrived, the amount asked for and why, with its revised 収支予算
    (`budget`: [(category, project or None, label, yen)], the structure of the 交付申請's). The revised
    budget balances against the amount asked for (支出 = 変更後の額 + その他の収入); once the 変更交付決定 is
    made, the 実績報告 and the 額の確定 compare against it (grants.applications.budget_lines_in_force)."""
    locked = services._lock_decision(decision)
    if locked.status not in (Status.DECIDED, Status.CHANGED):
        refuse(
            f"「{locked.get_status_display()}」の交付決定には変更申請を受け付けられません（実績報告の前に限ります）。"
        )
    if locked.change_requests.filter(status=GrantChangeRequest.Status.RECEIVED).exists():
        refuse("決定していない変更申請があります。先にその変更申請を決定してください。")
    earliest = locked.changed_on or locked.decided_on
    _not_before(received_on, earliest, "received_on", "受付日は交付決定日以降にしてください")
    if requested_amount is None or requested_amount < 0:
        refuse("申請された変更後の額は0円以上で入力してください。", field="requested_amount")
    if requested_amount == locked.amount:
        refuse("申請された変更後の額が現在の交付決定額と同じです。", field="requested_amount")
    reason = (reason or "").strip()
    if not reason:
        refuse("変更申請の理由を入力してください。", field="reason")
    lines = _revised_budget(locked, budget, requested_amount) if budget is not None else []
    request = GrantChangeRequest(
        decision=locked,
        received_on=received_on,
        requested_amount=requested_amount,
        reason=reason,
        received_by=by,
        receipt=receipt or _receipt(Receipt.Kind.CHANGE_REQUEST, locked, received_on, by),
    )
    record_change(request, by=by, reason=f"変更申請の受付（{requested_amount:,}円）")
    request.save()
    for line in lines:
        line.change_request = request
    GrantChangeRequestLine.objects.bulk_create(lines)
    return request


def _revised_budget(decision, budget, requested_amount):
    """The 変更申請's 収支予算 as unsaved lines, refused beside `budget` unless every amount is 0 yen or more,
    事業費 lines name projects of the annual plan (and only they name one), and it balances."""
    projects = {project.pk for project in services.planned_projects_for(decision)}
    lines = []
    for order, (category, project, label, amount) in enumerate(budget):
        if category not in BudgetCategory.values:
            refuse("収支予算の区分が正しくありません。", field="budget")
        if amount is None or amount < 0:
            refuse("変更後の収支予算の金額は0円以上で入力してください。", field="budget")
        is_project = category == BudgetCategory.PROJECT
        if is_project != (project is not None) or (is_project and getattr(project, "pk", project) not in projects):
            refuse("事業費の行には年度計画の事業を、ほかの区分には事業なしを指定してください。", field="budget")
        lines.append(
            GrantChangeRequestLine(
                category=category,
                project_id=getattr(project, "pk", project),
                label=label or "",
                amount=amount,
                order=order,
            )
        )
    if not lines:
        refuse("変更後の収支予算を入力してください。", field="budget")
    expenses = sum(line.amount for line in lines if line.category in EXPENSE_CATEGORIES)
    income = sum(line.amount for line in lines if line.category == BudgetCategory.OTHER_INCOME)
    if expenses != requested_amount + income:
        refuse(
            f"変更後の収支予算の収支が均衡していません。支出 {yen(expenses)}、収入 {yen(requested_amount + income)}"
            f"（変更後の額 {yen(requested_amount)} ＋ その他の収入 {yen(income)}）。",
            field="budget",
        )
    return lines


@transaction.atomic
def change_request_decide(*, change_request, changed_on, amount=None, reason=None, by=None, document_number=""):
    """変更交付決定: decide a received 変更申請 (at the amount asked, unless `amount` says otherwise),
    with its 変更交付決定通知書 citing the request.

    Deciding another amount than was asked is allowed even when the request carries a revised 収支予算,
    although that budget balances against the amount asked (支出 = 申請額 + その他の収入), not the amount
    decided. Refusing it would leave the city unable to decide less than an organization asked, since the
    budget is the organization's own document and the portal cannot rewrite it. Instead the difference
    is kept in view: the 通知書's register line holds both amounts (details "requested" and "after"), and
    the 実績報告 and the 交付額確定通知書 name the budget 「変更後の収支予算（申請額ベース、決定額と差あり）」
    with both figures (grants.applications.budget_basis) until a later 変更申請 brings one that matches."""
    request = GrantChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if request.status != GrantChangeRequest.Status.RECEIVED:
        refuse("この変更申請はすでに決定しています。")
    decision = services.decision_change(
        decision=request.decision,
        amount=request.requested_amount if amount is None else amount,
        reason=(reason or request.reason),
        changed_on=changed_on,
        by=by,
        document_number=document_number,
        change_request=request,
    )
    request.status = GrantChangeRequest.Status.DECIDED
    request.entry = decision.change_entry
    record_change(request, by=by, reason=f"変更交付決定（{decision.change_entry.text_with_year}）")
    request.save()
    change_request.refresh_from_db()
    return request


# -- 請求 and 支払 -------------------------------------------------------------------------------------


def _receipt(kind, decision, received_on, by):
    """The 受付番号 of what the organization sent about `decision` (grants.receipts)."""
    return take_receipt(
        kind=kind,
        received_on=received_on,
        organization=decision.organization,
        subject=f"{decision.fiscal_year.label} {Receipt.Kind(kind).label} {decision.organization.name}",
        by=by,
    )


def _next_instalment(decision):
    return (max((payment.instalment for payment in decision.payments.all()), default=0)) + 1


@transaction.atomic
def payment_claim(*, decision, claimed_on, amount, by=None, receipt=None):
    """請求 of a 概算払 (an instalment paid before the 額の確定). All claims together stay within the
    decided amount. `receipt`: its 受付簿 line when already taken (a form sent online)."""
    locked = services._lock_decision(decision)
    if locked.status not in BEFORE_SETTLEMENT:
        refuse(
            f"「{locked.get_status_display()}」の交付決定には概算払を請求できません"
            "（額の確定の後は精算払の請求で支払います）。"
        )
    if not locked.organization.is_approved:
        refuse(
            f"{locked.organization.name}の認可が取り消されているため、支払えません。交付決定の取消しを行ってください。"
        )
    _not_before(claimed_on, locked.decided_on, "claimed_on", "請求日は交付決定日以降にしてください")
    _amount(amount, "amount", "請求額")
    claimed = locked.claimed_amount
    if claimed + amount > locked.amount:
        refuse(
            f"請求額の計が交付決定額（{locked.amount:,}円）を超えます。"
            f"請求できるのは残り{locked.amount - claimed:,}円までです。",
            field="amount",
        )
    payment = GrantPayment(
        decision=locked,
        kind=GrantPayment.Kind.ADVANCE,
        instalment=_next_instalment(locked),
        claimed_on=claimed_on,
        amount=amount,
        recorded_by=by,
        receipt=receipt or _receipt(Receipt.Kind.CLAIM, locked, claimed_on, by),
    )
    record_change(payment, by=by, reason=f"概算払の請求（第{payment.instalment}回 {amount:,}円）")
    payment.save()
    return payment


@transaction.atomic
def payment_pay(*, payment, paid_on, by=None):
    """支払: the city paid the claim on `paid_on`."""
    locked = GrantPayment.objects.select_for_update().select_related("decision").get(pk=payment.pk)
    if locked.paid_on is not None:
        refuse(f"第{locked.instalment}回の請求は{wareki_date(locked.paid_on)}に支払済みです。")
    if locked.decision.status == Status.REVOKED:
        refuse("交付決定が取り消されているため、支払えません。")
    _not_before(paid_on, locked.claimed_on, "paid_on", "支払日は請求日以降にしてください")
    locked.paid_on = paid_on
    record_change(locked, by=by, reason=f"支払（第{locked.instalment}回 {locked.amount:,}円）")
    locked.save()
    payment.refresh_from_db()
    return locked


@transaction.atomic
def final_payment_claim(*, decision, claimed_on, by=None, receipt=None):
    """精算払の請求: after the 額の確定, the organization's 請求 of what the 確定額 leaves unpaid (a payment of
    an amount already decided: no notice, a 受付番号 for its 請求書), paid with payment_pay."""
    locked = services._lock_decision(decision)
    if locked.status != Status.SETTLED:
        refuse(f"「{locked.get_status_display()}」の交付決定には精算払を請求できません（額の確定の後に限ります）。")
    remainder = locked.settled_amount - locked.claimed_amount
    if remainder <= 0:
        refuse(f"確定額（{locked.settled_amount:,}円）に対して精算払で支払う額はありません。")
    _not_before(claimed_on, locked.settled_on, "claimed_on", "精算払の請求日は額の確定日以降にしてください")
    payment = GrantPayment(
        decision=locked,
        kind=GrantPayment.Kind.FINAL,
        instalment=_next_instalment(locked),
        claimed_on=claimed_on,
        amount=remainder,
        recorded_by=by,
        receipt=receipt or _receipt(Receipt.Kind.CLAIM, locked, claimed_on, by),
    )
    record_change(payment, by=by, reason=f"精算払の請求（第{payment.instalment}回 {remainder:,}円）")
    payment.save()
    return payment


# -- 返還 ----------------------------------------------------------------------------------------------


def refund_due(decision):
    """What is still to be demanded back: paid beyond the amount the organization keeps (the 確定額, or
    the decided amount after a 取消), less the refunds already demanded. 0 when nothing is."""
    if decision.status == Status.SETTLED:
        kept = decision.settled_amount
    elif decision.revocations.exists():
        kept = decision.amount
    else:
        return 0
    demanded = sum(refund.amount for refund in decision.refunds.all())
    return max(decision.paid_amount - kept - demanded, 0)


# The 納付期限 of a 返還請求: 20 days after the demand. An assumption the city must confirm (its 会計規則 or
# 補助金等交付規則 may set another period); a day the offices are closed moves it to the next working day.
REFUND_PERIOD_DAYS = 20


def default_due_date(day):
    """The usual 納付期限 of a 返還請求 dated `day`: REFUND_PERIOD_DAYS later, on a working day (never 土日,
    祝日 or 年末年始; niimi_portal.lib.workdays)."""
    return workdays.deadline_after(day, REFUND_PERIOD_DAYS)


@transaction.atomic
def refund_demand(*, decision, demanded_on, due_on, by=None, document_number=""):
    """返還請求: the 返還請求書 with its 納付期限 for what was paid beyond the 確定額 (or beyond what a
    交付決定取消 leaves)."""
    locked = services._lock_decision(decision)
    if locked.status != Status.SETTLED and not locked.revocations.exists():
        refuse("返還を請求できるのは、額の確定または交付決定の取消しの後です。")
    amount = refund_due(locked)
    if amount <= 0:
        refuse(f"返還を請求する額はありません（支払済額 {locked.paid_amount:,}円）。")
    revocation = locked.revocations.order_by("-revoked_on", "-pk").first()
    settled = locked.status == Status.SETTLED and (revocation is None or locked.settled_on >= revocation.revoked_on)
    cause = GrantRefund.Cause.SETTLEMENT if settled else GrantRefund.Cause.REVOCATION
    earliest = locked.settled_on if settled else revocation.revoked_on
    _not_before(demanded_on, earliest, "demanded_on", "返還請求日は額の確定日（取消日）以降にしてください")
    if due_on is None or due_on <= demanded_on:
        refuse("納付期限は返還請求日より後の日にしてください。", field="due_on")
    if not workdays.is_working_day(due_on):
        refuse(
            f"納付期限が土日・祝日・年末年始（{wareki_date(due_on)}）です。"
            f"開庁日（例えば{wareki_date(workdays.next_working_day(due_on))}）にしてください。",
            field="due_on",
        )
    # The letter cites the notice the refund follows, the 交付額確定通知書 or the 交付決定取消通知書, by its line of
    # the register: its number is read when the 返還請求書 is issued, and its 決裁 comes first (grants.drafts).
    cited_entry = register.latest_entry(kind=DocumentKind.SETTLEMENT, decision=locked) if settled else revocation.entry
    cited = {
        "cited_entry": cited_entry.pk if cited_entry else None,
        "cited_number": locked.settlement_document_number if settled else revocation.entry.text,
        "cited_on": (locked.settled_on if settled else revocation.revoked_on).isoformat(),
    }
    entry = services._take_number(
        kind=DocumentKind.REFUND,
        day=demanded_on,
        subject=f"{locked.fiscal_year.label} 返還請求 {locked.organization.name}",
        decision=locked,
        typed=document_number,
        by=by,
        details={"amount": amount, "due_on": due_on.isoformat(), "cause": f"{cause.label}により", **cited},
    )
    refund = GrantRefund(
        decision=locked,
        cause=cause,
        demanded_on=demanded_on,
        amount=amount,
        due_on=due_on,
        entry=entry,
        demanded_by=by,
    )
    record_change(
        refund, by=by, reason=f"返還請求（{entry.text_with_year}、{amount:,}円、納付期限 {wareki_date(due_on)}）"
    )
    refund.save()
    return refund


@transaction.atomic
def refund_receive(*, refund, returned_on, by=None):
    """納付: the organization paid the refund back on `returned_on`."""
    locked = GrantRefund.objects.select_for_update().get(pk=refund.pk)
    if locked.returned_on is not None:
        refuse(f"この返還は{wareki_date(locked.returned_on)}に納付済みです。")
    _not_before(returned_on, locked.demanded_on, "returned_on", "納付日は返還請求日以降にしてください")
    locked.returned_on = returned_on
    record_change(locked, by=by, reason=f"返還の納付（{locked.amount:,}円）")
    locked.save()
    refund.refresh_from_db()
    return locked


# -- 交付決定取消 ----------------------------------------------------------------------------------------


@transaction.atomic
def decision_revoke(*, decision, revoked_on, reason, scope, amount=None, by=None, document_number=""):
    """交付決定取消: the whole decision (`scope="whole"`) or `amount` of it (`scope="part"`), e.g. after
    the organization's 認可 is revoked, with the 交付決定取消通知書. What was paid beyond what remains is
    demanded back with refund_demand."""
    locked = services._lock_decision(decision)
    if locked.status == Status.REVOKED:
        refuse("この交付決定はすでに全部取り消されています。")
    reason = (reason or "").strip()
    if not reason:
        refuse("取消しの理由を入力してください。", field="reason")
    if scope not in GrantRevocation.Scope.values:
        refuse("取消しの範囲（全部・一部）を選んでください。", field="scope")
    scope = GrantRevocation.Scope(scope)
    kept = locked.settled_amount if locked.status == Status.SETTLED else locked.amount
    amount = _revoked_amount(scope, amount, kept)
    earliest = locked.changed_on or locked.decided_on
    _not_before(revoked_on, earliest, "revoked_on", "取消日は交付決定日以降にしてください")
    before = locked.amount
    entry = services._take_number(
        kind=DocumentKind.REVOCATION,
        day=revoked_on,
        subject=f"{locked.fiscal_year.label} 交付決定取消 {locked.organization.name}",
        decision=locked,
        typed=document_number,
        by=by,
        details={"amount": amount, "reason": reason, "scope": scope.label, "before": kept, "paid": locked.paid_amount},
    )
    revocation = GrantRevocation(
        decision=locked,
        revoked_on=revoked_on,
        scope=scope,
        amount=amount,
        amount_before=kept,
        reason=reason,
        entry=entry,
        revoked_by=by,
    )
    record_change(revocation, by=by, reason=f"交付決定取消（{scope.label}、{amount:,}円）")
    revocation.save()
    _reduce_by_revocation(locked, scope, amount, before)
    what = f"{entry.text_with_year}、{scope.label}、{amount:,}円"
    record_change(locked, by=by, reason=f"交付決定取消（{what}）: {reason}")
    locked.save()
    decision.refresh_from_db()
    return revocation


def _revoked_amount(scope, amount, kept):
    """What a revocation takes: all that is kept (`kept`: the 確定額 once settled, else the decided
    amount) for 全部; for 一部, the `amount` given, at least 1 yen and less than all."""
    if scope == GrantRevocation.Scope.WHOLE:
        if kept < 1:
            refuse("取り消す額がありません（交付決定額が0円です）。")
        return kept
    _amount(amount, "amount", "取り消す額")
    if amount >= kept:
        refuse(
            f"一部の取消しでは、取り消す額を{kept:,}円未満にしてください（全部なら「全部」を選びます）。",
            field="amount",
        )
    return amount


def _reduce_by_revocation(decision, scope, amount, before):
    """The decided (or, once settled, the 確定) amount less what was revoked; 全部 leaves nothing."""
    decision.amount = before - amount if decision.status != Status.SETTLED else before
    if decision.status == Status.SETTLED:
        decision.settled_amount -= amount
    if scope == GrantRevocation.Scope.WHOLE:
        decision.amount = 0
        decision.settled_amount = 0 if decision.settled_amount is not None else None
        decision.status = Status.REVOKED
