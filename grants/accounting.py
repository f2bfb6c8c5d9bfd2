"""財務会計の連携: the money acts of the grant year as the city's 財務会計システム books them, read from the
records the portal already keeps (no second copy to fall out of step), and exported per period as CSV and
.xlsx in the layout of docs/財務会計の連携.md.

    区分              計上日             金額                         from
    支出負担行為      交付決定日         交付決定額                   GrantDecision
    支出負担行為変更  変更交付決定日     変更後の額 − 変更前の額      DocumentNumber (変更交付決定通知書)
                      取消日             − 取り消した額               GrantRevocation
    支出命令          請求日             請求額（概算払・精算払）     GrantPayment; 支払日 once paid
    調定              返還請求日         返還請求額（納期限つき）     GrantRefund
    収納              納付日             納付された額                 GrantRefund.returned_on

Every row has a 連携番号 (E-, EC-, ER-, P-, A-, R- and the record's id) that stays the same in every
export, so the 財務会計 can take a period twice, or a row again once its 支払日 is known, without a double.

債権者の口座 (grants.models.PayeeAccount) is written in full only on 支出命令 rows (the transfer needs it);
支出負担行為 rows carry it masked (金融機関・支店・種別 and the last three digits, no 名義); 調定 and 収納
rows carry none (the organization pays the city). The accounts written in full are logged by the view.

Assumptions the city must confirm (要確認): a 支出命令 is dated on the 請求日 (the 精算払's too);
a 額の確定 below the 支出負担行為 is not posted as a 減額 (the 財務会計 closes the 負担行為 with the last
payment); a 返還 is booked under the year's 返還金の歳入科目 (歳出戻入 or 雑入 is the 財務会計's choice).
"""

import datetime
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from grants.models import DocumentKind, DocumentNumber, GrantDecision, GrantPayment, GrantRefund, GrantRevocation
from niimi_portal.lib.csv_export import spreadsheet_cell
from niimi_portal.lib.refusal import refuse

GRANT = "小規模多機能自治一括交付金"

ENCUMBRANCE = "支出負担行為"
ENCUMBRANCE_CHANGE = "支出負担行為変更"
PAYMENT_ORDER = "支出命令"
ASSESSMENT = "調定"
COLLECTION = "収納"
KINDS = (ENCUMBRANCE, ENCUMBRANCE_CHANGE, PAYMENT_ORDER, ASSESSMENT, COLLECTION)

ACCOUNT_COLUMNS = ["金融機関コード", "金融機関名", "支店コード", "支店名", "預金種別", "口座番号", "口座名義（カナ）"]
HEADER = [
    "連携番号",
    "区分",
    "計上日",
    "予算年度",
    "予算科目",
    "交付決定の文書番号",
    "根拠の文書番号",
    "債権者・債務者",
    "金額（円）",
    "支払日",
    "納期限",
    *ACCOUNT_COLUMNS,
    "摘要",
    "関連する連携番号",
]
DATE_COLUMNS = {"計上日", "支払日", "納期限"}
TEXT_COLUMNS = {"金融機関コード", "支店コード", "口座番号", "連携番号", "関連する連携番号"}


@dataclass(frozen=True)
class Entry:
    key: str  # 連携番号
    kind: str  # 区分
    dated: datetime.date  # 計上日
    decision: GrantDecision
    reference: str  # 根拠の文書番号 (or 受付番号)
    amount: int  # signed: a 減額 is negative
    summary: str  # 摘要
    paid_on: datetime.date | None = None
    due_on: datetime.date | None = None
    related: str = ""
    account_in_full: bool = False  # the 支出命令's transfer needs the whole account

    @property
    def account_title(self):
        year = self.decision.fiscal_year
        return year.revenue_account if self.kind in (ASSESSMENT, COLLECTION) else year.expenditure_account

    def account_cells(self):
        """The 債権者の口座 columns: in full, masked, or blank (see the module's note)."""
        account = getattr(self.decision.organization, "payee_account", None)
        if account is None or self.kind in (ASSESSMENT, COLLECTION):
            return [""] * len(ACCOUNT_COLUMNS)
        kind = account.get_account_type_display()
        if self.account_in_full:
            return [
                account.bank_code,
                account.bank_name,
                account.branch_code,
                account.branch_name,
                kind,
                account.account_number,
                account.account_holder,
            ]
        return ["", account.bank_name, "", account.branch_name, kind, account.masked_number, ""]

    def cells(self):
        decision = self.decision
        return [
            self.key,
            self.kind,
            self.dated,
            decision.fiscal_year.year,
            self.account_title,
            decision.document_number,
            self.reference,
            decision.organization.name,
            self.amount,
            self.paid_on,
            self.due_on,
            *self.account_cells(),
            self.summary,
            self.related,
        ]


def _decisions(queryset):
    return queryset.select_related("decision__fiscal_year", "decision__organization__payee_account")


