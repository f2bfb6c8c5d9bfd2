"""E-mail to an organization's 事務局 about its forms: every member with an address gets it (through Django's
send_mail, which the outbox backend queues)."""

from django.core.mail import send_mail

from offices.models import OfficeMember

SUBJECT_PREFIX = "[新見市 小規模多機能自治]"


def mail_members(organization, subject, body):
    """Send `subject` / `body` to the members of `organization`'s 事務局; returns the addresses."""
    addresses = sorted(
        {
            email
            for email in OfficeMember.objects.filter(organization=organization).values_list("user__email", flat=True)
            if email
        }
    )
    if addresses:
        send_mail(f"{SUBJECT_PREFIX} {subject}", body, None, addresses)
    return addresses
