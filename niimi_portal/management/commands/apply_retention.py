"""保存期間を過ぎた記録を廃棄する (niimi_portal/retention.py). Run daily or monthly by the server's timer;
`--dry-run` lists what would go and changes nothing."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from niimi_portal import retention
from niimi_portal.lib.wareki import wareki_date


class Command(BaseCommand):
    help = "保存期間を過ぎた記録を廃棄し、廃棄の記録を残します（--dry-run: 一覧だけ）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="廃棄する記録の一覧だけを出し、何も変えません")
        parser.add_argument("--today", help="基準日（YYYY-MM-DD、既定は今日）")

    def handle(self, *args, dry_run=False, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"基準日「{today}」は YYYY-MM-DD で指定してください。") from None
        items = list(retention.due(day))
        verb = "廃棄します（試行）" if dry_run else "廃棄しました"
        self.stdout.write(f"{wareki_date(day)}の時点で保存期間を過ぎた記録: {len(items)}件")
        for item in items:
            if not dry_run:
                retention.dispose(item)
            self.stdout.write(f"  {item.label} … 起算の基準日 {wareki_date(item.counted_from)}")
        self.stdout.write(f"{len(items)}件を{verb}。")
