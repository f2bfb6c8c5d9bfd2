"""The 文書番号簿: one series for every kind or one per kind, never the same number twice, numbers typed
from the paper register checked beside the field, voided numbers kept with their reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grants import approval_acts, notices, register, services
from grants.models import DocumentKind, DocumentNumber, DocumentSeries, DocumentSeriesKind
from organizations import services as organization_services
from tests.grants.pdf import pdf_text
from tests.helpers import approve_decision, approve_document
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
    approve_document(register.latest_entry(kind=DocumentKind.APPROVAL, organization=other_organization))
    approve_decision(decision)
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
    approve_decision(decision, "settlement")
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
    assert "認可通知書（決裁待ち（番号は決裁の後））は文書番号簿から" in html
    other_organization.refresh_from_db()
    assert (other_organization.approval_status, other_organization.approval_number) == ("approved", "")
    client.post(f"/admin/grants/documentnumber/{entry.pk}/issue/")  # sent for 決裁 (起案)
    approve_drafts()
    entry.refresh_from_db()
    assert entry.text == "新総政第1号"
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


# -- 「番号は決裁の後」: an act reserves its line, the 決裁 of its document numbers it -------------------------


def test_an_act_reserves_a_line_without_a_number_and_its_kessai_numbers_it(reserved_decision):
    entry = register.latest_entry(kind=DocumentKind.DECISION, decision=reserved_decision)
    assert (entry.status, entry.number, entry.text, entry.text_with_year) == (
        "reserved",
        None,
        "",
        "決裁待ち（番号は決裁の後）",
    )
    assert (reserved_decision.number, reserved_decision.document_number) == (None, "")
    # Not issued before its 決裁: the refusal says why.
    with pytest.raises(ValidationError, match="決裁の後に発行できます"):
        notices.document_issue(entry=entry)
    document = approve_decision(reserved_decision)
    entry.refresh_from_db()
    assert (entry.status, entry.number, entry.text) == ("used", 1, "新総政第1号")
    assert (reserved_decision.number, reserved_decision.document_number) == (1, "新総政第1号")
    assert document.entry == entry and "新総政第1号" in pdf_text(notices.stored_pdf(document))


def test_numbers_follow_the_order_of_the_kessai_not_of_the_acts(
    approved, other_approved, current_year, decided_on, notice_settings
):
    services.grant_calculate_year(fiscal_year=current_year)
    first_decided, second_decided = services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    approve_decision(second_decided)
    approve_decision(first_decided)
    assert (second_decided.document_number, first_decided.document_number) == ("新総政第1号", "新総政第2号")


def test_a_reserved_line_voided_before_its_kessai_never_takes_a_number(
    approved, other_approved, current_year, decided_on, notice_settings
):
    services.grant_calculate_year(fiscal_year=current_year)
    voided_decision, kept = services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    voided = register.latest_entry(kind=DocumentKind.DECISION, decision=voided_decision)
    register.number_void(entry=voided, reason="決裁の前に誤りが見つかったため")
    voided.refresh_from_db()
    assert (voided.status, voided.number, voided.text) == ("voided", None, "")
    with pytest.raises(ValidationError, match="欠番"):
        approve_document(voided)
    approve_decision(kept)
    assert kept.document_number == "新総政第1号"  # no number was consumed by the voided line


def test_a_letter_citing_another_waits_for_the_cited_ones_kessai(reserved_decision, decided_on, projects):
    services.decision_report(
        decision=reserved_decision, reported_on=decided_on, spending={projects[0]: 5, projects[1]: 5}
    )
    services.decision_settle(decision=reserved_decision, settled_on=decided_on)
    settlement_entry = register.latest_entry(kind=DocumentKind.SETTLEMENT, decision=reserved_decision)
    with pytest.raises(
        ValidationError, match="先に交付決定通知書（令和8年度 交付決定 唐松まちづくり協議会）を決裁してください"
    ):
        approve_document(settlement_entry)
    settlement_entry.refresh_from_db()
    assert settlement_entry.is_reserved
    approve_decision(reserved_decision)
    approve_decision(reserved_decision, "settlement")
    assert (reserved_decision.document_number, reserved_decision.settlement_document_number) == (
        "新総政第1号",
        "新総政第2号",
    )


def test_a_typed_number_is_used_at_once_and_its_kessai_only_freezes_it(calculation, decided_on, notice_settings):
    decision = services.decision_decide(calculation=calculation, decided_on=decided_on, document_number="７")
    entry = register.latest_entry(kind=DocumentKind.DECISION, decision=decision)
    assert (entry.status, entry.typed, decision.number, decision.document_number) == ("used", True, 7, "新総政第7号")
    approve_decision(decision)
    entry.refresh_from_db()
    assert (entry.number, decision.document_number) == (7, "新総政第7号")
    # The next act's line is reserved, and its 決裁 gives the number after the typed one.
    following = register.number_take(kind=DocumentKind.REFUND, day=decided_on, subject="返還請求", reserve=True)
    assert register.number_assign(entry=following).text == "新総政第8号"


def test_the_database_keeps_reserved_lines_without_a_number_and_used_ones_with_one(decision):
    entry = DocumentNumber.objects.get(decision=decision, kind=DocumentKind.DECISION)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentNumber.objects.filter(pk=entry.pk).update(status="reserved")
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentNumber.objects.filter(pk=entry.pk).update(number=None, text="")
