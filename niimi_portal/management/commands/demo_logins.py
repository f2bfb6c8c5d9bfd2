import base64
import binascii

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken

from niimi_portal.demo.loader import DEMO_PASSWORD, DEMO_TOTP_KEY, DEMO_USERS
from niimi_portal.lib import two_factor

ROLE_LABELS = {
    "superuser": "システム管理者",
    "policy": "総合政策課（管理画面 /admin/）",
    "liaison": "地域担当職員（/workspace/）",
    "office": "地域運営組織の事務局（/office/）",
}


class Command(BaseCommand):
    help = "デモ用ログインを表示します（このパソコンで試すためだけのものです）。"

    def handle(self, *args, **options):
        self.stdout.write("デモ用ログイン（ローカル専用・本番では使わないでください）:")
        for username, name, role in DEMO_USERS:
            self.stdout.write(f"  {username:19s} / {DEMO_PASSWORD}   {ROLE_LABELS[role]} {name}")
        self.write_second_factor()
        self.stdout.write("ポータル: http://127.0.0.1:8000/")

    def write_second_factor(self):
        """The demo's second factor for the people who must give one (the superuser and 総合政策課)."""
        users = [
            user
            for user in User.objects.filter(username__in=[u for u, _, _ in DEMO_USERS])
            if two_factor.required_for(user)
        ]
        if not users:
            return
        key = binascii.unhexlify(DEMO_TOTP_KEY)
        self.stdout.write(
            f"デモ: 2段階認証（{'・'.join(u.username for u in users)} はパスワードの後に確認コードが必要です）"
        )
        self.stdout.write(f"  デモ用セットアップキー（認証アプリに登録）: {base64.b32encode(key).decode()}")
        self.stdout.write(f"  デモ用の今の確認コード: {totp(key):06d}（30秒ごとに変わります）")
        for user in users:
            codes = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
            self.stdout.write(f"  デモ用予備コード（{user.username}、各1回）: {' '.join(codes) or 'なし'}")
