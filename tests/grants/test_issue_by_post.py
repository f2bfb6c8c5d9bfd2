"""No document is issued by a GET: the register's issue link, a decision's notice and the year-wide print.

A GET shows a confirmation page (what will be sent for 決裁, a POST button) or downloads what is already
issued; only a POST with the CSRF token, by a user holding the deciding permission, sends a document for
決裁 (起案), and only the 決裁権者's approval freezes it (tests/grants/test_drafts.py). A user who may only
view decisions is refused on every one of these URLs, GET and POST.
"""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from grants import notices, services
from grants.models import DocumentDraft, DocumentNumber, IssuedDocument
from tests.grants.pdf import pdf_info, pdf_text
from tests.helpers import Client, approve_drafts, login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _notice_settings(notice_settings):
    """Every placeholder of the notice settings filled in, so the notices can be issued."""


@pytest.fixture
def two_decisions(reserved_decision, other_approved, current_year, decided_on):
    """Two 交付決定 whose notices wait for 決裁 (no number yet: 「番号は決裁の後」)."""
    services.grant_calculate_year(fiscal_year=current_year)
    services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    return reserved_decision


@pytest.fixture
def view_only(db):
    """A staff user who may view fiscal years, decisions and the register, but not decide."""
    user = User.objects.create_user("view-only", password="x", is_staff=True)
    codenames = ["view_fiscalyear", "view_grantdecision", "view_documentnumber", "view_issueddocument"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def issue_urls(decision):
    entry = DocumentNumber.objects.get(decision=decision, kind="decision")
    return {
        "register": reverse("admin:grants_documentnumber_issue", args=[entry.pk]),
        "notice": reverse("admin:grants_grantdecision_notice", args=[decision.pk, "decision"]),
        "year": reverse("admin:grants_fiscalyear_notices", args=[decision.fiscal_year.pk, "decision"]),
    }


def counts():
    return IssuedDocument.objects.count(), DocumentNumber.objects.count(), DocumentDraft.objects.count()


def test_a_get_to_every_issue_url_issues_and_numbers_nothing(client, policy_officer, two_decisions):
    login(client, policy_officer)
    before = counts()
    for name, url in issue_urls(two_decisions).items():
        for query in ("", "?download=1"):
            page = client.get(url + query, HTTP_REFERER="https://attacker.example/")
            assert page.status_code == 200, name
            html = page.content.decode()
            assert "の確認" in html and 'value="決裁に回す（起案）"' in html, name
            assert "未発行（この操作で決裁に回します）" in html, name
    assert counts() == before == (0, 2, 0)


def test_the_confirmation_names_what_will_be_issued(client, policy_officer, two_decisions):
    html = login(client, policy_officer).get(issue_urls(two_decisions)["year"]).content.decode()
    assert "令和8年度 交付決定通知書（全件）の発行の確認" in html
    assert "決裁待ち（番号は決裁の後）" in html and "高尾ふれあい協議会" in html
    assert "うち未発行 2件" in html and "決裁に回す（起案）" in html


def test_a_view_only_user_is_refused_on_every_issue_url(client, view_only, two_decisions):
    login(client, view_only)
    before = counts()
    for name, url in issue_urls(two_decisions).items():
        assert client.get(url).status_code == 403, name
        assert client.get(url + "?preview=1").status_code == 403, name
        assert client.post(url).status_code == 403, name
    assert counts() == before


def test_a_post_without_the_csrf_token_issues_nothing(policy_officer, two_decisions):
    client = Client(enforce_csrf_checks=True)
    client.force_login(policy_officer)
    for name, url in issue_urls(two_decisions).items():
        assert client.post(url).status_code == 403, name
    assert counts() == (0, 2, 0)


def test_the_year_wide_post_sends_every_notice_for_approval_and_records_the_officer(
    client, policy_officer, two_decisions
):
    response = login(client, policy_officer).post(issue_urls(two_decisions)["year"])
    assert response.status_code == 302 and response["Location"].endswith("/admin/grants/documentdraft/")
    assert counts() == (0, 2, 2)  # drafted (起案), not issued; issuing takes no new number
    assert [draft.drafted_by for draft in DocumentDraft.objects.all()] == [policy_officer, policy_officer]
    # The clerk who sent them cannot approve them.
    draft = DocumentDraft.objects.first()
    assert client.post(reverse("admin:grants_documentdraft_approve", args=[draft.pk])).status_code == 403
    assert IssuedDocument.objects.count() == 0
    documents = approve_drafts()
    assert {document.issued_by.username for document in documents} == {"approver-mayor"}
    download = client.get(issue_urls(two_decisions)["year"] + "?download=1")
    assert pdf_info(download.content)["Pages"] == "2"
    assert counts() == (2, 2, 2)


def test_once_issued_a_get_downloads_the_notices_as_issued(client, policy_officer, two_decisions):
    urls = issue_urls(two_decisions)
    login(client, policy_officer)
    submitted = client.post(urls["notice"])
    draft = DocumentDraft.objects.get()
    assert submitted["Location"] == reverse("admin:grants_documentdraft_decide", args=[draft.pk])
    assert (draft.entry, draft.numbered_by_act) == (DocumentNumber.objects.get(decision=two_decisions), True)
    # A second click sends nothing more; the confirmation says the notice waits for 決裁.
    client.post(urls["notice"])
    assert DocumentDraft.objects.count() == 1
    assert "部長の決裁待ち" in client.get(urls["notice"]).content.decode()
    approve_drafts()
    document = IssuedDocument.objects.get()
    issued = client.get(urls["notice"])
    assert issued.content == bytes(document.pdf) and document.issued_by.username == "approver-mayor"
    assert client.get(urls["register"]).content == issued.content
    year = client.get(urls["year"]).content.decode()
    assert "うち未発行 1件" in year  # the other organization's notice is still to issue
    client.post(urls["year"])
    approve_drafts()
    html = client.get(urls["year"]).content.decode()
    assert "すべて発行済み" in html and "決裁に回す（起案）" not in html
    download = client.get(urls["year"] + "?download=1")
    assert download["Content-Type"] == "application/pdf" and "高尾ふれあい協議会" in pdf_text(download.content)
    assert counts() == (2, 2, 2)


def test_the_register_post_sends_for_approval_and_approval_freezes_under_the_number(
    client, policy_officer, reserved_decision
):
    entry = DocumentNumber.objects.get(decision=reserved_decision)
    login(client, policy_officer).post(reverse("admin:grants_documentnumber_issue", args=[entry.pk]))
    assert counts() == (0, 1, 1)
    entry.refresh_from_db()
    assert entry.is_reserved  # 起案 takes no number
    (document,) = approve_drafts()
    assert document.entry == entry
    entry.refresh_from_db()
    assert entry.text == "新総政第1号"
    text = pdf_text(bytes(document.pdf))
    assert entry.text in text and " 案 " not in f" {text} "


def test_a_download_action_prints_only_what_is_issued(client, policy_officer, two_decisions):
    response = login(client, policy_officer).post(
        reverse("admin:grants_grantdecision_changelist"),
        {
            "action": "download_decision_pdf",
            "_selected_action": [d.pk for d in two_decisions.fiscal_year.grant_decisions.all()],
        },
        follow=True,
    )
    assert "未発行の交付決定通知書があります" in response.content.decode()
    assert counts() == (0, 2, 0)


def test_the_preview_stays_a_get_that_stores_nothing(client, policy_officer, reserved_decision):
    url = issue_urls(reserved_decision)["notice"] + "?preview=1"
    preview = login(client, policy_officer).get(url)
    assert preview["Content-Type"] == "application/pdf" and " 案 " in f" {pdf_text(preview.content)} "
    assert not IssuedDocument.objects.exists()


def test_a_voided_number_is_refused_on_the_confirmation_too(client, policy_officer, reserved_decision):
    entry = DocumentNumber.objects.get(decision=reserved_decision)
    login(client, policy_officer)
    client.post(reverse("admin:grants_documentnumber_void", args=[entry.pk]), {"reason": "宛先の誤り"})
    page = client.get(issue_urls(reserved_decision)["register"], follow=True).content.decode()
    assert "欠番のため、文書を発行できません" in page
    assert notices.issued_original(entry) is None
