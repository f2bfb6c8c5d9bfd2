"""My meetings: filters, newest first, pagination, CSV for Excel, and a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from model_bakery import baker

from staff.models import Assignment, Meeting
from staff.views import MEETINGS_PER_PAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_meetings(organization, area, assigned_liaison, current_year):
    """Meetings on the assigned organization and on an assigned area without an organization."""
    Assignment.objects.create(
        officer=assigned_liaison.liaison_officer, region=area, fiscal_year=current_year, role="sub"
    )
    start = current_year.starts_on
    meetings = [
        Meeting.objects.create(
            organization=organization,
            kind="workshop" if i % 2 else "board",
            date=start + datetime.timedelta(days=i),
            place=f"会場{i:02d}",
            author=assigned_liaison,
        )
        for i in range(MEETINGS_PER_PAGE + 5)
    ]
    meetings.append(
        Meeting.objects.create(region=area, kind="study", date=start, place="地域の集会所", author=assigned_liaison)
    )
    return meetings


def places(response):
    return [m.place for m in response.context["page"].object_list]


def test_newest_first_and_paginated(client, assigned_liaison, many_meetings):
    client.force_login(assigned_liaison)
    first = client.get(reverse("staff:meeting_list"))
    assert places(first)[:2] == [f"会場{MEETINGS_PER_PAGE + 4:02d}", f"会場{MEETINGS_PER_PAGE + 3:02d}"]
    assert len(places(first)) == MEETINGS_PER_PAGE
    second = client.get(reverse("staff:meeting_list"), {"page": 2})
    assert len(places(second)) == len(many_meetings) - MEETINGS_PER_PAGE
    assert "地域の集会所" in places(second)


def test_filters_by_target_kind_and_date_range(
    client, assigned_liaison, many_meetings, organization, area, current_year
):
    client.force_login(assigned_liaison)
    by_region = client.get(reverse("staff:meeting_list"), {"target": f"region:{area.pk}"})
    assert places(by_region) == ["地域の集会所"]
    start = current_year.starts_on
    filtered = client.get(
        reverse("staff:meeting_list"),
        {
            "target": f"organization:{organization.pk}",
            "kind": "board",
            "date_from": start.isoformat(),
            "date_to": (start + datetime.timedelta(days=4)).isoformat(),
        },
    )
    assert places(filtered) == ["会場04", "会場02", "会場00"]
    # Page links keep the filter.
    assert "kind=board" in filtered.context["query"]


def test_a_filter_for_someone_elses_organization_is_refused(
    client, assigned_liaison, many_meetings, other_organization
):
    client.force_login(assigned_liaison)
    response = client.get(reverse("staff:meeting_list"), {"target": f"organization:{other_organization.pk}"})
    assert "正しく選択してください" in response.text
    assert places(response) == []


def test_date_to_before_date_from_is_shown_next_to_the_field(client, assigned_liaison, many_meetings):
    client.force_login(assigned_liaison)
    response = client.get(reverse("staff:meeting_list"), {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert 'id="error_1_id_date_to"' in response.text
    assert "「まで」の日付は「から」の日付と同じか" in response.text


def test_csv_export_is_utf8_with_bom_and_follows_the_filter(client, assigned_liaison, many_meetings, area):
    client.force_login(assigned_liaison)
    response = client.get(reverse("staff:meeting_export"), {"target": f"region:{area.pk}"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["開催日", "開始時刻", "終了時刻", "種類"]
    assert len(rows) == 2
    assert rows[1][3] == "勉強会"
    assert rows[1][5] == "唐松"
    assert rows[1][6] == "地域の集会所"


def test_csv_export_has_everything_without_a_filter(client, assigned_liaison, many_meetings):
    client.force_login(assigned_liaison)
    response = client.get(reverse("staff:meeting_export"))
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == len(many_meetings) + 1


def test_list_query_count_does_not_grow_with_meetings(
    client, assigned_liaison, many_meetings, django_assert_num_queries
):
    client.force_login(assigned_liaison)
    # 1 session, 2 user, 3 is the user a liaison (groups), 4 officer, 5 assignments with year/target,
    # 6 count, 7 the page of meetings with organization/region/author.
    with django_assert_num_queries(8):  # 1 of them: the two-factor check (niimi_portal.lib.two_factor)
        response = client.get(reverse("staff:meeting_list"))
    assert response.status_code == 200


def test_export_query_count_does_not_grow_with_meetings(
    client, assigned_liaison, many_meetings, django_assert_num_queries
):
    client.force_login(assigned_liaison)
    # session, user, liaison check, officer, assignments, all filtered meetings with their targets and authors.
    with django_assert_num_queries(7):  # 1 of them: the two-factor check
        client.get(reverse("staff:meeting_export"))


def test_dashboard_query_count_is_fixed(client, assigned_liaison, many_meetings, django_assert_max_num_queries):
    baker.make("staff.NextStep", meeting=many_meetings[0], due_date=many_meetings[0].date, _quantity=5)
    client.force_login(assigned_liaison)
    # session, user, liaison check, officer, assignments, last meeting per organization, per area,
    # those meetings, open next steps, the nav's liaison check (cached on the user), the liaison's own
    # stage change proposals and case proposals — never one per row.
    with django_assert_max_num_queries(13):  # 1 of them: the two-factor check
        response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 200


def test_meeting_detail_query_count_is_fixed(client, assigned_liaison, meeting, attachment, django_assert_num_queries):
    for n in range(3):
        meeting.place = f"会場{n}"
        meeting.save()
    client.force_login(assigned_liaison)
    # session, user, liaison check, officer, assignments, the meeting with target and author,
    # its history with users (however many edits), next steps, attachments, case proposals.
    with django_assert_num_queries(11):  # 1 of them: the two-factor check
        response = client.get(reverse("staff:meeting_detail", args=[meeting.pk]))
    assert response.text.count("<tr>") == 1 + 4  # header row + created + three edits


def test_target_page_query_count_is_fixed(
    client, assigned_liaison, many_meetings, organization, django_assert_num_queries
):
    client.force_login(assigned_liaison)
    # session, user, liaison check, officer, assignments, the organization, its meetings with authors,
    # its regions, its stage changes.
    with django_assert_num_queries(10):  # 1 of them: the two-factor check
        response = client.get(reverse("staff:target", kwargs={"kind": "organization", "slug": organization.slug}))
    assert response.status_code == 200
