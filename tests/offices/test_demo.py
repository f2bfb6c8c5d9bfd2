"""The demo gives 熊野 and 唐松 a 事務局 login each (README's table of demo logins, デモ): signing in with the demo
password lands on their organization's home, and loading the demo again changes nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from niimi_portal.demo.loader import DEMO_OFFICES, DEMO_PASSWORD
from offices.models import OfficeMember
from tests.helpers import Client

pytestmark = pytest.mark.django_db


def test_kumano_and_karamatsu_have_a_demo_office_login(demo, capsys):
    members = OfficeMember.objects.select_related("user", "organization")
    assert {(m.user.username, m.organization.slug) for m in members} == set(DEMO_OFFICES.items())
    for member in members:
        assert not member.user.is_staff and "デモ" in member.user.first_name and member.joined_at
        client = Client()
        landed = client.post(
            reverse("login"), {"username": member.user.username, "password": DEMO_PASSWORD}, follow=True
        )
        assert landed.redirect_chain[-1][0] == reverse("offices:home", kwargs={"slug": member.organization.slug})
        assert f"{member.organization.name} 事務局" in landed.text
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert "kumano-jimukyoku" in out and "地域運営組織の事務局（/office/）" in out
    call_command("loaddemo", verbosity=0)
    assert OfficeMember.objects.count() == 2


def test_the_readme_lists_the_office_logins():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for username in DEMO_OFFICES:
        assert f"| `{username}` | `{DEMO_PASSWORD}` |" in readme
