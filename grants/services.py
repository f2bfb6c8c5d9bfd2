"""State changes of the 一括交付金: 算定, 交付決定, 変更交付決定, 実績報告, 額の確定.

Each function takes keyword arguments, runs in one transaction and leaves an entry in the audit
history (django-simple-history: who, when, the reason). A step asked for from the wrong status, or
with figures that do not hold, raises ValidationError({field: [message]}) before anything is written: a refused step
changes nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from grants import budget, register
from grants.applications import application_for, budget_lines_in_force
from grants.calculation import calculate_year
from grants.categories import BudgetCategory
from grants.models import (
    DocumentKind,
    FiscalYear,
    GrantApplication,
    GrantCalculation,
    GrantConditions,
    GrantDecision,
    GrantReportAttachment,
    GrantReportItem,
    GrantRule,
    NoticeSettings,
    Receipt,
    SettlementRule,
    settled_by_rule,
)
from grants.receipts import take_receipt
from niimi_portal.lib import uploads
from niimi_portal.lib.history import record_change
from niimi_portal.lib.money import yen
from niimi_portal.lib.refusal import refuse
from niimi_portal.lib.wareki import wareki_date
from organizations.approvals import approval_on
from organizations.models import PlannedProject

Status = GrantDecision.Status


# A refused step raises ValidationError({field: [message]}) (niimi_portal.lib.refusal): nothing was
# changed. The old name is kept for code written against it; catch ValidationError.
GrantStepError = ValidationError
_refuse = refuse


def _lock_fiscal_year(fiscal_year):
    """Serialize 算定 and numbering within a fiscal year. A second clerk deciding at the same moment
    waits here until the first commits, and then sees the number the first one took."""
    return FiscalYear.objects.select_for_update(no_key=True).get(pk=fiscal_year.pk)


def _lock_decision(decision):
    return GrantDecision.objects.select_for_update().select_related("fiscal_year", "organization").get(pk=decision.pk)


def _take_number(*, kind, day, subject, decision, typed="", field="document_number", by=None, details=None):
    """The act's line of the 文書番号簿: reserved, its number given on the 決裁 of its document
    (grants.drafts.draft_approve), or the number typed from the paper register (a 決裁 done on paper)."""
    try:
        return register.number_take(
            reserve=True,
            kind=kind,
            day=day,
            subject=subject,
            organization=decision.organization,
            decision=decision if decision.pk else None,
            details=details,
            typed=typed,
            by=by,
            field=field,
        )
    except ValidationError as error:
        # Refused beside the form's field (a ValidationError keyed by it, as the register raises it).
        refusal = GrantStepError(error.message_dict)
        refusal.field = field
        raise refusal from None


# -- 算定 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalculationRun:
    """What one 算定 did: new or changed snapshots, unchanged ones, decided ones left alone, and the
    organizations it could not calculate (by name)."""

    saved: tuple
    unchanged: tuple
    decided: tuple
    missing: tuple

    @property
    def messages(self):
        return [item.message for item in self.missing]


@transaction.atomic
def grant_calculate_year(*, fiscal_year, by=None):
    """算定: calculate every 認可 organization's grant for the fiscal year and store the snapshots.

    A calculation already decided is frozen and left as it is; one whose figures did not change is
    not saved again (its history stays quiet)."""
    _lock_fiscal_year(fiscal_year)
    result = calculate_year(fiscal_year)
    existing = {
        calc.organization_id: calc
        for calc in GrantCalculation.objects.filter(fiscal_year=fiscal_year).select_related("decision")
    }
    saved, unchanged, decided = [], [], []
    for grant in result.grants:
        breakdown = grant.breakdown
        figures = {
            "lines": breakdown.as_json(),
            "base_amount": breakdown.base_amount,
            "subsidy_amount": breakdown.subsidy_amount,
            "total": breakdown.total,
            "previous_total": grant.previous.total if grant.previous else None,
            "region_ids": list(grant.region_ids),
        }
        calc = existing.get(grant.organization.pk)
        if calc is not None and hasattr(calc, "decision"):
            decided.append(calc)
            continue
        if calc is not None and all(getattr(calc, key) == value for key, value in figures.items()):
            unchanged.append(calc)
            continue
        if calc is None:
            calc = GrantCalculation(organization=grant.organization, fiscal_year=fiscal_year)
        for key, value in figures.items():
            setattr(calc, key, value)
        calc.calculated_at = timezone.now()
        calc.calculated_by = by
        record_change(calc, by=by, reason="算定")
        calc.save()
        saved.append(calc)
    return CalculationRun(tuple(saved), tuple(unchanged), tuple(decided), result.missing)


# -- 交付決定 ------------------------------------------------------------------------------------


def default_conditions(fiscal_year):
    """The fiscal year's 交付の条件, or the standard ones of the notice settings in force on its first day."""
    own = GrantConditions.objects.filter(fiscal_year=fiscal_year).first()
    if own is not None:
        return own.text.strip()
    in_force = (
        NoticeSettings.objects.in_force(fiscal_year.starts_on)
        or NoticeSettings.objects.order_by("effective_from").first()
    )
    return in_force.standard_conditions.strip() if in_force else ""