def accounting_entries(date_from, date_to):
    """The rows booked from `date_from` to `date_to` (both included), by 計上日, then 区分 and 連携番号."""
    if date_from is None or date_to is None:
        refuse("期間の初日と末日を入力してください。", field="date_from" if date_from is None else "date_to")
    if date_to < date_from:
        refuse("期間の末日は初日以降の日にしてください。", field="date_to")
    period = (date_from, date_to)
    entries = []
    decisions = GrantDecision.objects.filter(decided_on__range=period).select_related(
        "fiscal_year", "organization__payee_account", "calculation"
    )
    for decision in decisions:
        entries.append(
            Entry(
                key=f"E-{decision.pk}",
                kind=ENCUMBRANCE,
                dated=decision.decided_on,
                decision=decision,
                reference=decision.document_number,
                amount=decision.calculation.total,
                summary=f"{decision.fiscal_year.label} {GRANT} 交付決定 {decision.organization.name}",
            )
        )
    changes = _decisions(
        DocumentNumber.objects.filter(
            kind=DocumentKind.CHANGE, status=DocumentNumber.Status.USED, decision__isnull=False, dated__range=period
        )
    )
    for entry in changes:
        decision, details = entry.decision, entry.details
        entries.append(
            Entry(
                key=f"EC-{entry.pk}",
                kind=ENCUMBRANCE_CHANGE,
                dated=entry.dated,
                decision=decision,
                reference=entry.text,
                amount=details["after"] - details["before"],
                summary=f"{decision.fiscal_year.label} {GRANT} 変更交付決定 {decision.organization.name}"
                f"（{details['before']:,}円→{details['after']:,}円）",
                related=f"E-{decision.pk}",
            )
        )
    for revocation in _decisions(GrantRevocation.objects.filter(revoked_on__range=period).select_related("entry")):
        decision = revocation.decision
        entries.append(
            Entry(
                key=f"ER-{revocation.pk}",
                kind=ENCUMBRANCE_CHANGE,
                dated=revocation.revoked_on,
                decision=decision,
                reference=revocation.entry.text,
                amount=-revocation.amount,
                summary=f"{decision.fiscal_year.label} {GRANT} 交付決定取消（{revocation.get_scope_display()}）"
                f" {decision.organization.name}",
                related=f"E-{decision.pk}",
            )
        )
    payments = _decisions(GrantPayment.objects.filter(claimed_on__range=period).select_related("receipt", "entry"))
    for payment in payments:
        decision = payment.decision
        reference = payment.entry.text if payment.entry_id else (payment.receipt.label if payment.receipt_id else "")
        entries.append(
            Entry(
                key=f"P-{payment.pk}",
                kind=PAYMENT_ORDER,
                dated=payment.claimed_on,
                decision=decision,
                reference=reference,
                amount=payment.amount,
                summary=f"{decision.fiscal_year.label} {GRANT} 第{payment.instalment}回 {payment.get_kind_display()}"
                f" {decision.organization.name}",
                paid_on=payment.paid_on,
                related=f"E-{decision.pk}",
                account_in_full=True,
            )
        )
    refunds = _decisions(GrantRefund.objects.select_related("entry"))
    for refund in refunds.filter(demanded_on__range=period):
        decision = refund.decision
        entries.append(
            Entry(
                key=f"A-{refund.pk}",
                kind=ASSESSMENT,
                dated=refund.demanded_on,
                decision=decision,
                reference=refund.entry.text,
                amount=refund.amount,
                summary=f"{decision.fiscal_year.label} {GRANT} 返還金（{refund.get_cause_display()}）"
                f" {decision.organization.name}",
                due_on=refund.due_on,
            )
        )
    for refund in refunds.filter(returned_on__range=period):
        decision = refund.decision
        entries.append(
            Entry(
                key=f"R-{refund.pk}",
                kind=COLLECTION,
                dated=refund.returned_on,
                decision=decision,
                reference=refund.entry.text,
                amount=refund.amount,
                summary=f"{decision.fiscal_year.label} {GRANT} 返還金の収納 {decision.organization.name}",
                due_on=refund.due_on,
                related=f"A-{refund.pk}",
            )
        )
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(entries, key=lambda e: (e.dated, order[e.kind], e.key.split("-")[0], int(e.key.split("-")[1])))


def accounts_in_full(entries):
    """The 債権者の口座 the export writes in full (for the access log), each once."""
    accounts = {}
    for entry in entries:
        account = getattr(entry.decision.organization, "payee_account", None)
        if entry.account_in_full and account is not None:
            accounts[account.pk] = account
    return list(accounts.values())


def totals(entries):
    """[(区分, 件数, 金額の計)] in the order of KINDS, for the page."""
    return [
        (kind, sum(1 for e in entries if e.kind == kind), sum(e.amount for e in entries if e.kind == kind))
        for kind in KINDS
    ]


def accounting_rows(entries):
    return [entry.cells() for entry in entries]


def accounting_xlsx(entries):
    """The rows as an .xlsx (openpyxl): the header on row 1 (as the CSV), dates as dates, amounts as numbers
    with commas, codes and the account number as text (their leading zeros kept)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "財務会計連携"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in accounting_rows(entries):
        sheet.append([spreadsheet_cell(value) for value in row])
    for index, name in enumerate(HEADER, 1):
        letter = get_column_letter(index)
        width = 14
        if name in DATE_COLUMNS:
            fmt = "yyyy-mm-dd"
        elif name == "金額（円）":
            fmt = "#,##0"
        elif name in TEXT_COLUMNS:
            fmt = "@"
        else:
            fmt, width = None, (40 if name in ("摘要", "債権者・債務者", "予算科目") else 16)
        sheet.column_dimensions[letter].width = width
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = fmt
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
