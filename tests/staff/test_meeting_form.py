"""Logging a meeting: the happy path, and every bad input rejected next to its field with nothing saved."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from grants.models import FiscalYear
from staff.models import Meeting, MeetingAttachment, NextStep
from tests.helpers import Client
from tests.staff.conftest import image_bytes, media_files, pdf_bytes, snapshot, upload

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 2000


def new_url(organization):
    return reverse("staff:meeting_create", kwargs={"kind": "organization", "slug": organization.slug})


def field_error(response, auto_id):
    """The Japanese message rendered right under the field whose id is `auto_id`, or None."""
    match = re.search(rf'id="error_1_{re.escape(auto_id)}"><strong>(.*?)</strong>', response.text, re.S)
    return html.unescape(match.group(1)) if match else None


def test_assigned_liaison_logs_a_meeting_with_next_step_and_attachments(
    client, assigned_liaison, organization, valid_meeting_data, settings
):
    client.force_login(assigned_liaison)
    data = {
        **valid_meeting_data,
        "attachments": [
            upload("議事録.pdf", pdf_bytes()),
            upload("写真.jpg", image_bytes("JPEG")),
            upload("模造紙.png", image_bytes("PNG")),
        ],
    }
    response = client.post(new_url(organization), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:meeting_detail", args=[meeting.pk])
    assert meeting.author == assigned_liaison
    assert meeting.organization == organization
    assert (meeting.attendees, meeting.attendees_residents, meeting.attendees_city) == (18, 14, 2)
    step = NextStep.objects.get()
    assert (step.meeting, step.owner) == (meeting, "事務局")
    attachments = {a.original_name: a for a in meeting.attachments.all()}
    assert {name: a.content_type for name, a in attachments.items()} == {
        "議事録.pdf": "application/pdf",
        "写真.jpg": "image/jpeg",
        "模造紙.png": "image/png",
    }
    for a in attachments.values():
        stored = a.file.name
        assert stored.startswith("meeting-attachments/")
        assert a.original_name not in stored  # generated names: the uploader's name is data only
        assert (settings.MEDIA_ROOT / stored).is_file()
    record = meeting.history.get()
    assert record.history_change_reason == "職員ページで登録"
    assert record.history_user == assigned_liaison


def test_the_form_is_built_with_crispy_bootstrap5(client, assigned_liaison, organization):
    client.force_login(assigned_liaison)
    response = client.get(new_url(organization))
    assert response.status_code == 200
    assert 'id="div_id_place"' in response.text  # crispy's Bootstrap 5 field wrapper
    assert 'enctype="multipart/form-data"' in response.text
    assert 'name="steps-0-due_date"' in response.text
    assert 'accept="application/pdf,image/jpeg,image/png' in response.text
    assert "<title>会議を記録する（唐松まちづくり協議会） | 新見市 小規模多機能自治ポータル</title>" in response.text
    assert response.text.count("<h1") == 1


BAD_INPUTS = {
    "end_before_start": ({"start_time": "19:00", "end_time": "18:30"}, "id_end_time", "終了時刻は開始時刻より後"),
    "negative_attendance": ({"attendees_residents": "-3"}, "id_attendees_residents", "0以上の人数を入力してください。"),
    "negative_total": ({"attendees": "-1"}, "id_attendees", "0以上の人数を入力してください。"),
    "breakdown_over_total": ({"attendees": "5"}, "id_attendees", "内訳の合計（18人）が参加者数（5人）を超えています。"),
    "due_before_meeting": ({"steps-0-due_date": "2001-01-01"}, "id_steps-0-due_date", "期限は会議の開催日と同じか"),
    "missing_place": ({"place": ""}, "id_place", "場所を入力してください（例: 唐松公民館）。"),
    "held_in_future": ({"date": "FUTURE"}, "id_status", "開催日が未来の会議は「予定」にしてください。"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_rejected_next_to_its_field_and_nothing_is_saved(
    client, assigned_liaison, organization, valid_meeting_data, today, case, settings
):
    changes, auto_id, message = BAD_INPUTS[case]
    changes = {k: (today + datetime.timedelta(days=3)).isoformat() if v == "FUTURE" else v for k, v in changes.items()}
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(
        new_url(organization), {**valid_meeting_data, **changes, "attachments": [upload("a.pdf", pdf_bytes())]}
    )
    assert response.status_code == 200
    assert message in field_error(response, auto_id)
    assert "入力内容を確認してください" in response.text
    # What was typed is kept (the place too, unless the case is the place left empty).
    assert ('value="唐松公民館"' in response.text) == (case != "missing_place")
    assert "内部メモ: 役員の負担が話題に" in response.text
    assert "添付ファイルは、もう一度選んでください" in response.text
    assert snapshot() == before
    assert media_files(settings) == []


def test_a_date_in_a_past_fiscal_year_is_rejected(
    client, assigned_liaison, organization, valid_meeting_data, current_year
):
    last_year_day = current_year.starts_on - datetime.timedelta(days=10)
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(
        new_url(organization),
        {**valid_meeting_data, "date": last_year_day.isoformat(), "steps-0-due_date": last_year_day.isoformat()},
    )
    assert response.status_code == 200
    assert "過去の年度のため、記録・変更できません" in field_error(response, "id_date")
    assert snapshot() == before


def test_a_date_in_a_fiscal_year_the_liaison_is_not_assigned_to_is_rejected(
    client, assigned_liaison, organization, valid_meeting_data, current_year
):
    next_year = FiscalYear.for_year(current_year.year + 1)
    day = next_year.starts_on + datetime.timedelta(days=5)
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(
        new_url(organization),
        {**valid_meeting_data, "status": "planned", "date": day.isoformat(), "steps-0-due_date": day.isoformat()},
    )
    assert response.status_code == 200
    assert f"{next_year.label}には、あなたは「唐松まちづくり協議会」の担当ではありません" in field_error(
        response, "id_date"
    )
    assert snapshot() == before


def test_a_planned_meeting_in_next_year_is_fine_once_assigned_for_it(
    client, assigned_liaison, organization, valid_meeting_data, current_year
):
    from staff.models import Assignment

    next_year = FiscalYear.for_year(current_year.year + 1)
    Assignment.objects.create(
        officer=assigned_liaison.liaison_officer, organization=organization, fiscal_year=next_year
    )
    day = next_year.starts_on + datetime.timedelta(days=5)
    client.force_login(assigned_liaison)
    response = client.post(
        new_url(organization),
        {**valid_meeting_data, "status": "planned", "date": day.isoformat(), "steps-0-due_date": day.isoformat()},
    )
    assert response.status_code == 302
    assert Meeting.objects.get().date == day


def test_an_11_mb_file_is_rejected_and_not_stored(client, assigned_liaison, organization, valid_meeting_data, settings):
    big = pdf_bytes() + b"0" * (11 * 1024 * 1024)
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(
        new_url(organization), {**valid_meeting_data, "attachments": [upload("大きな資料.pdf", big)]}
    )
    assert response.status_code == 200
    assert "「大きな資料.pdf」は 11.0" in field_error(response, "id_attachments")
    assert "1ファイル10MBまでにしてください" in field_error(response, "id_attachments")
    assert snapshot() == before
    assert media_files(settings) == []


def test_a_pdf_that_is_really_an_executable_is_rejected(
    client, assigned_liaison, organization, valid_meeting_data, settings
):
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(
        new_url(organization), {**valid_meeting_data, "attachments": [upload("議事録.pdf", ELF, "application/pdf")]}
    )
    assert response.status_code == 200
    assert "「議事録.pdf」はPDF・JPEG・PNGのどれでもありません" in field_error(response, "id_attachments")
    assert "添付ファイルは、もう一度選んでください" not in response.text  # the file itself was the problem
    assert snapshot() == before
    assert media_files(settings) == []


def test_one_bad_file_among_good_ones_saves_none(client, assigned_liaison, organization, valid_meeting_data, settings):
    client.force_login(assigned_liaison)
    response = client.post(
        new_url(organization),
        {
            **valid_meeting_data,
            "attachments": [upload("ok.png", image_bytes()), upload("virus.pdf", b"MZ\x90\x00" + b"\0" * 500)],
        },
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists()
    assert not MeetingAttachment.objects.exists()
    assert media_files(settings) == []


def test_csrf_is_enforced_on_the_meeting_form(assigned_liaison, organization, valid_meeting_data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(assigned_liaison)
    refused = client.post(new_url(organization), valid_meeting_data)
    assert refused.status_code == 403
    assert not Meeting.objects.exists()
    page = client.get(new_url(organization))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    accepted = client.post(new_url(organization), {**valid_meeting_data, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("staff:meeting_archive", {}),
        ("staff:meeting_edit", {"place": "変更"}),
    ],
)
def test_csrf_is_enforced_on_edit_and_archive(assigned_liaison, meeting, name, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(assigned_liaison)
    before = snapshot()
    assert client.post(reverse(name, args=[meeting.pk]), data).status_code == 403
    assert snapshot() == before


def test_csrf_is_enforced_on_stage_change(assigned_liaison, organization, meeting, today):
    client = Client(enforce_csrf_checks=True)
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(
        reverse("staff:stage_change", args=[organization.slug]),
        {"to_stage": "3", "changed_on": today.isoformat(), "evidence_meeting": meeting.pk},
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_the_csrf_failure_page_is_in_japanese(assigned_liaison, organization, valid_meeting_data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(assigned_liaison)
    response = client.post(new_url(organization), valid_meeting_data)
    assert response.status_code == 403
    assert "もう一度" in response.content.decode()


def test_a_meeting_can_be_logged_for_an_assigned_area_without_an_organization(
    client, assigned_liaison, area, other_area, current_year, valid_meeting_data
):
    from staff.models import Assignment

    Assignment.objects.create(officer=assigned_liaison.liaison_officer, region=area, fiscal_year=current_year)
    client.force_login(assigned_liaison)
    response = client.post(
        reverse("staff:meeting_create", kwargs={"kind": "region", "slug": area.slug}), valid_meeting_data
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.region, meeting.organization) == (area, None)
    refused = client.post(
        reverse("staff:meeting_create", kwargs={"kind": "region", "slug": other_area.slug}), valid_meeting_data
    )
    assert refused.status_code == 404
    assert Meeting.objects.count() == 1


# -- issue 31: defaults, required marks and the words of each error -------------------------------------


def required_marks(html):
    """The labels crispy-forms marks with * (a required field)."""
    import re

    marked = re.findall(r"<(?:label|legend)[^>]*>([^<>]*)<span class=\"asteriskField\">\*</span>", html)
    return {" ".join(label.split()) for label in marked}


def test_a_new_meeting_has_no_status_chosen_and_only_required_fields_marked(client, assigned_liaison, organization):
    client.force_login(assigned_liaison)
    html = client.get(new_url(organization)).text
    assert (
        'name="status" value="held"' in html
        and "checked" not in html.split('name="status"', 1)[1].split("</fieldset>")[0]
    )
    assert required_marks(html) == {"種類", "状況", "開催日", "場所"}  # not the next steps' fields


def test_an_empty_meeting_form_says_what_each_field_needs_in_japanese(client, assigned_liaison, organization):
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(new_url(organization), {"steps-TOTAL_FORMS": "2", "steps-INITIAL_FORMS": "0"})
    errors = response.context["form"].errors
    assert errors["kind"] == ["会議の種類を選んでください。"]
    assert errors["status"][0].startswith("「予定」か「実施済」かを選んでください")
    assert errors["date"] == ["開催日を入力してください（例: 令和8年4月1日）。"]
    assert errors["place"] == ["場所を入力してください（例: 唐松公民館）。"]
    assert "このフィールドは必須です" not in response.text
    assert snapshot() == before


def test_a_future_meeting_recorded_as_held_is_refused_beside_the_status(
    client, assigned_liaison, organization, valid_meeting_data, today
):
    client.force_login(assigned_liaison)
    data = {**valid_meeting_data, "date": (today + datetime.timedelta(days=7)).isoformat()}
    response = client.post(new_url(organization), data)
    assert response.context["form"].errors["status"] == ["開催日が未来の会議は「予定」にしてください。"]
    data["status"] = "planned"
    assert client.post(new_url(organization), data).status_code == 302


def test_a_next_step_begun_asks_for_the_rest_beside_each_field(
    client, assigned_liaison, organization, valid_meeting_data
):
    client.force_login(assigned_liaison)
    before = snapshot()
    data = {**valid_meeting_data, "steps-1-description": "会長への報告"}
    response = client.post(new_url(organization), data)
    errors = response.context["steps"].forms[1].errors
    assert errors["owner"] == ["担当（人・団体）を入力してください。"]
    assert errors["due_date"] == ["期限を入力してください。"]
    assert snapshot() == before


def test_the_unassigned_liaison_cannot_open_the_meeting_form(client, unassigned_liaison, organization):
    client.force_login(unassigned_liaison)
    assert client.get(new_url(organization)).status_code == 404


def test_the_stage_form_says_what_each_field_needs(client, assigned_liaison, organization, meeting):
    client.force_login(assigned_liaison)
    response = client.post(reverse("staff:stage_change", args=[organization.slug]), {"note": ""})
    errors = response.context["form"].errors
    assert errors["to_stage"] == ["変更後の段階を選んでください。"]
    assert errors["changed_on"] == ["変更日を入力してください。"]
    assert errors["evidence_meeting"] == ["根拠となる会議を選んでください。"]
    assert "このフィールドは必須です" not in response.text
