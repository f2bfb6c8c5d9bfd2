"""返還: the 返還請求書 (a 返還命令, with 教示) says the 納付書 comes separately; the 財務会計 prints it from the 調定
the portal exports (grants.accounting): the 調定 row carries the letter's amount, 納期限 and number."""

import datetime

import pytest

from grants import accounting, notices, settlement
from tests.grants.pdf import pdf_text
from tests.helpers import approve_document, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def refund(decision, decided_on, policy_officer):
    """What was paid beyond the 交付決定 left after a partial 取消, demanded back."""
    payment = settlement.payment_claim(decision=decision, claimed_on=decided_on, amount=2_500_000)
    settlement.payment_pay(payment=payment, paid_on=decided_on)
    revocation = settlement.decision_revoke(
        decision=decision,
        revoked_on=datetime.date(2026, 11, 2),
        reason="認可の取消しによる",
        scope="part",
        amount=1_000_000,
        by=policy_officer,
    )
    approve_document(revocation.entry)  # the 返還請求書 cites its number
    demanded_on = datetime.date(2026, 11, 4)
    refund = settlement.refund_demand(
        decision=decision, demanded_on=demanded_on, due_on=settlement.default_due_date(demanded_on)
    )
    approve_document(refund.entry)
    return refund


def test_the_refund_letter_and_its_assessment_row_agree(refund):
    text = squash(pdf_text(notices.stored_pdf(notices.document_issue(entry=refund.entry))))
    assert f"返還請求額金{refund.amount:,}円" in text
    assert "納付期限令和8年11月24日" in text
    assert "納付の方法市が発行する納付書による（納付書は別に送付する）" in text
    assert "（教示）" in text  # a 返還命令 is a 処分
    entries = accounting.accounting_entries(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    (assessment,) = [entry for entry in entries if entry.kind == accounting.ASSESSMENT]
    assert (assessment.dated, assessment.amount, assessment.due_on) == (
        datetime.date(2026, 11, 4),
        refund.amount,
        datetime.date(2026, 11, 24),
    )
    assert assessment.reference == refund.entry.text
