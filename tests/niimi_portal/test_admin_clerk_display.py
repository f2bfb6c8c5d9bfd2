"""Every admin page shows dates in 和暦 and amounts in yen: each registered ModelAdmin and each of its
inlines with a date or an amount has ClerkDisplayMixin (niimi_portal.lib.admin_display), so a new admin
cannot forget it; the libraries' admins (sign-in attempts, devices, groups) get it by being registered
again."""

from django.apps import apps
from django.contrib import admin
from django.utils import timezone
from model_bakery import baker

from niimi_portal.lib.admin_display import ClerkDisplayMixin, shown_by_clerk, wareki_with_weekday


def registered_admins():
    return [admin.site.get_model_admin(model) for model in apps.get_models() if admin.site.is_registered(model)]


def test_every_admin_and_inline_shows_values_as_a_clerk_writes_them():
    without = [
        name
        for model_admin in registered_admins()
        for name, admin_class in [(type(model_admin).__name__, type(model_admin)), *inline_classes(model_admin)]
        if not issubclass(admin_class, ClerkDisplayMixin)
    ]
    assert without == []
    assert len(registered_admins()) > 30


def inline_classes(model_admin):
    """The inlines whose model has a date or an amount in yen (a library's inline of tokens has none)."""
    return [
        (inline.__name__, inline)
        for inline in model_admin.inlines
        if any(shown_by_clerk(field) for field in inline.model._meta.concrete_fields)
    ]


def test_a_librarys_admin_keeps_its_own_behaviour_with_dates_in_wareki(admin_client):
    from axes.admin import AccessAttemptAdmin
    from axes.models import AccessAttempt

    assert isinstance(admin.site.get_model_admin(AccessAttempt), AccessAttemptAdmin)
    attempt = baker.make(AccessAttempt, username="someone")
    html = admin_client.get("/admin/axes/accessattempt/").content.decode()
    local = timezone.localtime(attempt.attempt_time)
    assert f"{wareki_with_weekday(local)} {local:%H:%M}" in html
    assert "someone" in html
