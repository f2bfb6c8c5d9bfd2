"""The demo's grant year (niimi_portal/demo, load_grant_year): instalments, one change, reports by
category, settlements that end in a small 返還 and a 精算払 (no absurd refunds), every notice marked
デモ; loading again changes nothing."""

import datetime
import re

import pytest
from django.core.management import call_command

from grants import accounting, notices, settlement
from grants.models import (
    DocumentNumber,
    FiscalYear,
    GrantChangeRequest,
    GrantDecision,
    GrantPayment,
    GrantRefund,
    PayeeAccount,
)
from niimi_portal.lib.wareki import current_fiscal_year
from organizations.models import Organization
from tests.grants.pdf import pdf_text

pytestmark = pytest.mark.django_db


def counts():
    return [model.objects.count() for model in (GrantPayment, GrantRefund, GrantChangeRequest, DocumentNumber)]


def test_the_demo_runs_last_years_grant_to_its_end_and_loads_again_unchanged(demo):
    previous = FiscalYear.objects.get(year=current_fiscal_year() - 1)
    decisions = list(GrantDecision.objects.filter(fiscal_year=previous).order_by("organization__name_kana"))
    assert len(decisions) >= 2
    first, second = decisions[:2]
    assert first.organization.is_demo and second.organization.is_demo
    assert first.change_requests.get().status == "decided"
    assert [p.kind for p in first.payments.all()] == ["advance", "advance"]
    ready = datetime.date.today() >= previous.ends_on + datetime.timedelta(days=35)
    if ready:
        # 唐松: a small 返還 (48,000円), demanded with a 納付期限 and paid back.
        assert first.status == "settled" and first.refund_amount == 48_000
        (refund,) = first.refunds.all()
        assert refund.amount == 48_000
        # 20 days after the demand, moved to the next working day when that is closed (土日・祝日・年末年始).
        assert refund.due_on == settlement.default_due_date(refund.demanded_on)
        assert refund.due_on - refund.demanded_on >= datetime.timedelta(days=20)
        assert refund.returned_on is not None
        # The report has a line for 事務局人件費 and 運営経費, and その他の収入 is deducted.
        categories = {item.category for item in first.report_items.all()}
        assert categories == {"personnel", "operating", "project", "other_income"}
        assert first.settled_amount == first.spent_amount - first.other_income_amount
        # 熊野: paid 60 %, then the rest of the 確定額 claimed and paid as 精算払.
        assert second.status == "settled"
        assert [p.kind for p in second.payments.all()] == ["advance", "final"]
        assert (second.paid_amount, second.refund_amount, second.unpaid_amount) == (second.settled_amount, 0, 0)
        text = re.sub(r"\s+", "", pdf_text(notices.stored_pdf(notices.document_issue(entry=refund.entry))))
        assert "デモ（架空の値を含む文書）" in text and "返還請求額金48,000円" in text
    else:
        assert first.status == "changed"
    assert all(
        d.payments.filter(paid_on__isnull=False).exists()
        for d in GrantDecision.objects.filter(fiscal_year__year=current_fiscal_year())
        if d.decided_on + datetime.timedelta(days=21) <= datetime.date.today()
    )
    before = counts()
    call_command("loaddemo", verbosity=0)
    assert counts() == before


def test_every_demo_organization_with_a_decision_has_an_invented_account_the_export_writes(demo):
    decided = Organization.objects.filter(grant_decisions__isnull=False).distinct()
    accounts = list(PayeeAccount.objects.order_by("organization__name_kana", "organization_id"))
    assert {account.organization_id for account in accounts} == set(decided.values_list("pk", flat=True))
    assert [account.account_number for account in accounts] == [f"{n:07d}" for n in range(1, len(accounts) + 1)]
    assert all(account.is_demo for account in accounts)
    assert all("架空" in account.bank_name and "架空" in account.branch_name for account in accounts)
    assert all(account.account_holder.startswith("デモ") for account in accounts)

    previous = FiscalYear.objects.get(year=current_fiscal_year() - 1)
    entries = accounting.accounting_entries(previous.starts_on, datetime.date.today())
    rows = {entry.key: dict(zip(accounting.HEADER, entry.cells(), strict=True)) for entry in entries}
    orders = [row for key, row in rows.items() if key.startswith("P-")]
    assert orders and all(row["金融機関名"] == "デモ銀行（架空）" for row in orders)
    assert all(row["口座番号"].startswith("00000") and row["口座名義（カナ）"].startswith("デモ") for row in orders)
    encumbrances = [row for key, row in rows.items() if key.startswith("E-")]
    assert encumbrances and all(row["口座番号"].startswith("****") for row in encumbrances)
    assert all(row["支店名"] == "デモ支店（架空）" for row in encumbrances)
