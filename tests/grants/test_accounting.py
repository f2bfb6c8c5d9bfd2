"""財務会計の連携 (grants.accounting, grants.admin_accounting): 債権者の口座 masked in the lists, the period's
支出負担行為・支出命令・調定・収納 on the page and as CSV and .xlsx, who may download it, and the access log."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission, User
from django.db import IntegrityError, transaction
from django.urls import reverse

from grants import accounting, services, settlement
from grants.models import DocumentKind, DocumentNumber, PayeeAccount
from organizations.models import AccessLog
from tests.helpers import approve_document

pytestmark = pytest.mark.django_db

URL = reverse("admin:grants_payeeaccount_accounting")
PERIOD = {"date_from": "2026-04-01", "date_to": "2027-03-31"}


@pytest.fixture
def account(approved):
    return PayeeAccount.objects.create(
        organization=approved,
        bank_code="0168",
        bank_name="中国銀行",
        branch_code="401",
        branch_name="新見支店",
        account_number="0012345",
        account_holder="カラマツマチヅクリキヨウギカイ",
    )


@pytest.fixture
def year(decision, account, current_year, policy_officer):
    """唐松: decided 3,182,000 on 5月1日; a 変更 down to 3,000,000; 1,000,000 claimed and paid; then revoked in
    part (500,000), and 500,000 demanded back and returned."""
    by = policy_officer
    current_year.expenditure_account = "02-01-06 企画費 18節"
    current_year.revenue_account = "22-05-04 雑入"
    current_year.save()
    changed = services.decision_change(
        decision=decision, amount=3_000_000, reason="減額", changed_on=datetime.date(2026, 6, 1), by=by
    )
    approve_document(changed.change_entry)  # each notice numbered on its 決裁
    payment = settlement.payment_claim(decision=decision, claimed_on=datetime.date(2026, 6, 10), amount=1_000_000)
    settlement.payment_pay(payment=payment, paid_on=datetime.date(2026, 6, 20))
    revocation = settlement.decision_revoke(
        decision=decision, revoked_on=datetime.date(2026, 9, 1), reason="事業の中止", scope="part", amount=2_500_000
    )
    approve_document(revocation.entry)
    refund = settlement.refund_demand(
        decision=decision, demanded_on=datetime.date(2026, 9, 2), due_on=datetime.date(2026, 9, 24)
    )
    approve_document(refund.entry)
    settlement.refund_receive(refund=refund, returned_on=datetime.date(2026, 9, 20))
    decision.refresh_from_db()
    return decision


def test_every_act_of_the_year_is_one_row_with_its_amount(year):
    entries = accounting.accounting_entries(datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))
    payment, refund = year.payments.get(), year.refunds.get()
    assert [(e.key, e.kind, e.dated, e.amount) for e in entries] == [
        (f"E-{year.pk}", "支出負担行為", year.decided_on, 3_182_000),
        (f"EC-{_change_entry(year).pk}", "支出負担行為変更", datetime.date(2026, 6, 1), -182_000),
        (f"P-{payment.pk}", "支出命令", datetime.date(2026, 6, 10), 1_000_000),
        (f"ER-{year.revocations.get().pk}", "支出負担行為変更", datetime.date(2026, 9, 1), -2_500_000),
        (f"A-{refund.pk}", "調定", datetime.date(2026, 9, 2), 500_000),
        (f"R-{refund.pk}", "収納", datetime.date(2026, 9, 20), 500_000),
    ]
    # What is left encumbered is the decided amount after the 変更 and the 取消.
    assert sum(e.amount for e in entries if e.kind.startswith("支出負担行為")) == year.amount == 500_000
    assert entries[2].paid_on == datetime.date(2026, 6, 20)
    assert entries[4].due_on == datetime.date(2026, 9, 24)


def _change_entry(decision):
    return DocumentNumber.objects.get(decision=decision, kind=DocumentKind.CHANGE)


def test_a_period_takes_only_what_was_booked_in_it(year):
    entries = accounting.accounting_entries(datetime.date(2026, 6, 1), datetime.date(2026, 6, 30))
    assert [e.kind for e in entries] == ["支出負担行為変更", "支出命令"]
    with pytest.raises(Exception, match="末日は初日以降"):
        accounting.accounting_entries(datetime.date(2026, 6, 30), datetime.date(2026, 6, 1))


def test_the_csv_carries_the_account_in_full_only_on_the_payment_order(clerk, year, policy_officer):
    response = clerk.get(URL, {**PERIOD, "format": "csv"})
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with its BOM, as documented
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == accounting.HEADER
    by_kind = {row["区分"]: row for row in rows}
    order = by_kind["支出命令"]
    assert (order["金額（円）"], order["支払日"], order["計上日"]) == ("1000000", "2026-06-20", "2026-06-10")
    assert (order["金融機関コード"], order["支店コード"], order["口座番号"]) == ("0168", "401", "0012345")
    assert order["口座名義（カナ）"] == "カラマツマチヅクリキヨウギカイ"
    assert order["予算科目"] == "02-01-06 企画費 18節" and order["予算年度"] == "2026"
    encumbrance = by_kind["支出負担行為"]
    assert (encumbrance["口座番号"], encumbrance["口座名義（カナ）"]) == ("****345", "")
    assert encumbrance["金額（円）"] == "3182000"
    assessment = by_kind["調定"]
    assert (assessment["口座番号"], assessment["予算科目"], assessment["納期限"]) == ("", "22-05-04 雑入", "2026-09-24")
    assert [row["金額（円）"] for row in rows if row["区分"] == "支出負担行為変更"] == ["-182000", "-2500000"]
    assert by_kind["収納"]["関連する連携番号"] == assessment["連携番号"]
    # The account written in full is logged, masked, once.
    (log,) = AccessLog.objects.filter(kind="債権者の口座")
    assert (log.action, log.user, log.object_pk) == (
        "download",
        policy_officer,
        str(year.organization.payee_account.pk),
    )
    assert "0012345" not in log.label and "****345" in log.label


def test_the_xlsx_opens_with_the_same_figures(clerk, year):
    csv_rows = list(csv.reader(io.StringIO(clerk.get(URL, {**PERIOD, "format": "csv"}).content.decode("utf-8-sig"))))
    response = clerk.get(URL, {**PERIOD, "format": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["財務会計連携"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == accounting.HEADER
    amount = accounting.HEADER.index("金額（円）")
    assert [row[amount] for row in values[1:]] == [int(row[amount]) for row in csv_rows[1:]]
    number = accounting.HEADER.index("口座番号")
    assert [row[number] for row in values[1:]][2] == "0012345"  # text: the leading zeros kept
    assert values[1][2] == datetime.datetime(2026, 5, 1)  # 計上日 as a date
    assert sheet.cell(row=2, column=amount + 1).number_format == "#,##0"


def test_a_name_that_reads_as_a_formula_stays_text_in_the_xlsx(clerk, year):
    """openpyxl stores a string that starts with = as a formula; the export writes it as text, like the CSV."""
    year.organization.name = '=HYPERLINK("http://evil.example")'
    year.organization.save()
    content = clerk.get(URL, {**PERIOD, "format": "xlsx"}).content
    sheet = openpyxl.load_workbook(io.BytesIO(content))["財務会計連携"]
    column = accounting.HEADER.index("債権者・債務者") + 1
    cells = [sheet.cell(row=row, column=column) for row in range(2, sheet.max_row + 1)]
    assert cells and all(cell.data_type == "s" and cell.value.startswith("'=") for cell in cells)


def test_the_page_shows_the_account_masked(clerk, year):
    page = clerk.get(URL, PERIOD).content.decode()
    assert "中国銀行 新見支店 普通 ****345" in page
    assert "0012345" not in page and "カラマツマチヅクリキヨウギカイ" not in page
    assert "支出命令" in page and "1,000,000円" in page
    assert "format=csv" in page and "Excel ファイルをダウンロード" in page
    assert not AccessLog.objects.filter(kind="債権者の口座").exists()  # nothing shown in full


def test_the_list_masks_the_account_and_the_change_page_is_logged(clerk, account):
    page = clerk.get(reverse("admin:grants_payeeaccount_changelist")).content.decode()
    assert "****345" in page and "0012345" not in page
    assert "財務会計への連携" in page
    clerk.get(reverse("admin:grants_payeeaccount_change", args=[account.pk]))
    (log,) = AccessLog.objects.filter(kind="債権者の口座")
    assert log.action == "view" and "0012345" not in log.label


def test_a_period_backwards_is_refused_beside_its_end(clerk, year):
    response = clerk.get(URL, {"date_from": "2026-06-30", "date_to": "2026-06-01", "format": "csv"})
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "期間の末日は初日以降の日にしてください。" in page


@pytest.fixture
def view_only(db):
    """A staff member who may view every grants record but not export to the 財務会計 (監査, say)."""
    user = User.objects.create_user("etsuran", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="grants", codename__startswith="view_"))
    return user


@pytest.mark.parametrize("fmt", ["", "csv", "xlsx"])
@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("assigned_liaison", 302), ("view_only", 403), ("policy_officer", 200)],
)
def test_only_who_may_export_opens_it(client, request, year, who, status, fmt):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(URL, {**PERIOD, "format": fmt})
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("admin:login"))
    if status != 200:
        assert not AccessLog.objects.filter(kind="債権者の口座").exists()


def test_the_view_only_user_sees_no_export_link(client, view_only, account):
    client.force_login(view_only)
    page = client.get(reverse("admin:grants_payeeaccount_changelist")).content.decode()
    assert "****345" in page and "財務会計への連携" not in page


def test_an_account_number_must_have_seven_digits(approved):
    with pytest.raises(IntegrityError), transaction.atomic():
        PayeeAccount.objects.create(
            organization=approved,
            bank_code="0168",
            bank_name="中国銀行",
            branch_code="401",
            branch_name="新見支店",
            account_number="12345",
            account_holder="カ",
        )
