"""Staff sessions end after a working day without activity.

Django's SESSION_SAVE_EVERY_REQUEST would write the session on every request; this writes it at
most every REFRESH_SECONDS, which keeps the expiry sliding at a fraction of the database writes.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

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
