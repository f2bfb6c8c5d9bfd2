"""Every kind of notice read back from its PDF: its own 根拠 (never the 交付決定's), the 教示 exactly when
the kind is a 処分, amounts apart from their labels (by the words' positions), no 「金△」, dates in 令和."""

import datetime
import re

import pytest

from grants import approval_acts, notices, register, services, settlement
from grants.models import DocumentKind
from niimi_portal.lib import workdays
from organizations.models import Organization
from tests.grants.pdf import pdf_text, pdf_words
from tests.grants.test_notices import APPEAL_PARTS
from tests.helpers import approve_document, issue_document, squash

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def assert_proper_notice(pdf, kind, version):
    """What every kind of notice must show, whatever its own facts."""
    text = squash(pdf_text(pdf))
    assert squash(version.basis_for(kind)) in text
    others = {
        str(other) for other in DocumentKind if other != kind and version.basis_for(other) != version.basis_for(kind)
    }
    assert not [other for other in others if squash(version.basis_for(other)) in text]
    if version.carries_appeal(kind):
        assert "（教示）" in text and all(squash(part) in text for part in APPEAL_PARTS)
    else:
        assert "（教示）" not in text and "審査請求" not in text
    assert "金△" not in text and "同封" not in text
    assert re.search(r"令和\d+年\d+月\d+日", text)
    assert not re.search(r"(?<![\d,-])(19|20)\d\d(年|[-/]\d{1,2}[-/]\d)", text), "a date not in 和暦"
    words = pdf_words(pdf)
    for index, word in enumerate(words):
        if "金" in word["text"] and re.search(r"金[\d,]+円", word["text"]):
            # The amount is a word of its own (a visible gap after its label), at least half a
            # character away from the word before it on the same line.
            assert re.match(r"金[\d,]+円", word["text"]), f"a label runs into an amount: {word['text']}"
            before = [
                other
                for other in words[:index]
                if other["page"] == word["page"]
                and abs(other["y1"] - word["y1"]) < 3
                and other["x1"] <= word["x0"] + 0.5
            ]
            if before:
                gap = word["x0"] - max(other["x1"] for other in before)
                assert gap >= 5, f"{word['text']} only {gap:.1f}pt after the word before it"


@pytest.fixture
def year_of_acts(decision, decided_on, approved, policy_officer):
    """One organization's year with every act of the 課: 差戻し, 認可, 交付決定, 変更, 取消 and 返還."""
    returned = register.number_take(
        kind=DocumentKind.RETURN,
        day=approved.approved_on - 20 * DAY,
        subject="差戻し",
        organization=approved,
        details={"reason": "活動区域の地図を添付すること。"},
    )
    refused = register.number_take(
        kind=DocumentKind.REFUSAL,
        day=approved.approved_on - 10 * DAY,
        subject="不認可",
        organization=approved,
        details={"reason": "活動区域がほかの組織の活動区域と重なるため。"},
    )
    approval = register.number_take(
        kind=DocumentKind.APPROVAL, day=approved.approved_on, subject="認可", organization=approved
    )
    services.decision_change(decision=decision, amount=3_000_000, reason="事業の一部中止", changed_on=decided_on + DAY)
    payment = settlement.payment_claim(decision=decision, claimed_on=decided_on + 2 * DAY, amount=2_500_000)
    settlement.payment_pay(payment=payment, paid_on=decided_on + 3 * DAY)
    revocation = settlement.decision_revoke(
        decision=decision,
        revoked_on=datetime.date(2026, 11, 2),
        reason="認可の取消しによる",
        scope="part",
        amount=1_000_000,
        by=policy_officer,
    )
    approve_document(revocation.entry)  # the 返還請求書 cites its number: its 決裁 comes first
    demanded_on = datetime.date(2026, 11, 4)
    refund = settlement.refund_demand(
        decision=decision, demanded_on=demanded_on, due_on=settlement.default_due_date(demanded_on)
    )
    return {
        DocumentKind.RETURN: returned,
        DocumentKind.REFUSAL: refused,
        DocumentKind.APPROVAL: approval,
        DocumentKind.DECISION: notices.decision_entry(decision),
        DocumentKind.CHANGE: register.latest_entry(kind=DocumentKind.CHANGE, decision=decision),
        DocumentKind.REVOCATION: revocation.entry,
        DocumentKind.REFUND: refund.entry,
    }


@pytest.mark.parametrize(
    "kind",
    [
        DocumentKind.RETURN,
        DocumentKind.REFUSAL,
        DocumentKind.APPROVAL,
        DocumentKind.DECISION,
        DocumentKind.CHANGE,
        DocumentKind.REVOCATION,
        DocumentKind.REFUND,
    ],
)
def test_each_kind_reads_back_with_its_own_basis_and_appeal_only_for_a_disposition(kind, year_of_acts, notice_settings):
    pdf = notices.stored_pdf(issue_document(year_of_acts[kind]))
    assert_proper_notice(pdf, kind, notice_settings)


