"""The 事務局's 交付申請 online: the draft kept on the server, carry-over, the checks before sending, 受付番号 and
mail, 補正 comments beside the fields, resending, and the clerk's 受理 into the grant year."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from grants.categories import BudgetCategory
from offices.models import Submission
from offices.services import submission_accept, submission_correction_request
from tests.mail import send_outbox
from tests.offices.conftest import BALANCED

pytestmark = pytest.mark.django_db


def url(name, organization, **kwargs):
    return reverse(f"offices:{name}", kwargs={"slug": organization.slug, "kind": "application", **kwargs})


def sent(office, organization, data):
    return office.post(url("form", organization), {**data, "action": "send"})


def test_the_form_opens_a_draft_of_this_year(office, organization, current_year):
    response = office.get(url("form", organization))
    assert response.status_code == 200
    assert "交付申請" in response.text and "下書きを保存" in response.text and "昨年度の内容を引き継ぐ" in response.text
    assert "添付書類は必要ありません" in response.text  # the online form is the 申請書 itself
    assert "まだ入力していません" in response.text
    assert not Submission.objects.exists()  # opening the page (a GET) writes nothing
    office.post(url("form_draft", organization), {"requested_amount": "1000"})
    submission = Submission.objects.get(organization=organization)
    assert (submission.fiscal_year, submission.status) == (current_year, Submission.Status.DRAFT)


def test_an_unbalanced_budget_is_refused_with_the_totals_beside_it_and_nothing_lost(office, organization, current_year):
    response = sent(office, organization, {**BALANCED, "operating_amount": "１５１，０００"})
    assert response.status_code == 422
    assert "収支予算の収支が均衡していません。支出 1,051,000円、収入 1,050,000円" in response.text
    assert 'id="budget"' in response.text
    assert 'value="１５１，０００"' in response.text  # as typed
    submission = Submission.objects.get(organization=organization)
    assert submission.status == Submission.Status.DRAFT and submission.receipt is None
    assert submission.data["operating_amount"] == "１５１，０００"


def test_carry_over_fills_the_empty_draft_with_last_years_lines(office, organization, last_year_application):
    office.get(url("form", organization))
    response = office.post(url("form_carry_over", organization))
    assert response.status_code == 302
    data = Submission.objects.get(organization=organization).data
    assert data["requested_amount"] == "1000000" and data["personnel_amount"] == "400000"
    assert (data["project_1_name"], data["project_1_field"], data["project_1_amount"]) == (
        "ふれあいサロン",
        "elderly",
        "300000",
    )
    assert data["project_2_name"] == "防災訓練" and data["other_income_label"] == "会費"
    page = office.get(url("form", organization)).text
    assert 'value="ふれあいサロン"' in page and 'value="防災訓練"' in page


def test_carry_over_over_typed_entries_asks_first(office, organization, last_year_application):
    office.post(url("form_draft", organization), {"requested_amount": "5"})
    response = office.post(url("form_carry_over", organization))
    assert response.status_code == 200 and "置き換えて引き継ぐ" in response.text
    assert Submission.objects.get(organization=organization).data == {"requested_amount": "5"}
    office.post(url("form_carry_over", organization), {"confirm": "1"})
    assert Submission.objects.get(organization=organization).data["requested_amount"] == "1000000"


def test_sending_takes_a_receipt_number_and_mails_the_members(
    office, organization, current_year, inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sent(office, organization, BALANCED)
    submission = Submission.objects.get(organization=organization)
    assert response.status_code == 302 and response.url == url("form_done", organization, pk=submission.pk)
    assert submission.status == Submission.Status.SENT and submission.receipt.number == 1
    done = office.get(response.url).text
    assert "受付第1号" in done
    waiting = office.get(url("form", organization)).text  # read only while the clerk reads it
    assert "提出済みです" in waiting and "1,000,000円" in waiting and 'name="requested_amount"' not in waiting
    send_outbox()
    assert inbox.messages[0]["to"] == ["jimu@karamatsu.example"]
    assert "受付第1号" in inbox.subjects()[0] and "受付番号: 令和" in inbox.body(0)


def test_the_script_saves_the_draft_and_says_when(office, organization, current_year):
    response = office.post(url("form_draft", organization), {"requested_amount": "12"}, headers={"X-Office-Draft": "1"})
    assert response.status_code == 200 and response.json()["message"].startswith("下書きを保存しました（")


def test_a_draft_survives_a_session_expiry_and_a_second_device(client, organization, office_user, current_year):
    client.force_login(office_user)
    client.post(
        url("form_draft", organization), {**BALANCED, "requested_amount": "987654"}, headers={"X-Office-Draft": "1"}
    )
    client.session.flush()
    expired = client.post(url("form_draft", organization), {"requested_amount": "1"}, headers={"X-Office-Draft": "1"})
    assert expired.status_code == 401 and "もう一度ログインしてください" in expired.json()["message"]
    from django.test import Client

    second = Client()  # another device, signing in again
    second.force_login(office_user)
    page = second.get(url("form", organization)).text
    assert 'value="987654"' in page and 'value="ふれあいサロン"' in page


def test_correction_comments_show_beside_their_field_and_resending_makes_version_2(
    office, organization, policy_officer, current_year
):
    sent(office, organization, BALANCED)
    submission = Submission.objects.get(organization=organization)
    submission_correction_request(
        submission=submission,
        comments={"project_2_amount": "防災訓練の事業費の内訳を確認してください。"},
        by=policy_officer,
    )
    page = office.get(url("form", organization)).text
    assert "補正の依頼があります" in page
    comment = page.index("防災訓練の事業費の内訳を確認してください。")
    assert page.index('name="project_2_amount"') < comment < page.index('name="personnel_amount"')
    sent(office, organization, {**BALANCED, "project_2_amount": "180000", "personnel_amount": "420000"})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SENT
    assert [v.number for v in submission.versions.all()] == [1, 2]
    assert submission.latest_version.data["project_2_amount"] == "180000"
    assert submission.receipt.number == 1  # one 受付番号 for every version


def test_accepting_records_the_application_with_the_same_lines(office, organization, policy_officer, current_year):
    sent(office, organization, BALANCED)
    submission = Submission.objects.get(organization=organization)
    application = submission_accept(submission=submission, by=policy_officer)
    submission.refresh_from_db()
    assert submission.application == application and submission.status == Submission.Status.ACCEPTED
    assert application.receipt == submission.receipt and application.requested_amount == 1000000
    lines = [
        (line.category, line.project.name if line.project else "", line.amount) for line in application.lines.all()
    ]
    assert lines == [
        (BudgetCategory.PERSONNEL, "", 400000),
        (BudgetCategory.OPERATING, "", 150000),
        (BudgetCategory.PROJECT, "ふれあいサロン", 300000),
        (BudgetCategory.PROJECT, "防災訓練", 200000),
        (BudgetCategory.OTHER_INCOME, "", 50000),
    ]
    assert [(p.name, p.field, p.budget) for p in application.annual_plan.projects.all()] == [
        ("ふれあいサロン", "elderly", 300000),
        ("防災訓練", "disaster", 200000),
    ]
    assert "受理しました" in office.get(url("form", organization)).text


def test_another_organizations_submission_is_not_found(
    office, organization, other_organization, other_office_user, current_year
):
    other = Client_for(other_office_user)
    sent(other, other_organization, BALANCED)
    theirs = Submission.objects.get(organization=other_organization)
    assert office.get(url("form_done", organization, pk=theirs.pk)).status_code == 404
    assert office.get(url("form", other_organization)).status_code == 404
    assert office.post(url("form_draft", other_organization), {"requested_amount": "1"}).status_code == 404


def Client_for(user):  # noqa: N802
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_a_project_row_is_added_keeping_what_was_typed(office, organization, current_year):
    response = office.post(url("form", organization), {**BALANCED, "action": "add_row"})
    assert response.status_code == 302
    page = office.get(url("form", organization)).text
    assert 'name="project_3_name"' in page and 'value="防災訓練"' in page


def test_unknown_users_are_sent_to_sign_in(client, organization, current_year):
    assert client.get(url("form", organization)).status_code == 302
    assert not User.objects.filter(username="nobody").exists()


def test_once_this_years_application_is_on_record_the_form_is_for_next_year(
    office, organization, current_year, last_year_application
):
    from grants.models import FiscalYear, GrantApplication

    GrantApplication.objects.create(
        organization=organization, fiscal_year=current_year, received_on=current_year.starts_on, requested_amount=1
    )
    page = office.get(url("form", organization)).text  # next year not registered: this year's, as before
    assert f"{current_year.label} 交付申請" in page
    office.post(url("form_draft", organization), {"requested_amount": "1000"})
    assert Submission.objects.get().fiscal_year == current_year
    Submission.objects.all().delete()
    following = FiscalYear.for_year(current_year.year + 1)
    page = office.get(url("form", organization)).text
    assert f"{following.label} 交付申請" in page and "添付ファイル" not in page
    office.post(url("form_draft", organization), {"requested_amount": "1000"})
    assert Submission.objects.get().fiscal_year == following
