"""The demo gives 熊野 and 唐松 a 事務局 login each (README's table of demo logins, デモ): signing in with the demo
password lands on their organization's home, and loading the demo again changes nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from niimi_portal.demo.loader import DEMO_OFFICES, DEMO_PASSWORD
from offices.models import OfficeMember, Submission
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


def signed_in(username):
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_kumanos_member_finds_next_years_application_in_progress(demo):
    from grants.models import FiscalYear, GrantApplication

    kumano = OfficeMember.objects.get(user__username="kumano-jimukyoku").organization
    submission = Submission.objects.get(organization=kumano, kind=Submission.Kind.APPLICATION)
    current = FiscalYear.current()
    assert submission.fiscal_year.year == current.year + 1 and submission.status == Submission.Status.DRAFT
    assert GrantApplication.objects.filter(organization=kumano, fiscal_year=current).exists()
    this_year = GrantApplication.objects.get(organization=kumano, fiscal_year=current)
    client = signed_in("kumano-jimukyoku")
    page = client.get(reverse("offices:form", kwargs={"slug": kumano.slug, "kind": "application"})).text
    assert f"{submission.fiscal_year.label} 交付申請" in page
    assert f'value="{this_year.requested_amount}"' in page  # from its demo 収支予算
    assert "（デモ）今年度に続けて" in page
    assert submission.data["other_income_amount"] == ""  # partly filled
    home = client.get(reverse("offices:home", kwargs={"slug": kumano.slug})).text
    assert f"{submission.fiscal_year.label}の交付申請の入力へ" in home and "状況: 下書き" in home


def test_karamatsus_member_finds_a_correction_beside_its_field(demo):
    karamatsu = OfficeMember.objects.get(user__username="karamatsu-jimukyoku").organization
    submission = Submission.objects.select_related("receipt").get(
        organization=karamatsu, kind=Submission.Kind.APPLICATION
    )
    assert submission.status == Submission.Status.CORRECTION and submission.receipt.number
    assert [v.number for v in submission.versions.all()] == [1]
    (comment,) = submission.latest_version.comments.all()
    assert comment.written_by.username == "seisaku" and comment.field == "project_2_amount"
    assert "デモ" in comment.comment and "デモ" in submission.receipt.subject
    client = signed_in("karamatsu-jimukyoku")
    page = client.get(reverse("offices:form", kwargs={"slug": karamatsu.slug, "kind": "application"})).text
    at = page.index(comment.comment)
    assert page.index('name="project_2_amount"') < at < page.index('name="project_3_name"')
    home = client.get(reverse("offices:home", kwargs={"slug": karamatsu.slug})).text
    assert "交付申請に補正の依頼があります" in home and "交付申請を直す" in home


def test_loading_the_demo_again_keeps_the_office_forms(demo):
    call_command("loaddemo", verbosity=0)
    assert Submission.objects.count() == 2


def test_karamatsus_correction_can_be_resent_and_accepted_into_next_year(demo):
    from django.contrib.auth.models import User

    from grants.models import GrantApplication
    from offices.services import submission_accept

    submission = Submission.objects.get(organization__slug="karamatsu-machizukuri")
    client = signed_in("karamatsu-jimukyoku")
    form = reverse("offices:form", kwargs={"slug": "karamatsu-machizukuri", "kind": "application"})
    data = {**submission.data, "project_2_description": "会場費と物品費です（デモ）。", "action": "send"}
    assert client.post(form, data).status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SENT and submission.latest_version.number == 2
    application = submission_accept(submission=submission, by=User.objects.get(username="seisaku"))
    assert isinstance(application, GrantApplication) and application.fiscal_year == submission.fiscal_year