def check_decision_dates(*, organization, decided_on, application):
    """決定日 ≥ 申請書の受付日 ≥ 認可日, read from the approval history: refused beside the date."""
    approved_on = approval_on(organization, decided_on)
    if approved_on is None:
        _refuse(
            f"決定日（{wareki_date(decided_on)}）の時点で{organization.name}は認可されていません"
            + (f"（認可日 {wareki_date(organization.approved_on)}）。" if organization.approved_on else "。")
            + "決定日は認可日以降にしてください。",
            field="decided_on",
        )
    if application is None:
        return
    if approval_on(organization, application.received_on) is None:
        _refuse(
            f"{organization.name}の交付申請の受付日（{wareki_date(application.received_on)}）は認可日"
            f"（{wareki_date(approved_on)}）より前です。認可の後に受け付けた申請に基づいて決定してください。",
            field="decided_on",
        )
    if decided_on < application.received_on:
        _refuse(
            f"決定日は{organization.name}の交付申請の受付日（{wareki_date(application.received_on)}）以降にしてください。",
            field="decided_on",
        )


@transaction.atomic
def decision_decide(
    *,
    calculation,
    decided_on,
    by=None,
    conditions=None,
    document_number="",
    application=None,
    require_application=False,
):
    """交付決定: the calculation's total becomes the decided amount; its notice's line of the 文書番号簿 waits
    for its 決裁, which gives the number and writes it into the decision (or `document_number`, typed from the
    課's paper register after a 決裁 on paper, is its number at once). The organization's 交付申請
    of the year is linked (and required with `require_application`); the decision date must not
    precede it, nor the 認可."""
    fiscal_year = _lock_fiscal_year(calculation.fiscal_year)
    calculation = GrantCalculation.objects.select_related("organization").get(pk=calculation.pk)
    organization = calculation.organization
    _check_decidable(organization, fiscal_year, decided_on)
    application = _application_cited(organization, fiscal_year, application, required=require_application)
    check_decision_dates(organization=organization, decided_on=decided_on, application=application)
    budget.check_within_budget(fiscal_year, calculation.total, field="budget")
    decision = GrantDecision(
        application=application,
        calculation=calculation,
        organization=organization,
        fiscal_year=fiscal_year,
        decided_on=decided_on,
        amount=calculation.total,
        conditions=default_conditions(fiscal_year) if conditions is None else conditions,
        decided_by=by,
    )
    entry = _take_number(
        kind=DocumentKind.DECISION,
        day=decided_on,
        subject=f"{fiscal_year.label} 交付決定 {organization.name}",
        decision=decision,
        typed=document_number,
        by=by,
    )
    decision.number, decision.document_number = entry.number, entry.text
    record_change(decision, by=by, reason="交付決定")
    decision.save()
    entry.decision = decision
    entry.save(update_fields=["decision"])
    return decision


