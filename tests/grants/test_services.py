"""The grants lifecycle: 算定 → 交付決定 → (変更交付決定) → 実績報告 → 額の確定; every refused step changes nothing."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict

from grants import services, settlement
from grants.models import FiscalYear, GrantCalculation, GrantDecision, GrantReportAttachment, GrantReportItem, GrantRule
from tests.helpers import approve_decision
from tests.staff.conftest import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()  # a complete PDF: one empty page
PNG = image_bytes("PNG", (1, 1))
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def pdf_upload(name="領収書.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def state(decision):
    """Everything a refused step must leave as it was."""
    return {
        "decision": model_to_dict(GrantDecision.objects.get(pk=decision.pk)),
        "history": decision.history.count(),
        "items": GrantReportItem.objects.count(),
        "attachments": GrantReportAttachment.objects.count(),
    }


@pytest.fixture
def reported(decision, projects, decided_on, policy_officer):
    return services.decision_report(
        decision=decision,
        reported_on=decided_on + datetime.timedelta(days=200),
        spending={projects[0]: 2_000_000, projects[1]: 900_000},
        attachments=[pdf_upload()],
        by=policy_officer,
    )


# -- 算定 ----------------------------------------------------------------------------------------


def test_calculation_stores_every_line_and_who_calculated(calculation, policy_officer):
    assert calculation.total == 3_182_000
    assert calculation.base_amount == 3_032_000
    assert calculation.subsidy_amount == 150_000
    assert [line["label"] for line in calculation.lines] == [
        "均等割",
        "人口割",
        "世帯割",
        "事務局人件費",
        "端数調整",
        "地域振興会運営補助金",
    ]
    assert calculation.calculated_by == policy_officer
    record = calculation.history.latest()
    assert (record.history_user, record.history_change_reason) == (policy_officer, "算定")


def test_calculation_reports_organizations_lacking_statistics(approved, other_organization, current_year):
    other_organization.approval_status = "approved"
    other_organization.approval_number = "新総政第9号"
    other_organization.approved_on = datetime.date(2025, 4, 1)
    other_organization.save()
    run = services.grant_calculate_year(fiscal_year=current_year)
    assert [calc.organization for calc in run.saved] == [approved]
    assert len(run.messages) == 1 and run.messages[0].startswith("高尾ふれあい協議会: 高尾の")
    assert not GrantCalculation.objects.filter(organization=other_organization).exists()


def test_recalculating_unchanged_figures_writes_nothing(calculation, current_year):
    run = services.grant_calculate_year(fiscal_year=current_year)
    assert run.saved == () and run.unchanged == (calculation,)
    assert calculation.history.count() == 1


def test_recalculating_after_the_rule_changes_updates_an_undecided_calculation(calculation, current_year, rule):
    rule.equal_share = 400_000
    rule.save()
    (calc,) = services.grant_calculate_year(fiscal_year=current_year).saved
    assert calc.pk == calculation.pk and calc.total == 3_282_000
    assert calc.history.count() == 2


def test_a_decided_calculation_is_frozen(decision, current_year, rule):
    rule.equal_share = 400_000
    rule.save()
    run = services.grant_calculate_year(fiscal_year=current_year)
    assert run.saved == () and len(run.decided) == 1
    assert GrantCalculation.objects.get().total == 3_182_000


def test_the_change_from_last_year_is_recorded(approved, current_year, policy_officer):
    last_year = FiscalYear.for_year(current_year.year - 1)
    GrantCalculation.objects.create(
        organization=approved, fiscal_year=last_year, base_amount=2_900_000, subsidy_amount=100_000, total=3_000_000
    )
    (calc,) = services.grant_calculate_year(fiscal_year=current_year).saved
    assert calc.previous_total == 3_000_000


# -- 交付決定 ------------------------------------------------------------------------------------


def test_decision_takes_the_years_first_number_on_its_notices_kessai(reserved_decision, decided_on, policy_officer):
    decision = reserved_decision
    # 交付決定: the calculated total, its notice's line reserved, no number yet (「番号は決裁の後」).
    assert (decision.number, decision.document_number) == (None, "")
    assert decision.amount == decision.decided_amount == 3_182_000
    assert decision.decided_on == decided_on
    assert decision.status == GrantDecision.Status.DECIDED
    assert "帳簿及び証拠書類" in decision.conditions  # the standard 交付の条件 of the settings in force
    record = decision.history.latest()
    assert (record.history_user, record.history_change_reason) == (policy_officer, "交付決定")
    # 決裁 of the 交付決定通知書: the number, in the register and in the decision.
    approve_decision(decision)
    assert (decision.number, decision.document_number) == (1, "新総政第1号")
    assert decision.history.latest().history_change_reason == "交付決定通知書の決裁（新総政第1号）"


def test_document_number_format_is_the_series_of_the_register(calculation, decided_on, notice_settings):
    from grants import register

    series = register.series_for("decision")
    series.number_format = "新総政第{西暦年}-{番号:04d}号（{年度}）"
    series.save()
    decision = services.decision_decide(calculation=calculation, decided_on=decided_on)
    approve_decision(decision)
    assert decision.document_number == f"新総政第{decided_on.year}-0001号（令和8年度）"


def test_decisions_of_a_year_are_numbered_in_kana_order_without_gaps(
    approved, other_approved, current_year, decided_on, notice_settings
):
    services.grant_calculate_year(fiscal_year=current_year)
    decided = services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    for each in decided:
        approve_decision(each)
    assert [(d.organization.name, d.document_number) for d in decided] == [
        ("唐松まちづくり協議会", "新総政第1号"),
        ("高尾ふれあい協議会", "新総政第2号"),
    ]
    assert services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on) == []


def test_numbers_restart_each_fiscal_year(approved, decision, area, subsidy, current_year):
    next_year = FiscalYear.for_year(current_year.year + 1)
    GrantRule.objects.create(
        fiscal_year=next_year, equal_share=1, per_capita=1, per_household=1, secretariat_cost=1, rounding_unit=1
    )
    area.statistics.create(reference_date=next_year.statistics_reference_date, population=1, households=1)
    (calc,) = services.grant_calculate_year(fiscal_year=next_year).saved
    later = services.decision_decide(calculation=calc, decided_on=next_year.starts_on)
    approve_decision(later)
    assert (later.number, decision.number) == (1, 1)


def test_deciding_twice_is_refused_and_changes_nothing(decision, calculation, decided_on):
    before = state(decision)
    with pytest.raises(ValidationError, match="交付決定はすでにあります"):
        services.decision_decide(calculation=calculation, decided_on=decided_on)
    assert state(decision) == before
    assert GrantDecision.objects.count() == 1


def test_an_organization_no_longer_approved_is_not_decided(calculation, approved, decided_on):
    approved.approval_status = "revoked"
    approved.save()
    with pytest.raises(ValidationError, match="認可されていないため"):
        services.decision_decide(calculation=calculation, decided_on=decided_on)
    assert not GrantDecision.objects.exists()


def test_a_decision_date_outside_the_fiscal_year_is_refused(calculation, current_year):
    with pytest.raises(ValidationError, match="決定日は令和8年度") as error:
        services.decision_decide(
            calculation=calculation, decided_on=current_year.starts_on - datetime.timedelta(days=1)
        )
    assert list(error.value.message_dict) == ["decided_on"]
    assert not GrantDecision.objects.exists()


# -- 変更交付決定 ------------------------------------------------------------------------------------


def test_change_sets_the_new_amount_with_its_reason_and_keeps_the_old_one_in_history(decision, decided_on):
    services.decision_change(
        decision=decision,
        amount=3_000_000,
        reason="事業の一部中止のため",
        changed_on=decided_on + datetime.timedelta(days=60),
    )
    assert decision.amount == 3_000_000
    assert decision.decided_amount == 3_182_000
    assert decision.status == GrantDecision.Status.CHANGED
    assert decision.change_reason == "事業の一部中止のため"
    latest, earlier = decision.history.all()[:2]
    assert (earlier.amount, latest.amount) == (3_182_000, 3_000_000)
    assert latest.history_change_reason == "変更交付決定（3,182,000円 → 3,000,000円）: 事業の一部中止のため"


@pytest.mark.parametrize(
    ("amount", "reason", "days", "message", "field"),
    [
        (3_000_000, "  ", 10, "変更の理由を入力してください", "reason"),
        (3_182_000, "理由", 10, "現在の額と同じです", "amount"),
        (-1, "理由", 10, "0円以上", "amount"),
        (3_000_000, "理由", -1, "変更交付決定日は交付決定日", "changed_on"),
    ],
)
def test_a_bad_change_is_refused_and_changes_nothing(decision, decided_on, amount, reason, days, message, field):
    before = state(decision)
    with pytest.raises(ValidationError, match=message) as error:
        services.decision_change(
            decision=decision, amount=amount, reason=reason, changed_on=decided_on + datetime.timedelta(days=days)
        )
    assert list(error.value.message_dict) == [field or NON_FIELD_ERRORS]
    assert state(decision) == before


def test_change_after_the_report_is_refused(reported, decided_on):
    before = state(reported)
    with pytest.raises(ValidationError, match="「実績報告済」の交付決定は変更できません"):
        services.decision_change(decision=reported, amount=1, reason="理由", changed_on=decided_on)
    assert state(reported) == before


# -- 実績報告 ------------------------------------------------------------------------------------


def test_report_records_spending_per_project_and_the_attachments(reported, projects, policy_officer):
    assert reported.status == GrantDecision.Status.REPORTED
    assert reported.spent_amount == 2_900_000
    items = list(reported.report_items.order_by("id"))
    # By the categories of the 収支予算: 事務局人件費 (its budget as calculated), 運営経費, a line per
    # project, その他の収入.
    assert [(i.category, i.project, i.name, i.field, i.budget, i.spent) for i in items] == [
        ("personnel", None, "事務局人件費", "", 600_000, 0),
        ("operating", None, "運営経費", "", 0, 0),
        ("project", projects[0], "見守り・声かけ訪問", "高齢者支援", 800_000, 2_000_000),
        ("project", projects[1], "防災訓練", "防災", 500_000, 900_000),
        ("other_income", None, "その他の収入", "", 0, 0),
    ]
    (attachment,) = reported.report_attachments.all()
    assert (attachment.original_name, attachment.content_type, attachment.uploaded_by) == (
        "領収書.pdf",
        "application/pdf",
        policy_officer,
    )
    assert attachment.file.name.startswith("grant-reports/") and "領収書" not in attachment.file.name
    assert attachment.file.read() == PDF
    assert reported.history.latest().history_change_reason == "実績報告（対象経費 2,900,000円、その他の収入 0円）"


def test_report_accepts_png_and_project_ids(decision, projects, decided_on):
    png = SimpleUploadedFile("写真.png", PNG, content_type="image/png")
    services.decision_report(
        decision=decision,
        reported_on=decided_on,
        spending={projects[0].pk: 1, projects[1].pk: 2},
        attachments=[png],
    )
    assert decision.spent_amount == 3
    assert GrantReportAttachment.objects.get().content_type == "image/png"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing_project", "次の事業の実績額を入力してください: 防災訓練"),
        ("negative", "0円以上"),
        ("exe_named_pdf", "PDF・JPEG・PNGのどれでもありません"),
        ("too_big", "1ファイル10MBまでにしてください"),
        ("before_decision", "実績報告日は交付決定日"),
        ("foreign_project", "年度計画にない事業"),
    ],
)
def test_a_bad_report_is_refused_and_changes_nothing(decision, projects, decided_on, other_approved, case, message):
    spending = {projects[0]: 100, projects[1]: 200}
    attachments = [pdf_upload()]
    reported_on = decided_on
    if case == "missing_project":
        spending = {projects[0]: 100}
    elif case == "negative":
        spending[projects[1]] = -1
    elif case == "exe_named_pdf":
        attachments.append(pdf_upload("実績.pdf", EXE))
    elif case == "too_big":
        attachments.append(pdf_upload("大きい.pdf", PDF + b"0" * (10 * 1024 * 1024)))
    elif case == "before_decision":
        reported_on = decided_on - datetime.timedelta(days=1)
    elif case == "foreign_project":
        plan = other_approved.annual_plans.create(fiscal_year=decision.fiscal_year)
        spending[plan.projects.create(field="other", name="よその事業", budget=1)] = 1
    before = state(decision)
    with pytest.raises(ValidationError, match=message):
        services.decision_report(decision=decision, reported_on=reported_on, spending=spending, attachments=attachments)
    assert state(decision) == before


def test_reporting_twice_is_refused(reported, projects, decided_on):
    before = state(reported)
    with pytest.raises(ValidationError, match="「実績報告済」の交付決定には実績報告を登録できません"):
        services.decision_report(decision=reported, reported_on=decided_on, spending=dict.fromkeys(projects, 1))
    assert state(reported) == before


def test_a_report_needs_an_annual_plan(decision, decided_on):
    with pytest.raises(ValidationError, match="年度計画に事業がありません"):
        services.decision_report(decision=decision, reported_on=decided_on, spending={})


# -- 額の確定 ------------------------------------------------------------------------------------


def test_settlement_defaults_to_what_was_spent_and_shows_the_refund(reported, policy_officer):
    # The whole decided amount was paid in advance (概算払): the refund is what was paid beyond the 確定額.
    payment = settlement.payment_claim(decision=reported, claimed_on=reported.decided_on, amount=3_182_000)
    settlement.payment_pay(payment=payment, paid_on=reported.decided_on)
    settled_on = reported.reported_on + datetime.timedelta(days=20)
    services.decision_settle(decision=reported, settled_on=settled_on, by=policy_officer)
    assert reported.status == GrantDecision.Status.SETTLED
    assert reported.settled_amount == 2_900_000
    assert reported.refund_amount == 282_000
    assert (reported.settlement_number, reported.settlement_document_number) == (None, "")  # until its 決裁
    record = reported.history.latest()
    assert record.history_user == policy_officer
    assert record.history_change_reason == "額の確定（確定額 2,900,000円、支払済額 3,182,000円、返還額 282,000円）"
    approve_decision(reported, "settlement")
    assert (reported.settlement_number, reported.settlement_document_number) == (2, "新総政第2号")


def test_settlement_is_capped_by_the_decided_amount(decision, projects, decided_on):
    services.decision_report(
        decision=decision, reported_on=decided_on, spending={projects[0]: 3_000_000, projects[1]: 1_000_000}
    )
    assert services.suggested_settlement(decision) == 3_182_000
    services.decision_settle(decision=decision, settled_on=decided_on)
    assert (decision.settled_amount, decision.refund_amount) == (3_182_000, 0)


@pytest.mark.parametrize(
    ("amount", "days", "message", "field"),
    [
        (3_182_001, 1, "交付決定額（3,182,000円）以下", "settled_amount"),
        (2_900_001, 1, "額の確定の方法（交付決定額と（対象経費の実支出額 − その他の収入）", "settled_amount"),
        (-5, 1, "0円以上", "settled_amount"),
        (1_000, -1, "額の確定日は実績報告日以降", "settled_on"),
    ],
)
def test_a_bad_settlement_is_refused_and_changes_nothing(reported, amount, days, message, field):
    before = state(reported)
    with pytest.raises(ValidationError, match=message) as error:
        services.decision_settle(
            decision=reported, settled_amount=amount, settled_on=reported.reported_on + datetime.timedelta(days=days)
        )
    assert list(error.value.message_dict) == [field or NON_FIELD_ERRORS]
    assert state(reported) == before


def test_settling_before_the_report_is_refused(decision):
    before = state(decision)
    with pytest.raises(ValidationError, match="「交付決定」の交付決定は額を確定できません"):
        services.decision_settle(decision=decision, settled_on=decision.decided_on)
    assert state(decision) == before


def test_settling_twice_is_refused(reported):
    services.decision_settle(decision=reported, settled_on=reported.reported_on)
    before = state(reported)
    with pytest.raises(ValidationError, match="「額の確定」の交付決定は額を確定できません"):
        services.decision_settle(decision=reported, settled_on=reported.reported_on)
    assert state(reported) == before


def test_decisions_and_settlements_share_one_series(reported, other_approved, current_year, decided_on):
    services.decision_settle(decision=reported, settled_on=reported.reported_on)
    services.grant_calculate_year(fiscal_year=current_year)
    (other,) = services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    # Numbered in the order of the 決裁, not of the acts: the other decision's notice is approved first.
    approve_decision(other)
    approve_decision(reported, "settlement")
    assert (reported.number, other.number, reported.settlement_number) == (1, 2, 3)


def test_a_fiscal_years_own_conditions_are_copied_into_its_decisions(calculation, decided_on, notice_settings):
    from grants.models import GrantConditions

    GrantConditions.objects.create(fiscal_year=calculation.fiscal_year, text="令和8年度だけの条件。\n二つ目の条件。")
    decision = services.decision_decide(calculation=calculation, decided_on=decided_on)
    assert decision.conditions == "令和8年度だけの条件。\n二つ目の条件。"
