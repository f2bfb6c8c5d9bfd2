"""The 事務局's home and documents: what is due, the steps of the year, messages from the 課, the documents the
city issued to them (with number and 和暦 date) and each PDF behind the login, only their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.models import FiscalYear
from offices.models import Submission
from organizations.models import AccessLog
from tests.helpers import Client
from tests.offices.conftest import new_office_user

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_home_shows_the_steps_of_the_year_and_the_documents(world, office_member):
    client = signed_in(office_member)
    page = client.get(reverse("offices:home", kwargs={"slug": world.organization.slug}))
    assert page.status_code == 200
    text = page.text
    assert "唐松まちづくり協議会 事務局" in text
    assert f"{world.fiscal_year.label}の手続きの状況" in text
    for step in ("申請", "決定", "変更", "請求・支払", "実績報告", "確定"):
        assert f'<span class="fw-bold">{step}</span>' in text
    assert f"交付決定 {world.decision.amount:,}円" in text
    assert world.issued.title in text and world.issued.entry.text_with_year in text
    assert reverse("offices:document_pdf", kwargs={"slug": world.organization.slug, "pk": world.issued.pk}) in text
    assert reverse("two_factor_setup") in text  # the optional second factor


def test_the_home_says_what_is_due_next(world, office_member):
    # 唐松's decision has no 実績報告 yet: the 実績報告書 is due
    page = signed_in(office_member).get(reverse("offices:home", kwargs={"slug": world.organization.slug}))
    assert f"{world.fiscal_year.label} 実績報告書の提出" in page.text
    assert "期限: 令和" in page.text


def test_a_correction_asked_is_a_message_from_the_division(world, office_member):
    Submission.objects.create(
        organization=world.organization,
        fiscal_year=world.fiscal_year,
        kind=Submission.Kind.CLAIM,
        status=Submission.Status.CORRECTION,
    )
    page = signed_in(office_member).get(reverse("offices:home", kwargs={"slug": world.organization.slug}))
    assert "市からのお知らせ" in page.text
    assert "請求に補正の依頼があります" in page.text
    assert "請求: 補正の依頼あり" in page.text  # and the 請求・支払 step says so


def form_url(organization, kind):
    return reverse("offices:form", kwargs={"slug": organization.slug, "kind": kind})


def test_after_the_decision_each_step_links_to_its_form_with_its_state(world, office_member):
    Submission.objects.create(
        organization=world.organization,
        fiscal_year=world.fiscal_year,
        kind=Submission.Kind.REPORT,
        status=Submission.Status.DRAFT,
    )
    text = signed_in(office_member).get(reverse("offices:home", kwargs={"slug": world.organization.slug})).text
    links = (("change_request", "変更申請の入力へ"), ("claim", "請求の入力へ"), ("report", "実績報告の入力へ"))
    for kind, words in links:
        assert f'href="{form_url(world.organization, kind)}"' in text and words in text
    report = text.index("実績報告の入力へ")
    assert text.index("状況: 下書き", report) < text.index("</a>", report)
    # the 交付申請 came on paper: no form to open
    assert form_url(world.organization, "application") not in text
    assert reverse("offices:profile", kwargs={"slug": world.organization.slug}) in text
    assert "公開ページの変更を提案する" in text


def test_before_any_application_only_the_application_form_is_linked(organization, office_member, current_year):
    text = signed_in(office_member).get(reverse("offices:home", kwargs={"slug": organization.slug})).text
    link = text.index(f'href="{form_url(organization, "application")}"')
    assert text.index("状況: まだ始めていません", link) < text.index("</a>", link)
    for kind in ("change_request", "claim", "report"):  # they need a 交付決定 first
        assert form_url(organization, kind) not in text


def test_each_state_of_the_application_shows_on_its_link(organization, office_member, current_year):
    submission = Submission.objects.create(
        organization=organization, fiscal_year=current_year, kind=Submission.Kind.APPLICATION
    )
    client = signed_in(office_member)
    home = reverse("offices:home", kwargs={"slug": organization.slug})
    for status, label in (
        (Submission.Status.DRAFT, "下書き"),
        (Submission.Status.SENT, "提出済（受付待ち）"),
        (Submission.Status.CORRECTION, "補正の依頼あり"),
    ):
        Submission.objects.filter(pk=submission.pk).update(status=status)
        text = client.get(home).text
        link = text.index(f'href="{form_url(organization, "application")}"', text.index("手続きの状況"))
        assert text.index(f"状況: {label}", link) < text.index("</a>", link), label


def test_a_correction_message_links_straight_to_the_form(world, office_member):
    Submission.objects.create(
        organization=world.organization,
        fiscal_year=world.fiscal_year,
        kind=Submission.Kind.CLAIM,
        status=Submission.Status.CORRECTION,
    )
    text = signed_in(office_member).get(reverse("offices:home", kwargs={"slug": world.organization.slug})).text
    message = text.index("請求に補正の依頼があります")
    link = text.index(f'href="{form_url(world.organization, "claim")}"', message)
    assert link < text.index("手続きの状況") and "請求を直す" in text[link : link + 200]


def test_once_next_year_is_registered_the_home_offers_its_application(world, office_member):
    following = FiscalYear.for_year(world.fiscal_year.year + 1)
    client = signed_in(office_member)
    text = client.get(reverse("offices:home", kwargs={"slug": world.organization.slug})).text
    link = text.index(f"{following.label}の交付申請の入力へ")
    assert text.index("状況: まだ始めていません", link) < text.index("</a>", link)
    client.get(form_url(world.organization, "application"))  # opening the form writes nothing
    assert not Submission.objects.filter(kind="application", fiscal_year=following).exists()
    client.post(form_url(world.organization, "application") + "draft/", {"requested_amount": "1000"})
    text = client.get(reverse("offices:home", kwargs={"slug": world.organization.slug})).text
    link = text.index(f"{following.label}の交付申請の入力へ")
    assert text.index("状況: 下書き", link) < text.index("</a>", link)
    assert Submission.objects.filter(kind="application", fiscal_year=following).exists()


def test_the_home_reads_in_a_few_queries(world, office_member):
    client = signed_in(office_member)
    url = reverse("offices:home", kwargs={"slug": world.organization.slug})
    client.get(url)
    # 1 session, 2 user, 3 second factor (must_verify), 4 membership with its organization; 5 the fiscal year,
    # 6 its submissions (and next year's 交付申請), 7 the application, 8 the decision, 9 its changes, 10 its
    # payments, 11 next year (this year's 交付申請 is on record: is next year's form open?), 12 the documents;
    # 13-17 the open deadlines (the year, approved organizations without an application, decisions without a
    # report, refunds, payments); 18 the site header's staff check. The count does not grow with the data.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= 18, "\n".join(q["sql"] for q in queries.captured_queries)


def test_a_home_without_a_fiscal_year_still_answers(organization, office_member):
    FiscalYear.objects.all().delete()
    page = signed_in(office_member).get(reverse("offices:home", kwargs={"slug": organization.slug}))
    assert page.status_code == 200 and "まだ始まっていません" in page.text


def test_the_documents_list_the_organizations_own_with_number_and_wareki_date(world, office_member):
    page = signed_in(office_member).get(reverse("offices:documents", kwargs={"slug": world.organization.slug}))
    assert page.status_code == 200
    assert world.issued.title in page.text
    assert world.issued.entry.text_with_year in page.text
    assert "令和" in page.text and "年" in page.text


def test_the_pdf_is_served_to_the_member_and_the_download_is_recorded(world, office_member):
    url = reverse("offices:document_pdf", kwargs={"slug": world.organization.slug, "pk": world.issued.pk})
    response = signed_in(office_member).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    log = AccessLog.objects.get(object_pk=str(world.issued.pk))
    assert log.user == office_member and log.action == "download"


def test_another_organizations_document_is_not_found(world, office_member):
    takao = new_office_user("takao-jimu", world.other_organization)
    # 高尾's member, through 高尾's own slug, asking for 唐松's document
    url = reverse("offices:document_pdf", kwargs={"slug": world.other_organization.slug, "pk": world.issued.pk})
    assert signed_in(takao).get(url).status_code == 404
    # and through 唐松's slug
    url = reverse("offices:document_pdf", kwargs={"slug": world.organization.slug, "pk": world.issued.pk})
    assert signed_in(takao).get(url).status_code == 404
    assert Client().get(url)["Location"].startswith("/accounts/login/")
    assert not AccessLog.objects.exists()
