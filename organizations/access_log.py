"""Writing the access log (アクセス記録): the one helper the views that serve personal data call once they
have decided the user may have it. No middleware guesses which requests touched personal data."""

from django.conf import settings
from django.contrib.admin.utils import unquote

from niimi_portal.lib.client import client_address
from organizations.models import AccessLog

VIEW = AccessLog.Action.VIEW
DOWNLOAD = AccessLog.Action.DOWNLOAD


def record_access(request, obj, action, *, kind, label=None):
    """One row: `request.user` did `action` (VIEW or DOWNLOAD) on `obj`, a record of `kind`
    (「申請書の添付ファイル」…), from the client's address. `label` defaults to str(obj)."""
    (entry,) = access_entries(request, [obj], action, kind=kind, label=label)
    entry.save()
    return entry


def record_access_many(request, objects, action, *, kind):
    """One row per object in one query: a list downloaded at once (the organization list with each contact)."""
    return AccessLog.objects.bulk_create(access_entries(request, objects, action, kind=kind))


def access_entries(request, objects, action, *, kind, label=None):
    """The unsaved rows of `record_access` and `record_access_many`: one per object, labelled `label` or
    the object itself."""
    user = request.user if request.user.is_authenticated else None
    address = client_address(request) or None
    return [
        AccessLog(
            user=user,
            username=user.get_username() if user else "",
            kind=kind,
            object_type=obj._meta.label_lower,
            object_pk=str(obj.pk),
            label=str(label if label is not None else obj)[:300],
            action=action,
            ip_address=address,
        )
        for obj in objects
    ]


def purge_access_log(*, days=None, now=None):
    """Delete the rows older than `days` (ACCESS_LOG_RETENTION_DAYS by default); return how many went."""
    days = settings.ACCESS_LOG_RETENTION_DAYS if days is None else days
    deleted, _ = AccessLog.objects.older_than(days, now=now).delete()
    return deleted


class LoggedChangeViewAdmin:
    """On a ModelAdmin whose change page shows personal data: each page shown (GET, answered 200, so
    the permission check passed) is logged as a 閲覧. `access_log_kind` names the record; a subclass may
    override `access_log_label(obj)`, or return None from it when the page showed nothing to log."""

    access_log_kind = ""

    def access_log_label(self, obj):
        return str(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            label = self.access_log_label(obj) if obj is not None else None
            if label is not None:
                record_access(request, obj, VIEW, kind=self.access_log_kind, label=label)
        return response
