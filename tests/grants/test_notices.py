"""The official documents, read back with poppler: what each kind says, the one font it embeds, its
page, and that an issued document is frozen (a reprint is the original byte for byte)."""

import datetime
import io
import os
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from fontTools.ttLib import TTFont

from grants import notice_texts, notices, register, services, settlement
from grants.models import DocumentKind, GrantRule, IssuedDocument, NoticeSettings
from grants.notices import issuing
from niimi_portal.lib import pdf as portal_pdf
from tests.grants.pdf import embedded_font_programs, pdf_fonts, pdf_info, pdf_text
from tests.helpers import approve_decision, approve_document, issued_notice_pdf, squash

pytestmark = pytest.mark.django_db

APPEAL_PARTS = [
    "3か月以内に、新見市長に対して審査請求をすることができる",
    "この決定の日の翌日から起算して1年を経過すると審査請求をすることができなくなる",  # 行政不服審査法18条2項
    "6か月以内に、新見市を被告として",
    "1年を経過すると決定の取消しの訴えを提起することができなくなる",  # 行政事件訴訟法14条2項
    "裁決があったことを知った日の翌日から起算して6か月以内に提起することができる",  # 同14条3項
]


@pytest.fixture
def settled(decision, projects, decided_on):
    payment = settlement.payment_claim(decision=decision, claimed_on=decided_on, amount=decision.amount)
    settlement.payment_pay(payment=payment, paid_on=decided_on)
    services.decision_report(
        decision=decision,
        reported_on=datetime.date(decided_on.year + 1, 4, 20),
        spending={projects[0]: 2_000_000, projects[1]: 900_000},
    )
    services.decision_settle(decision=decision, settled_on=datetime.date(decided_on.year + 1, 5, 15))
    approve_decision(decision, "settlement")  # numbered on 決裁 (「番号は決裁の後」)
    return decision


def issued_pdf(decision, kind="decision"):
    """The decision's notice of `kind`, approved (決裁) and issued now."""
    return notices.stored_pdf(approve_decision(decision, kind))


def assert_only_the_notice_font(pdf, documents=1):
    """`documents` embedded subsets of BIZ UD明朝, all embedded as subsets with a Unicode map."""
    fonts = pdf_fonts(pdf)
    assert len(fonts) == documents, fonts
    for font in fonts:
        assert font["name"].split("+", 1)[1] == "BIZUDMincho-Regular"
        assert (font["emb"], font["sub"], font["uni"]) == ("yes", "yes", "yes")
    # The glyphs really come from the file named in @font-face, not from a look-alike.
    original = TTFont(notices.NOTICE_FONT, lazy=True)
    for program in embedded_font_programs(pdf):
        assert program["name"].getDebugName(6) == "BIZUDMincho-Regular"
        assert program["head"].created == original["head"].created


def assert_reads(pdf, *expected, absent=()):
    if os.environ.get("NOTICES_DUMP_DIR"):  # to look at the documents: NOTICES_DUMP_DIR=/tmp/x pytest …
        (Path(os.environ["NOTICES_DUMP_DIR"]) / f"{pdf_text(pdf).split()[0]}-{len(pdf)}.pdf").write_bytes(pdf)
    text = squash(pdf_text(pdf))
    for part in expected:
        assert squash(part) in text, part
    for part in absent:
        assert squash(part) not in text, part
    for placeholder in ["（市長名）", "○"]:
        assert placeholder not in text
    assert_only_the_notice_font(pdf)
    return text


# -- each kind, read back ---------------------------------------------------------------------------


def test_decision_notice_reads_back_with_every_part(decision):
    pdf = issued_notice_pdf(decision)
    assert_reads(
        pdf,
        "新総政第1号",
        "令和8年5月1日",
        "唐松まちづくり協議会",
        "会長 石井 正男 様",
        "新見市長 新見 太郎",
        "（公印省略）",
        "令和8年度新見市小規模多機能自治一括交付金交付決定通知書",
        "唐松まちづくり協議会の令和8年度の年度計画に係る令和8年度新見市小規模多機能自治一括交付金については、"
        "新見市補助金等交付規則第5条及び新見市小規模多機能自治一括交付金交付要綱第8条の規定により、"
        "下記のとおり交付することに決定したので通知する。",
        "金3,182,000円",
        "1,234人 × 1,100円 1,357,400",
        "517世帯 × 1,500円 775,500",
        "△900",
        "地域振興会運営補助金",
        "合計 3,182,000",
        "あらかじめ市長の承認を受けること。",
        "ほかの補助金等の交付を重ねて受けないこと。",
        "単価50万円以上",
        "（教示）",
        *APPEAL_PARTS,
        "担当 総務部総合政策課協働推進係（電話 0867-72-6143）",
        absent=["進み具合", "デモ"],
    )
    info = pdf_info(pdf)
    assert info["Pages"] == "1"
    assert info["Page size"].startswith("595.276 x 841.89 pts (A4)")


