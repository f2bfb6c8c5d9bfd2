"""The admin pages of the 弁明の機会 and the 認可取消: who may open them, a GET that changes nothing, a POST
that gives the 弁明の機会 (numbering its 付与通知書) or records the 弁明, and the 取消 refused beside its
date until the 弁明 period has passed or a 弁明 is on record."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from grants import approval_acts
from grants.models import ApprovalHearing, DocumentKind, DocumentNumber
from organizations.models import Organization
from tests.helpers import Client

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def url(name, organization):
    return reverse(f"admin:organizations_organization_{name}", args=[organization.pk])


@pytest.fixture
def clerk_without_approval(db):
    """A 総合政策課 clerk who may view organizations but not run the approval workflow."""
    user = User.objects.create_user("etsuran", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_organization"))
    return user


def signed_in(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["hearing", "hearing_answer"])
@pytest.mark.parametrize("role", ["anonymous", "assigned_liaison", "clerk_without_approval"])
def test_only_a_clerk_with_the_approval_permission_opens_the_hearing_pages(request, approved, name, role):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = signed_in(user)
    get = client.get(url(name, approved))
    post = client.post(url(name, approved), {"facts": "休止のため。", "notified_on": "2026-10-19"})
    if role == "clerk_without_approval":
        assert get.status_code == post.status_code == 403
    else:
        assert get.status_code == post.status_code == 302
        assert get["Location"].startswith("/admin/login/")
    assert not ApprovalHearing.objects.exists() and not DocumentNumber.objects.exists()


def test_a_get_of_the_hearing_page_gives_nothing_and_a_post_numbers_the_notice(approved, policy_officer):
    client = signed_in(policy_officer)
    page = client.get(url("hearing", approved)).content.decode()
    assert "弁明の機会の付与" in page and "教示はありません" in page
    assert not ApprovalHearing.objects.exists()
    response = client.post(
        url("hearing", approved), {"facts": "事業を実施していないため。", "notified_on": "2026-10-20", "deadline": ""}
    )
    assert response.status_code == 302
    hearing = ApprovalHearing.objects.get()
    assert hearing.deadline == datetime.date(2026, 11, 4)  # 11月3日 (文化の日) moved on
    assert hearing.notice_entry.kind == DocumentKind.HEARING and hearing.notified_by == policy_officer
    change = client.get(response["Location"]).content.decode()
    assert "弁明書の提出期限 令和8年11月4日" in change and "弁明書の受付" in change


def test_a_polite_fact_and_a_sunday_deadline_are_refused_beside_their_fields(approved, policy_officer):
    client = signed_in(policy_officer)
    page = client.post(
        url("hearing", approved), {"facts": "休止しています。", "notified_on": "2026-10-19"}
    ).content.decode()
    assert 'id="id_facts_error"' in page and "である調" in page
    page = client.post(
        url("hearing", approved), {"facts": "休止のため。", "notified_on": "2026-10-19", "deadline": "2026-11-01"}
    ).content.decode()
    assert 'id="id_deadline_error"><li>弁明書の提出期限が土日・祝日・年末年始' in page
    assert not ApprovalHearing.objects.exists()


def test_the_revocation_is_refused_beside_its_date_until_the_answer_is_recorded(approved, policy_officer):
    client = signed_in(policy_officer)
    revoke = {"reason": "事業を実施していないため。", "date": "2026-10-28", "number": ""}
    page = client.post(url("revoke", approved), revoke).content.decode()
    assert 'id="id_date_error"><li>認可を取り消す前に、弁明の機会を付与してください' in page
    approval_acts.hearing_notify(
        organization=approved, by=policy_officer, notified_on=datetime.date(2026, 10, 19), facts="休止のため。"
    )
    confirm = client.get(url("revoke", approved)).content.decode()
    assert "弁明書の提出期限 令和8年11月2日" in confirm
    page = client.post(url("revoke", approved), revoke).content.decode()
    assert 'id="id_date_error"><li>弁明書の提出期限（令和8年11月2日）が過ぎるまで' in page
    approved.refresh_from_db()
    assert approved.is_approved
    response = client.post(
        url("hearing_answer", approved), {"explained_on": "2026-10-26", "explanation": "来年度から再開する。"}
    )
    assert response.status_code == 302
    response = client.post(url("revoke", approved), revoke)
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.approval_status == Organization.ApprovalStatus.REVOKED
    entry = ApprovalHearing.objects.get().revocation_entry
    assert entry.kind == DocumentKind.APPROVAL_REVOCATION and entry.dated == datetime.date(2026, 10, 28)


def test_the_answer_page_without_a_hearing_says_so_and_offers_no_form(approved, policy_officer):
    client = signed_in(policy_officer)
    response = client.get(url("hearing_answer", approved))
    page = response.content.decode()
    assert response.status_code == 200
    assert "弁明の機会を付与していないため" in page and '<form method="post"' not in page
    assert client.post(url("hearing_answer", approved), {"explained_on": "2026-10-26"}).status_code == 200
    assert not ApprovalHearing.objects.exists()