def _check_decidable(organization, fiscal_year, decided_on):
    """Refuse a second decision of the year, an organization not 認可, a date outside the fiscal year."""
    if GrantDecision.objects.filter(organization=organization, fiscal_year=fiscal_year).exists():
        _refuse(f"{organization.name}の{fiscal_year.label}の交付決定はすでにあります。")
    if not organization.is_approved:
        _refuse(f"{organization.name}は認可されていないため、交付決定できません。")
    if not fiscal_year.contains(decided_on):
        _refuse(
            f"決定日は{fiscal_year.label}（{wareki_date(fiscal_year.starts_on)}～"
            f"{wareki_date(fiscal_year.ends_on)}）の日付にしてください。",
            field="decided_on",
        )


def _application_cited(organization, fiscal_year, application, *, required):
    """The 交付申請 the decision answers: the one given, else the organization's of the year."""
    if application is None:
        application = application_for(organization, fiscal_year)
    if application is None and required:
        _refuse(f"{organization.name}の{fiscal_year.label}の交付申請が登録されていません。", field="application")
    return application


def decisions_check(*, fiscal_year, decided_on, choices):
    """What `decisions_decide` would refuse, found without writing, for every chosen row at once: the
    first screen shows each refusal beside its field (the date, or the row) before the confirmation.
    The numbers typed from the paper register are checked when the decisions are made."""
    errors = {}
    for calculation, _typed in choices:
        organization = calculation.organization
        try:
            if calculation.fiscal_year_id != fiscal_year.pk:
                _refuse("別の年度の算定が含まれています。")
            _check_decidable(organization, fiscal_year, decided_on)
            application = _application_cited(organization, fiscal_year, None, required=True)
            check_decision_dates(organization=organization, decided_on=decided_on, application=application)
        except ValidationError as error:
            for key, messages in _row_keyed(error, calculation).items():
                errors.setdefault(key, []).extend(m for m in messages if m not in errors.get(key, []))
    for key, message in _over_budget_rows(fiscal_year, choices).items():
        errors.setdefault(key, []).append(message)
    if errors:
        raise ValidationError(errors)


def _over_budget_rows(fiscal_year, choices):
    """{row field: message} for the chosen rows, in order, from the first that takes the year past its 残額."""
    figures = budget.year_budget(fiscal_year)
    if not figures.is_set:
        return {}
    rows, running = {}, 0
    for calculation, _typed in choices:
        running += calculation.total
        if running > figures.remaining:
            rows[f"choose_{calculation.pk}"] = (
                f"予算の残額を超えます。予算額 {yen(figures.budget)}、決定済 {yen(figures.decided)}、"
                f"残額 {yen(figures.remaining)}に対し、ここまでに選んだ組織の交付決定額の計は {yen(running)}"
                f"（{yen(running - figures.remaining)}不足）です。"
            )
    return rows


def _row_keyed(error, calculation):
    """A refusal of one decision, keyed by the field of its row on the decision page."""
    fields = {
        "document_number": f"number_{calculation.pk}",
        "application": f"choose_{calculation.pk}",
        "budget": f"choose_{calculation.pk}",
    }
    keyed = {}
    for key, messages in error.message_dict.items():
        key = fields.get(key, key)
        keyed.setdefault(f"choose_{calculation.pk}" if key == "__all__" else key, []).extend(messages)
    return keyed


