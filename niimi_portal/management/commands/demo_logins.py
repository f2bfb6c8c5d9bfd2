from django.core.management.base import BaseCommand

from niimi_portal.demo.loader import DEMO_PASSWORD, DEMO_USERS

ROLE_LABELS = {
    "superuser": "システム管理者",
    "policy": "総合政策課（管理画面 /admin/）",
    "liaison": "地域担当職員（/workspace/）",
}


class Command(BaseCommand):
    help = "デモ用ログインを表示します（このパソコンで試すためだけのものです）。"

    def handle(self, *args, **options):
        self.stdout.write("デモ用ログイン（ローカル専用・本番では使わないでください）:")
        for username, name, role in DEMO_USERS:
            self.stdout.write(f"  {username:8s} / {DEMO_PASSWORD}   {ROLE_LABELS[role]} {name}")
        self.stdout.write("ポータル: http://127.0.0.1:8000/")
