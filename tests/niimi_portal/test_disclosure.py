"""本人開示: an administrator produces, by a POST, a ZIP of every record that names one person; nobody else can."""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from model_bakery import baker

from niimi_portal import disclosure
from niimi_portal.models import Disclosure
from staff.models import Meeting, MeetingAttachment


@pytest.fixture
def records(organization, other_organization):
    organization.representative_name = "石井 正男"
    organization.contact_phone = "0867-72-0001"
    organization.save()
    other_organization.representative_name = "山田 花子"
    other_organization.save()
    meeting = baker.make(Meeting, organization=organization, summary="石井正男さんから防災の提案があった")
    attachment = MeetingAttachment(meeting=meeting, original_name="名簿.pdf", content_type="application/pdf", size=4)
    attachment.file.save("roster.pdf", ContentFile(b"%PDF-ishii"), save=True)
    baker.make(Meeting, organization=other_organization, summary="山田さんの報告")
    return {"organization": organization, "meeting": meeting}


@pytest.fixture
def request_row(superuser):
    return Disclosure.objects.create(
        person_name="石井　正男", phone="0867720001", received_on=datetime.date(2026, 12, 1), requested_by=superuser
    )


def test_names_are_found_with_or_without_the_space():
    assert set(disclosure.name_variants("石井 正男")) >= {"石井 正男", "石井正男", "石井\u3000正男"}


def test_the_search_finds_every_record_naming_the_person_and_no_other(records):
    found = disclosure.find("石井 正男", phone="0867-72-0001")
    hits = {(model.__name__, record.pk) for _, model, record, _ in found}
    assert ("Organization", records["organization"].pk) in hits
    assert ("Meeting", records["meeting"].pk) in hits
    assert all("山田" not in str(values) for *_, values in found)


def test_the_administrator_produces_the_zip_by_post(client, superuser, records, request_row):
    client.force_login(superuser)
    url = f"/admin/niimi_portal/disclosure/{request_row.pk}/zip/"
    assert client.get(url).status_code == 405  # GET produces nothing
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    rows = list(csv.reader(io.StringIO(archive.read("records.csv").decode("utf-8-sig"))))
    text = "\n".join(",".join(row) for row in rows)
    assert "石井 正男" in text and "防災の提案" in text and "山田" not in text
    files = [name for name in archive.namelist() if name.startswith("files/")]
    assert any(archive.read(name) == b"%PDF-ishii" for name in files)
    assert "本人開示の資料: 石井　正男" in archive.read("README.txt").decode()
    request_row.refresh_from_db()
    assert request_row.record_count >= 2 and request_row.produced_at is not None


def test_the_change_page_offers_the_zip_button(client, superuser, request_row):
    client.force_login(superuser)
    page = client.get(f"/admin/niimi_portal/disclosure/{request_row.pk}/change/").content.decode()
    assert 'form="disclosure-zip"' in page and "ZIP を作る" in page


def test_the_policy_clerk_and_a_liaison_cannot_reach_it(client, clerk, assigned_liaison, request_row):
    url = f"/admin/niimi_portal/disclosure/{request_row.pk}/zip/"
    assert clerk.post(url).status_code == 403
    assert clerk.get("/admin/niimi_portal/disclosure/").status_code == 403
    client.force_login(assigned_liaison)
    assert client.post(url).status_code in (302, 403)
    Disclosure.objects.filter(pk=request_row.pk, produced_at__isnull=True).get()  # nothing produced