@transaction.atomic
def decisions_decide(*, fiscal_year, decided_on, choices, by=None):
    """交付決定 for the organizations the clerk chose: `choices` is [(calculation, typed number or "")],
    in the order the numbers are given. Each needs its 交付申請. All or nothing: a refusal names the
    field of the row it concerns (`decided_on`, `number_<calculation pk>`, `choose_<calculation pk>`)."""
    decided = []
    for calculation, typed in choices:
        if calculation.fiscal_year_id != fiscal_year.pk:
            _refuse("別の年度の算定が含まれています。")
        try:
            decided.append(
                decision_decide(
                    calculation=calculation,
                    decided_on=decided_on,
                    by=by,
                    document_number=typed,
                    require_application=True,
                )
            )
        except ValidationError as error:
            keyed = {}
            fields = {
                "document_number": f"number_{calculation.pk}",
                "application": f"choose_{calculation.pk}",
                "budget": f"choose_{calculation.pk}",
            }
            for key, messages in error.message_dict.items():
                keyed.setdefault(fields.get(key, key), []).extend(messages)
            raise ValidationError(keyed) from None
    return decided


@transaction.atomic
def decisions_decide_year(*, fiscal_year, decided_on, by=None):
    """交付決定 for every calculated, not yet decided, 認可 organization of the year, in よみ order."""
    pending = (
        GrantCalculation.objects.filter(
            fiscal_year=fiscal_year, decision__isnull=True, organization__approval_status="approved"
        )
        .select_related("fiscal_year", "organization")
        .order_by("organization__name_kana", "organization_id")
    )
    return [decision_decide(calculation=calc, decided_on=decided_on, by=by) for calc in pending]


# -- 変更交付決定 ------------------------------------------------------------------------------------


def decision_change_check(*, decision, amount, reason, changed_on, change_request=None):
    """What `decision_change` refuses, beside its field, checked without writing (also when the change is
    drafted for 決裁, grants.drafts). Returns the reason, stripped."""
    if decision.status not in (Status.DECIDED, Status.CHANGED):
        _refuse(f"「{decision.get_status_display()}」の交付決定は変更できません（実績報告の前に限ります）。")
    reason = (reason or "").strip()
    if not reason:
        _refuse("変更の理由を入力してください。", field="reason")
    if amount is None or amount < 0:
        _refuse("変更後の交付決定額は0円以上で入力してください。", field="amount")
    if amount == decision.amount:
        _refuse("変更後の交付決定額が現在の額と同じです。", field="amount")
    if changed_on < (decision.changed_on or decision.decided_on):
        _refuse("変更交付決定日は交付決定日（前回の変更交付決定日）以降にしてください。", field="changed_on")
    if change_request is not None and changed_on < change_request.received_on:
        _refuse("変更交付決定日は変更申請の受付日以降にしてください。", field="changed_on")
    claimed = sum(payment.amount for payment in decision.payments.all())
    if amount < claimed:
        _refuse(
            f"変更後の交付決定額は、請求を受けた概算払の計（{claimed:,}円）以上にしてください。",
            field="amount",
        )
    return reason


@transaction.atomic
def decision_change(*, decision, amount, reason, changed_on, by=None, document_number="", change_request=None):
    """変更交付決定: a new decided amount with its reason, before the 実績報告. The 変更交付決定通知書's line of the
    文書番号簿 is numbered on its 決裁 (or is `document_number`, typed); with `change_request` (変更申請) the notice
    cites the request by its date. Returns the decision; the register line is `decision.change_entry`."""
    locked = _lock_decision(decision)
    reason = decision_change_check(
        decision=locked, amount=amount, reason=reason, changed_on=changed_on, change_request=change_request
    )
    budget.check_within_budget(_lock_fiscal_year(locked.fiscal_year), amount - locked.amount, field="amount")
    before = locked.amount
    details = {"before": before, "after": amount, "reason": reason, "changed_on": changed_on.isoformat()}
    if change_request is not None:
        details["requested_on"] = change_request.received_on.isoformat()
        details["requested"] = change_request.requested_amount
    locked.change_entry = _take_number(
        kind=DocumentKind.CHANGE,
        day=changed_on,
        subject=f"{locked.fiscal_year.label} 変更交付決定 {locked.organization.name}",
        decision=locked,
        typed=document_number,
        by=by,
        details=details,
    )
    locked.amount = amount
    locked.change_reason = reason
    locked.changed_on = changed_on
    locked.status = Status.CHANGED
    record_change(locked, by=by, reason=f"変更交付決定（{before:,}円 → {amount:,}円）: {reason}")
    locked.save()
    decision.refresh_from_db()
    return locked