def test_settlement_notice_reads_back_with_amount_refund_and_projects(settled):
    pdf = issued_notice_pdf(settled, notices.SETTLEMENT)
    assert_reads(
        pdf,
        "新総政第1号",  # dated in 令和9年度: the register's numbers start again at 1
        "令和9年5月15日",
        "会長 石井 正男 様",
        "新見市長 新見 太郎",
        "令和8年度新見市小規模多機能自治一括交付金交付額確定通知書",
        "令和8年5月1日付け新総政第1号で交付決定した",
        "令和9年4月20日に提出された実績報告書",
        "新見市補助金等交付規則第14条及び新見市小規模多機能自治一括交付金交付要綱第13条の規定により",
        "交付確定額 金2,900,000円",
        "既交付額 金3,182,000円",
        "返還額 金282,000円",
        "額の確定の方法 交付決定額と（対象経費の実支出額 − その他の収入）のいずれか少ない額",
        "事務局人件費 600,000 0",
        "事業費 見守り・声かけ訪問 800,000 2,000,000",
        "対象経費 計 2,900,000",
        "返還請求書により",
        *APPEAL_PARTS,
    )
    assert pdf_info(pdf)["Pages"] == "1"


def test_change_notice_states_both_amounts_and_the_reason(decision, decided_on):
    services.decision_change(
        decision=decision, amount=3_000_000, reason="事業の一部中止による減額", changed_on=decided_on
    )
    entry = register.latest_entry(kind=DocumentKind.CHANGE, decision=decision)
    assert entry.is_reserved  # its number comes with its 決裁
    pdf = notices.stored_pdf(approve_document(entry))
    assert entry.text == "新総政第2号"
    assert_reads(
        pdf,
        "新総政第2号",
        "令和8年度新見市小規模多機能自治一括交付金変更交付決定通知書",
        "令和8年5月1日付け新総政第1号で交付決定した",
        "新見市補助金等交付規則第9条及び新見市小規模多機能自治一括交付金交付要綱第10条の規定により",
        "区分 変更前 変更後",
        "交付決定額 金3,182,000円 金3,000,000円",
        "増減 182,000円の減額",
        "事業の一部中止による減額",
        "その他は当初決定のとおりとする。",
        *APPEAL_PARTS,
        absent=["金△", "△"],
    )
    # The first notice still states the first amount.
    assert "金3,182,000円" in pdf_text(issued_notice_pdf(decision))


def test_revocation_and_refund_letters_from_their_register_lines(decision):
    """Issue 16's 取消 and 返還 steps write these lines; the letters need nothing else."""
    day = datetime.date(2026, 11, 2)
    revocation = register.number_take(
        kind=DocumentKind.REVOCATION,
        day=day,
        subject="交付決定取消",
        organization=decision.organization,
        decision=decision,
        details={"amount": 1_000_000, "reason": "認可の取消しによる", "scope": "一部"},
    )
    refund = register.number_take(
        kind=DocumentKind.REFUND,
        day=day,
        subject="返還請求",
        organization=decision.organization,
        decision=decision,
        details={"amount": 1_000_000, "due_on": "2026-12-01", "cause": "交付決定の一部取消しにより"},
    )
    assert (revocation.text, refund.text) == ("新総政第2号", "新総政第3号")
    assert_reads(
        notices.stored_pdf(notices.document_issue(entry=revocation)),
        "新総政第2号",
        "令和8年11月2日",
        "会長 石井 正男 様",
        "新見市長 新見 太郎",
        "交付決定取消通知書",
        "交付決定の一部を取り消すこととしたので通知する",
        "新見市補助金等交付規則第16条及び新見市小規模多機能自治一括交付金交付要綱第15条の規定により",
        "取り消す額 金1,000,000円",
        "取消し後の交付決定額 金2,182,000円",
        "返還を要する額 金0円",
        "この取消しにより返還を要する額はない。",
        "認可の取消しによる",
        *APPEAL_PARTS,
    )
    assert_reads(
        notices.stored_pdf(notices.document_issue(entry=refund)),
        "新総政第3号",
        "令和8年度新見市小規模多機能自治一括交付金返還請求書",
        "交付決定の一部取消しに伴い、新見市補助金等交付規則第17条及び新見市小規模多機能自治一括交付金交付要綱第16条の規定により、"
        "下記のとおり返還を請求する。",
        "年10.95パーセントの割合",
        "返還請求額 金1,000,000円",
        "納付期限 令和8年12月1日",
        "新見市長 新見 太郎",
        *APPEAL_PARTS,  # a 返還命令 is a 処分
        absent=["同封", "によりにより"],
    )


