"""債権者の口座: the bank account an organization's grant is paid into, held only here, where the 課 needs it
for the 支出命令 it hands to the 財務会計 (grants.accounting). Organizations' other details stay in the
organizations app, which liaison staff read; this model is in the grants app, which only 総合政策課 opens.

The admin's lists and the 財務会計 export show the account masked (`masked_number`: the last three digits)
except on the 支出命令 rows of the export, which must carry it in full for the transfer; every showing in full
(the change page, a download) is written to the access log (organizations.access_log).
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from niimi_portal.lib.demo_flag import DemoFlag

digits = RegexValidator(r"^[0-9]+$", "数字だけで入力してください。")


class PayeeAccount(DemoFlag):
    """債権者の口座 of one organization (its 一括交付金 is paid into it). The demo's are invented (an
    架空 bank, account numbers 0000001…) and flagged `is_demo`."""

    class AccountType(models.TextChoices):
        ORDINARY = "ordinary", "普通"
        CURRENT = "current", "当座"

    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="payee_account",
        verbose_name="地域運営組織（債権者）",
    )
    bank_code = models.CharField(
        "金融機関コード", max_length=4, validators=[digits], help_text="4桁（統一金融機関コード）。例: 0165"
    )
    bank_name = models.CharField("金融機関名", max_length=60, help_text="例: 中国銀行")
    branch_code = models.CharField("支店コード", max_length=3, validators=[digits], help_text="3桁。例: 401")
    branch_name = models.CharField("支店名", max_length=60, help_text="例: 新見支店")
    account_type = models.CharField(
        "預金種別", max_length=10, choices=AccountType.choices, default=AccountType.ORDINARY
    )
    account_number = models.CharField("口座番号", max_length=7, validators=[digits], help_text="7桁（前を0で埋める）")
    account_holder = models.CharField(
        "口座名義（カナ）", max_length=100, help_text="通帳のとおり、カタカナで。例: カラマツマチヅクリキヨウギカイ"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="登録・変更した職員",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "債権者の口座"
        verbose_name_plural = "債権者の口座"
        ordering = ["organization__name_kana"]
        permissions = [("export_accounting", "財務会計への連携データ（口座を含む）を出力できる")]
        constraints = [
            models.CheckConstraint(
                condition=Q(account_number__regex=r"^[0-9]{7}$"),
                name="payee_account_number_seven_digits",
                violation_error_message="口座番号は7桁の数字です（前を0で埋めます）。",
            ),
            models.CheckConstraint(
                condition=Q(bank_code__regex=r"^[0-9]{4}$") & Q(branch_code__regex=r"^[0-9]{3}$"),
                name="payee_account_codes_digits",
                violation_error_message="金融機関コードは4桁、支店コードは3桁の数字です。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.masked}"

    @property
    def masked_number(self):
        """「****567」: the account number with all but its last three digits hidden."""
        return "*" * (len(self.account_number) - 3) + self.account_number[-3:]

    @property
    def masked(self):
        """The account as the lists show it: 金融機関, 支店, 種別 and the masked number, without the 名義."""
        return f"{self.bank_name} {self.branch_name} {self.get_account_type_display()} {self.masked_number}"
