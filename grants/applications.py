"""交付申請: the rules that record a received application with its 収支予算 and scanned 申請書, and the
checks a clerk reads before a 交付決定. The models are in grants.models.applications.
"""

from dataclasses import dataclass

from django.db import transaction

from grants.categories import EXPENSE_CATEGORIES, BudgetCategory
from grants.models import (  # noqa: F401 (application_attachment_path: the migrations refer to it here)
    GrantApplication,
    GrantApplicationAttachment,
    GrantApplicationLine,
    GrantChangeRequest,
    Receipt,
    application_attachment_path,
)
from grants.receipts import take_receipt
from niimi_portal.lib.history import record_change
from niimi_portal.lib.money import yen
from niimi_portal.lib.refusal import refuse
from niimi_portal.lib.uploads import attachment_store
from niimi_portal.lib.wareki import wareki_date
from organizations.approvals import approval_periods
from organizations.areas import AreaTree
from organizations.models import AnnualPlan, Organization, PlannedProject


@transaction.atomic
def application_record(
    *, organization, fiscal_year, received_on, requested_amount, budget, by=None, notes="", is_demo=False, receipt=None
):
    """Record a received 交付申請 with its 収支予算: `budget` is [(category, project or None, label, yen)].
    The annual plan of the year is linked as its 事業計画. `receipt`: the 受付簿 line already taken when it
    arrived (a form sent online takes its 受付番号 on sending); otherwise one is taken here."""
    if GrantApplication.objects.filter(organization=organization, fiscal_year=fiscal_year).exists():
        refuse(f"{organization.name}の{fiscal_year.label}の交付申請はすでに受け付けています。")
    if requested_amount is None or requested_amount < 0:
        refuse("交付申請額は0円以上で入力してください。", field="requested_amount")
    if any(amount is None or amount < 0 for *_, amount in budget):
        refuse("収支予算の金額は0円以上で入力してください。", field="budget")
    application = GrantApplication(
        organization=organization,
        fiscal_year=fiscal_year,
        received_on=received_on,
        receipt=receipt or application_receipt(organization, fiscal_year, received_on, by=by),
        requested_amount=requested_amount,
        annual_plan=AnnualPlan.objects.filter(organization=organization, fiscal_year=fiscal_year).first(),
        notes=notes,
        is_demo=is_demo,
        recorded_by=by,
    )
    record_change(application, by=by, reason="交付申請の受付")
    application.save()
    GrantApplicationLine.objects.bulk_create(
        GrantApplicationLine(
            application=application, category=category, project=project, label=label, amount=amount, order=i
        )
        for i, (category, project, label, amount) in enumerate(budget)
    )
    return application


def application_receipt(organization, fiscal_year, received_on, *, by=None):
    """The 受付番号 of a 交付申請 (grants.receipts), taken as its receipt is recorded."""
    return take_receipt(
        kind=Receipt.Kind.APPLICATION,
        received_on=received_on,
        organization=organization,
        subject=f"{fiscal_year.label} 交付申請 {organization.name}",
        by=by,
    )


@transaction.atomic
def application_attach(*, application, files, by=None):
    """Attach the scanned 申請書 (PDF, JPEG, PNG of at most 10 MB, checked by niimi_portal.lib.uploads)."""
    return attachment_store(GrantApplicationAttachment, files, by=by, reason="交付申請の添付", application=application)


@dataclass(frozen=True)
class Requirement:
    label: str
    ok: bool
    detail: str


def application_requirements(application):
    """The checks a clerk reads before deciding: 認可 by the received date, a plan with projects, a
    budget that is present, non-negative and balancing, and the statistics for the 算定."""
    lines = list(application.lines.all())  # the change page prefetches them, and the plan's projects
    projects = list(application.annual_plan.projects.all()) if application.annual_plan_id else []
    return applications_requirements([application], whole_tree=False, lines=lines, projects=projects)[application.pk]


