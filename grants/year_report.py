"""報告: a fiscal year's grants per organization, for 議会, 決算 and 監査 — on the year's admin page and as
.xlsx (openpyxl) and CSV. One year per table: amounts of different years are never added together.

Per organization (one 交付決定 each per year), every figure summed in SQL:

    交付決定額     the amount first decided (its 算定's total)
    変更後         the decided amount as it stands after 変更交付決定 and 取消 (the same as 交付決定額 if neither)
    支払済         payments made (概算払, 精算払)
    確定額         the 確定額 (blank until settled)
    返還額         返還請求 made
    未収           返還請求 not yet paid back (the city is owed it)
    未払           請求 received and not yet paid (the city owes it)
"""

import io

from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from grants.models import RESERVED_TEXT, GrantDecision, GrantPayment, GrantRefund
from niimi_portal.lib.csv_export import spreadsheet_cell
from niimi_portal.lib.wareki import wareki_date

COLUMNS = [
    ("decided", "交付決定額（円）"),
    ("current", "変更後の交付決定額（円）"),
    ("paid", "支払済額（円）"),
    ("settled", "確定額（円）"),
    ("refunded", "返還額（円）"),
    ("receivable", "未収額（円）"),
    ("payable", "未払額（円）"),
]
HEADER = ["地域運営組織", "文書番号", "交付決定日", "状況", *(label for _, label in COLUMNS)]


def _per_decision(queryset, field="amount"):
    total = queryset.filter(decision=OuterRef("pk")).order_by().values("decision").annotate(total=Sum(field))
    return Coalesce(Subquery(total.values("total")), Value(0))


def decisions_with_figures(fiscal_year):
    """The year's decisions, よみ order, each annotated with the report's figures (1 query, and 1 for 取消)."""
    payments = GrantPayment.objects.all()
    refunds = GrantRefund.objects.all()
    return (
        GrantDecision.objects.filter(fiscal_year=fiscal_year)
        .select_related("organization")
        .prefetch_related("revocations")
        .annotate(
            decided=F("calculation__total"),
            current=F("amount"),
            settled=F("settled_amount"),
            paid=_per_decision(payments.filter(paid_on__isnull=False)),
            refunded=_per_decision(refunds),
            receivable=_per_decision(refunds.filter(returned_on__isnull=True)),
            payable=_per_decision(payments.filter(paid_on__isnull=True)),
        )
        .order_by("organization__name_kana", "organization_id")
    )


def year_report(fiscal_year):
    """{"rows": [{"decision", "figures": [..]}], "totals": [..]} for the page and the downloads."""
    decisions = list(decisions_with_figures(fiscal_year))
    rows = [{"decision": d, "figures": [getattr(d, key) for key, _ in COLUMNS]} for d in decisions]
    totals = [sum(row["figures"][i] or 0 for row in rows) for i in range(len(COLUMNS))]
    return {"rows": rows, "totals": totals}


def report_rows(fiscal_year):
    """The table as rows of cells (amounts as int, blank for none), the totals last."""
    report = year_report(fiscal_year)
    cells = [
        [
            row["decision"].organization.name,
            row["decision"].document_number or RESERVED_TEXT,
            wareki_date(row["decision"].decided_on),
            row["decision"].status_label,
            *row["figures"],
        ]
        for row in report["rows"]
    ]
    return [*cells, [f"合計（{fiscal_year.label}）", "", "", "", *report["totals"]]]


def report_xlsx(fiscal_year):
    """The table as an .xlsx workbook: one sheet named after the year, amounts as numbers with commas."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = fiscal_year.label
    sheet.append([f"{fiscal_year.label} 小規模多機能自治一括交付金 組織別の執行状況"])
    sheet.append(HEADER)
    for row in report_rows(fiscal_year):
        sheet.append([spreadsheet_cell(value) for value in row])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    first_amount = len(HEADER) - len(COLUMNS) + 1
    for row in sheet.iter_rows(min_row=3, min_col=first_amount):
        for cell in row:
            cell.number_format = "#,##0"
    for index, width in enumerate([30, 16, 16, 18, *([16] * len(COLUMNS))], 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
