"""Write a fiscal year's 返還 調定 data (grants.refund_charges) as a CSV for the 財務会計 system."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grants import refund_charges
from niimi_portal.lib.csv_export import BOM
from niimi_portal.lib.wareki import fiscal_year_label


class Command(BaseCommand):
    help = (
        "返還請求の調定データ（CSV）を書き出します。"
        "例: manage.py export_refund_charges --fiscal-year 2027 --out 調定.csv"
    )

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", type=int, required=True, help="調定の年度（西暦、例: 2027 = 令和9年度）")
        parser.add_argument("--out", type=Path, required=True, help="書き出すファイル")
        parser.add_argument(
            "--encoding",
            choices=["utf-8", "cp932"],
            default="utf-8",
            help="utf-8 = UTF-8（BOM 付き、既定）、cp932 = シフトJIS（財務会計システムが求めるとき）",
        )

    def handle(self, *args, fiscal_year, out, encoding, **options):
        refunds = refund_charges.charges(fiscal_year)
        text = refund_charges.charges_csv(fiscal_year)
        if encoding == "cp932":
            text = text.removeprefix(BOM)
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError as error:
            raise CommandError(f"シフトJISにない文字があります: {text[error.start : error.end]}") from error
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        self.stdout.write(
            self.style.SUCCESS(
                f"{fiscal_year_label(fiscal_year)}の返還の調定 {len(refunds)}件を {out} に書き出しました。"
            )
        )
