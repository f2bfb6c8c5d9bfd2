"""認可取消, a 不利益処分: the 弁明の機会 first (its 付与通知書, not a 処分), then, once the deadline has passed or
a 弁明 is on record, the 認可取消通知書 (a 処分: its own 根拠 and the 教示), both read back from their PDFs."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from grants import approval_acts, notices, register
from grants.models import ApprovalHearing, DocumentKind
from organizations.models import Organization
from tests.grants.pdf import pdf_text
from tests.grants.test_notice_kinds import assert_proper_notice
from tests.grants.test_notices import APPEAL_PARTS
from tests.helpers import approve_document, issue_document, squash

pytestmark = pytest.mark.django_db

NOTIFIED_ON = datetime.date(2026, 10, 19)  # a Monday; 14 days later is 11月2日, a Monday too
FACTS = "令和8年度の事業を実施しておらず、役員会も開かれていないため。"


@pytest.fixture
def hearing(approved, policy_officer, notice_settings):
    """The 弁明の機会, its 付与通知書 approved (決裁) and so numbered: the 認可取消通知書 cites that number."""
    hearing = approval_acts.hearing_notify(
        organization=approved, by=policy_officer, notified_on=NOTIFIED_ON, facts=FACTS
    )
    approve_document(hearing.notice_entry)
    return hearing


def read(entry):
    return squash(pdf_text(notices.stored_pdf(issue_document(entry))))


def test_the_hearing_notice_states_the_planned_revocation_its_article_and_a_working_day_deadline(
    hearing, notice_settings
):
    assert hearing.deadline == datetime.date(2026, 11, 2)
    entry = hearing.notice_entry
    assert entry.kind == DocumentKind.HEARING
    pdf = notices.stored_pdf(issue_document(entry))
    assert_proper_notice(pdf, DocumentKind.HEARING, notice_settings)
    text = read(entry)
    assert "弁明の機会の付与通知書" in text
    assert (
        "令和7年6月1日付け新総政第1号で認可した地域運営組織について、認可の取消し（不利益処分）をしようとする" in text
    )
    assert "新見市行政手続条例第30条の規定により、下記のとおり弁明の機会を付与する。" in text
    assert "予定される不利益処分の内容地域運営組織の認可（令和7年6月1日付け新総政第1号）の取消し" in text
    assert "根拠となる条項新見市小規模多機能自治推進要綱第9条" in text
    assert squash(f"不利益処分の原因となる事実{FACTS}") in text
    assert "弁明書の提出先総務部総合政策課協働推進係" in text
    assert "弁明書の提出期限令和8年11月2日" in text
    # Not a 処分: no 教示.
    assert "（教示）" not in text and "審査請求" not in text


def test_a_deadline_computed_onto_a_holiday_moves_to_the_next_working_day(approved, policy_officer, notice_settings):
    # 14 days after 令和8年10月20日 is 11月3日 (文化の日).
    hearing = approval_acts.hearing_notify(
        organization=approved, by=policy_officer, notified_on=datetime.date(2026, 10, 20), facts=FACTS
    )
    assert hearing.deadline == datetime.date(2026, 11, 4)


def test_a_typed_deadline_on_a_sunday_is_refused_beside_the_field(approved, policy_officer, notice_settings):
    with pytest.raises(ValidationError) as refused:
        approval_acts.hearing_notify(
            organization=approved,
            by=policy_officer,
            notified_on=NOTIFIED_ON,
            facts=FACTS,
            deadline=datetime.date(2026, 11, 1),
        )
    assert "土日・祝日・年末年始" in refused.value.message_dict["deadline"][0]
    assert not ApprovalHearing.objects.exists()


def test_revoking_without_a_hearing_is_refused_beside_the_date(approved, policy_officer, notice_settings):
    with pytest.raises(ValidationError) as refused:
        approval_acts.organization_revoke(
            organization=approved, by=policy_officer, reason=FACTS, date=datetime.date(2026, 11, 4)
        )
    assert "弁明の機会を付与してください" in refused.value.message_dict["date"][0]
    approved.refresh_from_db()
    assert approved.is_approved
    assert register.latest_entry(kind=DocumentKind.APPROVAL_REVOCATION, organization=approved) is None


def test_revoking_before_the_deadline_without_a_hearing_answer_is_refused(hearing, approved, policy_officer):
    with pytest.raises(ValidationError) as refused:
        approval_acts.organization_revoke(
            organization=approved, by=policy_officer, reason=FACTS, date=datetime.date(2026, 11, 2)
        )
    assert "弁明書の提出期限（令和8年11月2日）が過ぎるまで" in refused.value.message_dict["date"][0]
    approved.refresh_from_db()
    assert approved.is_approved


def test_after_the_deadline_the_revocation_letter_says_no_answer_came_and_carries_the_appeal(
    hearing, approved, policy_officer, notice_settings
):
    org = approval_acts.organization_revoke(
        organization=approved, by=policy_officer, reason=FACTS, date=datetime.date(2026, 11, 4)
    )
    assert org.approval_status == Organization.ApprovalStatus.REVOKED
    hearing.refresh_from_db()
    entry = hearing.revocation_entry
    assert entry.kind == DocumentKind.APPROVAL_REVOCATION and entry.dated == datetime.date(2026, 11, 4)
    pdf = notices.stored_pdf(issue_document(entry))
    assert_proper_notice(pdf, DocumentKind.APPROVAL_REVOCATION, notice_settings)
    text = read(entry)
    assert "地域運営組織認可取消通知書" in text
    assert (
        "令和7年6月1日付け新総政第1号で認可した地域運営組織について、新見市小規模多機能自治推進要綱第9条の規定により、"
        "下記のとおり認可を取り消したので通知する。"
    ) in text
    assert "取消しの日令和8年11月4日" in text
    assert squash(f"取消しの理由{FACTS}") in text
    assert (
        f"弁明の機会令和8年10月19日付け{hearing.notice_entry.text}で弁明の機会を付与し、"
        "提出期限（令和8年11月2日）までに弁明書の提出はなかった。"
    ) in text
    assert "弁明の要旨" not in text
    assert "（教示）" in text and all(squash(part) in text for part in APPEAL_PARTS)
    # The next 弁明の機会 would be a new one: this one has led to its 取消.
    assert approval_acts.open_hearing(approved) is None


def test_a_recorded_answer_allows_the_revocation_before_the_deadline_and_is_cited(
    hearing, approved, policy_officer, notice_settings
):
    approval_acts.hearing_record_explanation(
        hearing=hearing,
        by=policy_officer,
        explained_on=datetime.date(2026, 10, 26),
        explanation="役員の病気により活動を休止していたが、来年度から再開する予定である。",
    )
    with pytest.raises(ValidationError) as refused:
        approval_acts.organization_revoke(
            organization=approved, by=policy_officer, reason=FACTS, date=datetime.date(2026, 10, 23)
        )
    assert "弁明書の受付日（令和8年10月26日）以降" in refused.value.message_dict["date"][0]
    approval_acts.organization_revoke(
        organization=approved, by=policy_officer, reason=FACTS, date=datetime.date(2026, 10, 28)
    )
    hearing.refresh_from_db()
    text = read(hearing.revocation_entry)
    assert "令和8年10月26日に弁明書を受け付けた。" in text
    assert "弁明の要旨役員の病気により活動を休止していたが、来年度から再開する予定である。" in text


def test_an_answer_needs_its_date_and_gist(hearing, policy_officer):
    with pytest.raises(ValidationError) as refused:
        approval_acts.hearing_record_explanation(
            hearing=hearing, by=policy_officer, explained_on=datetime.date(2026, 10, 26), explanation=" "
        )
    assert "弁明の要旨を入力してください。" in refused.value.message_dict["explanation"]
    with pytest.raises(ValidationError) as refused:
        approval_acts.hearing_record_explanation(
            hearing=hearing, by=policy_officer, explained_on=datetime.date(2026, 10, 1), explanation="弁明"
        )
    assert "通知日（令和8年10月19日）以降" in refused.value.message_dict["explained_on"][0]


def test_a_second_hearing_is_refused_while_one_is_open(hearing, approved, policy_officer):
    with pytest.raises(ValidationError, match="すでに弁明の機会を付与しています"):
        approval_acts.hearing_notify(organization=approved, by=policy_officer, notified_on=NOTIFIED_ON, facts=FACTS)


def test_an_organization_not_approved_gets_no_hearing(organization, policy_officer, notice_settings):
    with pytest.raises(ValidationError, match="認可されていない"):
        approval_acts.hearing_notify(organization=organization, by=policy_officer, notified_on=NOTIFIED_ON, facts=FACTS)


def test_the_revocation_letter_cannot_be_issued_while_its_basis_is_blank(
    hearing, approved, policy_officer, notice_settings
):
    approval_acts.organization_revoke(
        organization=approved, by=policy_officer, reason=FACTS, date=datetime.date(2026, 11, 4)
    )
    notice_settings.approval_revocation_basis = ""
    notice_settings.save()
    hearing.refresh_from_db()
    with pytest.raises(ValidationError, match="「認可の取消しの根拠」が空欄です"):
        issue_document(hearing.revocation_entry)
    assert "認可取消通知書" in notice_settings.missing_by_kind()


def test_the_revocation_letter_waits_for_the_kessai_of_the_hearing_notice_it_cites(
    approved, policy_officer, notice_settings
):
    hearing = approval_acts.hearing_notify(
        organization=approved, by=policy_officer, notified_on=NOTIFIED_ON, facts=FACTS
    )
    assert hearing.notice_entry.is_reserved
    approval_acts.organization_revoke(
        organization=approved, by=policy_officer, reason=FACTS, date=datetime.date(2026, 11, 4)
    )
    hearing.refresh_from_db()
    with pytest.raises(ValidationError, match="先に弁明の機会の付与通知書（.*）を決裁してください"):
        approve_document(hearing.revocation_entry)
    assert hearing.revocation_entry.is_reserved
    approve_document(hearing.notice_entry)
    text = read(hearing.revocation_entry)
    assert hearing.notice_entry.text == "新総政第1号" and hearing.revocation_entry.text == "新総政第2号"
    assert "令和8年10月19日付け新総政第1号で弁明の機会を付与し、" in text