# -- 実績報告 ------------------------------------------------------------------------------------


def check_attachment(upload):
    """A PDF, JPEG or PNG of at most 10 MB, judged by its content: the same rule as the workspace's
    attachments (niimi_portal.lib.uploads), image bombs included. Returns the CheckedUpload."""
    try:
        return uploads.check_attachment(upload)
    except ValidationError as error:
        _refuse(error.messages, field="attachments")


def planned_projects_for(decision):
    """The projects of the organization's annual plan for the decision's fiscal year."""
    return list(
        PlannedProject.objects.filter(
            annual_plan__organization=decision.organization_id, annual_plan__fiscal_year=decision.fiscal_year_id
        ).order_by("order", "id")
    )


def report_budgets(decision):
    """The budget of each non-project category the report is read against: the 収支予算 in force (the
    revised one of the latest 変更交付決定, else the 交付申請's; grants.applications.budget_lines_in_force);
    without either, 事務局人件費 as the calculation granted it and no budget for 運営経費 and その他の収入."""
    lines = budget_lines_in_force(decision)
    if lines:
        amounts = dict.fromkeys(BudgetCategory, 0)
        for line in lines:
            amounts[BudgetCategory(line.category)] += line.amount
        return {
            category: amounts[category]
            for category in (BudgetCategory.PERSONNEL, BudgetCategory.OPERATING, BudgetCategory.OTHER_INCOME)
        }
    if decision.application_id is not None:  # an application recorded without lines
        return dict.fromkeys((BudgetCategory.PERSONNEL, BudgetCategory.OPERATING, BudgetCategory.OTHER_INCOME), 0)
    personnel = sum(line["amount"] for line in decision.calculation.lines if line.get("label") == "事務局人件費")
    return {BudgetCategory.PERSONNEL: personnel, BudgetCategory.OPERATING: 0, BudgetCategory.OTHER_INCOME: 0}


def _report_amount(value, field, label):
    if value is None or value < 0:
        _refuse(f"{label}は0円以上で入力してください。", field=field)
    return value


@transaction.atomic
def decision_report(
    *,
    decision,
    reported_on,
    spending,
    personnel=0,
    operating=0,
    other_income=0,
    budgets=None,
    attachments=(),
    by=None,
    receipt=None,
):
    """実績報告 by the categories of the 収支予算 (grants.categories): 事務局人件費 (`personnel`), 運営経費
    (`operating`), 事業費 for each project of the annual plan (`spending`: {project or id: yen}) and
    その他の収入 (`other_income`), with receipts and photos attached. `budgets` ({category: yen}) overrides
    the budget column of the non-project lines (report_budgets). `receipt`: its 受付簿 line when already
    taken (a form sent online)."""
    locked = _lock_decision(decision)
    _check_reportable(locked, reported_on)
    projects, spent = _project_spending(locked, spending)
    others = {
        BudgetCategory.PERSONNEL: _report_amount(personnel, "personnel", "事務局人件費"),
        BudgetCategory.OPERATING: _report_amount(operating, "operating", "運営経費"),
        BudgetCategory.OTHER_INCOME: _report_amount(other_income, "other_income", "その他の収入"),
    }
    budget_of = report_budgets(locked) | dict(budgets or {})
    applied = _applied_project_costs(locked)
    checked = [check_attachment(upload) for upload in attachments]
    for item in _report_items(locked, projects, spent, others, budget_of, applied):
        record_change(item, by=by, reason="実績報告")
        item.save()
    _save_report_attachments(locked, checked, by=by)
    locked.reported_on = reported_on
    locked.report_receipt = receipt or take_receipt(
        kind=Receipt.Kind.REPORT,
        received_on=reported_on,
        organization=locked.organization,
        subject=f"{locked.fiscal_year.label} 実績報告 {locked.organization.name}",
        by=by,
    )
    locked.spent_amount = sum(spent.values()) + others[BudgetCategory.PERSONNEL] + others[BudgetCategory.OPERATING]
    locked.status = Status.REPORTED
    income = others[BudgetCategory.OTHER_INCOME]
    record_change(locked, by=by, reason=f"実績報告（対象経費 {locked.spent_amount:,}円、その他の収入 {income:,}円）")
    locked.save()
    decision.refresh_from_db()
    return locked


