import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from niimi_portal.demo.loader import load
from organizations.models import FAQ, Organization, Region
from staff.models import Meeting


class Command(BaseCommand):
    help = "デモデータを読み込みます（何度実行しても結果は同じです）。--scale N でベンチマーク用に N 倍にします。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="地域・組織・会議記録・FAQ を N 倍にする")
        parser.add_argument(
            "--allow-production", action="store_true", help="DEBUG でない環境でも実行する（ベンチマーク用）"
        )

    def handle(self, *args, scale, allow_production, **options):
        if scale < 1:
            raise CommandError("--scale は1以上の整数を指定してください。")
        if not (settings.DEBUG or settings.TESTING or allow_production):
            raise CommandError(
                "本番設定ではデモデータを読み込みません（ログイン情報が公開されているため）。"
                "ベンチマークなどで必要なら --allow-production を付けてください。"
            )
        started = time.monotonic()
        load(scale=scale)
        self.stdout.write(
            f"デモデータを読み込みました（scale={scale}、{time.monotonic() - started:.1f} 秒）: "
            f"地域 {Region.objects.count()}、組織 {Organization.objects.count()}、"
            f"会議記録 {Meeting.objects.count()}、FAQ {FAQ.objects.count()}"
        )
