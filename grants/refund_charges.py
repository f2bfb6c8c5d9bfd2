"""The 調定 data of the 返還請求: one row per 返還請求, for the city's 財務会計 system to record the 調定 and
print the 納付書 from (the portal prints no 納付書: it carries the bank's 収納 codes, which only that system
knows). The 返還請求書 says the 納付書 is sent separately (grants.notices.letters.refund_letter).

The columns are documented in docs/documents.md (「返還の調定データ」). Assumptions the city must confirm
(要確認): which 科目 a 返還金 goes to (CHARGE_ACCOUNT), that a 返還 demanded by the 出納閉鎖 of the grant's
year (5月31日) is a 歳出の戻入 (地方自治法施行令第159条) and a later one 歳入, and the file's encoding (UTF-8
with BOM by default; Shift_JIS/cp932 for systems that need it).
"""

import datetime

from grants.models import GrantRefund
from niimi_portal.lib.csv_export import csv_text
from niimi_portal.lib.wareki import fiscal_year_label, fiscal_year_of

CHARGE_HEADER = [
    "連携番号",
    "調定の年度",
    "調定日",
    "会計区分",
    "科目",
    "納入義務者",
    "納入義務者の住所",
    "金額",
    "納期限",
    "返還請求書の文書番号",
    "件名",
    "返還の理由",
    "納付日",
]

# 要確認: the 科目 of a 返還金 in the city's 予算 (歳入: 諸収入 雑入 is usual; a 戻入 returns to the 歳出 科目
# of the grant).
CHARGE_ACCOUNT = {"歳出戻入": "総務費 企画費 負担金補助及び交付金（戻入）", "歳入": "諸収入 雑入 返還金"}


def books_closed(fiscal_year):
    """出納閉鎖: 5月31日 after the fiscal year `fiscal_year` (2026 → 2027-05-31)."""
    return datetime.date(fiscal_year + 1, 5, 31)


def account_of(refund):
    """歳出戻入 while the grant's year is still open (up to its 出納閉鎖), else 歳入 (要確認)."""
    return "歳出戻入" if refund.demanded_on <= books_closed(refund.decision.fiscal_year.year) else "歳入"


def charges(fiscal_year):
    """The 返還請求 whose 調定日 (the 返還請求日) falls in `fiscal_year` (2027 = 令和9年度), in date order."""
    first = datetime.date(fiscal_year, 4, 1)
    last = datetime.date(fiscal_year + 1, 3, 31)
    return (
        GrantRefund.objects.filter(demanded_on__range=(first, last))
        .select_related("decision__organization", "decision__fiscal_year", "entry")
        .order_by("demanded_on", "entry__number", "pk")
    )


def charge_rows(refunds):
    rows = []
    for refund in refunds:
        organization, entry = refund.decision.organization, refund.entry
        account = account_of(refund)
        rows.append(
            [
                f"{entry.period or entry.dated.year}-{entry.number:05d}",  # stable: the register's number
                fiscal_year_label(fiscal_year_of(refund.demanded_on)),
                refund.demanded_on,
                account,
                CHARGE_ACCOUNT[account],
                organization.name,
                organization.contact_address,
                refund.amount,
                refund.due_on,
                entry.text_with_year,
                f"{refund.decision.fiscal_year.label}小規模多機能自治一括交付金返還金",
                refund.get_cause_display(),
                refund.returned_on,
            ]
        )
    return rows


def charges_csv(fiscal_year):
    """The year's 調定 data as CSV text (UTF-8 with BOM; dates in ISO form, amounts in whole yen)."""
    return csv_text(CHARGE_HEADER, charge_rows(charges(fiscal_year)))
