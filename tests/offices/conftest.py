"""People of the 事務局's pages: a member of 唐松's 事務局 (the `organization` fixture) and one of 高尾's."""

import pytest
from django.contrib.auth.models import User

from offices.models import OfficeMember
from tests.conftest import PASSWORD


def office_user(username, organization, *, email=None, name=("新見", "花子")):
    user = User.objects.create_user(
        username, email=email or f"{username}@example.jp", password=PASSWORD, last_name=name[0], first_name=name[1]
    )
    OfficeMember.objects.create(organization=organization, user=user, role="事務局長")
    return user


@pytest.fixture
def office_member(organization):
    """A person of 唐松まちづくり協議会's 事務局 (not staff, no liaison)."""
    return office_user("karamatsu-jimu", organization)


@pytest.fixture
def other_office_member(other_organization):
    """A person of 高尾ふれあい協議会's 事務局."""
    return office_user("takao-jimu", other_organization, name=("高尾", "次郎"))


@pytest.fixture
def world(
    town, area, organization, other_organization, assigned_liaison, unassigned_liaison, policy_officer, superuser,
    current_year,
):  # fmt: skip
    """The permission matrix's world (tests/security/world.py): 唐松 approved, its grant decided and its
    交付決定通知書 issued; 高尾 with its own liaison."""
    from tests.security.world import build_world

    return build_world(
        town=town,
        area=area,
        organization=organization,
        other_organization=other_organization,
        assigned_liaison=assigned_liaison,
        unassigned_liaison=unassigned_liaison,
        policy_officer=policy_officer,
        superuser=superuser,
        current_year=current_year,
    )