def _check_reportable(decision, reported_on):
    if decision.status not in (Status.DECIDED, Status.CHANGED):
        _refuse(f"「{decision.get_status_display()}」の交付決定には実績報告を登録できません。")
    if reported_on < (decision.changed_on or decision.decided_on):
        _refuse("実績報告日は交付決定日（変更交付決定日）以降にしてください。", field="reported_on")


def _project_spending(decision, spending):
    """({pk: project} of the annual plan, {pk: yen spent}), refused unless every project and only they are given."""
    projects = {project.pk: project for project in planned_projects_for(decision)}
    if not projects:
        _refuse(f"{decision.organization.name}の{decision.fiscal_year.label}の年度計画に事業がありません。")
    spent = {getattr(key, "pk", key): value for key, value in spending.items()}
    if set(spent) - set(projects):
        _refuse("年度計画にない事業が含まれています。")
    if set(projects) - set(spent):
        names = "、".join(projects[pk].name for pk in projects if pk not in spent)
        _refuse(f"次の事業の実績額を入力してください: {names}")
    if any(value is None or value < 0 for value in spent.values()):
        _refuse("実績額は0円以上で入力してください。")
    return projects, spent


def _applied_project_costs(decision):
    """{project pk: yen} of the 事業費 lines of the 収支予算 in force ({} without one)."""
    applied = {}
    for line in budget_lines_in_force(decision):
        if line.category == BudgetCategory.PROJECT:
            applied[line.project_id] = applied.get(line.project_id, 0) + line.amount
    return applied


def _report_items(decision, projects, spent, others, budget_of, applied):
    """The 実績報告's lines: 事務局人件費, 運営経費, one 事業費 per project, その他の収入.
    A project's budget is the 交付申請's line when there is one, else the annual plan's budget."""

    def category_item(category):
        return GrantReportItem(
            decision=decision,
            category=category,
            name=category.label,
            budget=budget_of.get(category, 0),
            spent=others[category],
        )

    items = [category_item(BudgetCategory.PERSONNEL), category_item(BudgetCategory.OPERATING)]
    items += [
        GrantReportItem(
            decision=decision,
            category=BudgetCategory.PROJECT,
            project=project,
            name=project.name,
            field=project.get_field_display(),
            budget=applied.get(pk, project.budget),
            spent=spent[pk],
        )
        for pk, project in projects.items()
    ]
    items.append(category_item(BudgetCategory.OTHER_INCOME))
    return items


def _save_report_attachments(decision, checked, *, by):
    uploads.attachment_store(GrantReportAttachment, checked, by=by, reason="実績報告の添付", decision=decision)


# -- 額の確定 ------------------------------------------------------------------------------------


def settlement_rule(decision):
    """額の確定の方法 the fiscal year's 交付基準 states (the usual one if the rule is gone)."""
    rule = GrantRule.objects.filter(fiscal_year=decision.fiscal_year_id).first()
    return SettlementRule(rule.settlement_rule if rule else SettlementRule.LESSER_OF_NET)


def suggested_settlement(decision):
    """The 確定額 the rule of the 交付基準 gives from the 実績報告 (at most the decided amount)."""
    return settled_by_rule(
        settlement_rule(decision),
        decided=decision.amount,
        spent=decision.spent_amount or 0,
        income=decision.other_income_amount,
    )


