"""Who may open and use each workflow URL and the CSV export, and that a refused request changes nothing.

role                          GET confirm   POST move            export
anonymous                     302 login     302 login, no change 302 login
unassigned liaison (no staff) 302 login     302 login, no change 302 login
assigned liaison (no staff)   302 login     302 login, no change 302 login
policy officer w/o permission 403           403, no change       200
policy officer                200           302 to change page   200
superuser                     200           302 to change page   200
"""

import pytest
from django.test import Client
from django.utils import timezone

from organizations.models import Organization
from tests.organizations.conftest import put_in_status, snapshot

pytestmark = pytest.mark.django_db
Status = Organization.ApprovalStatus

ROLES = [
    "anonymous",
    "unassigned_liaison",
    "assigned_liaison",
    "policy_officer_without_approval",
    "policy_officer",
    "superuser",
]
REFUSED_GET = {
    "anonymous": 302,
    "unassigned_liaison": 302,
    "assigned_liaison": 302,
    "policy_officer_without_approval": 403,
}
SOURCE = {"submit": Status.NOT_APPLIED, "approve": Status.APPLIED, "return": Status.APPLIED, "revoke": Status.APPROVED}
TARGET = {"submit": Status.APPLIED, "approve": Status.APPROVED, "return": Status.RETURNED, "revoke": Status.REVOKED}


def post_data(name):
    today = timezone.localdate().isoformat()
    return {
        "submit": {"date": today},
        "approve": {"number": "新総政第200号", "date": today},
        "return": {"reason": "書類をそろえてください。"},
        "revoke": {"reason": "活動を終えたため。"},
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
    url = f"/admin/organizations/organization/{org.pk}/{name}/"
    client = client_for(request, role)
    before = snapshot(org)

    response = client.get(url)
    post = client.post(url, post_data(name))

    if role in REFUSED_GET:
        assert response.status_code == REFUSED_GET[role]
        assert post.status_code == REFUSED_GET[role]
        if REFUSED_GET[role] == 302:
            assert response["Location"].startswith("/admin/login/")
            assert post["Location"].startswith("/admin/login/")
        else:
            assert "この操作の権限がありません" in response.content.decode()
        assert snapshot(org) == before
    else:
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
    if role in ("anonymous", "unassigned_liaison", "assigned_liaison"):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    else:
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
