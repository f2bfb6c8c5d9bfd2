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

from grants.applications import application_record
from grants.categories import BudgetCategory
from grants.models import FiscalYear, GrantApplication, Receipt
from niimi_portal.lib.refusal import refuse
from offices.forms import ApplicationForm
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


KINDS: dict = {  # Receipt.Kind value → SubmissionKind
    Receipt.Kind.APPLICATION.value: SubmissionKind(
        label="交付申請", form_class=ApplicationForm, accept=application_accept, carry_over=application_carry_over
    ),
}
