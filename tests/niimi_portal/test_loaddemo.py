import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings
from django.utils import timezone

from niimi_portal.lib.wareki import fiscal_year_of
from organizations.models import FAQ, Organization, Region
from staff.models import Assignment, Meeting
from tests.helpers import Client

pytestmark = pytest.mark.django_db


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_loaddemo_twice_changes_no_table():
    call_command("loaddemo", verbosity=0)
    first = row_counts()
    call_command("loaddemo", verbosity=0)
    assert row_counts() == first
    assert first["organizations.Organization"] >= 8


def test_loaddemo_scale_ten_multiplies_the_data():
    call_command("loaddemo", verbosity=0)
    base = {m: m.objects.count() for m in (Region, Organization, Meeting, FAQ)}
    call_command("loaddemo", scale=10, verbosity=0)
    towns = Region.objects.filter(kind=Region.Kind.FORMER_TOWN).count()
    assert Region.objects.count() - towns >= 10 * (base[Region] - towns)
    for model in (Organization, Meeting, FAQ):
        assert model.objects.count() >= 10 * base[model], model
    again = {m: m.objects.count() for m in (Region, Organization, Meeting, FAQ)}
    call_command("loaddemo", scale=10, verbosity=0)
    assert {m: m.objects.count() for m in again} == again


def test_demo_has_the_two_running_organizations_and_every_stage(demo):
    running = Organization.objects.approved().values_list("name", flat=True)
    assert {"熊野の将来を考える会", "唐松まちづくり協議会"} <= set(running)
    assert set(Organization.objects.values_list("stage", flat=True)) == {1, 2, 3}
    assert set(Organization.objects.values_list("approval_status", flat=True)) >= {
        "not_applied",
        "applied",
        "approved",
        "returned",
    }
    assert set(Region.objects.filter(kind="town").values_list("name", flat=True)) == {
        "新見",
        "大佐",
        "神郷",
        "哲多",
        "哲西",
    }


def test_demo_logins_work_and_liaisons_have_different_areas(demo):
    from niimi_portal.demo.loader import DEMO_PASSWORD

    for username in ("admin", "seisaku", "tanto1", "tanto2"):
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None, username
    areas = {
        name: set(
            Assignment.objects.current().filter(officer__user__username=name).values_list("organization", flat=True)
        )
        for name in ("tanto1", "tanto2")
    }
    assert areas["tanto1"] and areas["tanto2"]
    assert not areas["tanto1"] & areas["tanto2"]


def test_faq_covers_the_city_topics_and_keeps_a_draft(demo):
    assert FAQ.objects.published().count() >= 8
    assert FAQ.objects.filter(is_published=False).exists()


def test_demo_rosters_keep_each_years_post_after_a_personnel_change(demo, client):
    """佐藤 moved from 介護保険課 to 福祉課 in April: last year's roster still shows where she was."""
    this_year = fiscal_year_of(timezone.localdate())
    now = client.get("/liaisons/", {"year": this_year}).text
    before = client.get("/liaisons/", {"year": this_year - 1}).text
    assert "市民福祉部 福祉課 主査" in now and "介護保険課" not in now
    assert "市民福祉部 介護保険課 主任" in before


def test_demo_decisions_follow_their_application_and_the_approval(demo):
    """No demo 交付決定 predates its organization's 認可 or its 交付申請, and each application is デモ,
    balances and meets the requirements (issue 16: 令和7年度 decisions dated before 2026 approvals)."""
    from grants.applications import application_requirements
    from grants.models import GrantDecision

    decisions = list(GrantDecision.objects.select_related("organization", "application", "fiscal_year"))
    assert decisions
    for decision in decisions:
        application = decision.application
        assert application is not None and application.is_demo, decision
        assert decision.decided_on >= application.received_on >= decision.organization.approved_on, decision
        assert decision.organization.approved_on <= decision.fiscal_year.ends_on
        assert all(check.ok for check in application_requirements(application)), decision
        assert application.expenses == application.income


def test_loaddemo_refuses_without_the_mode_unless_forced(db):
    with override_settings(DEMO_MODE=False, TESTING=False), pytest.raises(CommandError, match="デモモード"):
        call_command("loaddemo", verbosity=0)
    assert not Organization.objects.exists()
    with override_settings(DEMO_MODE=True, TESTING=False):
        call_command("loaddemo", verbosity=0)
    assert Organization.objects.filter(is_demo=True).exists()
    with override_settings(DEMO_MODE=False, TESTING=False):
        call_command("loaddemo", verbosity=0, force=True)


def test_demo_clerks_can_try_two_factor_sign_in_with_the_printed_codes(demo, capsys):
    from niimi_portal.demo.loader import DEMO_BACKUP_CODES, DEMO_PASSWORD

    call_command("demo_logins")
    out = capsys.readouterr().out
    assert "デモ用セットアップキー（認証アプリに登録）: NZUWS3LJFVSGK3LPFV2G65DQFVVWK6JB" in out
    assert f"デモ用予備コード（seisaku、各1回）: {' '.join(DEMO_BACKUP_CODES)}" in out
    assert "デモ用予備コード（tanto1" not in out  # liaisons are not required to use a second factor
    client = Client()
    client.post("/accounts/login/", {"username": "seisaku", "password": DEMO_PASSWORD})
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/verify/")
    client.post("/accounts/two-factor/verify/", {"code": DEMO_BACKUP_CODES[0]})
    assert client.get("/admin/").status_code == 200
    call_command("demo_logins")
    assert f"（seisaku、各1回）: {' '.join(DEMO_BACKUP_CODES[1:])}" in capsys.readouterr().out
