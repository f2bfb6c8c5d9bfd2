"""The grants lifecycle in the admin, for 総合政策課: 算定, review, 交付決定, steps, notices, per role."""

import datetime
import io
import zipfile

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from model_bakery import baker

from grants import drafts, register, services, settlement
from grants.models import DocumentNumber, FiscalYear, GrantCalculation, GrantDecision, GrantReportAttachment
from organizations.models import Organization, Region, RegionStatistic
from tests.grants.pdf import pdf_info, pdf_text
from tests.helpers import Client, approve_decision, approve_drafts, login
from tests.staff.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _notice_settings(notice_settings):
    """Every placeholder of the notice settings filled in, so the notices can be issued."""


PDF = pdf_bytes()  # a complete PDF: one empty page


@pytest.fixture
def staff_without_permission(db):
    return User.objects.create_user("staff-only", password="x", is_staff=True)


@pytest.fixture
def reported(decision, projects, decided_on):
    return services.decision_report(
        decision=decision, reported_on=decided_on, spending={projects[0]: 700_000, projects[1]: 500_000}
    )


def state():
    return {
        "calculations": list(GrantCalculation.objects.values()),
        "decisions": [model_to_dict(d) for d in GrantDecision.objects.all()],
        "attachments": GrantReportAttachment.objects.count(),
    }


def review_url(year):
    return reverse("admin:grants_fiscalyear_grants", args=[year.pk])


# -- 算定 and the review table -------------------------------------------------------------------


