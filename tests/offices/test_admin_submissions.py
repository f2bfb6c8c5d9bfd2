"""事務局からの提出 in the admin: the list, the version sent read only in Japanese, 補正 per field with mail, and
受理 into the grant year."""

import pytest
from django.urls import reverse

from grants.models import GrantApplication
from offices.models import FieldComment, Submission
from tests.mail import send_outbox
from tests.offices.conftest import BALANCED

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_application(office, organization, current_year):
    office.post(
        reverse("offices:form", kwargs={"slug": organization.slug, "kind": "application"}),
        {**BALANCED, "action": "send"},
    )
    submission = Submission.objects.get(organization=organization)
    assert submission.status == Submission.Status.SENT
    return submission


def test_the_list_shows_what_was_sent(clerk, sent_application):
    page = clerk.get(reverse("admin:offices_submission_changelist")).text
    assert "事務局からの提出" in page and "受付第1号" in page and "唐松まちづくり協議会" in page and "交付申請" in page


def test_the_change_page_shows_the_version_sent_in_japanese_with_its_totals(clerk, sent_application):
    page = clerk.get(reverse("admin:offices_submission_change", args=[sent_application.pk])).text
    assert "第1版" in page and "事業2の事業名" in page and "防災訓練" in page and "高齢者支援" in page
    assert "支出の合計" in page and "1,050,000円" in page
    assert "補正を依頼する" in page and "受理して登録する" in page


def test_the_clerk_asks_for_a_correction_on_one_line_and_the_members_get_mail(
    clerk, sent_application, office, organization, inbox, django_capture_on_commit_callbacks
):
    url = reverse("admin:offices_submission_correction", args=[sent_application.pk])
    page = clerk.get(url).text
    assert 'name="comment__project_2_amount"' in page and "事業2の事業費（円）" in page and "200,000円" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(url, {"comment__project_2_amount": "見積書の額と合わせてください。", "comment__": ""})
    assert response.status_code == 302
    sent_application.refresh_from_db()
    assert sent_application.status == Submission.Status.CORRECTION
    assert list(FieldComment.objects.values_list("field", "comment")) == [
        ("project_2_amount", "見積書の額と合わせてください。")
    ]
    send_outbox()
    assert inbox.messages[0]["to"] == ["jimu@karamatsu.example"] and "補正のお願い" in inbox.subjects()[0]
    detail = clerk.get(reverse("admin:offices_submission_change", args=[sent_application.pk])).text
    assert "事業2の事業費（円）: 見積書の額と合わせてください。" in detail and "project_2_amount:" not in detail
    form = office.get(reverse("offices:form", kwargs={"slug": organization.slug, "kind": "application"})).text
    assert "見積書の額と合わせてください。" in form


def test_an_empty_correction_is_refused_and_nothing_changes(clerk, sent_application):
    response = clerk.post(reverse("admin:offices_submission_correction", args=[sent_application.pk]), {})
    assert response.status_code == 200 and "補正の内容を1つ以上入力してください。" in response.text
    sent_application.refresh_from_db()
    assert sent_application.status == Submission.Status.SENT


def test_accepting_records_the_application_and_goes_to_it(clerk, sent_application):
    response = clerk.post(reverse("admin:offices_submission_accept", args=[sent_application.pk]))
    application = GrantApplication.objects.get(organization=sent_application.organization)
    assert response.status_code == 302
    assert response.url == reverse("admin:grants_grantapplication_change", args=[application.pk])
    assert application.lines.count() == 5


def test_a_refusal_of_the_grants_step_is_shown(clerk, sent_application, current_year):
    GrantApplication.objects.create(
        organization=sent_application.organization,
        fiscal_year=current_year,
        received_on=current_year.starts_on,
        requested_amount=1,
    )
    response = clerk.post(reverse("admin:offices_submission_accept", args=[sent_application.pk]))
    assert response.status_code == 200 and "交付申請はすでに受け付けています。" in response.text
    sent_application.refresh_from_db()
    assert sent_application.status == Submission.Status.SENT


def test_a_liaison_cannot_open_them(client, assigned_liaison, sent_application):
    client.force_login(assigned_liaison)
    response = client.get(reverse("admin:offices_submission_accept", args=[sent_application.pk]))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_change_page_lists_the_attachments_with_their_sizes(clerk, sent_application):
    import io

    from offices.models import SubmissionAttachment
    from tests.staff.conftest import pdf_bytes

    attachment = SubmissionAttachment(
        submission=sent_application,
        label="サロンの領収書",
        original_name="領収書.pdf",
        content_type="application/pdf",
        size=len(pdf_bytes()),
    )
    attachment.file.save("receipt.pdf", io.BytesIO(pdf_bytes()), save=False)
    attachment.save()
    page = clerk.get(reverse("admin:offices_submission_change", args=[sent_application.pk])).text
    assert "サロンの領収書（領収書.pdf、" in page
