"""Who must sign in with a second factor (TOTP, or a backup code) and whether they have.

Required for superusers and the 総合政策課 group (they reach personal data and issue official
documents); optional for liaisons and organization users, who are asked for a code only once they
have set up an authenticator app themselves. Assumption the city must confirm: this split.
"""

from django.conf import settings
from django_otp import user_has_device

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "認証アプリ"
BACKUP_DEVICE_NAME = "予備コード"


def required_for(user):
    """Whether `user` may not work without a second factor."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=settings.POLICY_GROUP).exists()


def must_verify(user):
    """Whether `user` (signed in) is to be asked for a code before anything else: required, or set up."""
    return user.is_authenticated and (required_for(user) or user_has_device(user))
