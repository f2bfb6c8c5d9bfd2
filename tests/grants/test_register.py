"""The 文書番号簿: one series for every kind or one per kind, never the same number twice, numbers typed
from the paper register checked beside the field, voided numbers kept with their reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grants import approval_acts, register, services
from grants.models import DocumentKind, DocumentNumber, DocumentSeries, DocumentSeriesKind
from organizations import services as organization_services
from tests.organizations.conftest import make_complete

pytestmark = pytest.mark.django_db


def test_approval_and_grant_decision_of_one_year_never_share_a_number(
    other_organization, approved, current_year, decided_on, policy_officer, notice_settings
):
    """The collision of the old numbering: 熊野's 認可番号 and 唐松's 交付決定 were both 新総政第1号."""
    approved.approval_number = "新総政第901号"  # approved in 令和7年度, before this year's numbers
    approved.save()
    make_complete(other_organization)
    organization_services.organization_submit(organization=other_organization, by=policy_officer, date=decided_on)
    approval_acts.organization_approve(organization=other_organization, by=policy_officer, date=decided_on)
    (calc,) = services.grant_calculate_year(fiscal_year=current_year).saved
    decision = services.decision_decide(calculation=calc, decided_on=decided_on)
    other_organization.refresh_from_db()
    assert (other_organization.approval_number, decision.document_number) == ("新総政第1号", "新総政第2号")
    assert list(DocumentNumber.objects.order_by("number").values_list("kind", "number")) == [
        ("approval", 1),
        ("decision", 2),
    ]


def test_each_kind_in_its_own_series_with_its_own_prefix(decision, decided_on, projects):
    settlements = DocumentSeries.objects.create(
        section="総合政策課", name="確定通知", number_format="新総政確第{番号}号"
    )
    DocumentSeriesKind.objects.filter(kind=DocumentKind.SETTLEMENT).update(series=settlements)
    services.decision_report(decision=decision, reported_on=decided_on, spending={projects[0]: 5, projects[1]: 5})
    services.decision_settle(decision=decision, settled_on=decided_on)
    decision.refresh_from_db()
    assert (decision.document_number, decision.settlement_document_number) == ("新総政第1号", "新総政確第1号")


def test_a_typed_number_already_used_is_refused_beside_the_field(decision, decided_on, projects):
    services.decision_report(decision=decision, reported_on=decided_on, spending={projects[0]: 5, projects[1]: 5})
    with pytest.raises(services.GrantStepError) as refused:
        services.decision_settle(decision=decision, settled_on=decided_on, document_number="新総政第1号")
    (message,) = refused.value.message_dict["document_number"]
    assert (
        message
        == "文書番号「新総政第1号」は令和8年度の文書番号簿で使用済みです（令和8年度 交付決定 唐松まちづくり協議会）。"
    )
    decision.refresh_from_db()
    assert decision.settlement_document_number == ""
    # The number from the paper register, typed as 「新総政第12号」 or just 「１２」, is recorded as typed.
    services.decision_settle(decision=decision, settled_on=decided_on, document_number="１２")
    decision.refresh_from_db()
    assert decision.settlement_document_number == "新総政第12号"
    assert DocumentNumber.objects.get(number=12).typed


def test_a_number_that_is_not_in_the_series_format_is_refused(decision):
    with pytest.raises(ValidationError) as refused:
        register.number_take(kind=DocumentKind.REFUND, day=decision.decided_on, subject="x", typed="総務第3号")
    assert "「新総政第12号」のように" in refused.value.message_dict["number"][0]


def test_a_voided_number_stays_with_its_reason_and_is_never_given_again(decision):
    entry = DocumentNumber.objects.get(decision=decision)
    with pytest.raises(ValidationError, match="欠番にする理由を入力してください"):
        register.number_void(entry=entry, reason="  ")
    register.number_void(entry=entry, reason="宛先の誤りのため作り直し")
    entry.refresh_from_db()
    assert (entry.status, entry.void_reason) == ("voided", "宛先の誤りのため作り直し")
    following = register.number_take(kind=DocumentKind.REFUND, day=decision.decided_on, subject="返還請求")
    assert following.text == "新総政第2号"
    with pytest.raises(ValidationError, match="欠番です"):
        register.number_take(kind=DocumentKind.REFUND, day=decision.decided_on, subject="x", typed="1")


def test_numbers_start_again_each_fiscal_year(decision):
    next_year = register.number_take(kind=DocumentKind.REFUND, day=datetime.date(2027, 4, 1), subject="x")
    march = register.number_take(kind=DocumentKind.REFUND, day=datetime.date(2027, 3, 31), subject="x")
    assert (next_year.period, next_year.number, march.period, march.number) == (2027, 1, 2026, 2)


def test_the_database_refuses_two_lines_with_one_number(decision):
    entry = DocumentNumber.objects.get(decision=decision)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentNumber.objects.create(
            series=entry.series, period=entry.period, number=entry.number, text="x", kind="refund",
            dated=entry.dated, subject="重複",
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentNumber.objects.filter(pk=entry.pk).update(status="voided", void_reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentSeriesKind.objects.create(series=entry.series, kind=DocumentKind.DECISION)


def test_approval_page_refuses_a_number_already_in_the_register_beside_the_field(
    client, policy_officer, other_organization, decision
):
    refund = register.number_take(kind=DocumentKind.REFUND, day=decision.decided_on, subject="返還請求")
    make_complete(other_organization)
    applied_on = decision.decided_on - datetime.timedelta(days=1)
    organization_services.organization_submit(organization=other_organization, by=policy_officer, date=applied_on)
    client.force_login(policy_officer)
    response = client.post(
        f"/admin/organizations/organization/{other_organization.pk}/approve/",
        {"number": refund.text, "date": decision.decided_on.isoformat()},
    )
    html = response.content.decode()
    assert (
        'id="id_number_error"><li>文書番号「新総政第2号」は令和8年度の文書番号簿で使用済みです（返還請求）。</li>'
        in html
    )
    assert 'value="新総政第2号"' in html
    other_organization.refresh_from_db()
    assert other_organization.approval_status == "applied"


def test_approving_in_the_admin_points_to_the_approval_letter_which_reads_back(
    client, policy_officer, other_organization, notice_settings
):
    from grants import notices
    from tests.grants.pdf import pdf_text
    from tests.helpers import approve_drafts

    make_complete(other_organization)
    applied_on = datetime.date(2026, 5, 1)
    organization_services.organization_submit(organization=other_organization, by=policy_officer, date=applied_on)
    client.force_login(policy_officer)
    response = client.post(
        f"/admin/organizations/organization/{other_organization.pk}/approve/",
        {"number": "", "date": "2026-05-20"},
        follow=True,
    )
    html = response.content.decode()
    entry = DocumentNumber.objects.get(kind=DocumentKind.APPROVAL, organization=other_organization)
    assert f"認可通知書（{entry.text}）は文書番号簿から" in html
    client.post(f"/admin/grants/documentnumber/{entry.pk}/issue/")  # sent for 決裁 (起案)
    approve_drafts()
    text = pdf_text(client.get(f"/admin/grants/documentnumber/{entry.pk}/issue/").content)
    other_organization.refresh_from_db()
    assert other_organization.approval_number == entry.text
    for expected in [
        "地域運営組織認可通知書",
        entry.text,
        "令和8年5月20日",
        "令和8年5月1日付けで申請のあった",
        "新見 太郎",
    ]:
        assert expected in text, expected
    assert notices.document_issue(entry=entry).pdf_size > 0


def test_a_number_without_an_addressee_cannot_become_a_document(decision):
    from grants import notices

    entry = register.number_take(kind=DocumentKind.REFUND, day=decision.decided_on, subject="宛先なし")
    with pytest.raises(ValidationError, match="宛先の組織がない"):
        notices.document_issue(entry=entry)
