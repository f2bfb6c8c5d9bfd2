"""Who may see and write what in the liaison workspace. Every workspace view goes through here.

The rule: a liaison sees the organizations and areas assigned to them (this fiscal year, or in a
past one: read only, up to the end of the last year they were assigned), and writes only for
those assigned to them this fiscal year, on dates in a year they are assigned for, and only their
own meetings. Anything they may not see answers 404; what they may see but not change answers 403.

April 1 is no cliff: until the new year's 「前年度の記録を編集できる期限」 (4月30日 unless the clerk set
another day on the FiscalYear), last year's targets stay writable for dates in last year, so a March
meeting written up in April is still taken.
"""

import datetime
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property

from niimi_portal.lib.wareki import default_grace_until, fiscal_year_label, fiscal_year_of, wareki_date
from organizations.models import Organization, Region
from staff.models import Assignment, Meeting, MeetingAttachment

TARGET_MODELS = {"organization": Organization, "region": Region}


def is_liaison(user):
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_liaison", None)
    if cached is None:
        cached = user._is_liaison = user.groups.filter(name=settings.LIAISON_GROUP).exists()
    return cached


def target_kind(target):
    return "organization" if isinstance(target, Organization) else "region"


class LiaisonAccess:
    """What one logged-in liaison may do today."""

    def __init__(self, user, today=None):
        self.user = user
        self.officer = getattr(user, "liaison_officer", None)
        self.today = today or timezone.localdate()
        self.current_year = fiscal_year_of(self.today)

    @cached_property
    def assignments(self):
        if self.officer is None:
            return []
        return list(
            Assignment.objects.filter(officer=self.officer)
            .select_related("fiscal_year", "organization", "region")
            .order_by("-fiscal_year__year", "organization__name_kana", "region__name_kana")
        )

    @cached_property
    def grace_until(self):
        """The last day last year's records may still be written: the current FiscalYear's setting, else 4月30日.

        The fiscal year is the grants app's model, which staff (below grants) names by its label, as
        Assignment.fiscal_year's ForeignKey does; only its date field is read."""
        fiscal_years = apps.get_model("grants", "FiscalYear").objects.filter(year=self.current_year)
        day = fiscal_years.values_list("previous_year_edit_until", flat=True).first()
        return day or default_grace_until(self.current_year)

    @property
    def in_grace_period(self):
        return self.today <= self.grace_until

    def _writable(self, year):
        """May records dated in fiscal `year` be written today (this year or later; last year in the grace period)."""
        return year >= self.current_year or (year == self.current_year - 1 and self.in_grace_period)

    def current_assignments(self):
        return [a for a in self.assignments if a.fiscal_year.year == self.current_year]

    def past_assignments(self):
        """Targets assigned in an earlier year only (read only), newest year first, each target once."""
        current = {(target_kind(a.target), a.target.pk) for a in self.current_assignments()}
        seen, past = set(), []
        for a in self.assignments:
            key = (target_kind(a.target), a.target.pk)
            if a.fiscal_year.year < self.current_year and key not in current and key not in seen:
                seen.add(key)
                past.append(a)
        return past

    def grace_assignments(self):
        """Last year's assignments still writable today (the grace period after 1 April), else none."""
        last = self.current_year - 1
        if not any(a.fiscal_year.year == last for a in self.assignments) or not self.in_grace_period:
            return []
        return [a for a in self.assignments if a.fiscal_year.year == last]

    def _years_for(self, target):
        key = (target_kind(target), target.pk)
        return {a.fiscal_year.year for a in self.assignments if (target_kind(a.target), a.target.pk) == key}

    def can_read_target(self, target):
        return bool(self._years_for(target))

    def can_write_target(self, target):
        years = self._years_for(target)
        return self.current_year in years or (self.current_year - 1 in years and self.in_grace_period)

    def target(self, kind, slug, *, write=False):
        """The organization or area behind a workspace URL, or 404 (not mine) / 403 (mine, read only)."""
        model = TARGET_MODELS.get(kind)
        if model is None:
            raise Http404
        target = get_object_or_404(model, slug=slug)
        if not self.can_read_target(target):
            raise Http404
        if write and not self.can_write_target(target):
            raise PermissionDenied("過去の年度の担当先は閲覧のみです。")
        return target

    def default_meeting_date(self, target):
        """Today, most meetings being logged the same evening; for a target kept from last year only (the
        grace period), the last day of last year, the latest date it may take."""
        if self.current_year in self._years_for(target):
            return self.today
        return datetime.date(self.current_year, 3, 31)

    def date_error(self, target, day):
        """Why this liaison may not record something for `target` on `day`, or None when they may."""
        year = fiscal_year_of(day)
        if not self._writable(year):
            if year == self.current_year - 1:
                return (
                    f"{fiscal_year_label(year)}は過去の年度のため、記録・変更できません"
                    f"（前年度の記録の期限は{wareki_date(self.grace_until)}まででした。閲覧のみです）。"
                )
            return f"{fiscal_year_label(year)}は過去の年度のため、記録・変更できません（閲覧のみです）。"
        if year not in self._years_for(target):
            return (
                f"{fiscal_year_label(year)}には、あなたは「{target}」の担当ではありません。"
                "担当している年度の日付を入力してください。"
            )
        return None

    def _visible_condition(self):
        """Meetings of my targets; for targets I no longer have, only those up to the end of my last year."""
        until = {}
        for a in self.assignments:
            key = (target_kind(a.target), a.target.pk)
            if a.fiscal_year.year >= self.current_year:
                until[key] = None
            elif key not in until or (until[key] is not None and a.fiscal_year.ends_on > until[key]):
                until[key] = a.fiscal_year.ends_on
        condition = Q(pk__in=[])
        for (kind, pk), last_day in until.items():
            part = Q(**{f"{kind}_id": pk})
            if last_day is not None:
                part &= Q(date__lte=last_day)
            condition |= part
        return condition

    def visible_meetings(self):
        return Meeting.objects.active().filter(self._visible_condition())

    def can_write_meeting(self, meeting):
        if meeting.author_id != self.user.pk or meeting.archived_at is not None:
            return False
        year = fiscal_year_of(meeting.date)
        if year >= self.current_year:
            return self.current_year in self._years_for(meeting.target)
        return self._writable(year) and year in self._years_for(meeting.target)

    def meeting(self, pk, *, write=False):
        """A meeting I may see (else 404); with write=True, one I may also change (else 403)."""
        meeting = get_object_or_404(self.visible_meetings().select_related("organization", "region", "author"), pk=pk)
        if write and not self.can_write_meeting(meeting):
            raise PermissionDenied(
                "この会議記録は変更できません（自分が記録した今年度の会議だけ変更できます。"
                "前年度の会議は前年度の記録の期限まで変更できます）。"
            )
        return meeting


def liaison_access(user, today=None):
    """The liaison's access, or PermissionDenied for anyone who is not a liaison (policy staff use the admin)."""
    if not is_liaison(user):
        raise PermissionDenied("このページは地域担当職員のためのページです。")
    return LiaisonAccess(user, today)


def liaison_view(view):
    """Decorator for workspace views: log in first, then be a liaison; the view receives the access."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, liaison_access(request.user), *args, **kwargs)

    return wrapper


def attachment_for(user, pk):
    """An attachment the user may download: policy staff any (they read everything), a liaison only
    those of meetings they may see. Anyone else gets 404, never the file."""
    if user.has_perm("staff.view_meetingattachment") and user.is_staff:
        return get_object_or_404(MeetingAttachment.objects.select_related("meeting"), pk=pk)
    if not is_liaison(user):
        raise Http404
    visible = LiaisonAccess(user).visible_meetings()
    return get_object_or_404(MeetingAttachment.objects.filter(meeting__in=visible), pk=pk)
