"""The grant year after the 交付決定 (grants.settlement): 変更申請 → 変更交付決定, 請求 → 支払 (概算払),
実績報告 by category, 額の確定 by the rule of the 交付基準, 精算払, 返還請求 with its 納付期限,
交付決定取消. Every refused step names its field and changes nothing; every notice is read back."""

import datetime
import re

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import model_to_dict

from grants import notices, services, settlement
from grants.models import (
    DocumentKind,
    DocumentNumber,
    GrantChangeRequest,
    GrantDecision,
    GrantPayment,
    GrantRefund,
    GrantReportItem,
    GrantRevocation,
    SettlementRule,
)
from organizations import services as organization_services
from tests.grants.pdf import pdf_text
from tests.helpers import approve_document

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def state(decision):
    """Everything a refused step must leave as it was."""
    return {
        "decision": model_to_dict(GrantDecision.objects.get(pk=decision.pk)),
        "history": decision.history.count(),
        "register": DocumentNumber.objects.count(),
        "rows": [
            model.objects.count()
            for model in (GrantChangeRequest, GrantPayment, GrantRefund, GrantRevocation, GrantReportItem)
        ],
        "payments": list(GrantPayment.objects.values_list("paid_on", flat=True)),
    }


def refused(subject, field, match, step, **kwargs):
    decision = subject
    before = state(decision)
    with pytest.raises(ValidationError, match=match) as error:
        step(**kwargs)
    assert list(error.value.message_dict) == [field or NON_FIELD_ERRORS]
    assert state(decision) == before


def reads(entry, *parts):
    """The entry's document as issued: approved (決裁) first when its line waits for its number."""
    entry.refresh_from_db()
    document = approve_document(entry) if entry.is_reserved else notices.document_issue(entry=entry)
    text = re.sub(r"\s+", "", pdf_text(notices.stored_pdf(document)))
    for part in parts:
        assert re.sub(r"\s+", "", part) in text, part
    return text


def claim_and_pay(decision, amount, day):
    payment = settlement.payment_claim(decision=decision, claimed_on=day, amount=amount)
    return settlement.payment_pay(payment=payment, paid_on=day + DAY)


def report(decision, projects, day, *, personnel=600_000, operating=250_000, income=80_000, spent=(900_000, 400_000)):
    return services.decision_report(
        decision=decision,
        reported_on=day,
        spending=dict(zip(projects, spent, strict=True)),
        personnel=personnel,
        operating=operating,
        other_income=income,
    )


# -- 変更申請 → 変更交付決定 --------------------------------------------------------------------------


def test_a_change_request_is_received_then_decided_with_its_notice(decision, decided_on, policy_officer):
    received_on = decided_on + 60 * DAY
    request = settlement.change_request_receive(
        decision=decision,
        received_on=received_on,
        requested_amount=3_400_000,
        reason="防災訓練の規模を広げるため",
        by=policy_officer,
    )
    assert (request.status, decision.change_requests.count()) == ("received", 1)
    settlement.change_request_decide(change_request=request, changed_on=received_on + 10 * DAY, by=policy_officer)
    request.refresh_from_db()
    decision.refresh_from_db()
    assert (request.status, decision.amount, decision.status) == ("decided", 3_400_000, "changed")
    assert request.entry.kind == DocumentKind.CHANGE and request.entry.is_reserved  # numbered on 決裁
    reads(
        request.entry,
        "令和8年度新見市小規模多機能自治一括交付金変更交付決定通知書",
        "新総政第2号",
        "令和8年7月10日",  # 変更交付決定日
        "会長 石井 正男 様",
        "新見市長 新見 太郎",
        "令和8年6月30日付けで変更申請のあった",
        "交付決定額 金3,182,000円 金3,400,000円",
        "増減 218,000円の増額",
        "変更申請の受付日 令和8年6月30日",
        "防災訓練の規模を広げるため",
    )


@pytest.mark.parametrize(
    ("changes", "field", "match"),
    [
        ({"received_on": datetime.date(2026, 4, 30)}, "received_on", "受付日は交付決定日以降"),
        ({"requested_amount": 3_182_000}, "requested_amount", "現在の交付決定額と同じ"),
        ({"requested_amount": -1}, "requested_amount", "0円以上"),
        ({"reason": "  "}, "reason", "変更申請の理由を入力"),
    ],
)
def test_a_bad_change_request_is_refused_beside_its_field(decision, decided_on, changes, field, match):
    kwargs = {"received_on": decided_on, "requested_amount": 3_000_000, "reason": "減額"} | changes
    refused(decision, field, match, settlement.change_request_receive, decision=decision, **kwargs)


