"""Notices delivered: a document issued to an organization that receives online mails each person of its 事務局
(through the outbox to a real SMTP server, aiosmtpd) with the link to the documents page, never the PDF; an
organization receiving by post gets no mail; a rolled-back 決裁 sends nothing."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from offices import delivery
from organizations.models import Organization
from tests.helpers import approve_drafts
from tests.mail import send_outbox
from tests.offices.conftest import new_office_user

pytestmark = pytest.mark.django_db


WORLD_MEMBER = "jimukyoku@karamatsu.example"  # the permission matrix's office_member, of 唐松


@pytest.fixture
def members(world):
    assert world.users["office_member"].email == WORLD_MEMBER
    return [
        new_office_user("karamatsu-a", world.organization, email="a@karamatsu.example"),
        new_office_user("karamatsu-b", world.organization, email="b@karamatsu.example", name=("唐松", "一郎")),
        new_office_user("takao-a", world.other_organization, email="a@takao.example"),
    ]


def receive_online(organization):
    Organization.objects.filter(pk=organization.pk).update(notice_delivery=Organization.NoticeDelivery.ONLINE)


def test_each_member_is_told_of_a_new_document_with_the_link_and_no_pdf(
    world, members, inbox, django_capture_on_commit_callbacks
):
    receive_online(world.organization)
    with django_capture_on_commit_callbacks(execute=True):
        (document,) = approve_drafts()  # the 変更交付決定通知書 drafted in the world, now approved and issued
    send_outbox()
    assert sorted(m["to"][0] for m in inbox.messages) == ["a@karamatsu.example", "b@karamatsu.example", WORLD_MEMBER]
    for received in inbox.messages:
        message = received["message"]
        assert "新しい文書が届いています" in str(message["Subject"])
        assert not list(message.iter_attachments())
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert document.title in body and document.entry.text_with_year in body
        assert reverse("offices:documents", kwargs={"slug": world.organization.slug}) in body
        assert "高尾" not in body


def test_an_organization_receiving_by_post_gets_no_mail(world, members, django_capture_on_commit_callbacks):
    assert world.organization.notice_delivery == Organization.NoticeDelivery.POST  # the default
    with django_capture_on_commit_callbacks(execute=True):
        approve_drafts()
    assert mail.outbox == []


def test_a_reissue_or_copy_sends_nothing_and_a_rolled_back_issue_neither(
    world, members, django_capture_on_commit_callbacks
):
    from grants import notices

    receive_online(world.organization)
    with django_capture_on_commit_callbacks(execute=True):
        notices.document_reissue(original=world.issued, copy="copy")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        approve_drafts()
        transaction.set_rollback(True)
    assert mail.outbox == [] and callbacks == []


def test_notify_mails_only_the_documents_own_organization(world, members):
    receive_online(world.organization)
    receive_online(world.other_organization)
    assert sorted(delivery.document_notify(world.issued.pk)) == [
        "a@karamatsu.example",
        "b@karamatsu.example",
        WORLD_MEMBER,
    ]
    assert all("takao" not in address for m in mail.outbox for address in m.to)
