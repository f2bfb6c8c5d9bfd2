"""Isolation of the 事務局's pages: every URL pattern of the `offices` namespace, read from the URL resolver (so
a page added later is covered without touching this file), asked with ANOTHER organization's slug and ids.

唐松 (world.organization) holds the records: its issued 交付決定通知書, a submission with a version, a 補正
comment and an attachment, a page-edit proposal. The askers: a member of 高尾's 事務局 (404, through 唐松's slug
and through 高尾's own slug with 唐松's ids), an anonymous visitor (the sign-in page), 唐松's own liaison and a
総合政策課 clerk (404: they have their own pages). A POST is refused the same way and changes no row of any table.
"""

import io
import itertools
import re

import pytest
from django.urls import URLResolver, get_resolver, reverse

from offices.models import FieldComment, ProfileEdit, Submission, SubmissionAttachment, SubmissionVersion
from tests.helpers import Client
from tests.offices.conftest import new_office_user
from tests.security.world import database_state, state_changes
from tests.staff.conftest import pdf_bytes

pytestmark = pytest.mark.django_db

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
NOT_ORGANIZATION_PAGES = {"start", "welcome"}  # no organization in the address: tested on their own


def office_patterns(patterns=None, prefix="", inside=False):
    """(name, route) of every pattern under the `offices` namespace, includes followed."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from office_patterns(pattern.url_patterns, route, inside or pattern.namespace == "offices")
        elif inside:
            yield pattern.name, route


def organization_pages():
    pages = [(name, route) for name, route in office_patterns() if name not in NOT_ORGANIZATION_PAGES]
    assert {"home", "documents", "document_pdf"} <= {name for name, _ in pages}
    return pages


@pytest.fixture
def records(world):
    """唐松's records of every kind an office page may name by id."""
    organization = world.organization
    submission = Submission.objects.create(
        organization=organization,
        fiscal_year=world.fiscal_year,
        kind=Submission.Kind.CHANGE_REQUEST,
        status=Submission.Status.CORRECTION,
        data={"reason": "事業の追加"},
    )
    version = SubmissionVersion.objects.create(submission=submission, number=1, data=submission.data)
    comment = FieldComment.objects.create(version=version, field="reason", comment="理由を詳しく書いてください。")
    attachment = SubmissionAttachment(
        submission=submission, original_name="領収書.pdf", content_type="application/pdf", size=len(pdf_bytes())
    )
    attachment.file.save("receipt.pdf", io.BytesIO(pdf_bytes()), save=False)
    attachment.save()
    return [world.issued, submission, version, comment, attachment, world.profile_edit]


def candidate_kwargs(route, slug, records):
    """Every filling of the route's parameters with 唐松's values: its slug; for a number, the id of each of its
    records; for a 書類 (kind), each kind; for anything else a plain word."""
    choices = []
    for match in PARAMETER.finditer(route):
        name, converter = match["name"], match["converter"] or "str"
        if name == "slug":
            values = [slug]
        elif converter == "int":
            values = sorted({record.pk for record in records})
        elif name == "kind":
            values = list(Submission.Kind.values)
        else:
            values = ["x"]
        choices.append([(name, value) for value in values])
    return [dict(combination) for combination in itertools.product(*choices)]


def urls_of_another_organization(world, records, *, own_slug=None):
    """(name, url) of every organization page filled with 唐松's ids; with `own_slug`, under that slug instead
    (only the pages naming one of 唐松's records by id: a page named by its 書類 alone is the member's own form)."""
    urls = []
    for name, route in organization_pages():
        for kwargs in candidate_kwargs(route, world.organization.slug, records):
            if own_slug is not None:
                ids = {value for value in kwargs.values() if isinstance(value, int)}
                if not ids or ids & own_ids(world.other_organization):
                    continue  # the member's own form, or an id that is also one of its own records
                kwargs["slug"] = own_slug
            urls.append((name, reverse(f"offices:{name}", kwargs=kwargs)))
    return urls


def own_ids(organization):
    """The ids of the asking organization's own records (its own pages rightly answer those)."""
    submissions = Submission.objects.filter(organization=organization)
    return {
        *submissions.values_list("pk", flat=True),
        *SubmissionVersion.objects.filter(submission__in=submissions).values_list("pk", flat=True),
        *SubmissionAttachment.objects.filter(submission__in=submissions).values_list("pk", flat=True),
        *ProfileEdit.objects.filter(organization=organization).values_list("pk", flat=True),
    }


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def refused_everywhere(client, urls, expected):
    """Each URL refused on GET and POST as `expected` (404, or the sign-in page); the database unchanged."""
    wrong = []
    before = database_state()
    for name, url in urls:
        for method in (client.get, client.post):
            response = method(url)
            if expected == "login":
                ok = response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
            else:
                ok = response.status_code == expected
            if not ok:
                wrong.append(f"{method.__name__.upper()} {name} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert state_changes(before, database_state()) == []


def test_another_organizations_member_finds_nothing(world, records):
    takao = new_office_user("takao-jimu", world.other_organization)
    urls = urls_of_another_organization(world, records)
    urls += urls_of_another_organization(world, records, own_slug=world.other_organization.slug)
    refused_everywhere(signed_in(takao), urls, 404)


def test_anonymous_visitors_are_sent_to_sign_in(world, records):
    refused_everywhere(Client(), urls_of_another_organization(world, records), "login")


@pytest.mark.parametrize("person", ["assigned_liaison", "policy_officer", "superuser"])
def test_the_liaison_and_the_division_have_their_own_pages(world, records, person):
    refused_everywhere(signed_in(world.users[person]), urls_of_another_organization(world, records), 404)


def test_the_members_own_pages_answer_them(world, records):
    """The same walk, for 唐松's own member, reaches every page without a 404 on the home and documents (so the
    404s above are the permission check, not a broken page)."""
    karamatsu = signed_in(new_office_user("karamatsu-jimu", world.organization))
    for name in ("home", "documents"):
        assert karamatsu.get(reverse(f"offices:{name}", kwargs={"slug": world.organization.slug})).status_code == 200
    pdf = reverse("offices:document_pdf", kwargs={"slug": world.organization.slug, "pk": world.issued.pk})
    assert karamatsu.get(pdf).status_code == 200


def test_the_start_page_lists_only_the_members_own_organizations(world):
    takao = signed_in(new_office_user("takao-jimu", world.other_organization))
    response = takao.get(reverse("offices:start"))
    assert response.status_code == 302
    assert response["Location"] == reverse("offices:home", kwargs={"slug": world.other_organization.slug})
