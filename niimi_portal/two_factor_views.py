"""Two-factor sign-in pages (django-otp): enter a code after the password, and set up an authenticator
app with backup codes. Who must use them: niimi_portal.lib.two_factor; the gate: TwoFactorMiddleware.

Every state change is a POST: starting a setup makes an unconfirmed TOTP device, the first right code
confirms it and makes the backup codes (shown once), and new backup codes replace the old ones."""

import base64
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from niimi_portal.lib import two_factor

WRONG_CODE = (
    "確認コードが正しくありません。認証アプリに表示されている6桁の数字か、予備コード（8文字）を入力してください。"
    "続けて間違えると、しばらく入力できなくなります。"
)


def normalized(code):
    """What a person types, as the devices compare it: no spaces or hyphens, lower case."""
    return "".join(code.split()).replace("-", "").lower()


class CodeForm(forms.Form):
    code = forms.CharField(
        label="確認コード",
        max_length=20,
        help_text="認証アプリに表示されている6桁の数字、または予備コードを入力してください。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "class": "form-control"}),
    )


class VerifyForm(CodeForm):
    """A code from any of the user's confirmed devices (the app's TOTP, or one backup code, used up)."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        code = normalized(self.cleaned_data["code"])
        for device in devices_for_user(self.user):
            self.device = verify_token(self.user, device.persistent_id, code)
            if self.device is not None:
                return code
        raise forms.ValidationError(WRONG_CODE)


class ConfirmForm(CodeForm):
    """The first code from the app being set up: proves it holds the key."""

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = normalized(self.cleaned_data["code"])
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                "確認コードが正しくありません。"
                "認証アプリに登録した「新見市 小規模多機能自治」の6桁の数字を入力してください。"
            )
        return code


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index") if request.user.is_staff else reverse("staff:dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if not user_has_device(request.user):
        return redirect("two_factor_setup")
    form = VerifyForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = form.device.token_set.count()
            messages.warning(request, f"予備コードを1つ使いました。残りは{left}個です。")
        return redirect(_next_url(request))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


def _new_backup_codes(user):
    """Replace the user's backup codes with BACKUP_CODE_COUNT new ones; return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": two_factor.BACKUP_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(two_factor.BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _qr_svg(device):
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    # Markup qrcode drew from our own URL (hex key, user name escaped by urlencode): no outside input.
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308  # nosec B308 B703


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    user = request.user
    confirmed = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    pending = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    action = request.POST.get("action")
    context = {"required": two_factor.required_for(user), "next": _next_url(request)}

    if confirmed is not None:
        if request.method == "POST" and action == "backup" and user.is_verified():
            context["codes"] = _new_backup_codes(user)
            return render(request, "registration/two_factor_backup_codes.html", context)
        return render(request, "registration/two_factor_status.html", {**context, "device": confirmed})

    if request.method == "POST" and action == "start":
        with transaction.atomic():
            TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
            TOTPDevice.objects.create(user=user, name=two_factor.TOTP_DEVICE_NAME, confirmed=False)
        return redirect(f"{request.path}?{urlencode({'next': context['next']})}")

    if pending is None:
        return render(request, "registration/two_factor_start.html", context)

    form = ConfirmForm(pending, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            codes = _new_backup_codes(user)
        otp_login(request, pending)
        return render(request, "registration/two_factor_backup_codes.html", {**context, "codes": codes, "new": True})
    secret = base64.b32encode(pending.bin_key).decode()
    context.update(form=form, qr=_qr_svg(pending), secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)))
    return render(request, "registration/two_factor_setup.html", context)