def test_a_change_decided_before_its_request_arrived_is_refused(decision, decided_on):
    request = settlement.change_request_receive(
        decision=decision, received_on=decided_on + 5 * DAY, requested_amount=3_000_000, reason="減額"
    )
    refused(
        decision,
        "changed_on",
        "変更申請の受付日以降",
        settlement.change_request_decide,
        change_request=request,
        changed_on=decided_on + DAY,
    )
    assert GrantChangeRequest.objects.get().status == "received"


# -- 請求 and 支払 -------------------------------------------------------------------------------------


def test_advance_payments_in_instalments(decision, decided_on, policy_officer):
    first = settlement.payment_claim(decision=decision, claimed_on=decided_on, amount=1_500_000, by=policy_officer)
    second = settlement.payment_claim(decision=decision, claimed_on=decided_on + 90 * DAY, amount=1_000_000)
    assert [(p.instalment, p.kind) for p in (first, second)] == [(1, "advance"), (2, "advance")]
    assert (decision.claimed_amount, decision.paid_amount) == (2_500_000, 0)
    settlement.payment_pay(payment=first, paid_on=decided_on + 10 * DAY, by=policy_officer)
    assert decision.paid_amount == 1_500_000
    assert first.history.latest().history_change_reason == "支払（第1回 1,500,000円）"
    refused(
        decision,
        "amount",
        "請求できるのは残り682,000円まで",
        settlement.payment_claim,
        decision=decision,
        claimed_on=decided_on,
        amount=682_001,
    )
    refused(
        decision, "paid_on", "支払日は請求日以降", settlement.payment_pay, payment=second, paid_on=decided_on + 89 * DAY
    )
    refused(decision, None, "支払済み", settlement.payment_pay, payment=first, paid_on=decided_on + 11 * DAY)


@pytest.mark.parametrize(
    ("changes", "field", "match"),
    [
        ({"amount": 0}, "amount", "1円以上"),
        ({"claimed_on": datetime.date(2026, 4, 30)}, "claimed_on", "請求日は交付決定日以降"),
    ],
)
def test_a_bad_claim_is_refused_beside_its_field(decision, decided_on, changes, field, match):
    kwargs = {"claimed_on": decided_on, "amount": 100_000} | changes
    refused(decision, field, match, settlement.payment_claim, decision=decision, **kwargs)


def test_no_claim_once_the_approval_is_revoked(decision, decided_on, approved, policy_officer):
    organization_services.organization_revoke(organization=approved, by=policy_officer, reason="活動の停止")
    refused(
        decision,
        None,
        "認可が取り消されている",
        settlement.payment_claim,
        decision=decision,
        claimed_on=decided_on,
        amount=1,
    )


# -- 実績報告 by category and 額の確定 by the rule -----------------------------------------------------


