"""The liaison workspace (/workspace/). Views stay thin: access in staff.access, changes in staff.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from niimi_portal.lib.csv_export import csv_response
from niimi_portal.lib.people import display_name
from niimi_portal.lib.refusal import add_refusal
from niimi_portal.lib.uploads import private_download
from niimi_portal.lib.wareki import fiscal_year_label
from organizations.access_log import DOWNLOAD, record_access
from staff import services
from staff.access import attachment_for, is_liaison, liaison_access, liaison_view, target_kind
from staff.forms import AttachmentRemoveForm, MeetingFilterForm, MeetingForm, NextStepFormSet, StageChangeForm
from staff.models import Meeting, MeetingAttachment
from staff.selectors import dashboard_rows, my_proposals

MEETINGS_PER_PAGE = 20
HISTORY_TYPES = {"+": "登録", "~": "変更", "-": "削除"}  # simple-history ships no Japanese labels


@login_required
def dashboard(request):
    """My areas this fiscal year: stage, last meeting and open next steps; past years below, read only."""
    if request.user.is_staff and not is_liaison(request.user):
        return redirect("admin:index")  # policy staff land here after logging in; their work is in the admin
    if not is_liaison(request.user) and request.user.office_memberships.exists():
        # An organization's 事務局 (offices, read by its reverse relation: staff does not import offices).
        return redirect("offices:start")
    access = liaison_access(request.user)
    current = access.current_assignments()
    return render(
        request,
        "staff/dashboard.html",
        {
            "access": access,
            "year_label": fiscal_year_label(access.current_year),
            "rows": dashboard_rows(access, current),
            "past": access.past_assignments(),
            "grace": access.grace_assignments(),
            "proposals": my_proposals(request.user),
        },
    )


@liaison_view
def target_detail(request, access, kind, slug):
    target = access.target(kind, slug)
    meetings = access.visible_meetings().filter(**{kind: target}).select_related("author")[:50]
    stage_changes = (
        target.stage_changes.select_related("evidence_meeting", "recorded_by") if kind == "organization" else []
    )
    return render(
        request,
        "staff/target_detail.html",
        {
            "target": target,
            "kind": kind,
            "can_write": access.can_write_target(target),
            "meetings": meetings,
            "stage_changes": stage_changes,
            "roles": [a for a in access.assignments if target_kind(a.target) == kind and a.target.pk == target.pk],
        },
    )


@liaison_view
def meeting_create(request, access, kind, slug):
    target = access.target(kind, slug, write=True)
    return _meeting_form_page(request, access, target, Meeting(), reason="職員ページで登録")


@liaison_view
def meeting_edit(request, access, pk):
    meeting = access.meeting(pk, write=True)
    return _meeting_form_page(request, access, meeting.target, meeting, reason="職員ページで編集")


def _meeting_form_page(request, access, target, meeting, *, reason):
    is_new = meeting.pk is None
    if request.method == "POST":
        form = MeetingForm(request.POST, request.FILES, instance=meeting, access=access, target=target)
        form_ok = form.is_valid()
        steps = NextStepFormSet(
            request.POST, instance=meeting, prefix="steps", meeting_date=form.cleaned_data.get("date")
        )
        if form_ok and steps.is_valid():
            data = form.cleaned_data
            case = (
                {"title": data["case_title"], "summary": data["case_summary"], "body": data["case_body"]}
                if data.get("propose_case")
                else None
            )
            meeting = services.meeting_save(
                meeting=form.save(commit=False),
                next_steps=steps,
                attachments=data["attachments"],
                by=request.user,
                reason=reason,
                case_proposal=case,
            )
            proposed = "取組事例を提案しました（総合政策課が確認して反映するまで公開されません）。" if case else ""
            messages.success(request, f"会議記録を保存しました。{proposed}")
            return redirect("staff:meeting_detail", pk=meeting.pk)
        files_lost = bool(request.FILES) and "attachments" not in form.errors
    else:
        initial = {"date": access.default_meeting_date(target)} if is_new else None
        form = MeetingForm(instance=meeting, initial=initial, access=access, target=target)
        steps = NextStepFormSet(instance=meeting, prefix="steps")
        files_lost = False
    return render(
        request,
        "staff/meeting_form.html",
        {
            "form": form,
            "steps": steps,
            "target": target,
            "kind": target_kind(target),
            "meeting": meeting,
            "is_new": is_new,
            "files_lost": files_lost,
        },
    )


@liaison_view
def meeting_detail(request, access, pk):
    meeting = access.meeting(pk)
    records = list(meeting.history.select_related("history_user").order_by("-history_date", "-history_id"))
    history = []
    for record, previous in zip(records, [*records[1:], None], strict=True):
        changed = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["updated_at", "created_at"])
            changed = [str(Meeting._meta.get_field(c.field).verbose_name) for c in delta.changes]
        action = record.history_change_reason or HISTORY_TYPES.get(record.history_type, "")
        history.append({"record": record, "action": action, "changed": changed})
    return render(
        request,
        "staff/meeting_detail.html",
        {
            "meeting": meeting,
            "kind": target_kind(meeting.target),
            "next_steps": meeting.next_steps.all(),
            "attachments": meeting.attachments.all(),
            "case_studies": meeting.proposed_case_studies.all(),
            "can_write": access.can_write_meeting(meeting),
            "history": history,
        },
    )


@liaison_view
@require_http_methods(["GET", "POST"])
def meeting_archive(request, access, pk):
    meeting = access.meeting(pk, write=True)
    if request.method == "POST":
        services.meeting_archive(meeting=meeting, by=request.user)
        messages.success(request, "会議記録を削除しました（記録は保管され、総合政策課が元に戻せます）。")
        return redirect("staff:meeting_list")
    return render(request, "staff/meeting_archive.html", {"meeting": meeting})


@liaison_view
@require_http_methods(["GET", "POST"])
def attachment_remove(request, access, pk):
    """The meeting's author removes an attachment uploaded by mistake, with a reason kept in the history."""
    attachment = get_object_or_404(MeetingAttachment, pk=pk)
    meeting = access.meeting(attachment.meeting_id, write=True)
    form = AttachmentRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.attachment_remove(attachment=attachment, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request, f"添付ファイル「{attachment.original_name}」を削除しました。理由は変更履歴に残ります。"
        )
        return redirect("staff:meeting_detail", pk=meeting.pk)
    return render(request, "staff/attachment_remove.html", {"meeting": meeting, "attachment": attachment, "form": form})


