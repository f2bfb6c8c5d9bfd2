"""Every workspace URL × the four people: the expected answer, and nothing changed when refused."""

import datetime

import pytest
from django.urls import reverse

from staff.models import Meeting
from tests.helpers import login
from tests.staff.conftest import snapshot

pytestmark = pytest.mark.django_db

PEOPLE = ["assigned_liaison", "unassigned_liaison", "policy_officer", None]


def assert_refused(response, person, expected):
    if person is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("person", "expected"),
    [("assigned_liaison", 200), ("unassigned_liaison", 200), ("policy_officer", 302), (None, 302)],
)
def test_dashboard(client, request, person, expected, organization):
    login(client, person, request)
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == expected
    if person == "policy_officer":
        assert response["Location"] == reverse("admin:index")
    if person is None:
        assert response["Location"].startswith(reverse("login"))
    if person == "assigned_liaison":
        assert organization.name in response.text
    if person == "unassigned_liaison":
        assert organization.name not in response.text
        assert "高尾ふれあい協議会" in response.text


@pytest.mark.parametrize(
    ("person", "expected"),
    [("assigned_liaison", 200), ("unassigned_liaison", 404), ("policy_officer", 403), (None, 302)],
)
@pytest.mark.parametrize("suffix", ["", "meetings/new/", "stage/"])
def test_organization_pages(client, request, person, expected, suffix, organization, meeting):
    login(client, person, request)
    response = client.get(f"/workspace/organizations/{organization.slug}/{suffix}")
    assert_refused(response, person, expected)


@pytest.mark.parametrize(
    ("person", "expected"),
    [("assigned_liaison", 200), ("unassigned_liaison", 404), ("policy_officer", 403), (None, 302)],
)
@pytest.mark.parametrize("name", ["staff:meeting_detail", "staff:meeting_edit", "staff:meeting_archive"])
def test_meeting_pages(client, request, person, expected, name, meeting):
    login(client, person, request)
    response = client.get(reverse(name, args=[meeting.pk]))
    assert_refused(response, person, expected)


@pytest.mark.parametrize(
    ("person", "expected"),
    [("assigned_liaison", 200), ("unassigned_liaison", 200), ("policy_officer", 403), (None, 302)],
)
@pytest.mark.parametrize("name", ["staff:meeting_list", "staff:meeting_export"])
def test_meeting_lists_show_only_my_meetings(client, request, person, expected, name, meeting):
    login(client, person, request)
    response = client.get(reverse(name))
    assert_refused(response, person, expected)
    if expected == 200:
        assert ("唐松公民館" in response.content.decode("utf-8-sig")) == (person == "assigned_liaison")


@pytest.mark.parametrize(
    ("person", "expected"),
    [("assigned_liaison", 200), ("unassigned_liaison", 404), ("policy_officer", 200), (None, 302)],
)
def test_attachment_download(client, request, person, expected, attachment):
    login(client, person, request)
    response = client.get(reverse("staff:attachment_download", args=[attachment.pk]))
    assert_refused(response, person, expected)
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] == "application/pdf"


# -- writes: refused people change nothing -------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "expected"),
    [("unassigned_liaison", 404), ("policy_officer", 403), (None, 302)],
)
def test_refused_people_cannot_log_a_meeting(client, request, person, expected, organization, valid_meeting_data):
    login(client, person, request)
    before = snapshot()
    response = client.post(f"/workspace/organizations/{organization.slug}/meetings/new/", valid_meeting_data)
    assert_refused(response, person, expected)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("person", "expected"),
    [("unassigned_liaison", 404), ("policy_officer", 403), (None, 302)],
)
def test_refused_people_cannot_edit_or_archive_a_meeting(
    client, request, person, expected, meeting, valid_meeting_data
):
    login(client, person, request)
    before = snapshot()
    edit = client.post(reverse("staff:meeting_edit", args=[meeting.pk]), {**valid_meeting_data, "place": "改ざん"})
    archive = client.post(reverse("staff:meeting_archive", args=[meeting.pk]))
    assert_refused(edit, person, expected)
    assert_refused(archive, person, expected)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("person", "expected"),
    [("unassigned_liaison", 404), ("policy_officer", 403), (None, 302)],
)
def test_refused_people_cannot_change_a_stage(client, request, person, expected, organization, meeting, today):
    login(client, person, request)
    before = snapshot()
    response = client.post(
        f"/workspace/organizations/{organization.slug}/stage/",
        {"to_stage": "3", "changed_on": today.isoformat(), "evidence_meeting": meeting.pk},
    )
    assert_refused(response, person, expected)
    assert snapshot() == before


def test_liaison_cannot_log_meeting_for_unassigned_organization(
    client, unassigned_liaison, organization, valid_meeting_data
):
    client.force_login(unassigned_liaison)
    response = client.post(f"/workspace/organizations/{organization.slug}/meetings/new/", valid_meeting_data)
    assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_a_sub_liaison_reads_but_cannot_edit_the_main_liaisons_meeting(client, meeting, organization, current_year):
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from model_bakery import baker

    from staff.models import Assignment, LiaisonOfficer

    user = User.objects.create_user("fuku")
    user.groups.add(Group.objects.get(name=settings.LIAISON_GROUP))
    officer = baker.make(LiaisonOfficer, user=user)
    Assignment.objects.create(officer=officer, organization=organization, fiscal_year=current_year, role="sub")
    client.force_login(user)
    assert client.get(reverse("staff:meeting_detail", args=[meeting.pk])).status_code == 200
    before = snapshot()
    assert client.post(reverse("staff:meeting_archive", args=[meeting.pk])).status_code == 403
    assert snapshot() == before


def test_past_fiscal_year_assignment_is_read_only(client, assigned_liaison, organization, current_year, meeting):
    """Last year's liaison still reads what happened in their year, but writes nothing and sees nothing newer."""
    from grants.models import FiscalYear
    from staff.models import Assignment

    last_year = FiscalYear.for_year(current_year.year - 1)
    old_meeting = Meeting.objects.create(
        organization=organization,
        kind="study",
        date=last_year.starts_on + datetime.timedelta(days=30),
        place="旧公民館",
        author=assigned_liaison,
    )
    Assignment.objects.filter(officer__user=assigned_liaison).update(fiscal_year=last_year)
    client.force_login(assigned_liaison)
    assert client.get(f"/workspace/organizations/{organization.slug}/").status_code == 200
    assert client.get(reverse("staff:meeting_detail", args=[old_meeting.pk])).status_code == 200
    # This year's meeting lies after their last assigned year: not theirs to see any more.
    assert client.get(reverse("staff:meeting_detail", args=[meeting.pk])).status_code == 404
    before = snapshot()
    assert client.get(f"/workspace/organizations/{organization.slug}/meetings/new/").status_code == 403
    assert client.post(reverse("staff:meeting_archive", args=[old_meeting.pk])).status_code == 403
    assert snapshot() == before
