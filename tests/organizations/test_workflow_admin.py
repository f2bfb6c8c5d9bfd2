"""The workflow in the admin: buttons on the change page, confirmation pages, errors next to the field, CSRF."""

import datetime

import pytest
from django.utils import timezone
from model_bakery import baker

from organizations.models import Organization
from staff.models import Meeting, StageChange
from tests.helpers import Client
from tests.organizations.conftest import put_in_status, snapshot

pytestmark = pytest.mark.django_db
Status = Organization.ApprovalStatus
BUTTONS = {
    "submit": "申請を受け付ける",
    "approve": "認可する",
    "return": "差し戻す",
    "refuse": "認可しない（不認可）",
    "revoke": "認可を取り消す",
}


def change_page(client, org):
    response = client.get(f"/admin/organizations/organization/{org.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def shown_buttons(html, org):
    return {name for name in BUTTONS if f'href="/admin/organizations/organization/{org.pk}/{name}/"' in html}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.NOT_APPLIED, {"submit"}),
        (Status.APPLIED, {"approve", "return", "refuse"}),
        (Status.APPROVED, {"revoke"}),
        (Status.RETURNED, {"submit"}),
        (Status.REVOKED, set()),
    ],
)
def test_change_page_shows_only_the_buttons_open_from_the_status(
    client, policy_officer, complete_organization, status, expected
):
    org = put_in_status(complete_organization, status)
    client.force_login(policy_officer)
    html = change_page(client, org)
    assert shown_buttons(html, org) == expected
    for name in expected:
        assert BUTTONS[name] in html


def test_change_page_shows_no_button_to_staff_without_the_permission(
    client, policy_officer_without_approval, applied_organization
):
    client.force_login(policy_officer_without_approval)
    html = change_page(client, applied_organization)
    assert shown_buttons(html, applied_organization) == set()
    assert "権限のある総合政策課の職員が行います" in html


def test_change_page_names_what_the_application_lacks(client, policy_officer, organization):
    org = put_in_status(organization, Status.APPLIED)
    client.force_login(policy_officer)
    html = change_page(client, org)
    assert "代表者名が登録されていません" in html
    assert "策定済みの「地域の将来計画」がありません" in html


def test_approve_confirmation_page_then_approval(client, policy_officer, applied_organization):
    client.force_login(policy_officer)
    url = f"/admin/organizations/organization/{applied_organization.pk}/approve/"
    page = client.get(url).content.decode()
    assert "<title>認可する: 唐松まちづくり協議会" in page
    # a text box that reads 和暦 and says so (a browser's type="date" would refuse 令和8年4月12日)
    assert 'name="number"' in page and 'type="text" name="date"' in page and "例: 令和8年4月12日" in page
    assert "すべてそろっています" in page

    response = client.post(url, {"number": "新総政第300号", "date": timezone.localdate().isoformat()}, follow=True)
    assert "「唐松まちづくり協議会」の認可の状況を「認可」にしました。" in response.content.decode()
    applied_organization.refresh_from_db()
    assert applied_organization.approval_number == "新総政第300号"
    assert applied_organization.stage == Organization.Stage.ESTABLISHED


def test_approve_page_of_an_incomplete_application_lists_what_is_missing_and_offers_no_button(
    client, policy_officer, organization
):
    org = put_in_status(organization, Status.APPLIED)
    client.force_login(policy_officer)
    url = f"/admin/organizations/organization/{org.pk}/approve/"
    page = client.get(url).content.decode()
    assert "認可に必要なものがそろっていません" in page
    assert 'name="number"' not in page  # no form: nothing to approve yet
    before = snapshot(org)
    response = client.post(url, {"number": "新総政第301号", "date": timezone.localdate().isoformat()})
    assert response.status_code == 200
    assert "代表者名が登録されていません" in response.content.decode()
    assert snapshot(org) == before


def test_a_return_without_reason_shows_the_error_next_to_the_field(client, policy_officer, applied_organization):
    client.force_login(policy_officer)
    before = snapshot(applied_organization)
    response = client.post(f"/admin/organizations/organization/{applied_organization.pk}/return/", {"reason": "   "})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_reason_error"><li>差戻しの理由を入力してください。</li></ul>' in html
    assert snapshot(applied_organization) == before


def test_refusing_ends_the_application_and_offers_the_refusal_letter(client, policy_officer, applied_organization):
    client.force_login(policy_officer)
    url = f"/admin/organizations/organization/{applied_organization.pk}/refuse/"
    page = client.get(url).content.decode()
    assert "不認可は処分のため、不認可通知書には教示を印刷します" in page
    response = client.post(url, {"reason": "活動区域がほかの組織と重なるため。"}, follow=True)
    html = response.content.decode()
    applied_organization.refresh_from_db()
    assert applied_organization.approval_status == Status.NOT_APPLIED
    assert applied_organization.status_reason == "活動区域がほかの組織と重なるため。"
    assert "不認可通知書（決裁待ち（番号は決裁の後））は文書番号簿から" in html and "決裁に回せます" in html


