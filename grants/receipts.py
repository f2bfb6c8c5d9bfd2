"""受付簿: a 受付番号 taken when the clerk records that something arrived (交付申請, 変更申請, 請求, 実績報告).

The number counts per fiscal year of the 受付日 (令和9年4月に受け付けた令和8年度の実績報告 is in 令和9年度's
受付簿), from 1, without gaps; the pair (year, number) is unique (Receipt's `unique_receipt_number_per_year`).
Taking a number locks that year's FiscalYear row, so two clerks never take the same one; a year not
registered yet has no row to lock, and the unique constraint is then the guard. The city must confirm
that the 受付簿 is kept per fiscal year of receipt and that these four kinds share one series.
"""

from django.db.models import Max

from grants.models import FiscalYear, Receipt
from niimi_portal.lib.history import record_change
from niimi_portal.lib.wareki import fiscal_year_of


def take_receipt(*, kind, received_on, organization, subject, by=None):
    """The next 受付番号 of the year of `received_on`, recorded in the 受付簿; call inside the transaction
    that records what arrived."""
    year = fiscal_year_of(received_on)
    list(FiscalYear.objects.select_for_update(no_key=True).filter(year=year))  # held until the commit
    number = _next_number(year)
    receipt = Receipt(
        year=year,
        number=number,
        kind=kind,
        received_on=received_on,
        organization=organization,
        subject=subject,
        recorded_by=by,
    )
    record_change(receipt, by=by, reason=f"受付（{Receipt.Kind(kind).label}）")
    receipt.save()
    return receipt


def _next_number(year):
    return (Receipt.objects.filter(year=year).aggregate(last=Max("number"))["last"] or 0) + 1