def test_policy_officer_calculates_a_year_with_the_admin_action(client, policy_officer, approved, current_year):
    last_year = FiscalYear.for_year(current_year.year - 1)
    GrantCalculation.objects.create(
        organization=approved, fiscal_year=last_year, base_amount=2_900_000, subsidy_amount=100_000, total=3_000_000
    )
    response = login(client, policy_officer).post(
        reverse("admin:grants_fiscalyear_changelist"),
        {"action": "calculate_grants", "_selected_action": [current_year.pk]},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == review_url(current_year)
    calc = GrantCalculation.objects.get(fiscal_year=current_year)
    assert (calc.total, calc.calculated_by) == (3_182_000, policy_officer)
    page = response.content.decode()
    assert "1組織を算定しました" in page
    assert "唐松まちづくり協議会" in page
    assert "1,357,400円" in page  # the 人口割 line
    assert "3,182,000円" in page and "3,000,000円" in page
    assert "＋182,000円（＋6.1%）" in page  # change from last year
    assert "未決定" in page


def test_review_names_organizations_lacking_statistics(
    client, policy_officer, approved, other_organization, current_year
):
    other_organization.approval_status = "approved"
    other_organization.approval_number = "新総政第9号"
    other_organization.approved_on = datetime.date(2025, 4, 1)
    other_organization.save()
    response = login(client, policy_officer).post(review_url(current_year), {"step": "calculate"}, follow=True)
    page = response.content.decode()
    assert "算定できませんでした — 高尾ふれあい協議会: 高尾の" in page
    assert "次の組織は算定できません" in page
    assert GrantCalculation.objects.count() == 1


def test_calculating_a_year_without_a_rule_says_so(client, policy_officer):
    year = FiscalYear.for_year(2031)
    response = login(client, policy_officer).post(review_url(year), {"step": "calculate"}, follow=True)
    assert "令和13年度の交付基準が登録されていません。" in response.content.decode()
    assert not GrantCalculation.objects.exists()


def test_review_page_reads_a_constant_number_of_queries(client, policy_officer, approved, current_year, town):
    def measure():
        services.grant_calculate_year(fiscal_year=current_year)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(review_url(current_year)).status_code == 200
        return len(queries)

    login(client, policy_officer)
    few = measure()
    for i in range(5):
        region = baker.make(Region, kind="oaza", name=f"地区{i}", name_kana=f"ちく{i}", slug=f"area-{i}", parent=town)
        RegionStatistic.objects.create(
            region=region, reference_date=current_year.statistics_reference_date, population=10, households=5
        )
        org = baker.make(
            Organization,
            name=f"組織{i}",
            name_kana=f"そしき{i}",
            slug=f"org-{i}",
            approval_status="approved",
            approval_number=f"第{100 + i}号",
            approved_on=datetime.date(2025, 4, 1),
        )
        org.regions.set([region])
    assert measure() == few


# -- 交付決定 ------------------------------------------------------------------------------------


# Deciding, organization by organization, is tested in tests/grants/test_decide_page.py.


# -- a decision's page and its steps ------------------------------------------------------------


def test_decision_page_offers_the_notice_and_the_next_steps(client, policy_officer, reserved_decision):
    page = login(client, policy_officer).get(reverse("admin:grants_grantdecision_change", args=[reserved_decision.pk]))
    html = page.content.decode()
    assert "交付決定通知書を決裁に回す" in html
    assert reverse("admin:grants_grantdecision_change_amount", args=[reserved_decision.pk]) in html
    assert reverse("admin:grants_grantdecision_report", args=[reserved_decision.pk]) in html
    assert reverse("admin:grants_grantdecision_settle", args=[reserved_decision.pk]) not in html
    assert "交付額確定通知書（PDF）" not in html


def test_one_notice_downloads_from_the_decision_page(client, policy_officer, reserved_decision):
    url = reverse("admin:grants_grantdecision_notice", args=[reserved_decision.pk, "decision"])
    submitted = login(client, policy_officer).post(url)
    assert submitted.status_code == 302  # sent for 決裁 (起案); issued when approved
    approve_drafts()
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "%E4%BA%A4%E4%BB%98%E6%B1%BA%E5%AE%9A%E9%80%9A%E7%9F%A5%E6%9B%B8.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "交付決定通知書" in text and "唐松まちづくり協議会" in text and "金3,182,000円" in text


def test_change_of_amount_through_the_admin(client, policy_officer, decision, decided_on):
    url = reverse("admin:grants_grantdecision_change_amount", args=[decision.pk])
    login(client, policy_officer)
    assert client.get(url).status_code == 200
    response = client.post(url, {"amount": 3_000_000, "reason": "事業の一部中止", "changed_on": decided_on})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "decided"  # drafted (起案): the amount changes on 決裁 (tests/grants/test_drafts.py)
    approve_drafts()
    decision.refresh_from_db()
    assert (decision.amount, decision.status, decision.change_reason) == (3_000_000, "changed", "事業の一部中止")
    history = client.get(reverse("admin:grants_grantdecision_history", args=[decision.pk])).content.decode()
    assert "変更交付決定（3,182,000円 → 3,000,000円）: 事業の一部中止" in history


def test_a_change_without_reason_is_refused_beside_the_field(client, policy_officer, decision, decided_on):
    before = state()
    response = login(client, policy_officer).post(
        reverse("admin:grants_grantdecision_change_amount", args=[decision.pk]),
        {"amount": 3_000_000, "reason": "", "changed_on": decided_on},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "このフィールドは必須です。" in html
    assert 'value="3000000"' in html  # what was typed is kept
    assert state() == before


def test_report_through_the_admin_with_attachments(client, policy_officer, decision, projects, decided_on):
    url = reverse("admin:grants_grantdecision_report", args=[decision.pk])
    login(client, policy_officer)
    form = client.get(url).content.decode()
    assert "見守り・声かけ訪問（高齢者支援、予算 800,000円）の実績額（円）" in form
    response = client.post(
        url,
        {
            "reported_on": decided_on,
            "personnel": 0,
            "operating": 0,
            "other_income": 0,
            f"project_{projects[0].pk}": 700_000,
            f"project_{projects[1].pk}": 500_000,
            "attachments": [
                SimpleUploadedFile("領収書.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("明細.pdf", PDF, content_type="application/pdf"),
            ],
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.spent_amount) == ("reported", 1_200_000)
    assert decision.report_attachments.count() == 2
    attachment = decision.report_attachments.first()
    download = client.get(reverse("admin:grants_grantdecision_attachment", args=[decision.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == PDF  # streamed, not read into memory


def test_a_disguised_attachment_is_refused_beside_the_field(client, policy_officer, decision, projects, decided_on):
    before = state()
    response = login(client, policy_officer).post(
        reverse("admin:grants_grantdecision_report", args=[decision.pk]),
        {
            "reported_on": decided_on,
            "personnel": 0,
            "operating": 0,
            "other_income": 0,
            f"project_{projects[0].pk}": 700_000,
            f"project_{projects[1].pk}": 500_000,
            "attachments": [SimpleUploadedFile("領収書.pdf", b"MZ\x90\x00" + b"\x00" * 100)],
        },
    )
    assert response.status_code == 200
    assert "「領収書.pdf」はPDF・JPEG・PNGのどれでもありません" in response.content.decode()
    assert state() == before


def test_settlement_through_the_admin_and_its_notice(client, policy_officer, reported, decided_on):
    payment = settlement.payment_claim(decision=reported, claimed_on=decided_on, amount=reported.amount)
    settlement.payment_pay(payment=payment, paid_on=decided_on)
    url = reverse("admin:grants_grantdecision_settle", args=[reported.pk])
    login(client, policy_officer)
    assert 'value="1200000"' in client.get(url).content.decode()  # suggested: what was spent
    assert client.post(url, {"settled_amount": 1_200_000, "settled_on": decided_on}).status_code == 302
    reported.refresh_from_db()
    assert (reported.status, reported.refund_amount) == ("settled", 1_982_000)
    page = client.get(reverse("admin:grants_grantdecision_change", args=[reported.pk])).content.decode()
    assert "1,982,000" in page  # the refund shown
    notice = reverse("admin:grants_grantdecision_notice", args=[reported.pk, "settlement"])
    client.post(notice)
    approve_drafts()
    assert "返還額 金1,982,000円" in pdf_text(client.get(notice).content)


def test_settling_more_than_decided_is_refused_beside_the_field(client, policy_officer, reported, decided_on):
    before = state()
    response = login(client, policy_officer).post(
        reverse("admin:grants_grantdecision_settle", args=[reported.pk]),
        {"settled_amount": 3_182_001, "settled_on": decided_on},
    )
    assert "確定額は交付決定額（3,182,000円）以下にしてください。" in response.content.decode()
    assert state() == before


def test_a_step_out_of_order_is_refused_and_changes_nothing(client, policy_officer, decision, decided_on):
    before = state()
    response = login(client, policy_officer).post(
        reverse("admin:grants_grantdecision_settle", args=[decision.pk]),
        {"settled_amount": 1, "settled_on": decided_on},
    )
    assert response.status_code == 200
    assert "「交付決定」の交付決定は額を確定できません" in response.content.decode()
    assert state() == before


def test_no_settlement_notice_before_settlement(client, policy_officer, decision):
    response = login(client, policy_officer).get(
        reverse("admin:grants_grantdecision_notice", args=[decision.pk, "settlement"]), follow=True
    )
    assert "この交付決定にはその通知書がありません。" in response.content.decode()


# -- notices of a whole year ---------------------------------------------------------------------


@pytest.fixture
def two_decisions(decision, other_approved, current_year, decided_on):
    services.grant_calculate_year(fiscal_year=current_year)
    services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)


@pytest.fixture
def issued_notices(two_decisions, policy_officer):
    """Both 交付決定通知書 sent for 決裁 and approved: a download prints only what is issued."""
    for entry in DocumentNumber.objects.filter(kind="decision"):
        drafts.entry_submit(entry=entry, by=policy_officer)
    return approve_drafts()


def test_all_notices_of_a_year_as_zip_from_the_fiscal_year_action(client, policy_officer, issued_notices, current_year):
    response = login(client, policy_officer).post(
        reverse("admin:grants_fiscalyear_changelist"),
        {"action": "download_decision_zip", "_selected_action": [current_year.pk]},
    )
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert len(archive.namelist()) == 2
        assert "高尾ふれあい協議会" in pdf_text(archive.read(archive.namelist()[1]))


def test_all_notices_of_a_year_as_one_pdf_from_the_decision_list(client, policy_officer, issued_notices):
    response = login(client, policy_officer).post(
        reverse("admin:grants_grantdecision_changelist"),
        {
            "action": "download_decision_pdf",
            "_selected_action": list(GrantDecision.objects.values_list("pk", flat=True)),
        },
    )
    assert response["Content-Type"] == "application/pdf"
    assert pdf_info(response.content)["Pages"] == "2"


def test_settlement_notices_action_without_settled_decisions_warns(client, policy_officer, two_decisions, current_year):
    response = login(client, policy_officer).post(
        reverse("admin:grants_fiscalyear_changelist"),
        {"action": "download_settlement_zip", "_selected_action": [current_year.pk]},
        follow=True,
    )
    assert "交付額確定通知書を作れる交付決定がありません。" in response.content.decode()


# -- who may -------------------------------------------------------------------------------------


def step_urls(decision):
    return {
        "review": review_url(decision.fiscal_year),
        "notice": reverse("admin:grants_grantdecision_notice", args=[decision.pk, "decision"]),
        "change": reverse("admin:grants_grantdecision_change_amount", args=[decision.pk]),
        "report": reverse("admin:grants_grantdecision_report", args=[decision.pk]),
        "settle": reverse("admin:grants_grantdecision_settle", args=[decision.pk]),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("assigned_liaison", 302),  # not staff: the admin sends them to its login
        ("unassigned_liaison", 302),
        ("staff_without_permission", 403),
        ("policy_officer", 200),
        ("superuser", 200),
    ],
)
def test_each_admin_url_per_role(client, request, decision, who, expected):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for name, url in step_urls(decision).items():
        assert client.get(url).status_code == expected, name


@pytest.mark.parametrize("who", ["anonymous", "assigned_liaison", "staff_without_permission"])
def test_steps_posted_by_others_change_nothing(client, request, decision, decided_on, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    before = state()
    urls = step_urls(decision)
    client.post(urls["change"], {"amount": 1, "reason": "x", "changed_on": decided_on})
    client.post(urls["settle"], {"settled_amount": 1, "settled_on": decided_on})
    client.post(urls["review"], {"step": "calculate"})
    client.post(
        reverse("admin:grants_fiscalyear_changelist"),
        {"action": "calculate_grants", "_selected_action": [decision.fiscal_year.pk]},
    )
    assert state() == before


def test_staff_without_permission_does_not_see_the_lifecycle_actions(client, staff_without_permission):
    staff_without_permission.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_fiscalyear", "view_grantdecision"])
    )
    page = login(client, staff_without_permission).get(reverse("admin:grants_fiscalyear_changelist"))
    assert page.status_code == 200
    assert "calculate_grants" not in page.content.decode()


def test_policy_group_holds_the_decide_permission(policy_officer, staff_without_permission):
    assert policy_officer.has_perm("grants.decide_grant")
    assert not staff_without_permission.has_perm("grants.decide_grant")


def test_steps_need_the_csrf_token(policy_officer, decision, decided_on):
    client = Client(enforce_csrf_checks=True)
    client.force_login(policy_officer)
    before = state()
    response = client.post(
        reverse("admin:grants_grantdecision_change_amount", args=[decision.pk]),
        {"amount": 1, "reason": "x", "changed_on": decided_on},
    )
    assert response.status_code == 403
    assert state() == before


def test_decisions_and_calculations_cannot_be_typed_in_or_edited(client, policy_officer, decision):
    login(client, policy_officer)
    assert client.get(reverse("admin:grants_grantdecision_add")).status_code == 403
    assert client.get(reverse("admin:grants_grantcalculation_add")).status_code == 403
    before = state()
    edit = client.post(reverse("admin:grants_grantdecision_change", args=[decision.pk]), {"amount": 1})
    assert edit.status_code == 403
    calc = decision.calculation
    assert client.post(reverse("admin:grants_grantcalculation_change", args=[calc.pk]), {"total": 1}).status_code == 403
    assert state() == before


# -- the documents' admin: register, settings, issued documents -----------------------------------


def test_register_lists_the_numbers_with_preview_issue_and_void(client, policy_officer, reserved_decision):
    from grants.models import DocumentNumber, IssuedDocument

    login(client, policy_officer)
    entry = DocumentNumber.objects.get(decision=reserved_decision)
    html = client.get(reverse("admin:grants_documentnumber_changelist")).content.decode()
    assert "決裁待ち（番号は決裁の後）" in html and "プレビュー" in html and "欠番にする" in html

    preview = client.get(reverse("admin:grants_documentnumber_preview", args=[entry.pk]))
    assert preview["Content-Type"] == "application/pdf" and "inline" in preview["Content-Disposition"]
    assert " 案 " in f" {pdf_text(preview.content)} "
    assert not IssuedDocument.objects.exists()

    client.post(reverse("admin:grants_documentnumber_issue", args=[entry.pk]))
    assert not IssuedDocument.objects.exists()  # sent for 決裁 (起案); issued when approved
    approve_drafts()
    issued = client.get(reverse("admin:grants_documentnumber_issue", args=[entry.pk]))
    assert issued["Content-Type"] == "application/pdf"
    document = IssuedDocument.objects.get()
    assert issued.content == bytes(document.pdf)
    entry.refresh_from_db()
    assert entry.text == "新総政第1号" and "新総政第1号" in pdf_text(issued.content)
    assert client.get(reverse("admin:grants_issueddocument_pdf", args=[document.pk])).content == issued.content

    confirm = client.get(reverse("admin:grants_issueddocument_reissue", args=[document.pk, "reissue"]))
    assert "再発行を作る" in confirm.content.decode()
    reissued = client.post(reverse("admin:grants_issueddocument_reissue", args=[document.pk, "reissue"]))
    assert "再発行" in pdf_text(reissued.content)
    assert IssuedDocument.objects.filter(copy="reissue", original=document).count() == 1


def test_voiding_needs_a_reason_beside_the_field_then_keeps_the_number(client, policy_officer, reserved_decision):
    from grants.models import DocumentNumber

    login(client, policy_officer)
    entry = DocumentNumber.objects.get(decision=reserved_decision)
    url = reverse("admin:grants_documentnumber_void", args=[entry.pk])
    html = client.post(url, {"reason": ""}).content.decode()
    assert 'id="id_reason_error"><li>欠番にする理由を入力してください。</li>' in html
    client.post(url, {"reason": "宛先の誤り"})
    entry.refresh_from_db()
    assert (entry.status, entry.void_reason) == ("voided", "宛先の誤り")
    issue = client.post(reverse("admin:grants_documentnumber_issue", args=[entry.pk]), follow=True)
    assert "欠番のため、文書を発行できません" in issue.content.decode()


def test_export_with_a_placeholder_is_refused_naming_what_to_fill_in(
    client, policy_officer, reserved_decision, notice_settings
):
    notice_settings.mayor_name = ""
    notice_settings.save()
    login(client, policy_officer)
    url = reverse("admin:grants_grantdecision_notice", args=[reserved_decision.pk, "decision"])
    html = client.post(url, follow=True).content.decode()
    assert "「市長の氏名」が空欄です" in html
    settings_page = client.get(reverse("admin:grants_noticesettings_changelist")).content.decode()
    assert "「市長の氏名」が空欄です" in settings_page


def test_the_settings_screen_saves_which_kinds_carry_the_appeal(client, policy_officer, notice_settings):
    from grants.models.notice_settings import BASIS_FIELDS

    login(client, policy_officer)
    url = reverse("admin:grants_noticesettings_change", args=[notice_settings.pk])
    page = client.get(url).content.decode()
    assert 'name="disposition_kinds" value="refund"' in page and "教示を付ける文書（処分）" in page
    data = {
        name: getattr(notice_settings, name)
        for name in (
            "mayor_title",
            "mayor_name",
            "seal_omitted_text",
            "contact",
            "standard_conditions",
            "appeal_text",
            "withdrawal_days",
            "late_fee_rate",
        )
    }
    data |= {name: getattr(notice_settings, name) for name in BASIS_FIELDS.values()}
    data |= {"effective_from": notice_settings.effective_from.isoformat()}
    data |= {"disposition_kinds": ["decision", "approval"]}
    response = client.post(url, data)
    assert response.status_code == 302
    notice_settings.refresh_from_db()
    assert sorted(notice_settings.disposition_kinds) == ["approval", "decision"]
    assert notice_settings.carries_appeal("approval") and not notice_settings.carries_appeal("refund")


def test_demo_settings_are_labelled_in_the_admin(client, policy_officer, notice_settings):
    notice_settings.is_demo = True
    notice_settings.save()
    login(client, policy_officer)
    html = client.get(reverse("admin:grants_noticesettings_changelist")).content.decode()
    assert "新見市長　新見 太郎（デモ）" in html and "デモ（架空の値を含む）" in html
    change = client.get(reverse("admin:grants_noticesettings_change", args=[notice_settings.pk])).content.decode()
    assert "なし（すべての種類の文書を発行できます）" in change


def test_the_settings_screen_lists_what_each_kind_misses(client, policy_officer, notice_settings):
    notice_settings.change_basis = ""
    notice_settings.refund_basis = "新見市補助金等交付規則第○条の規定により"
    notice_settings.save()
    login(client, policy_officer)
    url = reverse("admin:grants_noticesettings_change", args=[notice_settings.pk])
    change = client.get(url).content.decode()
    assert "<li>変更交付決定通知書: 「変更交付決定の根拠」が空欄です</li>" in change
    assert "<li>返還請求書: 「返還請求の根拠」に仮の値（○）が残っています</li>" in change
    assert "なし（" not in change and "交付決定通知書: " not in change.replace("変更交付決定通知書: ", "")


def test_approval_list_as_csv_and_pdf_and_the_address_list(client, policy_officer, decision):
    from grants.models import DocumentNumber

    login(client, policy_officer)
    url = reverse("admin:grants_documentnumber_changelist")
    selected = [entry.pk for entry in DocumentNumber.objects.all()]
    csv = client.post(url, {"action": "approval_list_csv", "_selected_action": selected})
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "文書番号,文書の日付,種類,宛先,代表者,金額（円）,件名"
    assert "新総政第1号,令和8年5月1日,交付決定通知書,唐松まちづくり協議会,会長　石井 正男,3182000," in text
    pdf = client.post(url, {"action": "approval_list_pdf", "_selected_action": selected})
    assert "発行する文書の一覧（決裁用）" in pdf_text(pdf.content)
    addresses = client.post(url, {"action": "address_list_csv", "_selected_action": selected})
    assert "唐松まちづくり協議会,会長,石井 正男" in addresses.content.decode("utf-8-sig")


def test_staff_without_permission_cannot_issue_or_void(client, staff_without_permission, decision):
    from grants.models import DocumentNumber

    login(client, staff_without_permission)
    entry = DocumentNumber.objects.get(decision=decision)
    for name in ("preview", "issue", "void"):
        assert client.get(reverse(f"admin:grants_documentnumber_{name}", args=[entry.pk])).status_code == 403


def test_decision_page_lists_its_documents_with_preview_and_issue_links(
    client, policy_officer, reserved_decision, decided_on
):
    services.decision_change(decision=reserved_decision, amount=3_000_000, reason="減額", changed_on=decided_on)
    login(client, policy_officer)
    html = client.get(reverse("admin:grants_grantdecision_change", args=[reserved_decision.pk])).content.decode()
    waiting = "決裁待ち（番号は決裁の後）"
    assert f"<td>{waiting}</td><td>交付決定通知書</td><td>{waiting}</td><td>未発行</td>" in html
    assert f"<td>{waiting}</td><td>変更交付決定通知書</td><td>{waiting}</td><td>未発行</td>" in html
    assert html.count(">決裁に回す</a>") == 2 and "交付決定通知書を決裁に回す" in html
    assert "発行（PDF）" not in html and "True" not in html and "False" not in html
    approve_decision(reserved_decision)
    html = client.get(reverse("admin:grants_grantdecision_change", args=[reserved_decision.pk])).content.decode()
    assert "<td>令和8年度 新総政第1号</td><td>交付決定通知書</td><td>使用</td><td>発行済</td>" in html
    assert "印刷（発行したとおり）" in html and "交付決定通知書を印刷（発行済）" in html
    assert html.count(">決裁に回す</a>") == 1


def test_register_filters_the_documents_about_to_be_issued(client, policy_officer, reserved_decision, other_approved):
    from grants.models import DocumentNumber

    services.grant_calculate_year(fiscal_year=reserved_decision.fiscal_year)
    services.decisions_decide_year(fiscal_year=reserved_decision.fiscal_year, decided_on=reserved_decision.decided_on)
    approve_decision(reserved_decision)  # 新総政第1号 approved and issued
    other = DocumentNumber.objects.exclude(decision=reserved_decision).get()
    register.number_assign(entry=other)  # 新総政第2号 numbered (typed, as on paper), not issued yet
    login(client, policy_officer)
    url = reverse("admin:grants_documentnumber_changelist")
    pending = client.get(url, {"issued": "no"}).context["cl"].result_list
    assert [entry.text for entry in pending] == ["新総政第2号"]
    issued = client.get(url, {"issued": "yes"}).context["cl"].result_list
    assert [entry.text for entry in issued] == ["新総政第1号"]
    assert DocumentNumber.objects.count() == 2
    html = client.get(url).content.decode()
    assert '<td class="field-register_year">令和8年度</td>' in html
    assert '<th class="field-numbered"><a href="' in html and "令和8年度 新総政第1号</a>" in html
    assert '<td class="field-issued">発行済</td>' in html and '<td class="field-issued">未発行</td>' in html
    assert 'alt="True"' not in html and 'alt="False"' not in html


def test_settle_page_refuses_a_typed_number_already_used_beside_the_field(client, policy_officer, reported):
    login(client, policy_officer)
    url = reverse("admin:grants_grantdecision_settle", args=[reported.pk])
    response = client.post(
        url, {"settled_amount": 1_000, "settled_on": reported.reported_on.isoformat(), "document_number": "新総政第1号"}
    )
    html = response.content.decode()
    assert 'id="id_document_number_error"><li>文書番号「新総政第1号」は令和8年度の文書番号簿で使用済みです' in html
    reported.refresh_from_db()
    assert reported.status == GrantDecision.Status.REPORTED


def test_the_money_steps_buttons_name_the_step_once(client, policy_officer, decision):
    """「支払を登録する」, not 「支払の登録を登録する」."""
    client = login(client, policy_officer)
    pay = client.get(reverse("admin:grants_grantdecision_pay", args=[decision.pk])).content.decode()
    assert 'value="支払を登録する"' in pay and "支払の登録を登録する" not in pay
    claim = client.get(reverse("admin:grants_grantdecision_claim", args=[decision.pk])).content.decode()
    assert 'value="概算払の請求を登録する"' in claim