@transaction.atomic
def decision_settle(*, decision, settled_on, settled_amount=None, by=None, document_number=""):
    """額の確定: the final amount by the rule of the 交付基準 (or less, for expenses not accepted). The
    交付額確定通知書's line of the 文書番号簿 is numbered on its 決裁, which writes the number into the
    decision (or is `document_number`, typed), and states what was paid, so the difference is either
    returned (grants.settlement.refund_demand) or paid as 精算払 on the organization's 請求
    (grants.settlement.final_payment_claim)."""
    locked = _lock_decision(decision)
    _check_settleable(locked)
    rule = settlement_rule(locked)
    settled_amount = _checked_settled_amount(locked, settled_amount, rule)
    if settled_on < locked.reported_on:
        _refuse("額の確定日は実績報告日以降にしてください。", field="settled_on")
    paid = locked.paid_amount
    entry = _take_number(
        kind=DocumentKind.SETTLEMENT,
        day=settled_on,
        subject=f"{locked.fiscal_year.label} 交付額確定 {locked.organization.name}",
        decision=locked,
        typed=document_number,
        by=by,
        details={
            "decided": locked.amount,
            "spent": locked.spent_amount,
            "income": locked.other_income_amount,
            "rule": rule.label,
            "settled": settled_amount,
            "paid": paid,
        },
    )
    locked.settled_on = settled_on
    locked.settled_amount = settled_amount
    locked.settlement_number = entry.number
    locked.settlement_document_number = entry.text
    locked.status = Status.SETTLED
    difference = settled_amount - paid
    after = f"精算払額 {difference:,}円" if difference > 0 else f"返還額 {-difference:,}円"
    record_change(locked, by=by, reason=f"額の確定（確定額 {settled_amount:,}円、支払済額 {paid:,}円、{after}）")
    locked.save()
    decision.refresh_from_db()
    return locked


def _check_settleable(decision):
    """Only a reported decision whose every 請求 is paid can be settled."""
    if decision.status != Status.REPORTED:
        _refuse(f"「{decision.get_status_display()}」の交付決定は額を確定できません（実績報告の後に限ります）。")
    unpaid = [payment for payment in decision.payments.all() if payment.paid_on is None]
    if unpaid:
        _refuse(f"支払っていない請求（第{unpaid[0].instalment}回）があります。支払を登録してから額を確定してください。")


def _checked_settled_amount(decision, settled_amount, rule):
    """The 確定額 asked for (the rule's when None), refused below 0 or above the decided amount or the rule's."""
    limit = suggested_settlement(decision)
    if settled_amount is None:
        settled_amount = limit
    if settled_amount < 0:
        _refuse("確定額は0円以上で入力してください。", field="settled_amount")
    if settled_amount > decision.amount:
        _refuse(f"確定額は交付決定額（{decision.amount:,}円）以下にしてください。", field="settled_amount")
    if settled_amount > limit:
        _refuse(
            f"確定額は、交付基準の額の確定の方法（{rule.label}）による{limit:,}円以下にしてください。",
            field="settled_amount",
        )
    return settled_amount


def today():
    return timezone.localdate()


def default_decision_date(fiscal_year, *, as_of=None):
    """Today (`as_of`) if it falls in the fiscal year; otherwise (a past year, or one not begun) the latest 受付日 of
    the year's 交付申請 not yet decided, within the year: a 決定日 that the applications allow. With no
    such application, the year's first day."""
    day = as_of or today()
    if fiscal_year.contains(day):
        return day
    latest = GrantApplication.objects.filter(fiscal_year=fiscal_year, decisions__isnull=True).aggregate(
        latest=Max("received_on")
    )["latest"]
    if latest is None:
        return fiscal_year.starts_on
    return min(max(latest, fiscal_year.starts_on), fiscal_year.ends_on)


def decision_date_warning(decided_on, *, as_of=None):
    """A 決定日 after today (`as_of`) is allowed (a decision prepared ahead) but said out loud: "" when it is not."""
    day = as_of or today()
    if decided_on <= day:
        return ""
    return (
        f"決定日（{wareki_date(decided_on)}）は今日（{wareki_date(day)}）より後の日付です。"
        "日付に誤りがないか確かめてください。"
    )