def test_approval_and_return_letters(approved, notice_settings):
    returned = register.number_take(
        kind=DocumentKind.RETURN,
        day=datetime.date(2025, 5, 10),
        subject="差戻し",
        organization=approved,
        details={"reason": "活動区域の地図を添付すること。\n将来計画の目標に担い手と時期を記載すること。"},
    )
    approval = register.number_take(
        kind=DocumentKind.APPROVAL, day=approved.approved_on, subject="認可", organization=approved
    )
    assert_reads(
        notices.stored_pdf(notices.document_issue(entry=returned)),
        "新総政第1号",
        "令和7年5月10日",
        "地域運営組織認可申請の補正の求めについて（通知）",
        "下記の事項の補正を求めるので通知する。補正の上、改めて提出すること。",
        "補正を求める事項",
        "新見市行政手続条例第7条の規定により",
        "（1）活動区域の地図を添付すること。",
        "（2）将来計画の目標に担い手と時期を記載すること。",
        "新見市長 新見 太郎",
        absent=["（教示）", "審査請求"],  # a 補正の求め, not a 処分
    )
    assert_reads(
        notices.stored_pdf(notices.document_issue(entry=approval)),
        "新総政第2号",
        "令和7年6月1日",
        "地域運営組織認可通知書",
        "新見市小規模多機能自治推進要綱第6条の規定により、下記のとおり認可したので通知する。",
        "組織の名称 唐松まちづくり協議会",
        "認可番号 新総政第2号",
        "会長 石井 正男 様",
        absent=["（教示）"],
    )


# -- frozen --------------------------------------------------------------------------------------


def test_reprint_after_new_representative_mayor_and_appeal_text_is_the_original(decision, notice_settings):
    original = issued_notice_pdf(decision)
    decision.organization.representative_title = "代表理事"
    decision.organization.representative_name = "藤原 和子"
    decision.organization.save()
    notice_settings.mayor_name = "高梁 次郎"
    notice_settings.appeal_text = "新しい教示の文。"
    notice_settings.contact = "総務部総合政策課（電話 0867-72-0000）"
    notice_settings.save()
    GrantRule.objects.filter(fiscal_year=decision.fiscal_year).update(equal_share=999_000, per_capita=5_000)
    decision.refresh_from_db()

    assert issued_notice_pdf(decision) == original
    assert IssuedDocument.objects.filter(entry__decision=decision).count() == 1
    text = pdf_text(original)
    assert "石井 正男" in text and "新見 太郎" in text and "藤原" not in text and "高梁" not in text

    reissued = notices.document_reissue(original=IssuedDocument.objects.get(), by=None)
    again = pdf_text(notices.stored_pdf(reissued))
    assert "再発行" in again and "新総政第1号" in again
    assert "石井 正男" in again and "新見 太郎" in again and "高梁" not in again
    copy = notices.document_reissue(original=reissued, copy=IssuedDocument.Copy.COPY)
    assert copy.original.copy == "" and " 写 " in f" {pdf_text(notices.stored_pdf(copy))} "