def test_settlement_deducts_other_income_by_the_rule_and_demands_the_refund(
    decision, projects, decided_on, policy_officer
):
    claim_and_pay(decision, 1_600_000, decided_on)
    claim_and_pay(decision, 1_582_000, decided_on + 120 * DAY)
    reported_on = datetime.date(2027, 4, 15)
    report(decision, projects, reported_on)
    # 対象経費 600,000 + 250,000 + 900,000 + 400,000 = 2,150,000; その他の収入 80,000.
    assert (decision.spent_amount, decision.other_income_amount) == (2_150_000, 80_000)
    assert services.suggested_settlement(decision) == 2_070_000
    refused(
        decision,
        "settled_amount",
        "額の確定の方法（交付決定額と（対象経費の実支出額 − その他の収入）のいずれか少ない額）による2,070,000円以下",
        services.decision_settle,
        decision=decision,
        settled_on=reported_on,
        settled_amount=2_070_001,
    )
    services.decision_settle(decision=decision, settled_on=reported_on + 10 * DAY, by=policy_officer)
    assert (decision.settled_amount, decision.paid_amount, decision.refund_amount) == (2_070_000, 3_182_000, 1_112_000)
    settlement_entry = notices.decision_entry(decision, notices.SETTLEMENT)
    reads(
        settlement_entry,
        "交付額確定通知書",
        "対象経費の実支出額 金2,150,000円",
        "その他の収入 金80,000円",
        "交付確定額 金2,070,000円",
        "既交付額 金3,182,000円",
        "返還額 金1,112,000円",
        "事務局人件費 600,000 600,000",
        "運営経費 0 250,000",
        "その他の収入 0 80,000",
        "差引（対象経費 − その他の収入） 2,070,000",
    )
    demanded_on = reported_on + 12 * DAY
    refused(
        decision,
        "due_on",
        "納付期限は返還請求日より後",
        settlement.refund_demand,
        decision=decision,
        demanded_on=demanded_on,
        due_on=demanded_on,
    )
    refund = settlement.refund_demand(
        decision=decision, demanded_on=demanded_on, due_on=settlement.default_due_date(demanded_on), by=policy_officer
    )
    assert (refund.amount, refund.cause, refund.due_on) == (1_112_000, "settlement", datetime.date(2027, 5, 17))
    reads(
        refund.entry,
        "令和8年度新見市小規模多機能自治一括交付金返還請求書",
        refund.entry.text,
        "令和9年4月27日",
        "返還請求額 金1,112,000円",
        "納付期限 令和9年5月17日",
        "交付額の確定に伴い",
    )
    refused(
        decision,
        None,
        "返還を請求する額はありません",
        settlement.refund_demand,
        decision=decision,
        demanded_on=demanded_on,
        due_on=demanded_on + DAY,
    )
    settlement.refund_receive(refund=refund, returned_on=datetime.date(2027, 5, 10))
    assert refund.returned_on == datetime.date(2027, 5, 10)


def test_the_rule_of_spending_only_ignores_other_income(decision, projects, decided_on, rule):
    rule.settlement_rule = SettlementRule.LESSER_OF_SPENT
    rule.save()
    report(decision, projects, decided_on + 300 * DAY)
    assert services.suggested_settlement(decision) == 2_150_000


def test_a_negative_category_is_refused_beside_its_field(decision, projects, decided_on):
    for field in ("personnel", "operating", "other_income"):
        refused(
            decision,
            field,
            "0円以上",
            services.decision_report,
            decision=decision,
            reported_on=decided_on,
            spending=dict.fromkeys(projects, 1),
            **{field: -1},
        )


def test_no_settlement_while_a_claim_is_unpaid(decision, projects, decided_on):
    settlement.payment_claim(decision=decision, claimed_on=decided_on, amount=100)
    report(decision, projects, decided_on + 300 * DAY)
    refused(
        decision,
        None,
        "支払っていない請求（第1回）",
        services.decision_settle,
        decision=decision,
        settled_on=decided_on,
    )


def test_the_rest_after_the_settlement_is_a_final_payment_claim_without_a_notice(
    decision, projects, decided_on, policy_officer
):
    claim_and_pay(decision, 1_000_000, decided_on)
    report(decision, projects, datetime.date(2027, 4, 10), income=0)
    services.decision_settle(decision=decision, settled_on=datetime.date(2027, 4, 20))
    assert (decision.settled_amount, decision.unpaid_amount, decision.refund_amount) == (2_150_000, 1_150_000, 0)
    refused(
        decision,
        "claimed_on",
        "額の確定日以降",
        settlement.final_payment_claim,
        decision=decision,
        claimed_on=datetime.date(2027, 4, 19),
    )
    numbers = DocumentNumber.objects.count()
    payment = settlement.final_payment_claim(
        decision=decision, claimed_on=datetime.date(2027, 4, 22), by=policy_officer
    )
    assert (payment.kind, payment.amount, payment.instalment, payment.paid_on) == ("final", 1_150_000, 2, None)
    assert payment.get_kind_display() == "精算払"
    # A payment of the decided amount on the organization's 請求: a 受付番号, no notice, no number taken.
    assert payment.entry is None and payment.receipt is not None
    assert DocumentNumber.objects.count() == numbers
    assert not DocumentNumber.objects.filter(kind=DocumentKind.ADDITIONAL).exists()
    refused(
        decision,
        None,
        "精算払で支払う額はありません",
        settlement.final_payment_claim,
        decision=decision,
        claimed_on=datetime.date(2027, 4, 23),
    )
    settlement.payment_pay(payment=payment, paid_on=datetime.date(2027, 5, 1))
    decision.refresh_from_db()
    assert (decision.paid_amount, decision.unpaid_amount, settlement.refund_due(decision)) == (2_150_000, 0, 0)


