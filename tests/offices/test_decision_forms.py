"""The forms about the year's 交付決定: 変更申請 (a revised 収支予算 that balances), 請求 (概算払 within what is
decided and not yet claimed) and 実績報告 by category, each accepted into the grants service without re-typing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grants.models import GrantDecision
from offices.attachments import submission_attach
from offices.models import Submission
from offices.services import submission_accept
from tests.offices.conftest import BALANCED
from tests.security.world import _decided_grant
from tests.staff.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def url(organization, kind, name="form"):
    return reverse(f"offices:{name}", kwargs={"slug": organization.slug, "kind": kind})


@pytest.fixture
def decision(office, organization, area, current_year, policy_officer):
    """唐松's 交付申請 sent online and accepted, then its grant decided today."""
    office.post(url(organization, "application"), {**BALANCED, "action": "send"})
    submission_accept(submission=Submission.objects.get(organization=organization), by=policy_officer)
    decision = _decided_grant(organization, area, current_year, policy_officer, timezone.localdate())
    assert decision.application is not None
    return decision


def plan_fields(decision, amounts):
    projects = decision.application.annual_plan.projects.order_by("order")
    return {f"project_{project.pk}_amount": str(amount) for project, amount in zip(projects, amounts, strict=True)}


def test_a_change_request_carries_the_budget_in_force_over(office, organization, decision):
    office.get(url(organization, "change_request"))
    office.post(url(organization, "change_request", "form_carry_over"))
    data = Submission.objects.get(kind="change_request").data
    assert data["personnel_amount"] == "400000" and data["other_income_amount"] == "50000"
    assert sorted(v for k, v in data.items() if k.startswith("project_")) == ["200000", "300000"]


def test_a_change_request_is_refused_until_it_balances_then_accepted_with_its_lines(
    office, organization, decision, policy_officer
):
    base = {
        "requested_amount": "900000",
        "reason": "防災訓練を縮小したため",
        "personnel_amount": "400000",
        "operating_amount": "150000",
        "other_income_amount": "50000",
        **plan_fields(decision, [300000, 200000]),
    }
    refused = office.post(url(organization, "change_request"), {**base, "action": "send"})
    assert refused.status_code == 422
    assert "変更後の収支予算の収支が均衡していません。支出 1,050,000円、収入 950,000円" in refused.text
    sent = office.post(
        url(organization, "change_request"), {**base, **plan_fields(decision, [300000, 100000]), "action": "send"}
    )
    assert sent.status_code == 302
    submission = Submission.objects.get(kind="change_request")
    request = submission_accept(submission=submission, by=policy_officer)
    assert request.receipt == submission.receipt and request.requested_amount == 900000
    assert sorted(line.amount for line in request.lines.all()) == [50000, 100000, 150000, 300000, 400000]


def test_an_advance_claim_over_what_is_left_is_refused_beside_the_amount(
    office, organization, decision, policy_officer
):
    too_much = office.post(
        url(organization, "claim"), {"claim_kind": "advance", "amount": str(decision.amount + 1), "action": "send"}
    )
    assert too_much.status_code == 422 and "概算払で請求できるのは残り" in too_much.text
    office.post(url(organization, "claim"), {"claim_kind": "advance", "amount": "500000", "action": "send"})
    submission = Submission.objects.get(kind="claim")
    payment = submission_accept(submission=submission, by=policy_officer)
    assert (payment.amount, payment.receipt) == (500000, submission.receipt)
    assert Submission.objects.get(kind="claim").payment == payment
    # A claim is not once a year: the form opens a new one (saved once something is typed).
    assert "まだ入力していません" in office.get(url(organization, "claim")).text
    office.post(url(organization, "claim") + "draft/", {"claim_kind": "advance"})
    assert Submission.objects.filter(kind="claim").count() == 2


def test_a_final_claim_before_the_settlement_is_refused(office, organization, decision):
    response = office.post(url(organization, "claim"), {"claim_kind": "final", "action": "send"})
    assert response.status_code == 422 and "精算払は額の確定の後に請求できます。" in response.text


def report_data(decision):
    return {
        "personnel_amount": "380000",
        "operating_amount": "120000",
        "other_income_amount": "40000",
        **plan_fields(decision, [290000, 150000]),
        "action": "send",
    }


def attach_receipt(office, organization):
    office.post(url(organization, "report") + "draft/", {"personnel_amount": "0"})  # a draft saved
    submission = Submission.objects.get(kind="report")
    receipt = SimpleUploadedFile("領収書.pdf", pdf_bytes("receipt"), content_type="application/pdf")
    submission_attach(submission=submission, files=[receipt], by=None, label="材料費の領収書")
    return submission


def test_the_report_is_accepted_by_category(office, organization, decision, policy_officer):
    attach_receipt(office, organization)
    data = report_data(decision)
    assert office.post(url(organization, "report"), data).status_code == 302
    submission = Submission.objects.get(kind="report")
    reported = submission_accept(submission=submission, by=policy_officer)
    assert reported.status == GrantDecision.Status.REPORTED
    assert reported.report_receipt == submission.receipt
    assert reported.spent_amount == 380000 + 120000 + 290000 + 150000


def test_the_forms_say_when_there_is_no_decision_yet(office, organization, current_year):
    response = office.post(url(organization, "report"), {"personnel_amount": "1", "action": "send"})
    assert response.status_code == 422 and "交付決定がまだないため、提出できません。" in response.text


def test_a_report_without_receipts_is_refused_and_nothing_is_lost(office, organization, decision):
    response = office.post(url(organization, "report"), report_data(decision))
    assert response.status_code == 422
    assert "領収書などの写しを1つ以上添付してください。" in response.text
    assert 'value="380000"' in response.text  # what was typed is on the page again
    submission = Submission.objects.get(kind="report")
    assert submission.status == Submission.Status.DRAFT and submission.receipt_id is None
    assert submission.data["personnel_amount"] == "380000"  # and kept in the draft


def test_the_report_links_to_its_attachments_with_count_and_size_and_back(office, organization, decision):
    page = office.get(url(organization, "report")).text
    assert "入力を始めると下書きが保存され、ファイルを添付できるようになります" in page  # nothing saved by a GET
    office.post(url(organization, "report") + "draft/", {"personnel_amount": "0"})
    page = office.get(url(organization, "report")).text
    submission = Submission.objects.get(kind="report")
    attachments_url = reverse("offices:submission_attachments", args=[organization.slug, submission.pk])
    assert f'href="{attachments_url}"' in page and "まだ添付したファイルはありません。" in page
    attach_receipt(office, organization)
    page = office.get(url(organization, "report")).text
    assert "1件（合計 1KB）を添付しています。" in page
    back = office.get(attachments_url).text
    assert f'href="{url(organization, "report")}"' in back and "実績報告の入力に戻る" in back
    assert office.post(url(organization, "report"), report_data(decision)).status_code == 302
