"""The staff's pages: every admin changelist and change page, and every page of the liaison workspace
(staff/urls.py), each as (label, url) for the data in the database. Shared by the query-count test of the
staff pages (tests/staff/test_staff_query_counts.py) and their benchmark (bench/staff_pages.py).

A change page is the first row of its model; a workspace page is the first organization, area, meeting
and attachment the liaison has. A page with no row to show is left out (a model with no rows); the demo's
liaison has no area and no attachment until `give_the_liaison_every_page()` adds one of each.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.models import FiscalYear
from organizations.models import Region
from staff.models import Assignment, Meeting, MeetingAttachment
from tests.helpers import Client
from tests.staff.conftest import pdf_bytes

# The demo's policy clerk and assigned liaison (niimi_portal/demo/loader.py DEMO_USERS).
CLERK = "seisaku"
LIAISON = "tanto1"


def admin_pages(clerk):
    """(label, url) of every registered model's changelist and the change page of the first row in it, of
    the models `clerk` may view (the others are the system administrator's: users, groups, …)."""
    request = RequestFactory().get(reverse("admin:index"))
    request.user = clerk
    pages = []
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        if not model_admin.has_view_permission(request):
            continue
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        pages.append((f"admin {info} list", reverse(f"admin:{info}_changelist")))
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            pages.append((f"admin {info} change", reverse(f"admin:{info}_change", args=[first.pk])))
    return pages


def workspace_pages(liaison):
    """(label, url) of every workspace page for `liaison`: the dashboard, an assigned organization and area,
    the meeting form, the stage change, the meeting list and export, a meeting and an attachment of theirs."""
    pages = [
        ("workspace dashboard", reverse("staff:dashboard")),
        ("workspace meeting list", reverse("staff:meeting_list")),
        ("workspace meeting export", reverse("staff:meeting_export")),
    ]
    assigned = Assignment.objects.current().filter(officer__user=liaison).order_by("pk")
    if (first := assigned.filter(organization__isnull=False).select_related("organization").first()) is not None:
        slug = first.organization.slug
        pages += [
            ("workspace organization", reverse("staff:target", args=["organization", slug])),
            ("workspace new meeting", reverse("staff:meeting_create", args=["organization", slug])),
            ("workspace stage change", reverse("staff:stage_change", args=[slug])),
        ]
    if (first := assigned.filter(region__isnull=False).select_related("region").first()) is not None:
        pages.append(("workspace area", reverse("staff:target", args=["region", first.region.slug])))
    meetings = Meeting.objects.filter(author=liaison, organization__assignments__in=assigned).order_by("pk")
    if (meeting := meetings.first()) is not None:
        for name in ("meeting_detail", "meeting_edit", "meeting_archive"):
            pages.append((f"workspace {name.replace('_', ' ')}", reverse(f"staff:{name}", args=[meeting.pk])))
    attachment = MeetingAttachment.objects.filter(meeting__in=meetings).order_by("pk").first()
    if attachment is not None:
        for name in ("attachment_download", "attachment_remove"):
            pages.append((f"workspace {name.replace('_', ' ')}", reverse(f"staff:{name}", args=[attachment.pk])))
    return pages


def give_the_liaison_every_page(username=LIAISON):
    """An area of their own this fiscal year (one no organization covers) and a PDF on their first meeting,
    so that the area and attachment pages of the workspace have something to show."""
    liaison = User.objects.get(username=username)
    region = Region.objects.filter(organizations=None).order_by("pk").first()
    Assignment.objects.get_or_create(
        officer=liaison.liaison_officer, region=region, fiscal_year=FiscalYear.current(), defaults={"role": "sub"}
    )
    meeting = Meeting.objects.filter(author=liaison, organization__isnull=False).order_by("pk").first()
    if not MeetingAttachment.objects.filter(meeting__author=liaison).exists():
        data = pdf_bytes()
        attachment = MeetingAttachment(meeting=meeting, original_name="議事録.pdf", size=len(data), uploaded_by=liaison)
        attachment.content_type = "application/pdf"
        attachment.file.save("minutes.pdf", ContentFile(data))


def signed_in(username, **client_options):
    """A test client (made with `client_options`) signed in as the demo user `username`."""
    client = Client(**client_options)
    client.force_login(User.objects.get(username=username))
    return client


def staff_pages(**client_options):
    """[(label, client, url)]: the admin pages for the policy clerk, the workspace pages for the liaison."""
    clerk, liaison = signed_in(CLERK, **client_options), signed_in(LIAISON, **client_options)
    return [(label, clerk, url) for label, url in admin_pages(User.objects.get(username=CLERK))] + [
        (label, liaison, url) for label, url in workspace_pages(User.objects.get(username=LIAISON))
    ]


def queries_of(client, url):
    """The number of queries a GET of `url` makes (asserting it answers 200), with their SQL."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(captured), [query["sql"] for query in captured.captured_queries]
