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
            "--force",
            "--allow-production",
            dest="force",
            action="store_true",
            help="デモモード（DJANGO_DEMO_MODE）でなくても読み込む（ベンチマーク用。画面にデモの表示は出ません）",
        )

    def handle(self, *args, scale, force, **options):
        if scale < 1:
            raise CommandError("--scale は1以上の整数を指定してください。")
        # Demo rows only where the demo mode labels them: production (mode off) never holds any. The tests
        # (DJANGO_TESTING=1) load the demo with the mode off to check that no demo word shows.
        if not (settings.DEMO_MODE or settings.TESTING or force):
            raise CommandError(
                "デモモードでないため、デモデータを読み込みません（架空のデータが市の情報として表示され、"
                "ログイン情報も公開されているため）。デモでは DJANGO_DEMO_MODE=1 を設定してください"
                "（make run は設定済みです）。ベンチマークなどで必要なら --force を付けてください。"
            )
        started = time.monotonic()
        load(scale=scale)
        self.stdout.write(
            f"デモデータを読み込みました（scale={scale}、{time.monotonic() - started:.1f} 秒）: "
            f"地域 {Region.objects.count()}、組織 {Organization.objects.count()}、"
            f"会議記録 {Meeting.objects.count()}、FAQ {FAQ.objects.count()}"
        )
