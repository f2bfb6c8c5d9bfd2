"""manage.py purge_access_log [--days N]: delete access-log rows older than the retention period
(ACCESS_LOG_RETENTION_DAYS). Run daily from cron or a systemd timer."""

from django.conf import settings
from django.core.management.base import BaseCommand

from organizations.access_log import purge_access_log


class Command(BaseCommand):
    help = "保存期間（ACCESS_LOG_RETENTION_DAYS）を過ぎたアクセス記録を削除します。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="保存する日数（省略すると設定の値）")

    def handle(self, *args, days, **options):
        days = settings.ACCESS_LOG_RETENTION_DAYS if days is None else days
        deleted = purge_access_log(days=days)
        self.stdout.write(f"{days}日より前のアクセス記録を {deleted} 件削除しました。")
