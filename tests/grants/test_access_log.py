"""Application scans, report attachments and payment records opened by staff are written to the access
log; a request refused for want of permission (403) is not."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants import settlement
from grants.applications import GrantApplication, application_attach
from grants.models import GrantReportAttachment
from niimi_portal.lib.uploads import attachment_store
from organizations.models import AccessLog
from tests.staff.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def scan(name="申請書.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def application(approved, current_year):
    application = GrantApplication.objects.create(
        organization=approved, fiscal_year=current_year, received_on=datetime.date(2026, 4, 10), requested_amount=1
    )
    application_attach(application=application, files=[scan()])
    return application


@pytest.fixture
def no_rights(client):
    """Staff who may enter the admin but hold none of the grants permissions: every page answers 403."""
    client.force_login(User.objects.create_user("nobody", password="x", is_staff=True))
    return client


def test_an_application_scan_download_writes_one_row(clerk, policy_officer, application):
    (attachment,) = application.attachments.all()
    url = reverse("admin:grants_grantapplication_attachment", args=[application.pk, attachment.pk])
    assert clerk.get(url).status_code == 200
    (row,) = AccessLog.objects.all()
    assert (row.user, row.action, row.kind) == (policy_officer, AccessLog.Action.DOWNLOAD, "交付申請書の添付ファイル")
    assert (row.object_type, row.object_pk) == ("grants.grantapplicationattachment", str(attachment.pk))
    assert row.label.startswith("申請書.pdf（")


def test_a_refused_scan_download_writes_nothing(no_rights, application):
    (attachment,) = application.attachments.all()
    url = reverse("admin:grants_grantapplication_attachment", args=[application.pk, attachment.pk])
    assert no_rights.get(url).status_code == 403
    assert not AccessLog.objects.exists()


def test_a_report_attachment_download_writes_one_row(clerk, decision):
    (attachment,) = attachment_store(GrantReportAttachment, [scan("領収書.pdf")], by=None, decision=decision)
    url = reverse("admin:grants_grantdecision_attachment", args=[decision.pk, attachment.pk])
    assert clerk.get(url).status_code == 200
    (row,) = AccessLog.objects.all()
    assert (row.kind, row.action, row.object_pk) == ("実績報告の添付ファイル", "download", str(attachment.pk))


def test_a_decision_page_with_payments_writes_one_view_row(clerk, decision, decided_on):
    settlement.payment_claim(decision=decision, claimed_on=decided_on, amount=100_000)
    assert clerk.get(reverse("admin:grants_grantdecision_change", args=[decision.pk])).status_code == 200
    (row,) = AccessLog.objects.all()
    assert (row.kind, row.action, row.object_type) == ("支払記録", "view", "grants.grantdecision")
    assert row.label == f"{decision}の支払記録"


def test_a_decision_page_without_payments_shows_no_payment_record(clerk, decision):
    assert clerk.get(reverse("admin:grants_grantdecision_change", args=[decision.pk])).status_code == 200
    assert not AccessLog.objects.exists()


def test_a_refused_payment_page_writes_nothing(no_rights, decision, decided_on):
    settlement.payment_claim(decision=decision, claimed_on=decided_on, amount=100_000)
    assert no_rights.get(reverse("admin:grants_grantdecision_change", args=[decision.pk])).status_code == 403
    assert not AccessLog.objects.exists()
