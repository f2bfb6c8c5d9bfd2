"""manage.py import_areas FILE --kind areas|statistics [--dry-run]: the admin's import, from a shell."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organizations.imports import KIND_LABELS, ImportFileError, import_table


class Command(BaseCommand):
    help = "地域または人口・世帯数を CSV・Excel（.xlsx）から読み込みます。1行でも誤りがあれば何も保存しません。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="読み込む .csv または .xlsx")
        parser.add_argument(
            "--kind", choices=sorted(KIND_LABELS), required=True, help="areas（地域）か statistics（人口・世帯数）"
        )
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで保存しない")

    def handle(self, *args, file, kind, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ファイル {file} が見つかりません。")
        started = time.perf_counter()
        try:
            result = import_table(path.read_bytes(), path.name, kind=kind, dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        if not result.ok:
            for number, message in result.errors:
                self.stderr.write(f"{number}行目: {message}")
            raise CommandError(f"{len(result.errors)}行に誤りがあります。何も保存していません。")
        verb = "保存せずに確かめました" if dry_run else "読み込みました"
        self.stdout.write(
            f"{KIND_LABELS[kind]}を{verb}: {len(result.rows):,}行（新規 {result.created:,}、更新 {result.updated:,}、"
            f"{seconds:.2f} 秒）"
        )
