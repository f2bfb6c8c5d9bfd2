"""Staff sessions end after a working day without activity, and their pages are never kept by a browser or proxy.

Django's SESSION_SAVE_EVERY_REQUEST would write the session on every request; this writes it at
most every REFRESH_SECONDS, which keeps the expiry sliding at a fraction of the database writes.
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django_otp import user_has_device

from niimi_portal.lib import two_factor

REFRESHED_KEY = "_refreshed_at"
REFRESH_SECONDS = 15 * 60


class SlidingSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only sessions the request already loaded (a logged-in user's): never create one for a resident.
        if session is not None and session.accessed and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get(REFRESHED_KEY, 0) > REFRESH_SECONDS:
                session[REFRESHED_KEY] = now  # marks it modified: SessionMiddleware saves it with a new expiry
        return response


@receiver(user_logged_in)
def _stamp_new_session(sender, request, user, **kwargs):
    if hasattr(request, "session"):
        request.session[REFRESHED_KEY] = int(time.time())


class PrivatePagesMiddleware:
    """Every answer to a signed-in member of staff (the workspace, the admin, their downloads, even a
    public page with their name in the header) is `Cache-Control: private, no-store`: a shared
    computer's browser cache or a proxy must not keep internal records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Only a request with a session can be signed in; asking others would load an empty session.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class TwoFactorMiddleware:
    """A signed-in person who must give a second factor and has not yet (niimi_portal.lib.two_factor)
    reaches only the two-factor pages and sign-out: every other request is sent to enter a code, or to
    set up an authenticator app when they have none. After django_otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and self._must_stop(request):
            target = "two_factor_verify" if user_has_device(request.user) else "two_factor_setup"
            return redirect_to_login(request.get_full_path(), reverse(target))
        return self.get_response(request)

    @staticmethod
    def _must_stop(request):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return False
        if request.path_info.startswith(OPEN_PREFIXES) or request.path_info in _open_paths():
            return False
        return two_factor.must_verify(user)


OPEN_PREFIXES = ("/static/", "/accounts/two-factor/")


def _open_paths():
    return {reverse("logout"), reverse("admin:logout"), reverse("healthz")}
