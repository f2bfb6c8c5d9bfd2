"""`manage.py send_reminders`: mail the reminders of the 期限 due today, once each (run daily by
deploy/systemd/niimi-portal-reminders.timer; the mail goes through the outbox, which `send_outbox` delivers)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils import timezone

from grants import deadlines
from niimi_portal.lib.wareki import parse_date, wareki_date


class Command(BaseCommand):
    help = (
        "期限（交付申請・実績報告・返還金の納付・概算払の支払）のリマインダーを、期限ごと・段階（7日前・当日・期限後）"
        "ごとに1回だけ、総合政策課と連絡先メールのある組織へ送ります（送信待ちに入れます）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="この日として実行する（例: 2027-04-30）。既定は今日")
        parser.add_argument("--dry-run", action="store_true", help="送るものを表示するだけで、送らず記録もしない")

    def handle(self, *args, today=None, dry_run=False, **options):
        day = timezone.localdate()
        if today:
            try:
                day = parse_date(today)
            except ValueError as error:
                raise CommandError(f"--today の日付が読めません: {today}") from error
        try:
            sent = deadlines.reminders_send(today=day, dry_run=dry_run)
        except IntegrityError as error:
            # Another run (a second machine's timer) recorded the same reminders first: its transaction sent
            # them, this one rolled back, so nothing goes twice.
            raise CommandError("同じリマインダーを別の実行が先に送りました。このたびは何も送っていません。") from error
        if options["verbosity"] >= 1:
            verb = "送るもの" if dry_run else "送ったもの"
            self.stdout.write(f"{wareki_date(day)}: リマインダーの{verb} {len(sent)}件")
            for deadline, stage in sent:
                self.stdout.write(
                    f"  {deadline.organization.name} {deadline.title} 期限 {wareki_date(deadline.due_on)}"
                    f"（{deadline.when(day)}・{stage.label}）"
                )
