"""予算: a fiscal year's 一括交付金 budget (当初予算額 and its dated 補正) against what is decided, paid and
returned, all read in one query.

    予算    当初予算額 + 補正の計
    決定済  each decision's amount as it stands: the 確定額 once settled, else the 交付決定額 after its
            変更 and 取消 (a whole 取消 leaves 0)
    支払済  the payments made (概算払, 精算払)
    返還    the 返還請求 made, and how much of it was paid back (shown for information)
    残額    予算 − 決定済

Assumptions the city must confirm:
  * 返還 does not add to 残額: 決定済 already counts only the 確定額 the organization keeps, so what it
    pays back is not decided money. (Whether a 返還 received in the same year is 歳出戻入 or 雑入 is the
    財務会計's matter.)
  * A year with no 当初予算額 is not checked: 交付決定 and 変更交付決定 go ahead, and the year's page and the
    dashboard say the budget is not registered. The city may prefer to require the budget first.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from grants.models import BudgetRevision, FiscalYear, GrantDecision, GrantPayment, GrantRefund
from niimi_portal.lib.money import yen
from niimi_portal.lib.refusal import refuse


@dataclass(frozen=True)
class YearBudget:
    initial: int | None  # 当初予算額; None: not registered
    revisions: int  # 補正の計
    decided: int
    paid: int
    refunded: int  # 返還請求額の計
    returned: int  # そのうち納付済

    @property
    def is_set(self):
        return self.initial is not None

    @property
    def budget(self):
        return None if self.initial is None else self.initial + self.revisions

    @property
    def remaining(self):
        return None if self.initial is None else self.budget - self.decided


def _sum(queryset, expression):
    """The sum of `expression` over `queryset` (rows of one fiscal year), as a subquery giving 0 for none."""
    total = queryset.order_by().annotate(group=Value(1)).values("group").annotate(total=Sum(expression))
    return Coalesce(Subquery(total.values("total")), 0)


def year_budget(fiscal_year):
    """The year's budget figures, in one query (each figure a summing subquery)."""
    year = OuterRef("pk")
    payments = GrantPayment.objects.filter(decision__fiscal_year=year, paid_on__isnull=False)
    refunds = GrantRefund.objects.filter(decision__fiscal_year=year)
    row = (
        FiscalYear.objects.filter(pk=fiscal_year.pk)
        .annotate(
            revisions=_sum(BudgetRevision.objects.filter(fiscal_year=year), "amount"),
            decided=_sum(GrantDecision.objects.filter(fiscal_year=year), Coalesce("settled_amount", "amount")),
            paid=_sum(payments, "amount"),
            refunded=_sum(refunds, "amount"),
            returned=_sum(refunds.filter(returned_on__isnull=False), "amount"),
        )
        .values("budget_amount", "revisions", "decided", "paid", "refunded", "returned")
        .get()
    )
    return YearBudget(initial=row.pop("budget_amount"), **row)


def check_within_budget(fiscal_year, increase, *, field):
    """Refuse, beside `field`, a decision that would raise 決定済 by `increase` yen beyond the 残額. A year
    without a 当初予算額 is not checked (an assumption the city must confirm; see the module's note)."""
    if increase <= 0:
        return
    figures = year_budget(fiscal_year)
    if not figures.is_set or increase <= figures.remaining:
        return
    refuse(
        f"{fiscal_year.label}の予算の残額を超えます。予算額 {yen(figures.budget)}、決定済 {yen(figures.decided)}、"
        f"残額 {yen(figures.remaining)}に対し、この決定で {yen(increase)}増え、{yen(increase - figures.remaining)}"
        "不足します。補正予算を登録するか、額を見直してください。",
        field=field,
    )