def applications_requirements(applications, *, whole_tree=True, lines=None, projects=None):
    """{application pk: its checks (application_requirements)} of saved applications, in a number of
    queries that does not grow with them (a changelist's page, the decision's review): the approvals,
    the plans' projects, the budget lines and the organizations' areas each in one query, and the
    areas' statistics. The statistics read the whole area tree: the areas once, the statistics of
    every reference date in one query (the subtrees of a page's ~200 areas in one recursive query are
    estimated so costly that PostgreSQL spends ~350 ms compiling it, JIT); `whole_tree=False`, for
    one application, reads only its organization's areas. For one application, its budget `lines`
    and its plan's `projects` may be given."""
    applications = list(applications)
    periods = approval_periods({a.organization_id for a in applications})
    if projects is not None:
        (application,) = applications
        projects, lines = {application.annual_plan_id: projects}, {application.pk: lines}
    else:
        projects, lines = _projects_and_lines(applications)
    regions = {}
    for organization_id, region_id in Organization.regions.through.objects.filter(
        organization_id__in={a.organization_id for a in applications}
    ).values_list("organization_id", "region_id"):
        regions.setdefault(organization_id, []).append(region_id)
    areas = {}
    for application in applications:
        on = application.fiscal_year.statistics_reference_date
        areas.setdefault(on, set()).update(regions.get(application.organization_id, []))
    if whole_tree:
        trees = AreaTree.load_each(areas)
    else:
        trees = {on: AreaTree.load(on=on, within=sorted(ids)) for on, ids in areas.items()}
    checks = {}
    for application in applications:
        plan_projects = projects.get(application.annual_plan_id, []) if application.annual_plan_id else []
        application_lines = lines.get(application.pk, [])
        fiscal_year = application.fiscal_year
        checks[application.pk] = [
            _approved_requirement(application, periods.get(application.organization_id, [])),
            _plan_requirement(fiscal_year, plan_projects),
            _budget_present_requirement(application_lines, plan_projects),
            _balance_requirement(application, application_lines),
            _statistics_requirement(
                fiscal_year,
                regions.get(application.organization_id, []),
                trees[fiscal_year.statistics_reference_date],
            ),
        ]
    return checks


def _projects_and_lines(applications):
    """{plan id: its projects}, {application pk: its budget lines} of `applications`, a query each."""
    projects = {}
    plan_ids = {a.annual_plan_id for a in applications if a.annual_plan_id}
    for project in PlannedProject.objects.filter(annual_plan_id__in=plan_ids) if plan_ids else ():
        projects.setdefault(project.annual_plan_id, []).append(project)
    lines = {}
    for line in GrantApplicationLine.objects.filter(application__in=[a.pk for a in applications]):
        lines.setdefault(line.application_id, []).append(line)
    return projects, lines


def _approved_requirement(application, periods):
    approved_on = next((span.approved_on for span in periods if span.covers(application.received_on)), None)
    return Requirement(
        "受付日に認可されている",
        approved_on is not None,
        f"認可日 {wareki_date(approved_on)}"
        if approved_on
        else f"{wareki_date(application.received_on)}の時点で認可されていません。",
    )


def _plan_requirement(fiscal_year, projects):
    return Requirement(
        "事業計画（年度計画）がある",
        bool(projects),
        f"事業 {len(projects)}件、予算 {yen(sum(p.budget for p in projects))}"
        if projects
        else f"{fiscal_year.label}の年度計画に事業がありません。",
    )


def _budget_present_requirement(lines, projects):
    """Every project of the plan has its 事業費, and no 事業費 is for a project outside the plan."""
    costed = {line.project_id for line in lines if line.project_id}
    uncosted = [p.name for p in projects if p.pk not in costed]
    foreign = [line for line in lines if line.project_id and line.project_id not in {p.pk for p in projects}]
    present = bool(lines) and not uncosted and not foreign
    detail = "事業計画の事業ごとに事業費があります。"
    if not lines:
        detail = "収支予算が入力されていません。"
    elif uncosted:
        detail = f"次の事業の事業費がありません: {'、'.join(uncosted)}"
    elif foreign:
        detail = "年度計画にない事業の事業費があります。"
    return Requirement("収支予算がある", present, detail)


