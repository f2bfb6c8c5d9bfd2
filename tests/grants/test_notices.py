"""The PDF notices, read back with poppler: what they say, the one font they embed, and their page."""

import datetime
import io
import re
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from fontTools.ttLib import TTFont

from grants import notices, services
from grants.models import GrantRule
from tests.grants.pdf import embedded_font_programs, pdf_fonts, pdf_info, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(approved, current_year, decided_on, policy_officer):
    (calc,) = services.grant_calculate_year(fiscal_year=current_year, by=policy_officer).saved
    return services.decision_decide(calculation=calc, decided_on=decided_on, by=policy_officer)


@pytest.fixture
def settled(decision, projects, decided_on):
    services.decision_report(
        decision=decision,
        reported_on=datetime.date(decided_on.year + 1, 4, 20),
        spending={projects[0]: 2_000_000, projects[1]: 900_000},
    )
    services.decision_settle(decision=decision, settled_on=datetime.date(decided_on.year + 1, 5, 15))
    return decision


def squash(text):
    """Without white space: pdftotext breaks lines where the notice wraps."""
    return re.sub(r"\s+", "", text)


def assert_only_the_notice_font(pdf):
    fonts = pdf_fonts(pdf)
    assert len(fonts) == 1, fonts
    (font,) = fonts
    assert font["name"].split("+", 1)[1] == "BIZUDMincho-Regular"
    assert (font["emb"], font["sub"], font["uni"]) == ("yes", "yes", "yes")
    # The glyphs really come from the file named in @font-face, not from a look-alike.
    original = TTFont(notices.NOTICE_FONT, lazy=True)
    for program in embedded_font_programs(pdf):
        assert program["name"].getDebugName(6) == "BIZUDMincho-Regular"
        assert program["head"].created == original["head"].created


def test_decision_notice_reads_back_with_every_part(decision, settings):
    settings.PORTAL = {
        **settings.PORTAL,
        "MAYOR_NAME": "新見 太郎",
        "NOTICE_APPEAL_TEXT": "この決定について不服があるときは、設定した教示の文を読んでください。",
    }
    text = pdf_text(notices.notice_pdf(decision))
    for expected in [
        "新総政第1号",
        "令和8年5月1日",
        "唐松まちづくり協議会",
        "会長 石井 正男 様",
        "新見市長 新見 太郎",
        "令和8年度新見市小規模多機能自治一括交付金交付決定通知書",
        "下記のとおり交付することに決定したので通知します。",
        "金 3,182,000 円",
        "均等割",
        "1,234人 × 1,100円 1,357,400",
        "517世帯 × 1,500円 775,500",
        "事務局人件費",
        "△900",
        "地域振興会運営補助金",
        "合計 3,182,000",
        "実績報告書を提出すること。",
        "5年間保存すること。",
        "（教示）",
        "設定した教示の文を読んでください。",
        "総務部 総合政策課 協働推進係",
    ]:
        assert squash(expected) in squash(text), expected
    assert "金 3,182,000 円" in text  # the amount exactly as a notice states it


def test_decision_notice_is_one_a4_portrait_page_in_the_notice_font_only(decision):
    pdf = notices.notice_pdf(decision)
    info = pdf_info(pdf)
    assert info["Pages"] == "1"
    assert info["Page size"].startswith("595.276 x 841.89 pts (A4)")
    assert_only_the_notice_font(pdf)


def test_a_character_the_font_lacks_is_refused_not_borrowed_from_another_font(decision):
    decision.organization.name = "唐松😀まちづくり協議会"
    with pytest.raises(notices.NoticeFontError, match="「😀」\\(U\\+1F600\\)"):
        notices.notice_pdf(decision)


def test_a_missing_font_file_fails_loudly(decision, monkeypatch, tmp_path):
    monkeypatch.setattr(notices, "NOTICE_FONT", tmp_path / "none.ttf")
    notices._font_codepoints.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="fonts-morisawa-bizud-mincho"):
            notices.notice_pdf(decision)
    finally:
        notices._font_codepoints.cache_clear()


def test_a_stored_calculation_prints_the_same_after_the_rule_changes(decision):
    before = pdf_text(notices.notice_pdf(decision))
    GrantRule.objects.filter(fiscal_year=decision.fiscal_year).update(
        equal_share=999_000, per_capita=5_000, per_household=0, secretariat_cost=0, rounding_unit=10_000
    )
    decision.refresh_from_db()
    after = pdf_text(notices.notice_pdf(decision))
    assert after == before
    assert "金 3,182,000 円" in after and "1,234人 × 1,100円" in after


def test_decision_notice_keeps_the_first_amount_after_a_change(decision, decided_on):
    services.decision_change(decision=decision, amount=3_000_000, reason="減額", changed_on=decided_on)
    assert "金 3,182,000 円" in pdf_text(notices.notice_pdf(decision))


def test_settlement_notice_reads_back_with_amount_refund_and_projects(settled):
    pdf = notices.notice_pdf(settled, notices.SETTLEMENT)
    text = pdf_text(pdf)
    for expected in [
        "新総政第2号",
        "令和9年5月15日",
        "唐松まちづくり協議会",
        "令和8年度新見市小規模多機能自治一括交付金交付額確定通知書",
        "令和8年5月1日付け新総政第1号で交付決定した",
        "令和9年4月20日に提出された実績報告書",
        "金 2,900,000 円",
        "返還額 金 282,000 円",
        "見守り・声かけ訪問 高齢者支援 800,000 2,000,000",
        "返還の方法",
    ]:
        assert squash(expected) in squash(text), expected
    assert "金 2,900,000 円" in text
    assert pdf_info(pdf)["Pages"] == "1"
    assert_only_the_notice_font(pdf)


def test_no_settlement_notice_before_the_amount_is_settled(decision):
    with pytest.raises(ValueError, match="額が確定していない"):
        notices.notice_pdf(decision, notices.SETTLEMENT)


def test_all_notices_of_a_year_as_zip_and_as_one_pdf(decision, other_approved, current_year, decided_on):
    services.grant_calculate_year(fiscal_year=current_year)
    services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    decisions = list(notices.decisions_for_notices(current_year))
    with zipfile.ZipFile(io.BytesIO(notices.notices_zip(decisions))) as archive:
        names = archive.namelist()
        assert names == [
            "2026_001_唐松まちづくり協議会_交付決定通知書.pdf",
            "2026_002_高尾ふれあい協議会_交付決定通知書.pdf",
        ]
        assert "高尾ふれあい協議会" in pdf_text(archive.read(names[1]))
    combined = notices.notices_combined_pdf(decisions)
    assert pdf_info(combined)["Pages"] == "2"
    text = pdf_text(combined)
    assert text.index("唐松まちづくり協議会") < text.index("高尾ふれあい協議会")
    assert_only_the_notice_font(combined)


def test_only_settled_decisions_have_settlement_notices(settled, other_approved, current_year, decided_on):
    services.grant_calculate_year(fiscal_year=current_year)
    services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    assert list(notices.decisions_for_notices(current_year, notices.SETTLEMENT)) == [settled]
    assert len(notices.decisions_for_notices(current_year)) == 2
