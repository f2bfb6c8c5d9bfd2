"""Who must sign in with a second factor (TOTP, or a backup code) and whether they have.

Required for superusers and the 総合政策課 group (they reach personal data and issue official
documents); optional for liaisons and organization users, who are asked for a code only once they
have set up an authenticator app themselves. Assumption the city must confirm: this split.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "認証アプリ"
BACKUP_DEVICE_NAME = "予備コード"


def required_for(user):
    """Whether `user` may not work without a second factor."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=settings.POLICY_GROUP).exists()


def must_verify(user):
    """Whether `user` (signed in) is to be asked for a code before anything else: required, or set up.
    Asked on every request of a person not yet verified, so in one query: in the group, or holding a
    confirmed device of either kind (the relations django-otp's device models give the user model)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    required_or_set_up = (
        Q(groups__name=settings.POLICY_GROUP) | Q(totpdevice__confirmed=True) | Q(staticdevice__confirmed=True)
    )
    return get_user_model()._default_manager.filter(required_or_set_up, pk=user.pk).exists()