def _filtered_meetings(request, access):
    targets = [(f"{target_kind(a.target)}:{a.target.pk}", a.target) for a in access.assignments]
    targets = list(dict(targets).items())  # each target once, in assignment order
    form = MeetingFilterForm(request.GET or None, targets=targets)
    meetings = access.visible_meetings().select_related("organization", "region", "author")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["target"]:
            kind, pk = data["target"].split(":")
            meetings = meetings.filter(**{f"{kind}_id": int(pk)})
        if data["kind"]:
            meetings = meetings.filter(kind=data["kind"])
        if data["date_from"]:
            meetings = meetings.filter(date__gte=data["date_from"])
        if data["date_to"]:
            meetings = meetings.filter(date__lte=data["date_to"])
    elif form.is_bound:
        meetings = meetings.none()
    return form, meetings.order_by("-date", "-start_time", "-id")


@liaison_view
def meeting_list(request, access):
    form, meetings = _filtered_meetings(request, access)
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/meeting_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "has_assignments": bool(access.assignments)},
    )


CSV_COLUMNS = [
    ("開催日", lambda m: m.date.isoformat()),
    ("開始時刻", lambda m: f"{m.start_time:%H:%M}" if m.start_time else ""),
    ("終了時刻", lambda m: f"{m.end_time:%H:%M}" if m.end_time else ""),
    ("種類", lambda m: m.get_kind_display()),
    ("状況", lambda m: m.get_status_display()),
    ("組織・地域", lambda m: str(m.target)),
    ("場所", lambda m: m.place),
    ("参加者数", lambda m: m.attendees),
    ("うち住民", lambda m: m.attendees_residents),
    ("うち社会福祉協議会", lambda m: m.attendees_council),
    ("うち生活支援コーディネーター", lambda m: m.attendees_coordinator),
    ("うち市職員", lambda m: m.attendees_city),
    ("参加した他団体", lambda m: m.other_organizations),
    ("議題", lambda m: m.agenda),
    ("内容（内部記録）", lambda m: m.summary),
    ("決定事項", lambda m: m.decisions),
    ("記録者", lambda m: display_name(m.author)),
]


@liaison_view
def meeting_export(request, access):
    """The filtered list as CSV through the one writer of every export (BOM, CRLF, formula guard)."""
    _form, meetings = _filtered_meetings(request, access)
    rows = ([value(meeting) for _, value in CSV_COLUMNS] for meeting in meetings)
    return csv_response("会議記録.csv", [title for title, _ in CSV_COLUMNS], rows)


@liaison_view
def stage_change(request, access, slug):
    organization = access.target("organization", slug, write=True)
    meetings = access.visible_meetings().filter(organization=organization, status=Meeting.Status.HELD).order_by("-date")
    form = StageChangeForm(request.POST or None, access=access, organization=organization, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.stage_change_propose(
                organization=organization,
                to_stage=data["to_stage"],
                changed_on=data["changed_on"],
                evidence_meeting=data["evidence_meeting"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as refused:
            add_refusal(form, refused)
        else:
            messages.success(
                request,
                f"段階の変更（{change.get_to_stage_display()}）を提案しました。総合政策課が確認して反映するまで、"
                "公開ページの段階は変わりません。",
            )
            return redirect("staff:target", kind="organization", slug=organization.slug)
    return render(
        request,
        "staff/stage_change_form.html",
        {"form": form, "organization": organization, "has_meetings": meetings.exists()},
    )


@login_required
def attachment_download(request, pk):
    """Files are private: only through here, only to staff allowed to see the meeting, always as a download
    named by the file's detected type. Each download is written to the access log."""
    attachment = attachment_for(request.user, pk)
    record_access(request, attachment, DOWNLOAD, kind="会議の添付ファイル", label=access_label(attachment))
    return private_download(attachment)


def access_label(attachment):
    return f"{attachment.original_name}（{attachment.meeting}）"
