"""更新日: the day the content a public page shows last changed.

Every save that can change a public page renews the page-cache tags its model's rule names
(niimi_portal.lib.page_tags); the receiver here records, in the same transaction, when each tag last
changed (`ContentChange`), so a rolled-back save leaves no date behind. A page's 更新日 is the latest change
among the tags its view declared with `shows()` and the site-wide tag (an area renamed shows on every page).
ANY, renewed by every save of every app, is not a change of any one page and is not recorded.
"""

from django.db.models import Max
from django.utils import timezone

from niimi_portal.lib.page_tags import ANY, SITE, tags_renewed
from niimi_portal.models import ContentChange


def record_change(sender, tags, **kwargs):
    """One statement for the whole renewal: insert each tag or move its date forward."""
    now = timezone.now()
    rows = [ContentChange(tag=tag, changed_at=now) for tag in tags if tag != ANY]
    if rows:
        ContentChange.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["tag"], update_fields=["changed_at"]
        )


def connect():
    tags_renewed.connect(record_change, dispatch_uid="content-change-record")


def last_changed(tags):
    """The latest change (a date in the city's time zone) among `tags` and the site-wide tag, or None."""
    latest = ContentChange.objects.filter(tag__in=[SITE, *tags]).aggregate(latest=Max("changed_at"))["latest"]
    return timezone.localdate(latest) if latest else None
