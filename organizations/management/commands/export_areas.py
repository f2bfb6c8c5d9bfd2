"""manage.py export_areas --kind areas|statistics [--date 2026-04-01] [--output FILE.xlsx|FILE.csv]:
the same columns import_areas reads, for a round trip."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organizations.imports import KIND_LABELS, export_csv, export_xlsx, parse_date


class Command(BaseCommand):
    help = "地域または人口・世帯数を、読み込みと同じ形の CSV・Excel（.xlsx）に書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=sorted(KIND_LABELS), required=True)
        parser.add_argument("--date", help="人口・世帯数の基準日（省略するとすべて）")
        parser.add_argument("--output", help="書き出すファイル（.csv か .xlsx）。省略すると CSV を画面に")

    def handle(self, *args, kind, date, output, **options):
        day = None
        if date:
            day = parse_date(date)
            if day is None:
                raise CommandError(f"基準日「{date}」が日付として読めません（例: 2026/4/1、令和8年4月1日）。")
        if output and output.lower().endswith(".xlsx"):
            Path(output).write_bytes(export_xlsx(kind, day))
        elif output:
            Path(output).write_text(export_csv(kind, day), encoding="utf-8")
        else:
            self.stdout.write(export_csv(kind, day), ending="")
