"""The categories of a 一括交付金's 収支予算 (交付申請) and 実績報告: one list for both, so the report
reads line by line against the budget.

事務局人件費 and 運営経費 are parts of the grant itself; 事業費 is one line per project of the annual
plan; その他の収入 (会費, 参加費, 寄付 …) is income, not expense, and is deducted in 額の確定.
"""

from django.db import models


class BudgetCategory(models.TextChoices):
    PERSONNEL = "personnel", "事務局人件費"
    OPERATING = "operating", "運営経費"
    PROJECT = "project", "事業費"
    OTHER_INCOME = "other_income", "その他の収入"


EXPENSE_CATEGORIES = (BudgetCategory.PERSONNEL, BudgetCategory.OPERATING, BudgetCategory.PROJECT)
INCOME_CATEGORIES = (BudgetCategory.OTHER_INCOME,)
