"""Data shared by the tests of open data, the 予定 page and feed, and the printouts (plain and tagged)."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from organizations.models import AnnualPlan, FuturePlan, PlannedProject
from staff.models import Meeting

SECRET_NOTES = {
    "agenda": "議題（内部）: 会長の後任について",
    "summary": "内部記録: 役員の家庭の事情で欠席が続いている",
    "decisions": "決定事項（内部）: 会計を交代する",
    "other_organizations": "参加団体（内部）: 某後援会",
}


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_meeting(organization, assigned_liaison, today):
    """A meeting of `organization` (unless told otherwise), public and upcoming unless told otherwise."""

    def make(**fields):
        values = {
            "organization": organization,
            "kind": Meeting.Kind.WORKSHOP,
            "status": Meeting.Status.PLANNED,
            "date": today + datetime.timedelta(days=10),
            "start_time": datetime.time(13, 30),
            "end_time": datetime.time(15, 0),
            "place": "唐松公民館",
            "is_public": True,
            "author": assigned_liaison,
            "attendees": 23,
            **SECRET_NOTES,
            **fields,
        }
        return Meeting.objects.create(**values)

    return make


def read_csv(response):
    """The rows of a CSV response, after checking it is UTF-8 with a BOM."""
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.fixture
def plan(organization, current_year):
    FuturePlan.objects.create(
        organization=organization,
        title="唐松地区 地域の将来計画",
        vision="子どもから高齢者まで安心して暮らせる唐松",
        issues="担い手不足と移動手段",
        goals="見守りの仕組みづくり",
        start_year=current_year.year,
        end_year=current_year.year + 4,
        status=FuturePlan.Status.ADOPTED,
        adopted_on=current_year.starts_on,
    )
    annual = AnnualPlan.objects.create(organization=organization, fiscal_year=current_year, summary="見守りに重点")
    PlannedProject.objects.create(annual_plan=annual, field="elderly", name="見守り・声かけ訪問", budget=140_000)
    PlannedProject.objects.create(annual_plan=annual, field="disaster", name="防災マップづくり", budget=480_000)
    return annual
