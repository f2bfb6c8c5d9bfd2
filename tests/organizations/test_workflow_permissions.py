"""The workflow URLs and the CSV export, run through: who may use them, that a permitted POST moves the
organization (and records who did it), and that a refused request changes nothing.

Who may open each URL is not written here: it is the row of tests/security/permission_matrix.py (the
one permission matrix), read for the roles the two test worlds share. Only the policy officer without
the approval permission, a role the security world does not have, is given here.
"""

import datetime

import pytest
from django.utils import timezone

from grants import approval_acts
from organizations.models import Organization
from tests.helpers import Client
from tests.organizations.conftest import put_in_status, snapshot
from tests.security.permission_matrix import FORBIDDEN, MATRIX, OK, REFUSALS, Redirect

pytestmark = pytest.mark.django_db
Status = Organization.ApprovalStatus

# This file's fixtures → the security matrix's roles ("unassigned" is the liaison of another area there).
MATRIX_ROLE = {
    "anonymous": "anonymous",
    "unassigned_liaison": "other_liaison",
    "assigned_liaison": "assigned_liaison",
    "policy_officer": "policy_officer",
    "superuser": "superuser",
}
ROLES = [*MATRIX_ROLE, "policy_officer_without_approval"]
WITHOUT_APPROVAL = {"transition": FORBIDDEN, "export": OK}


def expected(role, name):
    """What a GET of admin:organizations_organization_<name> answers `role`, by the permission matrix."""
    if role == "policy_officer_without_approval":
        return WITHOUT_APPROVAL["export" if name == "export" else "transition"]
    return MATRIX[f"admin:organizations_organization_{name}"].expect[MATRIX_ROLE[role]]


def assert_answer(response, answer):
    if isinstance(answer, Redirect):
        assert response.status_code == answer.status
        assert response["Location"].startswith(answer.to)
    else:
        assert response.status_code == answer


SOURCE = {
    "submit": Status.NOT_APPLIED,
    "approve": Status.APPLIED,
    "return": Status.APPLIED,
    "refuse": Status.APPLIED,
    "revoke": Status.APPROVED,
}
TARGET = {
    "submit": Status.APPLIED,
    "approve": Status.APPROVED,
    "return": Status.RETURNED,
    "refuse": Status.NOT_APPLIED,
    "revoke": Status.REVOKED,
}


def post_data(name):
    today = timezone.localdate().isoformat()
    return {
        "submit": {"date": today},
        "approve": {"number": "新総政第200号", "date": today},
        "return": {"reason": "書類をそろえること。"},
        "refuse": {"reason": "活動区域が重なるため。"},
        "revoke": {"reason": "活動を終えたため。", "date": today},
    }[name]


def client_for(request, role):
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize("name", list(SOURCE))
@pytest.mark.parametrize("role", ROLES)
def test_transition_url_per_role(request, complete_organization, role, name):
    # Both liaisons exist in every case, so "assigned" and "unassigned" mean what they say.
    request.getfixturevalue("assigned_liaison")
    request.getfixturevalue("unassigned_liaison")
    org = put_in_status(complete_organization, SOURCE[name])
    if name == "revoke":  # a 不利益処分: the 弁明の機会 came first, and its deadline has passed
        approval_acts.hearing_notify(
            organization=org, by=None, notified_on=timezone.localdate() - datetime.timedelta(days=30), facts="休止"
        )
    url = f"/admin/organizations/organization/{org.pk}/{name}/"
    client = client_for(request, role)
    before = snapshot(org)

    response = client.get(url)
    post = client.post(url, post_data(name))

    answer = expected(role, name)
    if answer in REFUSALS:
        assert_answer(response, answer)
        assert_answer(post, answer)
        if answer == FORBIDDEN:
            assert "この操作の権限がありません" in response.content.decode()
        assert snapshot(org) == before
    else:
        assert answer == OK
        assert response.status_code == 200
        assert post.status_code == 302
        assert post["Location"] == f"/admin/organizations/organization/{org.pk}/change/"
        org.refresh_from_db()
        assert org.approval_status == TARGET[name]
        assert org.history.first().history_user == request.getfixturevalue(role)


@pytest.mark.parametrize("role", ROLES)
def test_export_per_role(request, complete_organization, role):
    request.getfixturevalue("assigned_liaison")
    before = snapshot(complete_organization)
    response = client_for(request, role).get("/admin/organizations/organization/export/")
    answer = expected(role, "export")
    if answer in REFUSALS:
        assert_answer(response, answer)
    else:
        assert answer == OK
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "唐松まちづくり協議会" in response.content.decode("utf-8-sig")
    assert snapshot(complete_organization) == before


def test_export_is_refused_to_staff_who_may_not_view_organizations(db, complete_organization):
    from django.contrib.auth.models import User

    clerk = User.objects.create_user("other-clerk", is_staff=True)
    client = Client()
    client.force_login(clerk)
    assert client.get("/admin/organizations/organization/export/").status_code == 403
