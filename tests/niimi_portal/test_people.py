"""Accounts shown by their person's name 「姓 名」, never by their user name, without changing how Django
turns a user into text (str(user) stays the login): the admin's columns, read-only fields and choices of
users, the history's 変更した人 and the templates' |person."""

import re

import pytest
from django.contrib import admin
from django.template import Context, Template
from django.test import RequestFactory

from niimi_portal.lib.admin_display import ClerkDisplayMixin
from niimi_portal.lib.people import display_name
from organizations.models import Organization
from staff.models import StageChange
from staff.services import stage_change_accept, stage_change_propose
from tests.staff.conftest import meeting, today  # noqa: F401 — fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(assigned_liaison, policy_officer):
    assigned_liaison.last_name, assigned_liaison.first_name = "山田", "太郎"
    assigned_liaison.save()
    policy_officer.last_name, policy_officer.first_name = "政策", "花子"
    policy_officer.save()
    return assigned_liaison, policy_officer


@pytest.fixture
def accepted(named, organization, meeting, today):  # noqa: F811
    liaison, clerk = named
    change = stage_change_propose(
        organization=organization,
        to_stage=Organization.Stage.MOMENTUM,
        changed_on=today,
        evidence_meeting=meeting,
        note="",
        by=liaison,
    )
    stage_change_accept(change=change, by=clerk)
    return change


def cell(html, css_class):
    """The text of the first element with this class (a change list's td, a read-only row)."""
    found = re.search(rf'class="[^"]*\b{css_class}\b[^"]*"[^>]*>(.*?)</(td|div)>', html, re.S)
    assert found, css_class
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_the_user_model_itself_is_left_as_django_made_it(named):
    liaison, _ = named
    assert str(liaison) == "tanto1"
    assert display_name(liaison) == "山田 太郎"


def test_a_list_column_shows_the_persons_name(client, superuser, accepted):
    client.force_login(superuser)
    html = client.get("/admin/staff/stagechange/").text
    assert cell(html, "field-recorded_by") == "山田 太郎"
    assert cell(html, "field-decided_by") == "政策 花子"
    assert "tanto1" not in html and "seisaku" not in html
    # the column still sorts by the account
    assert client.get("/admin/staff/stagechange/?o=5").status_code == 200


def test_a_read_only_field_and_a_typed_account_show_the_persons_name(client, superuser, accepted):
    client.force_login(superuser)
    html = client.get(f"/admin/staff/stagechange/{accepted.pk}/change/").text
    decided = re.search(r'field-decided_by.*?<div class="readonly">(.*?)</div>', html, re.S)
    assert decided and decided.group(1).strip() == "政策 花子"
    assert re.search(r"<strong>(<a [^>]*>)?山田 太郎(</a>)?</strong>", html)  # beside the raw-id box of 記録者
    assert "tanto1" not in html and "seisaku" not in html


def test_a_choice_of_users_lists_the_persons_names(superuser, named):
    class StageChangeChoices(ClerkDisplayMixin, admin.ModelAdmin):
        """No raw-id box: the account is chosen from a list."""

    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = StageChangeChoices(StageChange, admin.site)
    form = model_admin.get_form(request)()
    labels = [str(label) for _, label in form.fields["recorded_by"].choices]
    assert {"山田 太郎", "政策 花子", "admin"} <= set(labels)  # an account without a name keeps its user name
    assert "tanto1" not in labels and "seisaku" not in labels


def test_the_history_page_names_who_changed(client, superuser, accepted, organization):
    client.force_login(superuser)
    html = client.get(f"/admin/organizations/organization/{organization.pk}/history/").text
    assert cell(html, "history-user") == "政策 花子"
    assert "seisaku" not in html


def test_the_person_filter(named):
    liaison, _ = named
    template = Template("{% load portal %}[{{ user|person }}][{{ nobody|person }}]")
    assert template.render(Context({"user": liaison, "nobody": None})) == "[山田 太郎][]"


def test_a_past_version_names_the_account_in_its_fields(client, superuser, named, meeting):  # noqa: F811
    client.force_login(superuser)
    record = meeting.history.latest()
    html = client.get(f"/admin/staff/meeting/{meeting.pk}/history/{record.history_id}/").text
    author = re.search(r'field-author.*?<div class="readonly">(.*?)</div>', html, re.S)
    assert author and author.group(1).strip() == "山田 太郎"
    assert "tanto1" not in html
