"""The 調定 data of the 返還請求: the documented CSV a 財務会計 system prints the 納付書 from, read back."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command

from grants import refund_charges, settlement
from grants.models import GrantRefund

pytestmark = pytest.mark.django_db


@pytest.fixture
def refund(decision, decided_on, policy_officer):
    """500,000 yen to return after a partial 取消 (2,500,000 paid, 2,182,000 decided, 1,000,000 revoked)."""
    payment = settlement.payment_claim(decision=decision, claimed_on=decided_on, amount=2_500_000)
    settlement.payment_pay(payment=payment, paid_on=decided_on)
    settlement.decision_revoke(
        decision=decision,
        revoked_on=datetime.date(2026, 11, 2),
        reason="認可の取消しによる",
        scope="part",
        amount=1_000_000,
        by=policy_officer,
    )
    demanded_on = datetime.date(2026, 11, 4)
    return settlement.refund_demand(
        decision=decision, demanded_on=demanded_on, due_on=settlement.default_due_date(demanded_on)
    )


def read_csv(path, encoding="utf-8-sig"):
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode(encoding))))


def test_the_charge_csv_has_one_documented_row_per_refund_of_the_year(refund, approved, tmp_path):
    approved.contact_address = "岡山県新見市唐松1234"
    approved.save()
    out = tmp_path / "調定.csv"
    call_command("export_refund_charges", "--fiscal-year", "2026", "--out", str(out), stdout=io.StringIO())
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    (row,) = read_csv(out)
    assert list(row) == refund_charges.CHARGE_HEADER
    expected_amount = refund.amount
    assert row == {
        "連携番号": f"2026-{refund.entry.number:05d}",
        "調定の年度": "令和8年度",
        "調定日": "2026-11-04",
        "会計区分": "歳出戻入",
        "科目": refund_charges.CHARGE_ACCOUNT["歳出戻入"],
        "納入義務者": "唐松まちづくり協議会",
        "納入義務者の住所": "岡山県新見市唐松1234",
        "金額": str(expected_amount),
        "納期限": "2026-11-24",
        "返還請求書の文書番号": refund.entry.text_with_year,
        "件名": "令和8年度小規模多機能自治一括交付金返還金",
        "返還の理由": "交付決定の取消し",
        "納付日": "",
    }
    # Another year's file holds none of it.
    other = tmp_path / "other.csv"
    call_command("export_refund_charges", "--fiscal-year", "2027", "--out", str(other), stdout=io.StringIO())
    assert read_csv(other) == []


def test_shift_jis_for_a_system_that_needs_it(refund, tmp_path):
    out = tmp_path / "調定.csv"
    call_command(
        "export_refund_charges", "--fiscal-year", "2026", "--out", str(out), "--encoding", "cp932", stdout=io.StringIO()
    )
    (row,) = read_csv(out, encoding="cp932")
    assert row["納入義務者"] == "唐松まちづくり協議会" and row["金額"] == str(refund.amount)


def test_a_refund_demanded_after_the_books_close_is_revenue(refund):
    assert refund_charges.books_closed(2026) == datetime.date(2027, 5, 31)
    later = GrantRefund(decision=refund.decision, demanded_on=datetime.date(2027, 6, 1))
    assert refund_charges.account_of(later) == "歳入"
    on_the_day = GrantRefund(decision=refund.decision, demanded_on=datetime.date(2027, 5, 31))
    assert refund_charges.account_of(on_the_day) == "歳出戻入"
