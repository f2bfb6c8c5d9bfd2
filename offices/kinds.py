"""The kinds of form a 事務局 sends, each with what it checks before sending and how the clerk's 受理 records it
in the grant year (the same services the admin uses for paper). Filled in per kind: 交付申請, 変更申請, 請求,
実績報告.

A kind's `carry_over(organization, fiscal_year)` gives last year's entries as the data of a new draft (or {}
when there are none); `accept(submission, *, by)` binds the form to the version sent, checks it again and
calls the grants service, returning the record made (linked to the submission here).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from grants.applications import application_record, budget_lines_in_force
from grants.categories import BudgetCategory
from grants.models import FiscalYear, GrantApplication, Receipt
from grants.services import decision_report
from grants.settlement import change_request_receive, final_payment_claim, payment_claim
from niimi_portal.lib.refusal import refuse
from offices.forms import ApplicationForm, ChangeRequestForm, ClaimForm, ReportForm, decision_of
from organizations.models import AnnualPlan, PlannedProject


@dataclass(frozen=True)
class SubmissionKind:
    label: str
    form_class: type  # a Django form over Submission.data: what is checked before sending
    accept: Callable  # (submission, *, by, **options) → the record made (GrantApplication, …)
    carry_over: Callable = lambda organization, fiscal_year: {}  # noqa: E731 (last year's entries as draft data)
    once_a_year: bool = True  # a kind sent once per year: after 受理 the page shows it instead of a new draft

    def form(self, data=None, *, submission, comments=None, initial=None):
        """The kind's form for `submission`: bound to `data` when given, else showing `initial` (the draft)."""
        options = {"organization": submission.organization, "fiscal_year": submission.fiscal_year}
        if self.form_class is ApplicationForm:
            options["rows"] = ApplicationForm.rows_in(data if data is not None else initial)
        return self.form_class(data, initial=initial, comments=comments, **options)


def bound_form(submission):
    """The form bound to what was sent, checked again (the clerk accepts what passed the checks)."""
    kind = KINDS[submission.kind]
    form = kind.form(submission.latest_version.data, submission=submission)
    if not form.is_valid():
        refuse("提出された内容に不備があります。補正を依頼してください。")
    return form


# -- 交付申請 ------------------------------------------------------------------------------------------


def application_year(organization, current):
    """The year the 交付申請 form is for: this year (`current`), unless the 課 already has this year's 交付申請
    of the organization (on paper or accepted from these pages) and has registered next year (新年度の準備):
    then next year's, prepared ahead (2 queries at most)."""
    if current is None or not GrantApplication.objects.filter(organization=organization, fiscal_year=current).exists():
        return current
    return FiscalYear.objects.filter(year=current.year + 1).first() or current


def application_carry_over(organization, fiscal_year):
    """Last year's 交付申請 (its amount, projects and 収支予算), or failing that last year's annual plan."""
    last = FiscalYear.objects.filter(year=fiscal_year.year - 1).first()
    if last is None:
        return {}
    application = (
        GrantApplication.objects.filter(organization=organization, fiscal_year=last)
        .prefetch_related("lines__project")
        .first()
    )
    data = {}
    if application is not None:
        data["requested_amount"] = str(application.requested_amount)
        amounts = application.amounts()
        data["personnel_amount"] = str(amounts[BudgetCategory.PERSONNEL])
        data["operating_amount"] = str(amounts[BudgetCategory.OPERATING])
        data["other_income_amount"] = str(amounts[BudgetCategory.OTHER_INCOME])
        data["other_income_label"] = "、".join(
            line.label
            for line in application.lines.all()
            if line.category == BudgetCategory.OTHER_INCOME and line.label
        )
        row = 0
        for line in application.lines.all():
            if line.category != BudgetCategory.PROJECT:
                continue
            row += 1
            project = line.project
            data[f"project_{row}_name"] = project.name if project else line.label
            data[f"project_{row}_field"] = project.field if project else ""
            data[f"project_{row}_description"] = (project.description if project else "")[:300]
            data[f"project_{row}_amount"] = str(line.amount)
        if row:
            return data
    plan = AnnualPlan.objects.filter(organization=organization, fiscal_year=last).first()
    for row, project in enumerate(plan.projects.all() if plan else (), start=1):
        data[f"project_{row}_name"] = project.name
        data[f"project_{row}_field"] = project.field
        data[f"project_{row}_description"] = project.description[:300]
        data[f"project_{row}_amount"] = str(project.budget)
    return data


