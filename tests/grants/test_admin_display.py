"""The admin shows dates in 和暦 with the weekday and amounts in yen (niimi_portal.lib.admin_display), in its
lists, on read-only pages, among a form's read-only fields, in read-only inlines and on past versions; an
editable date or amount stays a form field, and the columns still sort by the field."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

from grants import settlement
from grants.models import Receipt, SubsidyAllocation
from grants.receipts import take_receipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(approved, policy_officer):
    receipt = take_receipt(
        kind=Receipt.Kind.CLAIM,
        received_on=datetime.date(2026, 5, 1),
        organization=approved,
        subject="概算払の請求",
        by=policy_officer,
    )
    recorded_at = timezone.make_aware(datetime.datetime(2026, 5, 1, 9, 5))
    Receipt.objects.filter(pk=receipt.pk).update(recorded_at=recorded_at)
    return receipt


@pytest.fixture
def allocation(approved, current_year, subsidy):
    allocation = SubsidyAllocation.objects.get(organization=approved, fiscal_year=current_year, subsidy=subsidy)
    allocation.amount = 4_336_000
    allocation.save()
    return allocation


def cells(html, name):
    """The texts of the change list's cells of the column `name`."""
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(rf'class="field-{name}[^"]*">(.*?)</t[dh]>', html)
    ]


def test_the_list_shows_dates_in_wareki_with_the_weekday_and_sorts_by_the_date(clerk, receipt, approved):
    take_receipt(
        kind=Receipt.Kind.REPORT,
        received_on=datetime.date(2026, 6, 15),
        organization=approved,
        subject="実績報告",
    )
    url = reverse("admin:grants_receipt_changelist")
    html = clerk.get(url).content.decode()
    assert "令和8年5月1日（金）" in cells(html, "received_on")
    assert "2026年5月1日" not in html
    # 受付日 is the third column (o=2, counted from 0); sorting by it, either way, follows the date.
    assert re.search(r'class="sortable column-received_on">\s*<div class="text"><a role="button" href="\?o=2', html)
    ascending = cells(clerk.get(url, {"o": "2"}).content.decode(), "received_on")
    descending = cells(clerk.get(url, {"o": "-2"}).content.decode(), "received_on")
    assert ascending == ["令和8年5月1日（金）", "令和8年6月15日（月）"]
    assert descending == list(reversed(ascending))


def test_the_first_column_still_links_to_the_record(clerk, receipt):
    html = clerk.get(reverse("admin:grants_receipt_changelist")).content.decode()
    change_url = reverse("admin:grants_receipt_change", args=[receipt.pk])
    assert re.search(rf'<th class="field-year_label"><a href="{re.escape(change_url)}', html)


def test_the_list_shows_amounts_in_yen_and_sorts_by_the_amount(
    clerk, allocation, other_approved, current_year, subsidy
):
    SubsidyAllocation.objects.create(organization=other_approved, fiscal_year=current_year, subsidy=subsidy, amount=600)
    url = reverse("admin:grants_subsidyallocation_changelist")
    ascending = cells(clerk.get(url, {"o": "3"}).content.decode(), "amount")
    assert ascending == ["600円", "4,336,000円"]
    assert cells(clerk.get(url, {"o": "-3"}).content.decode(), "amount") == ["4,336,000円", "600円"]


def test_a_read_only_page_shows_dates_and_times_in_wareki(clerk, receipt):
    html = clerk.get(reverse("admin:grants_receipt_change", args=[receipt.pk])).content.decode()
    assert "令和8年5月1日（金）" in html
    assert "令和8年5月1日（金） 09:05" in html
    assert "受付日" in html and "登録日時" in html
    # A choice still shows its label, as Django shows it.
    assert "請求" in html


def test_an_editable_amount_stays_a_form_field(clerk, allocation):
    html = clerk.get(reverse("admin:grants_subsidyallocation_change", args=[allocation.pk])).content.decode()
    assert 'name="amount"' in html
    assert 'value="4336000"' in html


def test_a_past_version_shows_the_amount_in_yen(clerk, allocation):
    version = allocation.history.latest()
    url = reverse("admin:grants_subsidyallocation_simple_history", args=[allocation.pk, version.history_id])
    html = clerk.get(url).content.decode()
    assert "4,336,000円" in html
    assert 'name="amount"' not in html


def test_a_read_only_inline_shows_dates_in_wareki_and_amounts_in_yen(clerk, decision, policy_officer):
    payment = settlement.payment_claim(decision=decision, claimed_on=datetime.date(2026, 5, 11), amount=500_000)
    settlement.payment_pay(payment=payment, paid_on=datetime.date(2026, 5, 20), by=policy_officer)
    html = clerk.get(reverse("admin:grants_grantdecision_change", args=[decision.pk])).content.decode()
    assert "令和8年5月11日（月）" in html
    assert "令和8年5月20日（水）" in html
    assert "500,000円" in html


def test_an_empty_date_shows_the_admins_empty_mark(clerk, decision):
    settlement.payment_claim(decision=decision, claimed_on=datetime.date(2026, 5, 11), amount=500_000)
    html = clerk.get(reverse("admin:grants_grantdecision_change", args=[decision.pk])).content.decode()
    paid_on = re.search(r'<td class="field-paid_on">\s*<p>(.*?)</p>', html, re.S)
    assert paid_on and paid_on.group(1).strip() == "-"


def test_a_zero_amount_shows_as_zero_yen_not_as_empty(clerk, approved, current_year):
    subsidy = baker.make("grants.IntegratedSubsidy", name="敬老会補助金")
    SubsidyAllocation.objects.create(organization=approved, fiscal_year=current_year, subsidy=subsidy, amount=0)
    html = clerk.get(reverse("admin:grants_subsidyallocation_changelist")).content.decode()
    assert "0円" in cells(html, "amount")