def test_a_reason_in_desu_masu_is_refused_next_to_the_field_as_the_letter_is_in_de_aru(
    client, policy_officer, applied_organization
):
    client.force_login(policy_officer)
    before = snapshot(applied_organization)
    url = f"/admin/organizations/organization/{applied_organization.pk}/return/"
    response = client.post(url, {"reason": "活動区域の地図を添付してください。"})
    html = response.content.decode()
    assert 'id="id_reason_error"><li>通知書に記載するため、である調で書いてください（「ください」' in html
    assert "活動区域の地図を添付してください。</textarea>" in html
    assert snapshot(applied_organization) == before
    response = client.post(url, {"reason": "活動区域の地図を添付すること。"})
    assert response.status_code == 302
    applied_organization.refresh_from_db()
    assert applied_organization.status_reason == "活動区域の地図を添付すること。"


def test_a_taken_number_is_refused_next_to_the_field_and_the_input_is_kept(
    client, policy_officer, applied_organization, other_organization
):
    put_in_status(other_organization, Status.APPROVED)  # holds 新総政第7号
    client.force_login(policy_officer)
    before = snapshot(applied_organization)
    day = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    response = client.post(
        f"/admin/organizations/organization/{applied_organization.pk}/approve/", {"number": "新総政第7号", "date": day}
    )
    html = response.content.decode()
    assert 'id="id_number_error"><li>認可番号「新総政第7号」はほかの組織に使われています。</li>' in html
    assert 'value="新総政第7号"' in html and f'value="{day}"' in html
    assert snapshot(applied_organization) == before


def test_a_move_not_open_from_the_status_is_explained_and_changes_nothing(client, policy_officer, applied_organization):
    client.force_login(policy_officer)
    url = f"/admin/organizations/organization/{applied_organization.pk}/revoke/"
    page = client.get(url).content.decode()
    assert "「申請中」のため、「認可を取り消す」ことはできません" in page
    assert '<form method="post"' not in page
    before = snapshot(applied_organization)
    response = client.post(url, {"reason": "活動を終えたため。"})
    assert response.status_code == 200
    assert "ことはできません" in response.content.decode()
    assert snapshot(applied_organization) == before


def test_unknown_organization_is_404(client, policy_officer):
    client.force_login(policy_officer)
    assert client.get("/admin/organizations/organization/999999/approve/").status_code == 404


def test_workflow_posts_need_the_csrf_token(policy_officer, applied_organization):
    client = Client(enforce_csrf_checks=True)
    client.force_login(policy_officer)
    url = f"/admin/organizations/organization/{applied_organization.pk}/return/"
    before = snapshot(applied_organization)
    assert client.post(url, {"reason": "書類不足"}).status_code == 403
    assert snapshot(applied_organization) == before

    client.get(url)
    token = client.cookies["csrftoken"].value
    assert client.post(url, {"reason": "書類不足", "csrfmiddlewaretoken": token}).status_code == 302
    applied_organization.refresh_from_db()
    assert applied_organization.approval_status == Status.RETURNED


def change_form_data(org, **overrides):
    data = {
        "name": org.name,
        "name_kana": org.name_kana,
        "slug": org.slug,
        "regions": [r.pk for r in org.regions.all()],
        "representative_title": org.representative_title,
        "representative_name": org.representative_name,
        "notice_delivery": org.notice_delivery,
        "stage": org.stage,
        "is_published": "on",
        "future_plans-TOTAL_FORMS": "0",
        "future_plans-INITIAL_FORMS": "0",
        "publication_consents-TOTAL_FORMS": "0",
        "publication_consents-INITIAL_FORMS": "0",
        "stage_changes-TOTAL_FORMS": "0",
        "stage_changes-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def test_approval_fields_cannot_be_set_through_the_change_form(client, policy_officer, applied_organization):
    client.force_login(policy_officer)
    url = f"/admin/organizations/organization/{applied_organization.pk}/change/"
    data = change_form_data(
        applied_organization, approval_status="approved", approval_number="勝手な番号", approved_on="2026-04-01"
    )
    assert client.post(url, data).status_code == 302
    applied_organization.refresh_from_db()
    assert applied_organization.approval_status == Status.APPLIED
    assert applied_organization.approval_number == ""


def test_the_change_form_reason_is_written_to_the_history(client, policy_officer, complete_organization):
    client.force_login(policy_officer)
    url = f"/admin/organizations/organization/{complete_organization.pk}/change/"
    data = change_form_data(complete_organization, representative_name="藤原 和子", history_change_reason="会長の交代")
    assert client.post(url, data).status_code == 302
    record = Organization.history.filter(id=complete_organization.pk).first()
    assert record.history_change_reason == "会長の交代"
    assert record.history_user == policy_officer
    assert record.representative_name == "藤原 和子"


def test_stage_changes_recorded_by_liaisons_are_listed_read_only(
    client, policy_officer, assigned_liaison, organization
):
    meeting = baker.make(Meeting, organization=organization, kind="workshop", place="集会所", author=assigned_liaison)
    baker.make(
        StageChange,
        organization=organization,
        from_stage=1,
        to_stage=2,
        changed_on=datetime.date(2026, 6, 1),
        evidence_meeting=meeting,
        note="将来計画づくりを始めると決まった",
        recorded_by=assigned_liaison,
    )
    client.force_login(policy_officer)
    html = change_page(client, organization)
    assert "段階の変更の提案（地域担当職員が提案、総合政策課が反映・見送り）" in html
    assert "将来計画づくりを始めると決まった" in html and "確認待ち" in html
    assert 'name="stage_changes-0-note"' not in html  # shown, not editable
