"""Two `send_outbox` runs at the same moment, on PostgreSQL: every message is delivered exactly once.

Each run is a thread with its own database connection; the SMTP server answers slowly, so without the
row lock (select_for_update(skip_locked=True)) both runs would take the same messages."""

import asyncio
import threading

import pytest
from django.core.mail import send_mail
from django.db import connection

from outbox.models import Message
from outbox.services import send_due
from tests.mail import Inbox, smtp_mailers, start_smtp_server

# serialized_rollback: every transactional test of the suite restores the migrated data (groups, settings) the
# same way, so none of them recreates content types under new ids that the next one's restore collides with.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class SlowInbox(Inbox):
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        await asyncio.sleep(0.05)  # the other run reaches the queue meanwhile
        return await super().handle_DATA(server, session, envelope)


def runs(count):
    """Start `count` runs together; return their counts and anything they raised."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(send_due(limit=5))
            results.append(send_due(limit=100))
        except Exception as error:  # noqa: BLE001 — collected and asserted by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_two_runs_at_once_send_every_message_exactly_once(settings):
    controller, _ = start_smtp_server()
    inbox = SlowInbox()
    controller.handler = inbox
    settings.MAILERS = smtp_mailers(controller)
    try:
        for number in range(20):
            send_mail(f"お知らせ{number}", "本文です。", None, [f"jimu{number}@example.invalid"])
        results, errors = runs(2)
    finally:
        controller.stop()
    assert errors == []
    assert sum(result["sent"] for result in results) == 20
    assert sorted(inbox.subjects()) == sorted(f"お知らせ{number}" for number in range(20))
    assert len({m["message"]["Message-ID"] for m in inbox.messages}) == 20
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