# -- 認可の取消し → 交付決定取消 → 返還 ------------------------------------------------------------------


def test_revoking_the_approval_leads_to_the_whole_revocation_and_a_refund(
    decision, decided_on, approved, policy_officer
):
    claim_and_pay(decision, 1_000_000, decided_on)
    organization_services.organization_revoke(organization=approved, by=policy_officer, reason="活動の停止")
    revoked_on = decided_on + 100 * DAY
    refused(
        decision,
        "reason",
        "取消しの理由を入力",
        settlement.decision_revoke,
        decision=decision,
        revoked_on=revoked_on,
        reason="",
        scope="whole",
    )
    revocation = settlement.decision_revoke(
        decision=decision,
        revoked_on=revoked_on,
        reason="地域運営組織の認可が取り消されたため",
        scope="whole",
        by=policy_officer,
    )
    assert (decision.status, decision.amount, revocation.amount) == ("revoked", 0, 3_182_000)
    reads(
        revocation.entry,
        "令和8年度新見市小規模多機能自治一括交付金交付決定取消通知書",
        revocation.entry.text,
        "令和8年8月9日",
        "交付決定の全部を取り消す",
        "取消し前の交付決定額 金3,182,000円",
        "取り消す額 金3,182,000円",
        "地域運営組織の認可が取り消されたため",
        "（教示）",
    )
    # 20 days after is 令和8年8月29日, a Saturday: a 納付期限 on a closed day is refused beside the field.
    refused(
        decision,
        "due_on",
        "納付期限が土日・祝日・年末年始（令和8年8月29日）です。開庁日（例えば令和8年8月31日）にしてください。",
        settlement.refund_demand,
        decision=decision,
        demanded_on=revoked_on,
        due_on=revoked_on + 20 * DAY,
    )
    refund = settlement.refund_demand(
        decision=decision, demanded_on=revoked_on, due_on=settlement.default_due_date(revoked_on)
    )
    assert (refund.amount, refund.cause) == (1_000_000, "revocation")
    reads(refund.entry, "返還請求額 金1,000,000円", "納付期限 令和8年8月31日", "交付決定の取消しに伴い")
    refused(
        decision,
        None,
        "すでに全部取り消されています",
        settlement.decision_revoke,
        decision=decision,
        revoked_on=revoked_on,
        reason="再度",
        scope="whole",
    )


def test_a_partial_revocation_lowers_the_decided_amount(decision, decided_on):
    refused(
        decision,
        "amount",
        "3,182,000円未満",
        settlement.decision_revoke,
        decision=decision,
        revoked_on=decided_on,
        reason="一部事業の中止",
        scope="part",
        amount=3_182_000,
    )
    revocation = settlement.decision_revoke(
        decision=decision, revoked_on=decided_on + DAY, reason="一部事業の中止", scope="part", amount=182_000
    )
    assert (decision.status, decision.amount, revocation.amount_before) == ("decided", 3_000_000, 3_182_000)
    reads(revocation.entry, "交付決定の一部を取り消す", "取り消す額 金182,000円")
    # Nothing was paid: nothing to demand back.
    refused(
        decision,
        None,
        "返還を請求する額はありません",
        settlement.refund_demand,
        decision=decision,
        demanded_on=decided_on + DAY,
        due_on=decided_on + 30 * DAY,
    )


# -- the migration of the reports and settlements made before -----------------------------------------


def test_the_migration_records_the_assumed_advance_of_an_earlier_settlement(decision, projects, decided_on):
    import importlib

    migration = importlib.import_module("grants.migrations.0011_grant_year_payments_settlement")
    services.decision_report(decision=decision, reported_on=decided_on, spending=dict.fromkeys(projects, 1_000_000))
    services.decision_settle(decision=decision, settled_on=decided_on)
    assert decision.refund_amount == 0  # nothing recorded as paid
    migration.existing_reports_and_settlements(apps, None)
    migration.existing_reports_and_settlements(apps, None)  # twice: still one payment
    (payment,) = decision.payments.all()
    assert (payment.amount, payment.paid_on) == (3_182_000, decided_on)
    decision.refresh_from_db()
    assert decision.refund_amount == 3_182_000 - 2_000_000
