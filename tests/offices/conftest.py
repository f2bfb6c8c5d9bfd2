"""People of the 事務局's pages: a member of 唐松's 事務局 (the `organization` fixture) and one of 高尾's; the
security world; last year's 交付申請 and a balanced 交付申請 form for the forms' tests."""

import pytest
from django.contrib.auth.models import User

from grants.categories import BudgetCategory
from grants.models import FiscalYear, GrantApplication, GrantApplicationLine
from offices.models import OfficeMember
from organizations.models import AnnualPlan, PlannedProject
from tests.conftest import PASSWORD
from tests.helpers import Client
from tests.security.conftest import world  # noqa: F401 — the permission matrix's world, shared


def new_office_user(username, organization, *, email=None, name=("新見", "花子")):
    user = User.objects.create_user(
        username, email=email or f"{username}@example.jp", password=PASSWORD, last_name=name[0], first_name=name[1]
    )
    OfficeMember.objects.create(organization=organization, user=user, role="事務局長")
    return user


@pytest.fixture
def office_member(organization):
    """A person of 唐松まちづくり協議会's 事務局 (not staff, no liaison)."""
    return new_office_user("karamatsu-jimu", organization)


@pytest.fixture
def other_office_member(other_organization):
    """A person of 高尾ふれあい協議会's 事務局."""
    return new_office_user("takao-jimu", other_organization, name=("高尾", "次郎"))


@pytest.fixture
def office_user(organization):
    user = User.objects.create_user("jimukyoku", password=PASSWORD, email="jimu@karamatsu.example")
    OfficeMember.objects.create(organization=organization, user=user, role="事務局長")
    return user


@pytest.fixture
def office(office_user):
    """A client of its own (the clerk's is `client`), signed in as the 事務局 of 唐松まちづくり協議会."""
    client = Client()
    client.force_login(office_user)
    return client


@pytest.fixture
def other_office_user(other_organization):
    user = User.objects.create_user("takao-jimu", password=PASSWORD, email="jimu@takao.example")
    OfficeMember.objects.create(organization=other_organization, user=user)
    return user


@pytest.fixture
def last_year_application(organization, current_year):
    """Last year's 交付申請: two projects, 人件費, 運営経費 and その他の収入, balancing."""
    last = FiscalYear.for_year(current_year.year - 1)
    plan = AnnualPlan.objects.create(organization=organization, fiscal_year=last)
    salon = PlannedProject.objects.create(
        annual_plan=plan, name="ふれあいサロン", field="elderly", description="月1回の集い", budget=300000
    )
    patrol = PlannedProject.objects.create(annual_plan=plan, name="防災訓練", field="disaster", budget=200000)
    application = GrantApplication.objects.create(
        organization=organization, fiscal_year=last, received_on=last.starts_on, requested_amount=1000000
    )
    for order, (category, project, label, amount) in enumerate(
        [
            (BudgetCategory.PERSONNEL, None, "", 400000),
            (BudgetCategory.OPERATING, None, "", 150000),
            (BudgetCategory.PROJECT, salon, "", 300000),
            (BudgetCategory.PROJECT, patrol, "", 200000),
            (BudgetCategory.OTHER_INCOME, None, "会費", 50000),
        ]
    ):
        GrantApplicationLine.objects.create(
            application=application, category=category, project=project, label=label, amount=amount, order=order
        )
    return application


BALANCED = {
    "requested_amount": "1000000",
    "personnel_amount": "400000",
    "operating_amount": "150000",
    "other_income_amount": "50000",
    "other_income_label": "会費",
    "project_1_name": "ふれあいサロン",
    "project_1_field": "elderly",
    "project_1_description": "月1回の集い",
    "project_1_amount": "300000",
    "project_2_name": "防災訓練",
    "project_2_field": "disaster",
    "project_2_description": "",
    "project_2_amount": "200000",
}
