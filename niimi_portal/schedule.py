"""予定: the meetings and workshops liaisons marked public, for the 予定 page and as an iCalendar feed
(RFC 5545) that calendar apps subscribe to, built with the icalendar library. Meetings are staff's
records of organizations and areas, so they are read in the site package.

An event says only what the 予定 page says: the kind of meeting, its date and time, its place, and the
organization or area. It is made from `public_meetings`, which loads nothing else, so a meeting's
agenda, notes, decisions and attendance cannot reach a subscriber's calendar.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from icalendar import Calendar, Event, vDuration

from staff.models import Meeting

CALENDAR_NAME = "新見市 小規模多機能自治の予定"
REFRESH = datetime.timedelta(hours=6)  # how often a subscribed calendar app should fetch the feed again

# What a public meeting may show; its agenda, notes, decisions and attendance are internal records.
PUBLIC_MEETING_FIELDS = [
    "kind",
    "date",
    "start_time",
    "end_time",
    "place",
    "updated_at",
    "organization__name",
    "organization__slug",
    "organization__is_demo",
    "region__name",
    "region__slug",
    "region__is_demo",
]


def public_meetings(since=None):
    """Meetings and workshops liaisons marked public, from `since` (today by default) on, except those of
    an unpublished organization; only the fields a resident may see are loaded."""
    return (
        Meeting.objects.public(since=since)
        .select_related("organization", "region")
        .only(*PUBLIC_MEETING_FIELDS)
        .order_by("date", F("start_time").asc(nulls_first=True), "id")
    )


def recent_and_upcoming_meetings(days=30):
    """Public meetings of the last `days` days and after: a subscribed calendar keeps what just happened."""
    return public_meetings(since=timezone.localdate() - datetime.timedelta(days=days))


def host_of(meeting):
    """The organization holding the meeting, or the area where there is none yet."""
    return meeting.organization or meeting.region


def title(meeting):
    return f"{meeting.get_kind_display()}（{host_of(meeting).name}）"


def _event(meeting, *, uid_domain, page_url):
    zone = ZoneInfo(settings.TIME_ZONE)
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{uid_domain}")
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    if meeting.start_time is not None:
        event.add("dtstart", datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone))
        if meeting.end_time is not None:
            event.add("dtend", datetime.datetime.combine(meeting.date, meeting.end_time, tzinfo=zone))
    else:  # a day without a set time: an all-day event
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + datetime.timedelta(days=1))
    event.add("summary", title(meeting))
    event.add("location", meeting.place)
    host_label = "地域運営組織" if meeting.organization else "地域"
    event.add(
        "description",
        f"{meeting.get_kind_display()}\n{host_label}: {host_of(meeting).name}\n場所: {meeting.place}\n"
        f"詳しくは {settings.PORTAL['SITE_NAME']} の「予定」をご覧ください: {page_url}",
    )
    event.add("url", page_url)
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a resident's own calendar is not blocked by a public meeting
    return event


def calendar_ics(meetings, *, uid_domain, page_url):
    """The feed's bytes. `uid_domain` makes each event's UID unique worldwide and stable across fetches."""
    calendar = Calendar()
    calendar.add("prodid", "-//Niimi City//Shokibo Takino Jichi Portal//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", CALENDAR_NAME)  # RFC 7986
    calendar.add("x-wr-calname", CALENDAR_NAME)  # the name most calendar apps read
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for meeting in meetings:
        calendar.add_component(_event(meeting, uid_domain=uid_domain, page_url=page_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()