def test_a_new_version_of_the_settings_applies_from_its_effective_date(decision, notice_settings):
    NoticeSettings.objects.create(
        effective_from=datetime.date(2026, 6, 1),
        mayor_name="高梁 次郎",
        **notice_texts.DEMO_KIND_SETTINGS,
        appeal_text=notice_settings.appeal_text,
        contact=notice_settings.contact,
        standard_conditions=notice_settings.standard_conditions,
    )
    assert "新見 太郎" in pdf_text(issued_notice_pdf(decision))  # dated 令和8年5月1日
    services.decision_change(decision=decision, amount=3_000_000, reason="減額", changed_on=datetime.date(2026, 6, 2))
    change = register.latest_entry(kind=DocumentKind.CHANGE, decision=decision)
    assert "高梁 次郎" in pdf_text(notices.stored_pdf(approve_document(change)))


def test_issue_refuses_while_a_placeholder_remains_naming_what_to_fill_in(reserved_decision, notice_settings):
    notice_settings.mayor_name = ""
    notice_settings.legal_basis = "新見市補助金等交付規則第○条の規定により"
    notice_settings.save()
    with pytest.raises(ValidationError) as refused:
        approve_decision(reserved_decision)
    message = refused.value.messages[0]
    assert "「市長の氏名」が空欄です" in message
    assert "交付決定通知書を発行できません" in message
    assert "「交付決定の根拠」に仮の値（○）が残っています" in message
    assert not IssuedDocument.objects.exists()


def test_the_migrated_settings_hold_placeholders_until_the_city_fills_them_in(db):
    version = NoticeSettings.objects.in_force(datetime.date(2026, 5, 1))
    assert version is not None and not version.is_demo
    assert "「市長の氏名」が空欄です" in version.placeholders()
    assert all(part in squash(version.appeal_text) for part in map(squash, APPEAL_PARTS))


def test_preview_is_marked_and_stored_nowhere(reserved_decision):
    entry = notices.decision_entry(reserved_decision)
    text = pdf_text(notices.document_preview(entry=entry))
    assert " 案 " in f" {text} " and "（文書番号は決裁の後に付きます）" in text
    assert not IssuedDocument.objects.exists()
    entry.refresh_from_db()
    assert entry.is_reserved


def test_demo_settings_are_marked_on_the_document(reserved_decision, notice_settings):
    notice_settings.is_demo = True
    notice_settings.save()
    assert "デモ（架空の値を含む文書）" in pdf_text(issued_pdf(reserved_decision))


def test_seal_image_is_printed_over_the_name_instead_of_the_omission(reserved_decision, notice_settings, tmp_path):
    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (60, 60), (200, 0, 0, 255)).save(buffer, format="PNG")
    notice_settings.seal_image.save("seal.png", ContentFile(buffer.getvalue()))
    pdf = issued_pdf(reserved_decision)
    assert "（公印省略）" not in pdf_text(pdf)
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


# -- font and layout -----------------------------------------------------------------------------


def test_a_character_the_font_lacks_is_refused_not_borrowed_from_another_font(reserved_decision):
    reserved_decision.organization.name = "唐松😀まちづくり協議会"
    reserved_decision.organization.save()
    with pytest.raises(notices.NoticeFontError, match="「😀」\\(U\\+1F600\\)"):
        approve_decision(reserved_decision)


def test_a_missing_font_file_fails_loudly(reserved_decision, monkeypatch, tmp_path):
    monkeypatch.setattr(issuing, "NOTICE_FONT", tmp_path / "none.ttf")
    portal_pdf.font_codepoints.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="fonts-morisawa-bizud-mincho"):
            approve_decision(reserved_decision)
    finally:
        portal_pdf.font_codepoints.cache_clear()


def test_no_settlement_notice_before_the_amount_is_settled(decision):
    with pytest.raises(ValidationError, match="交付額確定通知書の文書番号"):
        issued_notice_pdf(decision, notices.SETTLEMENT)


def test_all_notices_of_a_year_as_zip_and_as_one_pdf(decision, other_approved, current_year, decided_on):
    services.grant_calculate_year(fiscal_year=current_year)
    (other,) = services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    approve_decision(other)
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
    assert_only_the_notice_font(combined)  # laid out together: one subset for the whole print


def test_only_settled_decisions_have_settlement_notices(settled, other_approved, current_year, decided_on):
    services.grant_calculate_year(fiscal_year=current_year)
    services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    assert list(notices.decisions_for_notices(current_year, notices.SETTLEMENT)) == [settled]
    assert len(notices.decisions_for_notices(current_year)) == 2


# -- 決裁用の一覧 and 宛名 list ---------------------------------------------------------------------


