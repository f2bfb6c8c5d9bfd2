"""The 宛名の一覧 (CSV), each addressee's representative and contact, is written in the access log: one
download row per organization, in one query; the approval lists, which carry no contact, are not."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.models import DocumentNumber
from organizations.access_log import DOWNLOAD, VIEW, record_access, record_access_many
from organizations.models import AccessLog

pytestmark = pytest.mark.django_db


def selected(decision):
    return [entry.pk for entry in DocumentNumber.objects.filter(decision=decision)]


def test_downloading_the_address_list_writes_one_row_per_organization(clerk, policy_officer, decision, approved):
    url = reverse("admin:grants_documentnumber_changelist")
    response = clerk.post(url, {"action": "address_list_csv", "_selected_action": selected(decision)})
    assert response.status_code == 200
    assert "石井 正男" in response.content.decode("utf-8-sig")
    (row,) = AccessLog.objects.all()
    assert (row.user, row.action, row.kind) == (policy_officer, DOWNLOAD, "地域運営組織の連絡先（宛名の一覧のCSV）")
    assert (row.object_type, row.object_pk, row.label) == (
        "organizations.organization",
        str(approved.pk),
        str(approved),
    )


def test_the_approval_list_writes_no_row(clerk, decision):
    url = reverse("admin:grants_documentnumber_changelist")
    response = clerk.post(url, {"action": "approval_list_csv", "_selected_action": selected(decision)})
    assert response.status_code == 200
    assert not AccessLog.objects.exists()


def test_one_row_and_many_rows_are_written_alike(rf, policy_officer, organization, other_organization):
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    request.user = policy_officer
    one = record_access(request, organization, VIEW, kind="連絡先", label="一件")
    with CaptureQueriesContext(connection) as queries:
        many = record_access_many(request, [organization, other_organization], DOWNLOAD, kind="一覧")
    assert len(queries) == 1
    fields = ["user", "username", "object_type", "object_pk", "ip_address"]
    assert [getattr(one, name) for name in fields] == [getattr(many[0], name) for name in fields]
    assert (one.label, one.action, one.kind) == ("一件", VIEW, "連絡先")
    assert [row.label for row in many] == [str(organization), str(other_organization)]
    assert AccessLog.objects.count() == 3
    assert one.ip_address == "192.0.2.7"


def test_an_anonymous_request_is_written_without_a_user(rf, organization):
    request = rf.get("/")
    request.user = AnonymousUser()
    row = record_access(request, organization, VIEW, kind="連絡先")
    assert (row.user, row.username, row.label) == (None, "", str(organization))
