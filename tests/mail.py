"""A real SMTP server for tests (aiosmtpd on a free port) and the settings that send mail through it."""

import email
import email.policy
import socket

from aiosmtpd.controller import Controller
from django.core.management import call_command


class Inbox:
    """Collects every message the server receives, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "message": message})
        return "250 OK"

    def subjects(self):
        return [str(m["message"]["Subject"]) for m in self.messages]

    def body(self, index=-1):
        return self.messages[index]["message"].get_body(preferencelist=("plain",)).get_content()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, inbox


def smtp_mailers(controller):
    """The portal's mailers with delivery through the test's server: "default" stores each message in the
    outbox, as in production; `send_outbox` sends it through "delivery"."""
    return {
        "default": {"BACKEND": "outbox.backends.OutboxBackend"},
        "delivery": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": controller.hostname, "port": controller.port, "timeout": 5},
        },
    }


def send_outbox():
    """Run the outbox command as the timer does, so queued mail reaches the test's server."""
    call_command("send_outbox", verbosity=0)
