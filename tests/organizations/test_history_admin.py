"""The audit history: who, when, what changed (before → after) and why, on each admin page, never editable."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from grants import approval_acts
from grants.models import FiscalYear, GrantRule
from niimi_portal.lib.history import ReadOnlyHistoryAdmin
from organizations.models import Organization

pytestmark = pytest.mark.django_db


def registered_admins():
    """(model, its ModelAdmin) for every model registered on the admin site."""
    return [
        (model, admin.site.get_model_admin(model)) for model in apps.get_models() if admin.site.is_registered(model)
    ]


def test_every_admin_with_history_is_read_only():
    with_history = [ma for _, ma in registered_admins() if isinstance(ma, SimpleHistoryAdmin)]
    assert {type(ma).__name__ for ma in with_history} >= {"OrganizationAdmin", "GrantRuleAdmin", "GrantDecisionAdmin"}
    for model_admin in with_history:
        assert isinstance(model_admin, ReadOnlyHistoryAdmin), type(model_admin)


def test_history_page_shows_who_when_what_and_why(client, policy_officer, applied_organization):
    approval_acts.organization_approve(
        organization=applied_organization, by=policy_officer, number="新総政第400号", date=timezone.localdate()
    )
    policy_officer.last_name, policy_officer.first_name = "政策", "花子"
    policy_officer.save()
    client.force_login(policy_officer)
    response = client.get(f"/admin/organizations/organization/{applied_organization.pk}/history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>変更履歴: 唐松まちづくり協議会" in html
    assert "政策 花子" in html and "seisaku" not in html  # people by name, not by user name
    assert "認可しました（認可番号 新総政第400号" in html
    assert "<strong>認可の状況:</strong> 申請中&nbsp;→&nbsp;認可" in html
    assert "<strong>段階:</strong> ② 地域の将来計画の策定&nbsp;→&nbsp;③ 地域運営組織の設立・活動開始" in html
    assert "<strong>認可番号:</strong> （空欄）&nbsp;→&nbsp;新総政第400号" in html
    assert f"{timezone.localtime():%Y}年" in html
    assert "Revert" not in html and "元に戻す" not in html.replace("元に戻すことはできません", "")


def test_a_past_version_is_shown_read_only_and_cannot_be_posted_back(client, policy_officer, applied_organization):
    approval_acts.organization_return(organization=applied_organization, by=policy_officer, reason="書類不足")
    first = Organization.history.filter(id=applied_organization.pk).last()
    url = f"/admin/organizations/organization/{applied_organization.pk}/history/{first.history_id}/"
    client.force_login(policy_officer)

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="name"' not in html and 'name="history_change_reason"' not in html
    assert "ここから変更したり元に戻したりすることはできません" in html

    response = client.post(url, {"name": "書き換え", "name_kana": "かきかえ", "slug": "x", "stage": 1})
    assert response.status_code == 405
    applied_organization.refresh_from_db()
    assert applied_organization.name == "唐松まちづくり協議会"
    assert applied_organization.approval_status == Organization.ApprovalStatus.RETURNED


def test_the_policy_group_may_not_change_or_delete_history_rows(policy_officer):
    assert policy_officer.has_perm("organizations.view_historicalorganization")
    for codename in (
        "change_historicalorganization",
        "delete_historicalorganization",
        "change_historicalgrantdecision",
    ):
        app = "grants" if "grant" in codename else "organizations"
        assert not policy_officer.has_perm(f"{app}.{codename}")


def test_a_change_to_money_is_kept_with_who_and_why(client, superuser):
    year = FiscalYear.for_year(2026)
    rule = GrantRule.objects.create(
        fiscal_year=year, equal_share=300_000, per_capita=1_000, per_household=1_500, secretariat_cost=600_000
    )
    client.force_login(superuser)
    data = {
        "fiscal_year": year.pk,
        "equal_share": 320_000,
        "per_capita": 1_000,
        "per_household": 1_500,
        "secretariat_cost": 600_000,
        "rounding_unit": 1_000,
        "settlement_rule": "lesser_net",
        "history_change_reason": "議会の議決による増額",
    }
    assert client.post(f"/admin/grants/grantrule/{rule.pk}/change/", data).status_code == 302
    record = rule.history.first()
    assert (record.history_user, record.history_change_reason) == (superuser, "議会の議決による増額")
    html = client.get(f"/admin/grants/grantrule/{rule.pk}/history/").content.decode()
    assert "<strong>均等割（円）:</strong> 300000&nbsp;→&nbsp;320000" in html
    version = f"/admin/grants/grantrule/{rule.pk}/history/{rule.history.last().history_id}/"
    assert client.post(version, {**data, "equal_share": 1}).status_code == 405
    rule.refresh_from_db()
    assert rule.equal_share == 320_000


def test_every_history_page_and_past_version_opens_read_only(admin_client, demo):
    opened = set()
    for model, model_admin in registered_admins():
        version = model.history.first() if isinstance(model_admin, ReadOnlyHistoryAdmin) else None
        if version is None:
            continue  # bulk-created demo rows have no history yet
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{version.id}/history/"
        response = admin_client.get(base)
        assert response.status_code == 200, base
        assert "Revert" not in response.content.decode()
        page = admin_client.get(f"{base}{version.history_id}/")
        assert page.status_code == 200, base
        assert 'type="submit" value="' not in page.content.decode(), base
        opened.add(model.__name__)
    assert opened >= {"Organization", "FuturePlan", "Meeting", "GrantRule"}