@transaction.atomic
def application_accept(submission, *, by=None):
    """Record the 交付申請 sent: the year's annual plan is made from its 事業計画 when the organization has none
    (a project of the plan with the same name is used as it is, a missing one is added), then
    grants.applications.application_record with the 受付番号 taken on sending and its 収支予算 line for line."""
    form = bound_form(submission)
    plan, _ = AnnualPlan.objects.get_or_create(organization=submission.organization, fiscal_year=submission.fiscal_year)
    existing = {project.name: project for project in plan.projects.all()}
    made = {}
    for order, (row, name, field, description, amount) in enumerate(form.projects(), start=1):
        project = existing.get(name)
        if project is None:
            project = PlannedProject.objects.create(
                annual_plan=plan, name=name, field=field, description=description, budget=amount, order=order
            )
            existing[name] = project
        made[row] = project
    budget = [
        (category, made[row] if row else None, label if category != BudgetCategory.PROJECT else "", amount)
        for category, row, label, amount in form.budget()
    ]
    receipt = submission.receipt
    application = application_record(
        organization=submission.organization,
        fiscal_year=submission.fiscal_year,
        received_on=receipt.received_on,
        requested_amount=form.cleaned_data["requested_amount"],
        budget=budget,
        by=by,
        notes=f"事務局のページから提出（{receipt.label}、第{submission.latest_version.number}版）",
        receipt=receipt,
    )
    submission.application = application
    submission.save(update_fields=["application"])
    return application


# -- 変更申請, 請求, 実績報告: about the year's 交付決定 ---------------------------------------------------------


def budget_carry_over(organization, fiscal_year):
    """The 収支予算 in force (the 交付申請's, or the revised one of the latest 変更交付決定) as the draft's lines."""
    decision = decision_of(organization, fiscal_year)
    lines = budget_lines_in_force(decision) if decision else []
    data = {}
    for category in (BudgetCategory.PERSONNEL, BudgetCategory.OPERATING, BudgetCategory.OTHER_INCOME):
        data[f"{category_field(category)}_amount"] = str(
            sum(line.amount for line in lines if line.category == category)
        )
    data["other_income_label"] = "、".join(
        line.label for line in lines if line.category == BudgetCategory.OTHER_INCOME and line.label
    )
    for line in lines:
        if line.category == BudgetCategory.PROJECT and line.project_id:
            data[f"project_{line.project_id}_amount"] = str(line.amount)
    return data if lines else {}


def category_field(category):
    return {
        BudgetCategory.PERSONNEL: "personnel",
        BudgetCategory.OPERATING: "operating",
        BudgetCategory.OTHER_INCOME: "other_income",
    }[category]


@transaction.atomic
def change_request_accept(submission, *, by=None):
    """Record the 変更申請 sent (grants.settlement.change_request_receive) with its revised 収支予算."""
    form = bound_form(submission)
    receipt = submission.receipt
    request = change_request_receive(
        decision=form.decision,
        received_on=receipt.received_on,
        requested_amount=form.cleaned_data["requested_amount"],
        reason=form.cleaned_data["reason"],
        budget=form.budget(),
        by=by,
        receipt=receipt,
    )
    submission.change_request, submission.decision = request, form.decision
    submission.save(update_fields=["change_request", "decision"])
    return request


@transaction.atomic
def claim_accept(submission, *, by=None):
    """Record the 請求 sent: a 概算払 (payment_claim) or the 精算払 (final_payment_claim), dated the day it came."""
    form = bound_form(submission)
    receipt = submission.receipt
    if form.cleaned_data["claim_kind"] == ClaimForm.ADVANCE:
        payment = payment_claim(
            decision=form.decision,
            claimed_on=receipt.received_on,
            amount=form.cleaned_data["amount"],
            by=by,
            receipt=receipt,
        )
    else:
        payment = final_payment_claim(decision=form.decision, claimed_on=receipt.received_on, by=by, receipt=receipt)
    submission.payment, submission.decision = payment, form.decision
    submission.save(update_fields=["payment", "decision"])
    return payment


@transaction.atomic
def report_accept(submission, *, by=None):
    """Record the 実績報告 sent (grants.services.decision_report) by category. The receipts and photos stay the
    submission's attachments (already checked and re-encoded when uploaded), read from the 提出 in the admin;
    decision_report takes uploaded files, not stored ones, so they are not copied."""
    form = bound_form(submission)
    data = form.cleaned_data
    decision = decision_report(
        decision=form.decision,
        reported_on=submission.receipt.received_on,
        spending={project.pk: amount for project, amount in form.project_amounts().items()},
        personnel=data["personnel_amount"],
        operating=data["operating_amount"],
        other_income=data["other_income_amount"],
        by=by,
        receipt=submission.receipt,
    )
    submission.decision = decision
    submission.save(update_fields=["decision"])
    return decision


KINDS: dict = {  # Receipt.Kind value → SubmissionKind
    Receipt.Kind.APPLICATION.value: SubmissionKind(
        label="交付申請", form_class=ApplicationForm, accept=application_accept, carry_over=application_carry_over
    ),
    Receipt.Kind.CHANGE_REQUEST.value: SubmissionKind(
        label="変更申請",
        form_class=ChangeRequestForm,
        accept=change_request_accept,
        carry_over=budget_carry_over,
        once_a_year=False,
    ),
    Receipt.Kind.CLAIM.value: SubmissionKind(
        label="請求", form_class=ClaimForm, accept=claim_accept, once_a_year=False
    ),
    Receipt.Kind.REPORT.value: SubmissionKind(
        label="実績報告", form_class=ReportForm, accept=report_accept, carry_over=budget_carry_over
    ),
}
