"""`manage.py send_outbox`: send the mail whose time has come (run every minute by niimi-portal-outbox.timer)."""

from django.core.management.base import BaseCommand

from outbox.services import send_due


class Command(BaseCommand):
    help = "送信待ちのメールを送ります。送れなかったものは間隔をあけて再試行し、決めた回数で「送信できず」にします。"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100, help="1回に送る最大の件数（既定 100）")

    def handle(self, *args, limit, **options):
        counts = send_due(limit=limit)
        if options["verbosity"] >= 1 and any(counts.values()):
            self.stdout.write(
                f"送信 {counts['sent']}件・再試行待ち {counts['retry']}件・送信できず {counts['failed']}件"
            )
