"""State changes of the 一括交付金: 算定, 交付決定, 変更決定, 実績報告, 額の確定.

Each function takes keyword arguments, runs in one transaction and leaves an entry in the audit
history (django-simple-history: who, when, the reason). A step asked for from the wrong status, or
with figures that do not hold, raises ValidationError({field: [message]}) before anything is written: a refused step
changes nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from grants import register
from grants.applications import application_for
from grants.calculation import calculate_year
from grants.documents import DocumentKind, GrantConditions, NoticeSettings
from grants.models import (
    FiscalYear,
    GrantCalculation,
    GrantDecision,
    GrantReportAttachment,
    GrantReportItem,
)
from niimi_portal.lib import uploads
from niimi_portal.lib.history import record_change
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
    """The next number of the kind's series in the 文書番号簿 (or the one typed from the paper register)."""
    try:
        return register.number_take(
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
    """交付決定: the calculation's total becomes the decided amount, under the next number of the
    文書番号簿 (or `document_number`, typed from the 課's paper register). The organization's 交付申請
    of the year is linked (and required with `require_application`); the decision date must not
    precede it, nor the 認可."""
    fiscal_year = _lock_fiscal_year(calculation.fiscal_year)
    calculation = GrantCalculation.objects.select_related("organization").get(pk=calculation.pk)
    organization = calculation.organization
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
    if application is None:
        application = application_for(organization, fiscal_year)
    if application is None and require_application:
        _refuse(f"{organization.name}の{fiscal_year.label}の交付申請が登録されていません。", field="application")
    check_decision_dates(organization=organization, decided_on=decided_on, application=application)
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
            fields = {"document_number": f"number_{calculation.pk}", "application": f"choose_{calculation.pk}"}
            keyed = {}
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


# -- 変更決定 ------------------------------------------------------------------------------------


@transaction.atomic
def decision_change(*, decision, amount, reason, changed_on, by=None, document_number=""):
    """変更決定: a new decided amount with its reason, before the 実績報告. The 変更交付決定通知書 takes
    the next number of the 文書番号簿 (or `document_number`)."""
    locked = _lock_decision(decision)
    if locked.status not in (Status.DECIDED, Status.CHANGED):
        _refuse(f"「{locked.get_status_display()}」の交付決定は変更できません（実績報告の前に限ります）。")
    reason = (reason or "").strip()
    if not reason:
        _refuse("変更の理由を入力してください。", field="reason")
    if amount is None or amount < 0:
        _refuse("変更後の交付決定額は0円以上で入力してください。", field="amount")
    if amount == locked.amount:
        _refuse("変更後の交付決定額が現在の額と同じです。", field="amount")
    if changed_on < (locked.changed_on or locked.decided_on):
        _refuse("変更決定日は交付決定日（前回の変更決定日）以降にしてください。", field="changed_on")
    before = locked.amount
    _take_number(
        kind=DocumentKind.CHANGE,
        day=changed_on,
        subject=f"{locked.fiscal_year.label} 変更交付決定 {locked.organization.name}",
        decision=locked,
        typed=document_number,
        by=by,
        details={"before": before, "after": amount, "reason": reason, "changed_on": changed_on.isoformat()},
    )
    locked.amount = amount
    locked.change_reason = reason
    locked.changed_on = changed_on
    locked.status = Status.CHANGED
    record_change(locked, by=by, reason=f"変更決定（{before:,}円 → {amount:,}円）: {reason}")
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


@transaction.atomic
def decision_report(*, decision, reported_on, spending, attachments=(), by=None):
    """実績報告: what was spent on each project of the annual plan (`spending`: {project or id: yen}),
    with receipts and photos attached."""
    locked = _lock_decision(decision)
    if locked.status not in (Status.DECIDED, Status.CHANGED):
        _refuse(f"「{locked.get_status_display()}」の交付決定には実績報告を登録できません。")
    if reported_on < (locked.changed_on or locked.decided_on):
        _refuse("実績報告日は交付決定日（変更決定日）以降にしてください。", field="reported_on")
    projects = {project.pk: project for project in planned_projects_for(locked)}
    if not projects:
        _refuse(f"{locked.organization.name}の{locked.fiscal_year.label}の年度計画に事業がありません。")
    spent = {getattr(key, "pk", key): value for key, value in spending.items()}
    if set(spent) - set(projects):
        _refuse("年度計画にない事業が含まれています。")
    if set(projects) - set(spent):
        names = "、".join(projects[pk].name for pk in projects if pk not in spent)
        _refuse(f"次の事業の実績額を入力してください: {names}")
    if any(value is None or value < 0 for value in spent.values()):
        _refuse("実績額は0円以上で入力してください。")
    checked = [check_attachment(upload) for upload in attachments]
    for pk, project in projects.items():
        item = GrantReportItem(
            decision=locked,
            project=project,
            name=project.name,
            field=project.get_field_display(),
            budget=project.budget,
            spent=spent[pk],
        )
        record_change(item, by=by, reason="実績報告")
        item.save()
    for upload in checked:
        attachment = GrantReportAttachment(
            decision=locked,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by=by,
        )
        attachment.file.save(upload.storage_name, File(upload.file), save=False)
        record_change(attachment, by=by, reason="実績報告の添付")
        attachment.save()
    locked.reported_on = reported_on
    locked.spent_amount = sum(spent.values())
    locked.status = Status.REPORTED
    record_change(locked, by=by, reason=f"実績報告（実績額 {locked.spent_amount:,}円）")
    locked.save()
    decision.refresh_from_db()
    return locked


# -- 額の確定 ------------------------------------------------------------------------------------


def suggested_settlement(decision):
    """The usual 確定額: what was spent, but never more than the decided amount."""
    return min(decision.spent_amount or 0, decision.amount)


@transaction.atomic
def decision_settle(*, decision, settled_on, settled_amount=None, by=None, document_number=""):
    """額の確定: the final amount (at most the decided amount and what was spent); the difference is
    returned. The 交付額確定通知書 takes the next number of the 文書番号簿 (or `document_number`)."""
    locked = _lock_decision(decision)
    if locked.status != Status.REPORTED:
        _refuse(f"「{locked.get_status_display()}」の交付決定は額を確定できません（実績報告の後に限ります）。")
    if settled_amount is None:
        settled_amount = suggested_settlement(locked)
    if settled_amount < 0:
        _refuse("確定額は0円以上で入力してください。", field="settled_amount")
    if settled_amount > locked.amount:
        _refuse(f"確定額は交付決定額（{locked.amount:,}円）以下にしてください。", field="settled_amount")
    if settled_amount > locked.spent_amount:
        _refuse(f"確定額は実績額（{locked.spent_amount:,}円）以下にしてください。", field="settled_amount")
    if settled_on < locked.reported_on:
        _refuse("額の確定日は実績報告日以降にしてください。", field="settled_on")
    entry = _take_number(
        kind=DocumentKind.SETTLEMENT,
        day=settled_on,
        subject=f"{locked.fiscal_year.label} 交付額確定 {locked.organization.name}",
        decision=locked,
        typed=document_number,
        by=by,
    )
    locked.settled_on = settled_on
    locked.settled_amount = settled_amount
    locked.settlement_number = entry.number
    locked.settlement_document_number = entry.text
    locked.status = Status.SETTLED
    record_change(locked, by=by, reason=f"額の確定（確定額 {settled_amount:,}円、返還額 {locked.refund_amount:,}円）")
    locked.save()
    decision.refresh_from_db()
    return locked


def today():
    return timezone.localdate()


def default_decision_date(fiscal_year):
    """Today if it falls in the fiscal year, otherwise its first day."""
    day = today()
    return day if fiscal_year.contains(day) else fiscal_year.starts_on
