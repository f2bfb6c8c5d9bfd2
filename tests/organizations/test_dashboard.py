"""総合政策課's admin landing page: areas by stage per 旧市町, applications waiting, returns, this year's grants."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from model_bakery import baker

from grants import approval_acts
from grants.models import GrantCalculation, GrantDecision
from niimi_portal import dashboard
from organizations import services
from organizations.models import Organization, Region
from organizations.public import with_former_town
from tests.organizations.conftest import put_in_status

pytestmark = pytest.mark.django_db


def test_areas_by_stage_per_former_town(town, organization, other_organization, area, other_area):
    # 新見: 唐松 (organization at ②), 高尾 (other_organization at ①), 正田 (no organization).
    baker.make(Region, kind="oaza", name="正田", name_kana="しょうでん", slug="shoden", parent=town)
    tessei = baker.make(Region, kind="town", name="哲西", name_kana="てっせい", slug="tessei")
    school = baker.make(
        Region, kind="school", name="哲西小学校区", name_kana="てっせいしょう", slug="ts", parent=tessei
    )
    # An area covered by two organizations counts once, at the furthest stage.
    third = baker.make(Organization, name="唐松第二", name_kana="からまつだいに", slug="k2", stage=3)
    third.regions.set([area])

    towns = dashboard.areas_by_stage()
    cells = {row["town"].name: row["cells"] for row in towns["rows"]}
    assert cells == {"新見": [1, 1, 0, 1], "哲西": [1, 0, 0, 0]}
    assert towns["totals"] == [2, 1, 0, 1]
    assert towns["total"] == 4
    assert with_former_town(Region.objects.filter(pk=school.pk)).get().town_slug == tessei.slug


def test_waiting_organizations_oldest_first_with_days_waiting(organization, other_organization):
    today = timezone.localdate()
    put_in_status(organization, "applied")
    put_in_status(other_organization, "applied")
    Organization.objects.filter(pk=other_organization.pk).update(applied_on=today - datetime.timedelta(days=45))
    Organization.objects.filter(pk=organization.pk).update(applied_on=today - datetime.timedelta(days=3))

    waiting = dashboard.waiting_for_review(today)
    assert [(o.name, o.days_waiting) for o in waiting] == [("高尾ふれあい協議会", 45), ("唐松まちづくり協議会", 3)]
    assert [o.is_complete for o in waiting] == [False, False]


def test_a_complete_application_is_marked_complete(applied_organization):
    assert [o.is_complete for o in dashboard.waiting_for_review(timezone.localdate())] == [True]


def test_returned_organizations_show_when_they_were_returned(applied_organization, policy_officer, other_organization):
    approval_acts.organization_return(
        organization=applied_organization, by=policy_officer, reason="将来計画を見直してください"
    )
    returned = dashboard.returned_not_resubmitted(timezone.localdate())
    assert [(o.name, o.returned_on, o.days_since_return) for o in returned] == [
        ("唐松まちづくり協議会", timezone.localdate(), 0)
    ]
    # A later edit while still returned does not move the return date.
    org = Organization.objects.get(pk=applied_organization.pk)
    org.description = "紹介文を更新"
    org.save()
    assert dashboard.returned_not_resubmitted(timezone.localdate())[0].returned_on == timezone.localdate()
    # Once resubmitted it leaves the list.
    services.organization_submit(organization=org, by=policy_officer)
    assert dashboard.returned_not_resubmitted(timezone.localdate()) == []


def test_grant_status_counts_each_step_and_totals_yen(current_year, organization, other_organization, area):
    third = baker.make(Organization, name="三番目", name_kana="さんばんめ", slug="third")
    calcs = [
        GrantCalculation.objects.create(
            organization=org, fiscal_year=current_year, base_amount=base, subsidy_amount=0, total=base
        )
        for org, base in ((organization, 1_000_000), (other_organization, 2_000_000), (third, 500_000))
    ]
    GrantDecision.objects.create(
        calculation=calcs[0],
        organization=organization,
        fiscal_year=current_year,
        number=1,
        document_number="新総政第1号",
        decided_on=timezone.localdate(),
        amount=1_000_000,
    )
    GrantDecision.objects.create(
        calculation=calcs[1],
        organization=other_organization,
        fiscal_year=current_year,
        number=2,
        document_number="新総政第2号",
        decided_on=timezone.localdate(),
        amount=2_000_000,
        status="settled",
        settled_amount=1_800_000,
    )
    status = dashboard.grant_status(current_year)
    by_label = {row["label"]: (row["count"], row["amount"]) for row in status["rows"]}
    assert by_label["算定済（交付決定前）"] == (1, 500_000)
    assert by_label["交付決定"] == (1, 1_000_000)
    assert by_label["実績報告済"] == (0, 0)
    assert by_label["額の確定"] == (1, 2_000_000)
    assert (status["decided_count"], status["decided_amount"], status["settled_amount"]) == (2, 3_000_000, 1_800_000)


def test_admin_landing_page_shows_the_dashboard_to_the_policy_officer(client, policy_officer, demo):
    client.force_login(User.objects.get(username="seisaku"))
    html = client.get("/admin/").content.decode()
    assert "旧市町ごとの地域の段階" in html
    assert "審査を待っている組織（申請中・古い順）" in html
    assert "高尾ふれあい協議会" in html and "哲西みらいづくり協議会" in html
    assert "差し戻し中の組織（再申請待ち）" in html and "大佐くらし支え合い会議" in html
    assert "の一括交付金" in html and "交付決定の合計" in html
    # Oldest first: 高尾 applied 60 days ago, 哲西 100 days ago in the demo.
    assert html.index("哲西みらいづくり協議会") < html.index("高尾ふれあい協議会")


def test_dashboard_is_hidden_from_staff_who_may_not_view_organizations(client, db):
    clerk = User.objects.create_user("clerk", is_staff=True)
    client.force_login(clerk)
    html = client.get("/admin/").content.decode()
    assert "旧市町ごとの地域の段階" not in html


def test_admin_landing_page_query_count_does_not_grow(client, demo, django_assert_num_queries):
    client.force_login(User.objects.get(username="seisaku"))
    # 1 session, 2 user, 3-4 permissions, 5 the fiscal year, 6 the 旧市町, 7 the areas with their furthest stage,
    # 8 waiting applications, 9 returned ones, 10 their history, 11-12 pending stage change and case
    # proposals, 13-14 the grant status, 15 its budget figures, 16 mail the outbox gave up on, 17-21 the 期限
    # (the fiscal year, organizations without an application, decisions without a report, unpaid refunds, unpaid
    # claims: grants.deadlines.open_deadlines), 22 the 事務局's pending page edits (offices), 23 recent actions;
    with django_assert_num_queries(24):  # and django-otp's device of the session
        client.get("/admin/")
    from django.core.management import call_command

    call_command("loaddemo", scale=3, verbosity=0)
    with django_assert_num_queries(24):  # and django-otp's device of the session
        client.get("/admin/")
