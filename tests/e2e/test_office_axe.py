"""axe-core's WCAG 2.2 A/AA rules at 375 px on every page of the 事務局 (the `offices` URL namespace), signed in as
a 事務局 member. The list of pages is read from the URL conf: a page added later without a recipe for its
arguments fails here, naming it, until someone says how to open it."""

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from offices import attachments, profile, services
from offices.models import OfficeMember, Submission
from organizations.models import ProposalStatus
from tests.e2e.conftest import WCAG_AA_TAGS
from tests.offices.conftest import BALANCED
from tests.security.test_permission_matrix import url_patterns
from tests.staff.conftest import pdf_bytes

WCAG_22_AA_TAGS = [*WCAG_AA_TAGS, "wcag22a", "wcag22aa"]
PASSWORD = "jimu-pass-2026"

# How to open each office page, from the test's own records (`d`). None: not a page (a POST-only step or a
# file download), nothing for axe to check.
RECIPES = {
    "start": lambda d: {},
    "welcome": lambda d: welcome_kwargs(d["user"]),
    "home": lambda d: {"slug": d["organization"].slug},
    "documents": lambda d: {"slug": d["organization"].slug},
    "document_pdf": None,
    "form": lambda d: {"slug": d["organization"].slug, "kind": "report"},  # with its attachments box
    "form_draft": None,
    "form_carry_over": lambda d: {"slug": d["organization"].slug, "kind": "change_request"},
    "form_done": lambda d: {"slug": d["organization"].slug, "kind": "application", "pk": d["sent"].pk},
    "profile": lambda d: {"slug": d["organization"].slug},
    "submission_attachments": lambda d: {"slug": d["organization"].slug, "pk": d["submission"].pk},
    "attachment_download": None,
    "attachment_label": None,
    "attachment_remove": None,
}


def welcome_kwargs(user):
    """The invitation's link of `user` as it is now (the token changes when they sign in)."""
    user = User.objects.get(pk=user.pk)
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}


# Buttons and form fields in the page's main part smaller than 44 × 44 px (the house rule for phones).
SMALL_CONTROLS = """() => [...document.querySelectorAll(
    'main button, main input:not([type=hidden]), main select, main textarea, main a.btn')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
  .map(e => e.outerHTML.slice(0, 80))"""


def office_pages():
    return sorted(name for namespace, name, _ in url_patterns() if namespace == "offices")


def axe_violations_22(axe, page):
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA_TAGS}})
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


@pytest.fixture
def office_data(transactional_db, organization, other_organization, current_year):
    user = User.objects.create_user("jimukyoku-axe", password=PASSWORD)
    # Serving two organizations, so the start page shows its choice instead of redirecting.
    OfficeMember.objects.create(organization=organization, user=user)
    OfficeMember.objects.create(organization=other_organization, user=user)
    submission = Submission.objects.create(
        organization=organization, fiscal_year=current_year, kind=Submission.Kind.REPORT
    )
    (attachment,) = attachments.submission_attach(
        submission=submission,
        files=[SimpleUploadedFile("領収書.pdf", pdf_bytes(), content_type="application/pdf")],
        label="材料費の領収書",
        by=user,
    )
    edit = profile.profile_edit_propose(
        organization=organization, by=user, **{**profile.profile_current(organization), "events": "しめ縄づくり"}
    )
    edit.status, edit.decline_reason = ProposalStatus.DECLINED, "日付を書き添えてください。"
    edit.save()
    sent = Submission.objects.create(
        organization=organization, fiscal_year=current_year, kind=Submission.Kind.APPLICATION
    )
    services.submission_send(submission=sent, data=BALANCED, by=user)
    return {
        "user": user,
        "organization": organization,
        "submission": submission,
        "attachment": attachment,
        "sent": sent,
    }


def sign_in(page, base, username, next_path):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(base + next_path)


