"""Mail that really goes out: queued in the outbox, sent by `send_outbox` through an SMTP server started by
the test, read back from it."""

import pytest
from django.urls import reverse

from organizations.models import CaseStudy, ProposalStatus
from outbox.models import Message
from staff.services import (
    case_study_accept,
    case_study_decline,
    stage_change_accept,
    stage_change_decline,
    stage_change_propose,
)
from tests.mail import send_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def liaison_with_address(assigned_liaison):
    assigned_liaison.email = "tanto1@city.example"
    assigned_liaison.save()
    return assigned_liaison


def test_a_new_stage_change_proposal_mails_the_policy_division_and_the_decision_mails_the_liaison(
    inbox, liaison_with_address, policy_officer, organization, meeting, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = stage_change_propose(
            organization=organization,
            to_stage=1,
            changed_on=today,
            evidence_meeting=meeting,
            note="",
            by=liaison_with_address,
        )
    assert inbox.messages == []
    send_outbox()
    assert inbox.messages[0]["to"] == ["kyodo@seisaku.example"]
    assert "段階の変更の提案（確認待ち）: 唐松まちづくり協議会" in inbox.subjects()[0]
    assert "/admin/staff/stagechange/review/" in inbox.body(0)
    with django_capture_on_commit_callbacks(execute=True):
        stage_change_decline(change=change, by=policy_officer, reason="根拠の会議の記録が足りません")
    send_outbox()
    assert inbox.messages[1]["to"] == ["tanto1@city.example"]
    assert "見送り" in inbox.subjects()[1]
    assert "見送りの理由: 根拠の会議の記録が足りません" in inbox.body(1)
    with django_capture_on_commit_callbacks(execute=True):
        again = stage_change_propose(
            organization=organization,
            to_stage=1,
            changed_on=today,
            evidence_meeting=meeting,
            note="",
            by=liaison_with_address,
        )
        stage_change_accept(change=again, by=policy_officer)
    send_outbox()
    assert len(inbox.messages) == 4
    assert "反映" in inbox.subjects()[3] and "公開ページに表示されます" in inbox.body(3)


def test_no_mail_leaves_when_the_transaction_rolls_back(
    inbox, liaison_with_address, organization, meeting, today, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                stage_change_propose(
                    organization=organization,
                    to_stage=1,
                    changed_on=today,
                    evidence_meeting=meeting,
                    note="",
                    by=liaison_with_address,
                )
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Message.objects.exists()
    send_outbox()
    assert inbox.messages == []


def test_a_case_proposal_stays_off_public_pages_until_accepted_and_each_step_sends_mail(
    client,
    inbox,
    liaison_with_address,
    policy_officer,
    valid_meeting_data,
    organization,
    django_capture_on_commit_callbacks,
):
    client.force_login(liaison_with_address)
    data = {
        **valid_meeting_data,
        "propose_case": "on",
        "case_title": "唐松の防災ワークショップ",
        "case_summary": "住民が避難経路を歩いて確かめました。",
        "case_body": "子どもから大人まで参加しました。",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:meeting_create", args=["organization", organization.slug]), data, follow=True
        )
    assert "総合政策課が確認して反映するまで公開されません" in response.text
    send_outbox()
    case = CaseStudy.objects.get()
    assert (case.status, case.proposed_by) == (ProposalStatus.PENDING, liaison_with_address)
    assert "取組事例の提案（確認待ち）" in inbox.subjects()[0]
    client.logout()
    assert "唐松の防災ワークショップ" not in client.get(reverse("organizations:case_list")).text
    with django_capture_on_commit_callbacks(execute=True):
        case_study_accept(case=case, by=policy_officer)
    send_outbox()
    assert "唐松の防災ワークショップ" in client.get(reverse("organizations:case_list")).text
    assert inbox.messages[-1]["to"] == ["tanto1@city.example"] and "反映" in inbox.subjects()[-1]


def test_a_declined_case_never_reaches_a_public_page_even_if_ticked_public(
    client, inbox, liaison_with_address, policy_officer, meeting, django_capture_on_commit_callbacks
):
    from staff.services import case_study_propose

    with django_capture_on_commit_callbacks(execute=True):
        case = case_study_propose(
            meeting=meeting, title="見送る事例", summary="要約", body="本文", by=liaison_with_address
        )
        case_study_decline(case=case, by=policy_officer, reason="写真の同意がまだです")
    send_outbox()
    CaseStudy.objects.filter(pk=case.pk).update(is_published=True)
    assert "見送る事例" not in client.get(reverse("organizations:case_list")).text
    assert client.get(case.get_absolute_url()).status_code == 404
    assert "理由: 写真の同意がまだです" in inbox.body(-1)
