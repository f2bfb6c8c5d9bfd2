"""Small helpers the tests of every app share (fixtures live in tests/conftest.py)."""

import re

import pytest
from django import test
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from django_otp import login as otp_login
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from grants import drafts, notices
from grants.models import DocumentDraft
from niimi_portal.lib import two_factor


def totp_device(user):
    """The user's confirmed authenticator-app device, made if they have none."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=two_factor.TOTP_DEVICE_NAME, confirmed=True)


def current_code(device):
    """The 6-digit code the person's authenticator app shows now for `device`."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


class Client(test.Client):
    """The test client the tests use (the `client` and `admin_client` fixtures, and every test that makes
    its own): `force_login` signs a person who must give a second factor (a 総合政策課 clerk, a superuser,
    anyone with a device) in *verified*, as if they had entered their code, through django-otp's public
    `django_otp.login` on a request carrying the client's session. The two-factor gate itself stays on:
    a password login through the login page, or `force_login(user, verified=False)`, is not verified,
    and tests/security/test_two_factor.py checks the gate that way."""

    def force_login(self, user, backend=None, *, verified=True):
        super().force_login(user, backend)
        if verified and two_factor.must_verify(user):
            request = HttpRequest()
            request.session = self.session
            request.user = user
            otp_login(request, totp_device(user))
            request.session.save()


def login(client, person, request=None):
    """Sign the test client in and return it. `person` is a user, or the name of a person fixture
    ("assigned_liaison"), looked up through pytest's `request`; None leaves the client an anonymous visitor."""
    if isinstance(person, str):
        person = request.getfixturevalue(person)
    if person is not None:
        client.force_login(person)
    return client


def squash(text):
    """The text without white space: pdftotext breaks lines where a line or a table cell wraps, the
    tagged PDF's structure tree does not."""
    return re.sub(r"\s+", "", text)


def rejects(make):
    """Assert that the database refuses the row `make()` writes (a constraint holds), leaving the test usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def get_within_queries(url, most):
    """GET `url` as a visitor and assert it answers 200 in at most `most` queries (the query-count
    tests of the pages and of the files, measured at every scale of the demo). Returns the response."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    assert len(queries) <= most, f"{url}: {len(queries)} queries, at most {most} expected:\n{sql}"
    return response


def approve_drafts(username="approver-mayor", **filters):
    """決裁 of every draft waiting for it, by a 決裁権者 of the 市長 level (made here; it may approve every
    kind): what a test of a step that is drafted (起案) does to see the step take effect; `filters` narrow
    the drafts. Returns the issued documents."""
    approver, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
    if created:
        approver.groups.add(Group.objects.get(name="決裁権者（市長）"))
    return [
        drafts.draft_approve(draft=draft, by=approver) for draft in DocumentDraft.objects.waiting().filter(**filters)
    ]


def issue_entry(entry, drafter="drafter-clerk"):
    """The document of a register line issued as the 課 issues it: 起案 by a clerk, then 決裁 (approve_drafts);
    returns the issued original (the one already issued, if it is)."""
    if notices.issued_original(entry) is None:
        clerk, _ = User.objects.get_or_create(username=drafter, defaults={"is_staff": True})
        drafts.entry_submit(entry=entry, by=clerk)
        approve_drafts(entry=entry)
    return notices.issued_original(entry)


def issue_notice(decision, kind="decision"):
    """The decision's notice of `kind`, issued through 起案 and 決裁 (issue_entry)."""
    return issue_entry(notices.decision_entry(decision, kind))


def issued_notice_pdf(decision, kind="decision"):
    """The PDF of the decision's notice of `kind`, issued through 起案 and 決裁 (issue_entry)."""
    return notices.stored_pdf(issue_notice(decision, kind))


def approve_document(entry, *, by=None, drafter=None):
    """起案 and 決裁 of the document of a register line an act recorded (grants.drafts.entry_submit, then
    draft_approve): the line takes its number on 決裁 (「番号は決裁の後」) and the document is issued. `by` is
    the 決裁権者 (a 市長-level one, made here, by default), `drafter` the clerk who drafts it (made here). Returns
    the issued document; `entry` is refreshed with its number."""
    approver = by
    if approver is None:
        approver, created = User.objects.get_or_create(username="approver-mayor", defaults={"is_staff": True})
        if created:
            approver.groups.add(Group.objects.get(name="決裁権者（市長）"))
    if drafter is None:
        drafter, _ = User.objects.get_or_create(username="drafter-clerk", defaults={"is_staff": True})
    draft = drafts.entry_submit(entry=entry, by=drafter)
    document = drafts.draft_approve(draft=draft, by=approver)
    entry.refresh_from_db()
    return document


def approve_decision(decision, kind="decision", **people):
    """決裁 of a decision's notice of `kind` (the 交付決定通知書 by default): its number is given and written
    into the decision, which is refreshed. Returns the issued document."""
    from grants import register

    document = approve_document(register.latest_entry(kind=kind, decision=decision), **people)
    decision.refresh_from_db()
    return document


def issue_document(entry, **people):
    """The document of a register line as issued: approved (決裁) first while the line waits for its number
    (approve_document), else issued (or the stored original returned) as it is."""
    from grants import notices

    entry.refresh_from_db()
    if entry.is_reserved:
        return approve_document(entry, **people)
    return notices.document_issue(entry=entry)