def test_every_office_page_has_a_recipe():
    missing = sorted(set(office_pages()) - set(RECIPES))
    assert not missing, f"tests/e2e/test_office_axe.py に開き方（RECIPES）のない事務局のページ: {missing}"


def test_every_office_page_passes_axe_wcag_22_aa_on_a_phone(phone_page, axe, live_server, office_data):
    page = phone_page
    organization = office_data["organization"]
    sign_in(page, live_server.url, office_data["user"].username, f"/office/{organization.slug}/")
    checked, problems = [], []
    for name in office_pages():
        recipe = RECIPES.get(name, "missing")
        assert recipe != "missing", f"開き方（RECIPES）がありません: offices:{name}"
        if recipe is None:
            continue
        path = reverse(f"offices:{name}", kwargs=recipe(office_data))
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            problems.append(f"{path}: 横にスクロールします")
        small = page.evaluate(SMALL_CONTROLS)
        if small:
            problems.append(f"{path}: 44px に満たない操作部品 {small}")
        problems += [f"{path}: {violation}" for violation in axe_violations_22(axe, page)]
        checked.append(path)
    assert len(checked) >= 4
    assert not problems, "\n".join(problems)


def test_the_office_forms_with_errors_pass_axe_on_a_phone(phone_page, axe, live_server, office_data):
    """The states a person meets after a mistake: a refused file, a proposal identical to the page."""
    page = phone_page
    organization, submission = office_data["organization"], office_data["submission"]
    attachments_path = reverse("offices:submission_attachments", args=[organization.slug, submission.pk])
    sign_in(page, live_server.url, office_data["user"].username, attachments_path)
    page.locator("#id_files").set_input_files(
        {"name": "メモ.pdf", "mimeType": "application/pdf", "buffer": b"<html>not a pdf</html>"}
    )
    page.get_by_role("button", name="添付する").click()
    assert "どれでもありません" in page.locator("#error_1_id_files").inner_text()
    assert axe_violations_22(axe, page) == []

    page.goto(live_server.url + reverse("offices:profile", args=[organization.slug]))
    assert "日付を書き添えてください。" in page.locator("#decline-reason").inner_text()
    page.get_by_label("これからの行事").fill("")
    page.get_by_role("button", name="提案を送る").click()
    assert "今の内容と同じです" in page.locator("main").inner_text()
    assert axe_violations_22(axe, page) == []


def test_the_clerks_review_of_a_page_edit_passes_axe(page, axe, live_server, office_data):
    """総合政策課's screen for a 事務局's proposal (the admin): the proposal beside the page, 反映 / 見送り."""
    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from niimi_portal.demo.loader import DEMO_PASSWORD
    from niimi_portal.lib import two_factor
    from niimi_portal.lib.roles import sync_groups
    from tests.e2e.conftest import browser_login

    sync_groups(apps)  # a transactional test may start on a flushed database, without the groups
    policy_officer = User.objects.create_user("seisaku-axe", password=DEMO_PASSWORD, is_staff=True)
    policy_officer.groups.add(Group.objects.get(name=settings.POLICY_GROUP))
    # Set up for its second factor, as the 課's accounts are (browser_login gives a backup code).
    TOTPDevice.objects.create(user=policy_officer, name=two_factor.TOTP_DEVICE_NAME, confirmed=True)
    edit = profile.profile_edit_propose(
        organization=office_data["organization"],
        by=office_data["user"],
        **{**profile.profile_current(office_data["organization"]), "events": "とんど焼き"},
    )
    browser_login(page, live_server.url, policy_officer.username, admin=True)
    page.goto(live_server.url + reverse("admin:offices_profileedit_review", args=[edit.pk]))
    assert "とんど焼き" in page.locator("#content-main table").inner_text()
    assert axe_violations_22(axe, page) == []
    page.get_by_role("button", name="見送る").click()
    assert "見送りの理由を入力してください" in page.locator(".errornote").inner_text()
    assert axe_violations_22(axe, page) == []
