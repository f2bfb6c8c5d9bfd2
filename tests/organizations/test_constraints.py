"""Each database constraint of the organizations app rejects a bad row."""

import datetime

import pytest
from model_bakery import baker

from organizations.models import (
    AnnualPlan,
    CaseStudy,
    FuturePlan,
    Organization,
    PlannedProject,
    ProposalStatus,
    Region,
    RegionStatistic,
)
from organizations.public import with_former_town
from tests.helpers import rejects

pytestmark = pytest.mark.django_db


def test_a_declined_case_study_proposal_needs_a_reason(organization):
    """organizations_casestudy_declined_has_reason, from the abstract Proposal model."""
    rejects(
        lambda: CaseStudy.objects.create(
            organization=organization, title="t", slug="declined", summary="s", body="b", status=ProposalStatus.DECLINED
        )
    )
    CaseStudy.objects.create(
        organization=organization,
        title="t",
        slug="declined-with-reason",
        summary="s",
        body="b",
        status=ProposalStatus.DECLINED,
        decline_reason="内容を確認してください。",
    )


def test_region_slugs_are_unique(area):
    rejects(lambda: baker.make(Region, kind="oaza", name="別の唐松", name_kana="からまつ", slug=area.slug))


def test_organization_slugs_are_unique(organization):
    rejects(lambda: baker.make(Organization, name="別", name_kana="べつ", slug=organization.slug))


def test_statistics_are_unique_per_region_and_date(area):
    day = datetime.date(2026, 4, 1)
    RegionStatistic.objects.create(region=area, reference_date=day, population=500, households=200)
    rejects(lambda: RegionStatistic.objects.create(region=area, reference_date=day, population=1, households=1))
    assert RegionStatistic.objects.count() == 1


def test_statistics_cannot_be_negative(area):
    rejects(
        lambda: RegionStatistic.objects.create(
            region=area, reference_date=datetime.date(2026, 4, 1), population=-1, households=10
        )
    )


def test_an_approved_organization_needs_a_date(area):
    """The 認可番号 may wait for the 決裁 of the 認可通知書 (「番号は決裁の後」); the date may not."""
    rejects(
        lambda: baker.make(Organization, slug="x", approval_status="approved", approval_number="", approved_on=None)
    )


def test_future_plan_period_must_run_forward(organization):
    rejects(lambda: baker.make(FuturePlan, organization=organization, start_year=2027, end_year=2026, title="計画"))


def test_planned_project_budget_cannot_be_negative(organization, current_year):
    plan = AnnualPlan.objects.create(organization=organization, fiscal_year=current_year)
    rejects(lambda: PlannedProject.objects.create(annual_plan=plan, field="elderly", name="見守り", budget=-100))


def test_one_annual_plan_per_organization_and_year(organization, current_year):
    AnnualPlan.objects.create(organization=organization, fiscal_year=current_year)
    rejects(lambda: AnnualPlan.objects.create(organization=organization, fiscal_year=current_year))


def test_former_town_is_found_through_parents(town, area):
    school = baker.make(Region, kind="school", name="新見小学校区", name_kana="にいみしょう", slug="ns", parent=town)
    oaza = baker.make(Region, kind="oaza", name="下", name_kana="しも", slug="shimo", parent=school)
    district = baker.make(Region, kind="district", name="一区", name_kana="いっく", slug="ikku", parent=oaza)
    found = dict(with_former_town(Region.objects.all()).values_list("slug", "town_slug"))
    assert {
        slug: found[slug] for slug in [town.slug, area.slug, school.slug, oaza.slug, district.slug]
    } == dict.fromkeys([town.slug, area.slug, school.slug, oaza.slug, district.slug], town.slug)
