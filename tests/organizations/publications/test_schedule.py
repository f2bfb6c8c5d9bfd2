"""予定: the upcoming public meetings and workshops on a page (dates in 和暦) and as an iCalendar feed, with
nothing of a meeting's internal record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from niimi_portal.lib.wareki import wareki_month
from organizations.models import Organization
from staff.models import Meeting
from tests.helpers import Client
from tests.organizations.publications.conftest import SECRET_NOTES

pytestmark = pytest.mark.django_db


def feed(client):
    response = client.get("/schedule.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_the_page_lists_upcoming_public_meetings_with_wareki_dates(client, make_meeting, today):
    day = datetime.date(today.year + 1, 5, 10)  # a Monday in 2027, a Wednesday in 2028, …
    make_meeting(date=day, place="唐松公民館 大広間")
    page = client.get("/schedule/").content.decode()
    assert "<title>予定（地域の会議・ワークショップ） | 新見市 小規模多機能自治ポータル</title>" in page
    era_year = day.year - 2018
    assert f'<h2 id="month-1" class="h4">令和{era_year}年5月</h2>' in page
    weekday = "月火水木金土日"[day.weekday()]
    assert f"<strong>令和{era_year}年5月10日（{weekday}）</strong> 13:30～15:00" in page
    assert "ワークショップ" in page and "唐松公民館 大広間" in page
    assert '<a href="/organizations/karamatsu-machizukuri/">唐松まちづくり協議会</a>' in page


def test_the_page_groups_by_month_in_date_order(client, make_meeting, area, today):
    later = make_meeting(date=today + datetime.timedelta(days=70), kind=Meeting.Kind.STUDY)
    sooner = make_meeting(
        date=today + datetime.timedelta(days=3), start_time=None, end_time=None, organization=None, region=area
    )
    page = client.get("/schedule/").content.decode()
    assert page.index(f'id="meeting-{sooner.pk}"') < page.index(f'id="meeting-{later.pk}"')
    assert page.count('class="schedule-month') >= 2
    assert '<dt>地域</dt><dd><a href="/regions/karamatsu/">唐松</a></dd>' in page


def test_private_archived_past_and_unpublished_organizations_meetings_are_left_out(
    client, make_meeting, today, other_organization
):
    shown = make_meeting(place="公開の会場")
    make_meeting(place="非公開の会場", is_public=False)
    make_meeting(place="アーカイブ済みの会場", archived_at=timezone.now())
    make_meeting(place="過去の会場", date=today - datetime.timedelta(days=1), status=Meeting.Status.HELD)
    Organization.objects.filter(pk=other_organization.pk).update(is_published=False)
    make_meeting(place="非公開の組織の会場", organization=other_organization)
    page = client.get("/schedule/").content.decode()
    events = feed(client).walk("VEVENT")
    assert f'id="meeting-{shown.pk}"' in page
    assert [str(e["LOCATION"]) for e in events if str(e["LOCATION"]) != "過去の会場"] == ["公開の会場"]
    for hidden in ["非公開の会場", "アーカイブ済みの会場", "過去の会場", "非公開の組織の会場", "高尾ふれあい協議会"]:
        assert hidden not in page


def test_a_meetings_internal_record_is_never_shown(client, make_meeting):
    make_meeting()
    page = client.get("/schedule/").content.decode()
    ics = client.get("/schedule.ics").content.decode()
    for secret in SECRET_NOTES.values():
        assert secret not in page and secret not in ics
    assert "23人" not in page and "tanto1" not in page and "tanto1" not in ics


def test_the_feed_is_an_icalendar_that_calendar_apps_read(client, make_meeting, today):
    timed = make_meeting(date=today + datetime.timedelta(days=5))
    all_day = make_meeting(date=today + datetime.timedelta(days=6), start_time=None, end_time=None, place="体育館")
    calendar = feed(client)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "新見市 小規模多機能自治の予定"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"meeting-{timed.pk}@testserver", f"meeting-{all_day.pk}@testserver"}
    event = events[f"meeting-{timed.pk}@testserver"]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.utcoffset() == datetime.timedelta(hours=9)
    assert (start.date(), start.time(), end.time()) == (timed.date, datetime.time(13, 30), datetime.time(15))
    assert str(event["SUMMARY"]) == "ワークショップ（唐松まちづくり協議会）"
    assert str(event["LOCATION"]) == "唐松公民館"
    assert str(event["URL"]) == "http://testserver/schedule/"
    whole_day = events[f"meeting-{all_day.pk}@testserver"]
    assert whole_day.decoded("DTSTART") == all_day.date  # a date, not a date-time: all day
    assert whole_day.decoded("DTEND") == all_day.date + datetime.timedelta(days=1)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in client.get("/schedule.ics").content


def test_a_subscribed_calendar_keeps_the_last_thirty_days(client, make_meeting, today):
    recent = make_meeting(date=today - datetime.timedelta(days=20), status=Meeting.Status.HELD)
    make_meeting(date=today - datetime.timedelta(days=40), status=Meeting.Status.HELD)
    uids = [str(e["UID"]) for e in feed(client).walk("VEVENT")]
    assert uids == [f"meeting-{recent.pk}@testserver"]
    assert f'id="meeting-{recent.pk}"' not in client.get("/schedule/").content.decode()  # the page: upcoming only


def test_the_event_uid_stays_the_same_when_the_meeting_changes(client, make_meeting):
    meeting = make_meeting()
    before = str(feed(client).walk("VEVENT")[0]["UID"])
    meeting.place = "新しい会場"
    meeting.save()
    (event,) = feed(client).walk("VEVENT")
    assert str(event["UID"]) == before and str(event["LOCATION"]) == "新しい会場"


def test_the_page_links_the_feed_for_subscription_and_download(client, db):
    page = client.get("/schedule/").content.decode()
    assert 'href="webcal://testserver/schedule.ics"' in page
    assert 'href="/schedule.ics"' in page
    # the address shown to copy wraps only after / and . (never mid-word)
    assert "http:/<wbr>/<wbr>testserver/<wbr>schedule.<wbr>ics" in page
    assert "いまお知らせしている予定はありません。" in page


def test_a_liaison_marks_a_meeting_public_in_the_workspace_and_residents_see_it(
    client, assigned_liaison, organization, today
):
    """The workspace form has the 「公開の予定として掲載」 box; ticking it puts the meeting on the 予定."""
    client.force_login(assigned_liaison)
    form = client.get(reverse("staff:meeting_create", kwargs={"kind": "organization", "slug": organization.slug}))
    assert 'name="is_public"' in form.content.decode()
    day = today + datetime.timedelta(days=12)
    data = {
        "kind": "study",
        "status": "planned",
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "11:30",
        "place": "唐松ふれあいセンター",
        "agenda": "内部の議題メモ",
        "is_public": "on",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    response = client.post(
        reverse("staff:meeting_create", kwargs={"kind": "organization", "slug": organization.slug}), data
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.is_public
    resident = Client()
    page = resident.get("/schedule/").content.decode()
    assert f'id="meeting-{meeting.pk}"' in page and "唐松ふれあいセンター" in page and "勉強会" in page
    assert "内部の議題メモ" not in page
    assert "唐松ふれあいセンター" in resident.get("/schedule.ics").content.decode()


def test_the_schedule_answers_residents_without_login(client, make_meeting):
    make_meeting()
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.get("/schedule/").status_code == 200
    assert csrf_client.get("/schedule.ics").status_code == 200


def test_month_headings_are_in_wareki():
    assert wareki_month(datetime.date(2019, 5, 1)) == "令和元年5月"
    assert wareki_month(datetime.date(2019, 4, 30)) == "平成31年4月"
    assert wareki_month(datetime.date(2026, 12, 31)) == "令和8年12月"
