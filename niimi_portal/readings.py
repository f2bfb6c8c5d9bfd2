"""Where the ふりがな readings of the public texts are stored: the database (niimi_portal.models.Reading).

niimi_portal.lib.furigana knows no model; the app hands it this store when it starts (apps.py).

Readings come in two ways: a public text's are read when it is saved (niimi_portal/names.py), and a
page's rendering reads the texts nobody saved (its template's headings, explanations, header and
footer) the first time any process shows them. Those are stored too, so no other process or worker
reads them again; `manage.py warm_pages` renders every public page with ふりがな at a deploy for that.

A page's new readings are written after its response has gone (on request_finished), all at once, so
the visitor does not wait for the write. The readings are a cache of the analyzer's work: a write that
fails (a read-only transaction or replica, a lock) is logged and forgotten, never the page's failure,
and the next page that needs those readings reads them again and tries again.
"""

import json
import logging
import threading

from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connection, transaction

from niimi_portal.models import Reading

logger = logging.getLogger(__name__)

# Keys asked for in one query (well under any database's limit on parameters).
CHUNK = 500


class DatabaseReadings:
    def __init__(self):
        self._pending = {}  # key → pieces read during requests still running, written when one ends
        self._lock = threading.Lock()
        self._local = threading.local()

    def get_many(self, keys):
        found = {}
        with self._lock:
            if self._pending:
                found.update((key, self._pending[key]) for key in keys if key in self._pending)
        keys = [key for key in keys if key not in found]
        # One plain query per CHUNK keys: a page's first rendering in a process asks for all its pieces,
        # and the ORM's filter(key__in=…).values_list() took three times as long for the same rows.
        quote = connection.ops.quote_name
        table, key, pieces = quote(Reading._meta.db_table), quote("key"), quote("pieces")
        with connection.cursor() as cursor:
            for at in range(0, len(keys), CHUNK):
                chunk = keys[at : at + CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                # Only the model's own quoted names and placeholders are spliced in; the keys are parameters.
                sql = f"SELECT {key}, {pieces} FROM {table} WHERE {key} IN ({marks})"  # noqa: S608  # nosec B608
                cursor.execute(sql, chunk)
                found.update((k, json.loads(v) if isinstance(v, str | bytes) else v) for k, v in cursor.fetchall())
        return found

    def set_many(self, found):
        if getattr(self._local, "in_request", False):
            with self._lock:
                self._pending.update(found)
        else:
            write(found)

    def request_started(self, **kwargs):
        self._local.in_request = True

    def request_finished(self, **kwargs):
        self._local.in_request = False
        self.write_pending()

    def write_pending(self):
        with self._lock:
            found, self._pending = self._pending, {}
        if found:
            write(found)

    def connect(self):
        request_started.connect(self.request_started, dispatch_uid="furigana-readings-request-started")
        request_finished.connect(self.request_finished, dispatch_uid="furigana-readings-request-finished")


def write(found):
    """Store `found` ({key: pieces}) in one statement per CHUNK rows; rows already there are kept as
    they are (another process stored the same reading). True when written."""
    rows = [Reading(key=key, pieces=pieces) for key, pieces in found.items()]
    outermost = not connection.in_atomic_block
    try:
        # Inside a caller's transaction this is a savepoint: a failed write rolls back to it and leaves
        # the caller's transaction usable.
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                # A lost reading is read again: no need to wait for the write-ahead log on disk.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            Reading.objects.bulk_create(rows, ignore_conflicts=True, batch_size=CHUNK)
    except DatabaseError as error:
        logger.warning("ふりがなの読み %d 件を保存できませんでした: %s", len(rows), error)
        return False
    return True
