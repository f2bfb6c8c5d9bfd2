"""What the public may see, as QuerySet methods (`.public()`), and the one spelling of this 年度."""

import datetime

import pytest
from django.utils import timezone
from model_bakery import baker

from grants.models import FiscalYear
from niimi_portal.lib.wareki import current_fiscal_year, fiscal_year_of
from organizations.models import CaseStudy
from staff.models import Assignment, LiaisonOfficer, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(organization):
    """An unpublished organization next to the published fixture one."""
    return baker.make("organizations.Organization", name="非公開の準備会", slug="hidden", is_published=False)


def test_case_studies_public_are_published_and_not_of_an_unpublished_organization(organization, hidden):
    shown = CaseStudy.objects.create(organization=organization, title="公開", slug="a", is_published=True)
    own = CaseStudy.objects.create(organization=None, title="市の事例", slug="b", is_published=True)
    CaseStudy.objects.create(organization=hidden, title="非公開の組織", slug="c", is_published=True)
    CaseStudy.objects.create(organization=organization, title="下書き", slug="d", is_published=False)
    assert set(CaseStudy.objects.public()) == {shown, own}


def test_meetings_public_are_marked_public_upcoming_not_archived_and_not_of_an_unpublished_organization(
    organization, hidden, area, assigned_liaison
):
    today = timezone.localdate()

    def meeting(**fields):
        values = {"organization": organization, "kind": "workshop", "date": today, "is_public": True}
        return Meeting.objects.create(author=assigned_liaison, **{**values, **fields})

    shown = meeting()
    of_area = meeting(organization=None, region=area)
    meeting(organization=hidden)
    meeting(is_public=False)
    meeting(date=today - datetime.timedelta(days=1))
    meeting(archived_at=timezone.now())
    assert set(Meeting.objects.public()) == {shown, of_area}
    assert meeting(date=today - datetime.timedelta(days=3)) in Meeting.objects.public(
        since=today - datetime.timedelta(days=30)
    )


def test_assignments_public_are_of_an_area_or_a_published_organization(organization, hidden, area, current_year):
    officer = baker.make(LiaisonOfficer)
    shown = Assignment.objects.create(officer=officer, organization=organization, fiscal_year=current_year)
    of_area = Assignment.objects.create(officer=officer, region=area, fiscal_year=current_year, role="sub")
    Assignment.objects.create(officer=officer, organization=hidden, fiscal_year=current_year)
    assert set(Assignment.objects.public()) == {shown, of_area}


def test_fiscal_year_current_is_this_years_row_or_none():
    year = fiscal_year_of(timezone.localdate())
    assert current_fiscal_year() == year
    assert FiscalYear.current() is None
    FiscalYear.for_year(year - 1)
    assert FiscalYear.current() is None  # last year's row is not this year's
    this = FiscalYear.for_year(year)
    assert FiscalYear.current() == this