def _balance_requirement(application, lines):
    amounts = application.amounts(lines)
    expenses = sum(amounts[category] for category in EXPENSE_CATEGORIES)
    income = application.requested_amount + amounts[BudgetCategory.OTHER_INCOME]
    return Requirement(
        "収支が均衡している",
        bool(lines) and expenses == income,
        f"支出 {yen(expenses)}、収入 {yen(income)}（交付申請額 {yen(application.requested_amount)}"
        f" ＋ その他の収入 {yen(amounts[BudgetCategory.OTHER_INCOME])}）",
    )


def _statistics_requirement(fiscal_year, region_ids, tree):
    figures = tree.figures(region_ids)
    stats_ok = bool(region_ids) and not figures.missing
    return Requirement(
        "算定に使う人口・世帯数がある",
        stats_ok,
        f"{wareki_date(fiscal_year.statistics_reference_date)}現在 "
        + (f"{figures.population:,}人・{figures.households:,}世帯" if stats_ok else "の数値が足りません。"),
    )


def revised_request(decision):
    """The 変更申請 whose revised 収支予算 the decision stands on: the latest one with budget lines answered by
    a 変更交付決定 (None without one). A 変更申請 received and not yet decided does not count."""
    return (
        GrantChangeRequest.objects.filter(
            decision=decision, status=GrantChangeRequest.Status.DECIDED, lines__isnull=False
        )
        .select_related("entry")
        .order_by("-received_on", "-pk")
        .distinct()
        .first()
    )


def budget_lines_in_force(decision):
    """The 収支予算 the decision stands on, as lines (category, project, label, amount): the revised one of
    its latest 変更申請 answered by a 変更交付決定 (GrantChangeRequestLine), else the 交付申請's; [] with
    neither. A 変更申請 received and not yet decided does not count: the budget changes with the decision."""
    revised = revised_request(decision)
    if revised is not None:
        return list(revised.lines.all())
    if decision.application_id is not None:
        return list(decision.application.lines.all())
    return []


REVISED_BUDGET = "変更後の収支予算"
REVISED_BUDGET_NOT_DECIDED_AMOUNT = "変更後の収支予算（申請額ベース、決定額と差あり）"


@dataclass(frozen=True)
class BudgetBasis:
    """What the 実績報告 and the 確定通知書 read the 予算 column against (budget_basis)."""

    label: str  # 交付申請の収支予算, 変更後の収支予算, or 変更後の収支予算（申請額ベース、決定額と差あり）
    revised: bool = False
    requested: int | None = None  # the 変更申請's amount, which the revised budget balances against
    decided: int | None = None  # the amount the 変更交付決定 decided

    @property
    def differs(self):
        return self.revised and self.requested != self.decided

    @property
    def detail(self):
        """The sentence a clerk reads beside the 実績報告: which budget, and where it falls short."""
        if not self.differs:
            return self.label
        return (
            f"{self.label}: 変更申請の額 {yen(self.requested)}で収支が均衡する予算のままで、変更交付決定額 "
            f"{yen(self.decided)}とは {yen(abs(self.requested - self.decided))}の差があります。"
            "組織に収支予算の修正を求めてください。"
        )


def budget_basis(decision):
    """The 収支予算 in force (budget_lines_in_force), said in words. A 変更交付決定 may decide another amount
    than the 変更申請 asked (settlement.change_request_decide); the revised budget the organization sent
    still balances against the amount it asked for, so it is named 申請額ベース with the difference, rather
    than read as if it matched the decided amount."""
    revised = revised_request(decision)
    if revised is None:
        return BudgetBasis("交付申請の収支予算")
    details = revised.entry.details if revised.entry_id else {}
    decided = details.get("after", revised.requested_amount)
    differs = decided != revised.requested_amount
    label = REVISED_BUDGET_NOT_DECIDED_AMOUNT if differs else REVISED_BUDGET
    return BudgetBasis(label, revised=True, requested=revised.requested_amount, decided=decided)


def application_for(organization, fiscal_year):
    return GrantApplication.objects.filter(organization=organization, fiscal_year=fiscal_year).first()
