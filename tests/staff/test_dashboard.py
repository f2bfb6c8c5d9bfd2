"""The workspace front page: my areas, their stage, the last meeting and open next steps."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.urls import reverse
from model_bakery import baker

from staff.models import LiaisonOfficer, Meeting, NextStep
from tests.helpers import current_code, totp_device

pytestmark = pytest.mark.django_db


def test_dashboard_shows_stage_last_meeting_and_overdue_next_steps(client, assigned_liaison, meeting, today):
    NextStep.objects.create(
        meeting=meeting, description="会長への報告", owner="山田", due_date=today - datetime.timedelta(days=1)
    )
    NextStep.objects.create(meeting=meeting, description="済んだこと", owner="山田", due_date=today, is_done=True)
    client.force_login(assigned_liaison)
    response = client.get(reverse("staff:dashboard"))
    text = response.text
    assert "<title>職員ページ | 新見市 小規模多機能自治ポータル</title>" in text
    assert text.count("<h1") == 1
    assert "② 地域の将来計画の策定" in text
    assert "主担当" in text
    assert reverse("staff:meeting_detail", args=[meeting.pk]) in text
    assert "会長への報告" in text and "期限切れ" in text
    assert "アンケートの集計" in text
    assert "済んだこと" not in text


def test_a_liaison_without_assignment_gets_an_explanation(client, current_year):
    user = User.objects.create_user("shinnin")
    user.groups.add(Group.objects.get(name=settings.LIAISON_GROUP))
    baker.make(LiaisonOfficer, user=user, name="新任 職員")
    client.force_login(user)
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 200
    assert "の担当地域はまだ登録されていません" in response.text
    assert "0867-72-6143" in response.text


def test_a_liaison_login_not_linked_to_the_roster_gets_an_explanation(client, db):
    user = User.objects.create_user("mitouroku")
    user.groups.add(Group.objects.get(name=settings.LIAISON_GROUP))
    client.force_login(user)
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 200
    assert "地域担当職員の名簿と結び付けられていません" in response.text


def test_nav_shows_the_workspace_link_to_liaisons_only(client, assigned_liaison, policy_officer):
    assert "職員ページ" not in client.get("/").text
    client.force_login(policy_officer)
    assert "職員ページ" not in client.get("/").text
    client.force_login(assigned_liaison)
    assert f'href="{reverse("staff:dashboard")}">職員ページ' in client.get("/").text


def test_login_lands_a_liaison_in_the_workspace_and_policy_staff_in_the_admin(client, assigned_liaison, policy_officer):
    from tests.conftest import PASSWORD

    response = client.post(reverse("login"), {"username": "tanto1", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff:dashboard")
    client.post(reverse("logout"))
    device = totp_device(policy_officer)
    response = client.post(reverse("login"), {"username": "seisaku", "password": PASSWORD})
    assert response["Location"] == reverse("staff:dashboard")
    # policy staff give their second factor first (tests/security/test_two_factor.py), then go on to the admin
    verify = client.get(response["Location"])["Location"]
    assert verify == f"{reverse('two_factor_verify')}?next={reverse('staff:dashboard')}"
    response = client.post(verify, {"code": current_code(device)})
    assert client.get(response["Location"])["Location"] == reverse("admin:index")


def test_a_logged_in_user_who_is_neither_gets_a_japanese_403(client, db):
    client.force_login(User.objects.create_user("someone"))
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 403
    assert "このページは表示できません" in response.text
    assert "地域担当職員のためのページ" in response.text


def test_demo_liaisons_each_see_only_their_own_areas(client, demo):
    tanto1 = User.objects.get(username="tanto1")
    tanto2 = User.objects.get(username="tanto2")
    client.force_login(tanto1)
    page = client.get(reverse("staff:dashboard")).text
    current = page.split("過去の年度の担当")[0]
    assert "熊野の将来を考える会" in current or "kumano-mirai" in current
    assert "/workspace/organizations/takao-fureai/" in current
    assert "/workspace/organizations/karamatsu-machizukuri/" not in page
    assert "/workspace/organizations/osa-kurashi/" not in page
    client.force_login(tanto2)
    page = client.get(reverse("staff:dashboard")).text
    current, _, past = page.partition("過去の年度の担当（閲覧のみ）")
    assert "/workspace/organizations/karamatsu-machizukuri/" in current
    assert "/workspace/organizations/osa-kurashi/" in current
    assert "/workspace/organizations/kumano-mirai/" not in page
    assert "/workspace/organizations/takao-fureai/" in past  # last year's area: read only
    assert client.get("/workspace/organizations/kumano-mirai/").status_code == 404
    assert client.get("/workspace/organizations/takao-fureai/meetings/new/").status_code == 403
    # Each sees only meetings of their own areas in "my meetings".
    own = {m.target.slug for m in client.get(reverse("staff:meeting_list")).context["page"].object_list}
    assert own <= {"karamatsu-machizukuri", "osa-kurashi", "takao-fureai"}
    assert Meeting.objects.filter(organization__slug="kumano-mirai").exists()


def carried_over(meeting, organization, times, today):
    """The same next step decided again at `times` meetings (the demo's six 「アンケートの集計」, issue 31)."""
    for days in range(times):
        again = Meeting.objects.create(
            organization=organization,
            kind=meeting.kind,
            status=Meeting.Status.HELD,
            date=today - datetime.timedelta(days=10 + days),
            place="公民館",
            author=meeting.author,
        )
        NextStep.objects.create(
            meeting=again,
            description="集落アンケートの 回収",
            owner="事務局",
            due_date=today - datetime.timedelta(days=days),
        )


def test_a_next_step_carried_over_six_meetings_is_listed_once_for_the_assigned_liaison(
    client, assigned_liaison, organization, meeting, today
):
    carried_over(meeting, organization, 6, today)
    client.force_login(assigned_liaison)
    text = client.get(reverse("staff:dashboard")).text
    assert text.count("集落アンケートの 回収") == 1
    assert "（6 回の会議で同じ取組。期限がいちばん早いものを表示）" in text


def test_the_unassigned_liaison_sees_none_of_another_organizations_next_steps(
    client, unassigned_liaison, organization, meeting, today
):
    carried_over(meeting, organization, 6, today)
    client.force_login(unassigned_liaison)
    text = client.get(reverse("staff:dashboard")).text
    assert "集落アンケートの 回収" not in text


def test_different_next_steps_stay_separate(client, assigned_liaison, organization, meeting, today):
    carried_over(meeting, organization, 2, today)
    NextStep.objects.create(meeting=meeting, description="会長への報告", owner="事務局", due_date=today)
    client.force_login(assigned_liaison)
    text = client.get(reverse("staff:dashboard")).text
    assert text.count("集落アンケートの 回収") == 1 and "（2 回の会議で同じ取組" in text
    assert "会長への報告" in text


def test_the_approval_reads_the_term_residents_read_with_its_step(client, assigned_liaison, organization):
    """One term for the 認可 (issue 31): 未認可 in public and in the workspace, the workspace adding the step."""
    organization.approval_status = organization.ApprovalStatus.APPLIED
    organization.save()
    client.force_login(assigned_liaison)
    text = client.get(reverse("staff:dashboard")).text
    assert '<dt class="col-sm-3">認可</dt><dd class="col-sm-9">未認可（申請中）</dd>' in text
    assert "未認可" in client.get(organization.get_absolute_url()).text
