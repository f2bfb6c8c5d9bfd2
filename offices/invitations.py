"""The 事務局's accounts: 総合政策課 invites a person by e-mail from the organization's admin page, the person
sets a password through a one-time link, and the 課 removes them when they leave.

No business ID and no paper: the account's user name is the e-mail address, its password unusable until the
person sets one through the link (Django's password-reset token: it stops working once the password is set,
and after PASSWORD_RESET_TIMEOUT). A person already known by that address (serving another organization's
事務局) keeps their account and password and is told by mail that they may now act for this one too.
The 事務局 is not staff: they never reach the admin.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from niimi_portal.lib.history import record_change
from offices.models import OfficeMember

SUBJECT_PREFIX = "[新見市 小規模多機能自治]"


def welcome_url(user):
    """The one-time link where `user` sets their password (absolute, for the mail)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.PORTAL_BASE_URL + reverse("offices:welcome", kwargs={"uidb64": uidb64, "token": token})


def _split_name(name):
    """「新見 花子」 → ("新見", "花子"): family name first, as the portal stores names."""
    family, _, given = name.strip().replace("\u3000", " ").partition(" ")
    return family.strip()[:150], given.strip()[:150]


def _account(*, name, email):
    """The account of `email`: the existing one (matched case-insensitively), or a new one, not staff, whose
    password is unusable until the person sets it."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = User.objects.filter(username__iexact=email).order_by("pk").first()
    if user is not None:
        return user, False
    family, given = _split_name(name)
    user = User(username=email, email=email, last_name=family, first_name=given, is_staff=False)
    user.set_unusable_password()
    user.save()
    return user, True


@transaction.atomic
def member_invite(*, organization, name, email, role="", by):
    """招待: make `email` a member of `organization`'s 事務局 and mail them the link (queued in the outbox in
    the same transaction: a refused invitation sends nothing). Returns the OfficeMember."""
    email = email.strip()
    user, _created = _account(name=name, email=email)
    if user.is_staff:
        refused = "このメールアドレスは市の職員のアカウントです。事務局には別のアドレスを使ってください。"
        raise ValidationError({"email": [refused]})
    if OfficeMember.objects.filter(organization=organization, user=user).exists():
        raise ValidationError({"email": ["この人はすでにこの組織の事務局に登録されています。"]})
    member = record_change(
        OfficeMember(organization=organization, user=user, role=role, invited_by=by), by=by, reason="事務局の招待"
    )
    member.save()
    invitation_mail(member)
    return member


def invitation_mail(member):
    """The invitation: a link to set a password, or (an account with a password already) the sign-in page."""
    user, organization = member.user, member.organization
    lines = [
        f"{organization.name} 事務局",
        f"{user.last_name} {user.first_name}".strip() + " 様",
        "",
        f"{settings.PORTAL['CITY_NAME']}{settings.PORTAL['POLICY_DIVISION']}です。",
        f"新見市 小規模多機能自治ポータルで、{organization.name}の事務局として、",
        "交付申請・請求・実績報告などの手続きと、市からの通知書の受け取りができるようになりました。",
        "",
    ]
    if user.has_usable_password():
        lines += [
            "いまお使いのアカウント（メールアドレスとパスワード）でログインしてください。",
            settings.PORTAL_BASE_URL + reverse("login"),
        ]
    else:
        lines += [
            "次のリンクを開いて、パスワードを設定してください（リンクは1回だけ使えます）。",
            welcome_url(user),
            "",
            f"ログインするときのユーザー名は、このメールアドレス（{user.email}）です。",
        ]
    lines += [
        "",
        "心当たりのない場合は、このメールを破棄し、お手数ですが下記までご連絡ください。",
        f"問い合わせ先: {settings.PORTAL['POLICY_DIVISION']}",
    ]
    send_mail(f"{SUBJECT_PREFIX} 事務局のアカウントのご案内", "\n".join(lines) + "\n", None, [user.email])


@transaction.atomic
def member_join(*, user, password):
    """パスワードの設定: the person sets their password through the link; their memberships are joined now.
    Setting the password changes the hash the token was made from, so the link stops working."""
    user.set_password(password)
    user.save(update_fields=["password"])
    for member in OfficeMember.objects.filter(user=user, joined_at__isnull=True):
        member.joined_at = timezone.now()
        record_change(member, by=user, reason="パスワードの設定")
        member.save(update_fields=["joined_at"])


@transaction.atomic
def member_remove(*, member, by):
    """削除: the person no longer acts for the organization (the account stays for their other organizations;
    the history keeps who served when)."""
    record_change(member, by=by, reason="事務局から外す")
    member.delete()
