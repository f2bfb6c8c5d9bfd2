"""The access log (アクセス記録): an organization's contact and a consent record opened by staff are
logged; refused requests are not; only the 課's administrators read and export the log; old rows go."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from organizations import services
from organizations.access_log import purge_access_log
from organizations.models import AccessLog, PublicationConsent

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent(organization, policy_officer):
    organization.contact_phone = "0867-72-0000"
    organization.save()
    return services.record_consent(
        organization=organization,
        item=PublicationConsent.Item.PHONE,
        by=policy_officer,
        given_by="会長 石井 正男",
        given_on=datetime.date(2026, 4, 1),
        method=PublicationConsent.Method.WRITTEN,
    )


@pytest.fixture
def log_reader(db):
    """A 課 administrator who is not a superuser: staff, given the one permission by hand."""
    user = User.objects.create_user("kanri", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="read_access_log"))
    return user


def test_opening_an_organization_writes_one_view_row(clerk, policy_officer, organization):
    response = clerk.get(reverse("admin:organizations_organization_change", args=[organization.pk]))
    assert response.status_code == 200
    (row,) = AccessLog.objects.all()
    assert (row.user, row.username, row.action, row.kind) == (
        policy_officer,
        "seisaku",
        AccessLog.Action.VIEW,
        "地域運営組織の代表者・連絡先",
    )
    assert (row.object_type, row.object_pk, row.label) == (
        "organizations.organization",
        str(organization.pk),
        str(organization),
    )
    assert row.ip_address == "127.0.0.1"


def test_opening_a_consent_record_writes_one_view_row(clerk, consent):
    assert clerk.get(reverse("admin:organizations_publicationconsent_change", args=[consent.pk])).status_code == 200
    (row,) = AccessLog.objects.all()
    assert (row.kind, row.object_type, row.object_pk) == (
        "掲載の同意",
        "organizations.publicationconsent",
        str(consent.pk),
    )


def test_the_list_page_is_not_logged(clerk, organization):
    assert clerk.get(reverse("admin:organizations_organization_changelist")).status_code == 200
    assert not AccessLog.objects.exists()


def test_a_refused_request_writes_nothing(client, organization, consent, assigned_liaison):
    no_rights = User.objects.create_user("nobody", password="x", is_staff=True)
    client.force_login(no_rights)
    assert client.get(reverse("admin:organizations_organization_change", args=[organization.pk])).status_code == 403
    assert client.get(reverse("admin:organizations_publicationconsent_change", args=[consent.pk])).status_code == 403
    client.force_login(assigned_liaison)  # not staff: sent to the login page
    assert client.get(reverse("admin:organizations_organization_change", args=[organization.pk])).status_code == 302
    assert not AccessLog.objects.exists()


def test_the_log_is_refused_to_a_liaison_and_to_a_plain_clerk(client, clerk, assigned_liaison):
    url = reverse("admin:organizations_accesslog_changelist")
    assert clerk.get(url).status_code == 403  # 総合政策課 without the administrators' permission
    client.force_login(assigned_liaison)
    response = client.get(url)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_the_log_is_shown_to_a_superuser_and_to_a_holder_of_the_permission(client, superuser, log_reader, organization):
    AccessLog.objects.create(
        username="seisaku", kind="掲載の同意", object_type="x", object_pk="1", label="A会", action="view"
    )
    for person in (superuser, log_reader):
        client.force_login(person)
        response = client.get(reverse("admin:organizations_accesslog_changelist"))
        assert response.status_code == 200
        assert "A会" in response.text


def test_the_log_is_read_only(client, log_reader):
    row = AccessLog.objects.create(username="u", kind="k", object_type="x", object_pk="1", label="L", action="view")
    client.force_login(log_reader)
    assert client.get(reverse("admin:organizations_accesslog_add")).status_code == 403
    assert client.post(reverse("admin:organizations_accesslog_delete", args=[row.pk])).status_code == 403
    assert (
        client.post(reverse("admin:organizations_accesslog_change", args=[row.pk]), {"label": "X"}).status_code == 403
    )
    row.refresh_from_db()
    assert row.label == "L"


def test_the_log_exports_as_csv(client, log_reader):
    first = AccessLog.objects.create(
        username="seisaku",
        kind="会議の添付ファイル",
        object_type="x",
        object_pk="7",
        label="議事録.pdf",
        action="download",
        ip_address="192.0.2.1",
        at=timezone.make_aware(datetime.datetime(2026, 5, 1, 9, 30)),
    )
    AccessLog.objects.create(username="other", kind="k", object_type="x", object_pk="8", label="外", action="view")
    client.force_login(log_reader)
    response = client.post(
        reverse("admin:organizations_accesslog_changelist"),
        {"action": "export_csv", "_selected_action": [first.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()  # with the BOM Excel needs
    assert lines[0].startswith("日時,ユーザー名,操作")
    assert lines[1:] == ["2026-05-01 09:30:00,seisaku,ダウンロード,会議の添付ファイル,x,7,議事録.pdf,192.0.2.1"]


def test_the_log_filters_by_user(client, log_reader):
    AccessLog.objects.create(username="seisaku", kind="k", object_type="x", object_pk="1", label="甲会", action="view")
    AccessLog.objects.create(username="other", kind="k", object_type="x", object_pk="2", label="乙会", action="view")
    client.force_login(log_reader)
    response = client.get(reverse("admin:organizations_accesslog_changelist"), {"username": "other"})
    assert "乙会" in response.text and "甲会" not in response.text


def test_rows_older_than_the_retention_period_are_deleted(settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    make = AccessLog.objects.create
    old = make(
        username="u",
        kind="k",
        object_type="x",
        object_pk="1",
        label="古",
        action="view",
        at=now - datetime.timedelta(days=31),
    )
    kept = make(
        username="u",
        kind="k",
        object_type="x",
        object_pk="2",
        label="新",
        action="view",
        at=now - datetime.timedelta(days=29),
    )
    assert purge_access_log(now=now) == 1
    assert list(AccessLog.objects.all()) == [kept]
    assert not AccessLog.objects.filter(pk=old.pk).exists()


def test_the_command_deletes_old_rows_and_says_how_many(settings, capsys):
    settings.ACCESS_LOG_RETENTION_DAYS = 10
    AccessLog.objects.create(
        username="u",
        kind="k",
        object_type="x",
        object_pk="1",
        label="古",
        action="view",
        at=timezone.now() - datetime.timedelta(days=11),
    )
    AccessLog.objects.create(username="u", kind="k", object_type="x", object_pk="2", label="新", action="view")
    call_command("purge_access_log")
    assert "10日より前のアクセス記録を 1 件削除しました。" in capsys.readouterr().out
    assert list(AccessLog.objects.values_list("label", flat=True)) == ["新"]
