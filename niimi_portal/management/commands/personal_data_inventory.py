"""docs/個人情報.md from niimi_portal/personal_data.py; `--check` fails when the page is out of date."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from niimi_portal import personal_data

PAGE = Path(settings.BASE_DIR) / "docs" / "個人情報.md"


class Command(BaseCommand):
    help = "個人情報の一覧（docs/個人情報.md）を作ります（--check: 最新かどうかだけを確かめます）。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="ページが最新でなければ失敗します")

    def handle(self, *args, check=False, **options):
        text = personal_data.render()
        if check:
            if not PAGE.exists() or PAGE.read_text(encoding="utf-8") != text:
                raise CommandError(
                    f"{PAGE.name} が最新ではありません。manage.py personal_data_inventory で作り直してください。"
                )
            self.stdout.write(f"{PAGE.name} は最新です。")
            return
        PAGE.write_text(text, encoding="utf-8")
        self.stdout.write(f"{PAGE.name} を書きました（{len(personal_data.FILES)}件のファイル）。")