def test_the_settlement_pays_the_rest_as_a_final_payment_not_an_additional_grant(
    decision, decided_on, projects, notice_settings
):
    payment = settlement.payment_claim(decision=decision, claimed_on=decided_on, amount=1_000_000)
    settlement.payment_pay(payment=payment, paid_on=decided_on)
    services.decision_report(
        decision=decision,
        reported_on=datetime.date(2027, 4, 20),
        spending={projects[0]: 2_000_000, projects[1]: 900_000},
    )
    services.decision_settle(decision=decision, settled_on=datetime.date(2027, 5, 14))
    rest = decision.settled_amount - 1_000_000
    entry = register.latest_entry(kind=DocumentKind.SETTLEMENT, decision=decision)
    pdf = notices.stored_pdf(issue_document(entry))
    assert_proper_notice(pdf, DocumentKind.SETTLEMENT, notice_settings)
    text = squash(pdf_text(pdf))
    assert "追加交付" not in text
    assert f"精算払の額金{rest:,}円" in text
    assert "精算払精算払の額は、請求書の提出を受けて支払う（精算払）。" in text
    # The organization's 請求 of the rest is a payment: it numbers no notice.
    settlement.final_payment_claim(decision=decision, claimed_on=datetime.date(2027, 5, 17))
    assert register.latest_entry(kind=DocumentKind.ADDITIONAL, decision=decision) is None


def test_the_decision_states_the_period_the_payment_and_the_withdrawal(year_of_acts):
    text = squash(pdf_text(notices.stored_pdf(issue_document(year_of_acts[DocumentKind.DECISION]))))
    assert "３事業期間令和8年4月1日から令和9年3月31日まで" in text
    assert "４支払方法概算払（請求に基づき支払い、額の確定の後に精算する。）" in text
    assert "この通知を受けた日から起算して15日以内に、申請を取り下げることができる。" in text


def test_the_change_is_a_two_column_table_and_the_rest_stands(year_of_acts):
    pdf = notices.stored_pdf(issue_document(year_of_acts[DocumentKind.CHANGE]))
    words = pdf_words(pdf)
    header = {word["text"]: word for word in words if word["text"] in ("変更前", "変更後")}
    before = next(word for word in words if word["text"] == "金3,182,000円")
    after = next(word for word in words if word["text"] == "金3,000,000円")
    # Each amount stands in its column, on one line.
    assert before["x1"] <= header["変更後"]["x0"] < after["x0"]
    assert header["変更前"]["x1"] <= before["x1"] and abs(before["y0"] - after["y0"]) < 1
    text = squash(pdf_text(pdf))
    assert "増減182,000円の減額" in text and "その他は当初決定のとおりとする。" in text


def test_the_revocation_states_the_amount_after_and_the_refund_to_follow(year_of_acts):
    text = squash(pdf_text(notices.stored_pdf(issue_document(year_of_acts[DocumentKind.REVOCATION]))))
    assert "取消し前の交付決定額金3,000,000円" in text
    assert "取り消す額金1,000,000円" in text
    assert "取消し後の交付決定額金2,000,000円" in text
    assert "既交付額金2,500,000円" in text
    assert "返還を要する額金500,000円" in text
    assert "返還を要する額は、別に送付する返還請求書により、その納付期限までに返還すること。" in text


def test_the_refund_cites_the_revocation_with_its_rate_and_a_working_day_deadline(year_of_acts, notice_settings):
    revocation = year_of_acts[DocumentKind.REVOCATION]
    text = squash(pdf_text(notices.stored_pdf(issue_document(year_of_acts[DocumentKind.REFUND]))))
    body = text[text.index("返還請求書") : text.index("下記のとおり返還を請求する。")]
    assert f"令和8年11月2日付け{revocation.text}で通知した交付決定の取消しに伴い" in body
    assert body.count("により") == 1
    assert "返還請求額金500,000円" in text
    # 20 days after 令和8年11月4日 is 11月24日 (a Tuesday, a working day).
    assert workdays.is_working_day(datetime.date(2026, 11, 24))
    assert "納付期限令和8年11月24日" in text
    assert "年10.95パーセントの割合" in text
    assert f"交付決定の取消し（令和8年11月2日付け{revocation.text}）" in text
    notice_settings.late_fee_rate = None
    notice_settings.save()
    assert "「延滞金の年率（％）」が空欄です" in notice_settings.missing_for(DocumentKind.REFUND)


def test_a_deadline_on_a_holiday_or_a_saturday_moves_to_the_next_working_day():
    # 20 days after 令和8年10月14日 is 11月3日 (文化の日); after 10月11日, 10月31日 (a Saturday).
    assert settlement.default_due_date(datetime.date(2026, 10, 14)) == datetime.date(2026, 11, 4)
    assert settlement.default_due_date(datetime.date(2026, 10, 11)) == datetime.date(2026, 11, 2)


def test_refusing_an_application_numbers_a_refusal_letter_with_the_appeal(approved, policy_officer, notice_settings):
    Organization.objects.filter(pk=approved.pk).update(approval_status=Organization.ApprovalStatus.APPLIED)
    approved.refresh_from_db()
    org = approval_acts.organization_refuse(
        organization=approved,
        by=policy_officer,
        reason="活動区域がほかの組織と重なるため。",
        date=datetime.date(2026, 6, 1),
    )
    assert org.approval_status == Organization.ApprovalStatus.NOT_APPLIED
    entry = register.latest_entry(kind=DocumentKind.REFUSAL, organization=org)
    text = squash(pdf_text(notices.stored_pdf(issue_document(entry))))
    assert "地域運営組織不認可通知書" in text
    assert "推進要綱第7条の規定により、認可しないことに決定したので、下記のとおり通知する。" in text
    assert text.count("により") == 1
    assert "（1）活動区域がほかの組織と重なるため。" in text
    assert "（教示）" in text  # a 不認可 is a 処分; the 補正の求め is not