def test_approval_list_and_address_list_of_the_documents_to_issue(decision, other_approved, current_year, decided_on):
    from grants.models import DocumentNumber

    other_approved.contact_address = "岡山県新見市高尾1234"
    other_approved.save()
    services.grant_calculate_year(fiscal_year=current_year)
    (other,) = services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    approve_decision(other)
    entries = list(DocumentNumber.objects.order_by("number"))
    rows = notices.approval_rows(entries)
    assert [row[:4] for row in rows] == [
        ["新総政第1号", "令和8年5月1日", "交付決定通知書", "唐松まちづくり協議会"],
        ["新総政第2号", "令和8年5月1日", "交付決定通知書", "高尾ふれあい協議会"],
    ]
    assert rows[0][5] == 3_182_000
    pdf = notices.approval_list_pdf(entries)
    text = pdf_text(pdf)
    assert "発行する文書の一覧（決裁用）" in text and "新総政第2号" in text and "3,182,000" in text
    assert_only_the_notice_font(pdf)
    addresses = notices.address_rows(entries)
    assert addresses[1][:4] == ["高尾ふれあい協議会", other_approved.representative_title, "", "岡山県新見市高尾1234"]


def test_each_kind_cites_its_own_basis_and_a_blank_one_refuses_that_kind_only(decision, notice_settings):
    notice_settings.revocation_basis = "新見市補助金等交付規則第15条の規定により"
    notice_settings.refund_basis = ""
    notice_settings.save()
    revocation = register.number_take(
        kind=DocumentKind.REVOCATION,
        day=decision.decided_on,
        subject="交付決定取消",
        organization=decision.organization,
        decision=decision,
        details={"amount": 10, "reason": "理由", "scope": "全部"},
    )
    text = squash(pdf_text(notices.stored_pdf(notices.document_issue(entry=revocation))))
    assert "新見市補助金等交付規則第15条の規定により、下記のとおり交付決定の全部を取り消す" in text
    assert "交付要綱第8条" not in text
    assert "交付要綱第8条の規定により" in squash(pdf_text(issued_notice_pdf(decision)))

    refund = register.number_take(
        kind=DocumentKind.REFUND,
        day=decision.decided_on,
        subject="返還請求",
        organization=decision.organization,
        decision=decision,
        details={"amount": 10, "due_on": "2026-06-01", "cause": "取消しにより"},
    )
    with pytest.raises(ValidationError) as refused:
        notices.document_issue(entry=refund)  # no fallback to the article of the 交付決定
    assert "返還請求書を発行できません" in refused.value.messages[0]
    assert "「返還請求の根拠」が空欄です" in refused.value.messages[0]
    assert not IssuedDocument.objects.filter(entry=refund).exists()
    assert notice_settings.missing_by_kind() == {"返還請求書": ["「返還請求の根拠」が空欄です"]}


def test_the_additional_grant_settings_are_asked_for_only_while_a_legacy_line_needs_them(approved, notice_settings):
    """No step numbers an 追加交付 any more: its 根拠 is not listed as missing until an earlier version's line is."""
    notice_settings.additional_basis = ""
    notice_settings.save()
    assert notice_settings.missing_by_kind() == {}
    register.number_take(
        kind=DocumentKind.ADDITIONAL, day=approved.approved_on, subject="追加交付", organization=approved, typed="99"
    )
    assert notice_settings.missing_by_kind() == {"追加交付通知書": ["「追加交付の根拠」が空欄です"]}


def test_the_appeal_is_required_and_printed_exactly_for_the_kinds_set_as_dispositions(approved, notice_settings):
    notice_settings.appeal_text = ""
    notice_settings.save()
    assert set(notice_settings.missing_by_kind()) == {
        DocumentKind(kind).label for kind in notice_settings.disposition_kinds if kind != DocumentKind.ADDITIONAL
    }
    assert DocumentKind.APPROVAL.label not in notice_settings.missing_by_kind()
    notice_settings.appeal_text = notice_texts.APPEAL_TEXT
    notice_settings.disposition_kinds = [*notice_settings.disposition_kinds, DocumentKind.APPROVAL.value]
    notice_settings.save()
    approval = register.number_take(
        kind=DocumentKind.APPROVAL, day=approved.approved_on, subject="認可", organization=approved
    )
    assert_reads(notices.stored_pdf(notices.document_issue(entry=approval)), "地域運営組織認可通知書", *APPEAL_PARTS)
