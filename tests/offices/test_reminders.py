"""Reminders reach the 事務局: `manage.py send_reminders` mails a deadline to the organization's contact e-mail
and to each person of its 事務局 (aiosmtpd), once per deadline and stage (one DeadlineReminder); another
organization's 事務局 hears nothing of it."""

import datetime
import io

import pytest
from django.core.management import call_command

from grants.models import DeadlineReminder
from tests.conftest import POLICY_DIVISION_EMAIL
from tests.mail import send_outbox
from tests.offices.conftest import new_office_user

pytestmark = pytest.mark.django_db

CONTACT = "info@karamatsu.example"
WORLD_MEMBER = "jimukyoku@karamatsu.example"  # the permission matrix's office_member, of 唐松


@pytest.fixture
def due_on(world):
    """唐松's 実績報告 (its decision has none yet) due on a set day; a contact e-mail, two members, one of them
    with the contact's address written differently, and a member of 高尾."""
    due_on = world.today + datetime.timedelta(days=60)
    world.fiscal_year.report_due_on = due_on
    world.fiscal_year.save()
    world.organization.contact_email = CONTACT
    world.organization.save()
    new_office_user("karamatsu-a", world.organization, email="a@karamatsu.example")
    new_office_user("karamatsu-b", world.organization, email="INFO@karamatsu.example", name=("唐松", "一郎"))
    new_office_user("takao-a", world.other_organization, email="a@takao.example")
    return due_on


def run(day):
    call_command("send_reminders", "--today", day.isoformat(), stdout=io.StringIO())
    send_outbox()


def to_organization(inbox):
    return sorted(m["to"][0] for m in inbox.messages if m["to"] != [POLICY_DIVISION_EMAIL])


def test_the_reminder_reaches_each_member_once_per_stage(world, due_on, inbox):
    run(due_on - datetime.timedelta(days=7))
    assert to_organization(inbox) == ["a@karamatsu.example", CONTACT, WORLD_MEMBER]  # the same address once
    subjects = {str(m["message"]["Subject"]) for m in inbox.messages if m["to"] != [POLICY_DIVISION_EMAIL]}
    assert len(subjects) == 1 and "期限が近づいています" in subjects.pop()
    assert DeadlineReminder.objects.filter(organization=world.organization, stage="before").count() == 1
    assert DeadlineReminder.objects.get(organization=world.organization).to_organization

    run(due_on - datetime.timedelta(days=5))  # the same stage again: nothing
    assert len(to_organization(inbox)) == 3

    run(due_on)  # the day: each once more
    assert len(to_organization(inbox)) == 6
    assert all("a@takao.example" not in m["to"] for m in inbox.messages)
    assert DeadlineReminder.objects.filter(organization=world.organization).count() == 2


def test_a_member_without_a_contact_email_still_hears_and_the_division_is_told(world, due_on, inbox):
    world.organization.contact_email = ""
    world.organization.save()
    run(due_on - datetime.timedelta(days=7))
    assert to_organization(inbox) == ["INFO@karamatsu.example", "a@karamatsu.example", WORLD_MEMBER]
    digest = next(m["message"] for m in inbox.messages if m["to"] == [POLICY_DIVISION_EMAIL])
    assert "組織にもメールしました" in digest.get_body(preferencelist=("plain",)).get_content()


def test_an_inactive_account_gets_no_reminder(world, due_on, inbox):
    from django.contrib.auth.models import User

    User.objects.filter(username="karamatsu-a").update(is_active=False)
    run(due_on - datetime.timedelta(days=7))
    assert to_organization(inbox) == [CONTACT, WORLD_MEMBER]
