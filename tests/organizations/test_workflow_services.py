"""The approval workflow's service functions: each allowed move, each refused move, each missing requirement."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from grants import approval_acts, register
from grants.models import DocumentNumber
from organizations import access, services
from organizations.models import FuturePlan, Organization
from tests.organizations.conftest import put_in_status, snapshot

pytestmark = pytest.mark.django_db
Status = Organization.ApprovalStatus
TODAY = timezone.localdate


def run(name, organization, by):
    """Call the service of a transition with valid input."""
    kwargs = {
        "submit": {"date": TODAY()},
        "approve": {"number": "新総政第101号", "date": TODAY()},
        "return": {"reason": "将来計画の目標に担い手と時期を書き加えてください。"},
        "refuse": {"reason": "活動区域がほかの組織の活動区域と重なるため。"},
        "revoke": {"reason": "活動の実態がなくなったため。"},
    }[name]
    if name == "revoke" and organization.is_approved and approval_acts.open_hearing(organization) is None:
        # A 不利益処分: the 弁明の機会 came first, and its deadline has passed.
        approval_acts.hearing_notify(
            organization=organization, by=by, notified_on=TODAY() - datetime.timedelta(days=30), facts="休止のため。"
        )
    return approval_acts.ACTS[name](organization=organization, by=by, **kwargs)


# -- moves that are allowed -----------------------------------------------------------------


def test_submit_moves_a_new_application_to_applied(complete_organization, policy_officer):
    org = services.organization_submit(organization=complete_organization, by=policy_officer)
    org.refresh_from_db()
    assert org.approval_status == Status.APPLIED
    assert org.applied_on == TODAY()
    record = org.history.first()
    assert record.history_user == policy_officer
    assert "申請を受け付けました" in record.history_change_reason


def test_approve_records_number_and_date_and_moves_to_stage_three(applied_organization, policy_officer):
    day = TODAY() - datetime.timedelta(days=1)
    approval_acts.organization_approve(
        organization=applied_organization, by=policy_officer, number=" 新総政第55号 ", date=day
    )
    org = Organization.objects.get(pk=applied_organization.pk)
    assert (org.approval_status, org.approval_number, org.approved_on) == (Status.APPROVED, "新総政第55号", day)
    assert org.stage == Organization.Stage.ESTABLISHED
    record = org.history.first()
    assert record.history_user == policy_officer
    assert "新総政第55号" in record.history_change_reason
    changed = {c.field: (c.old, c.new) for c in record.diff_against(record.prev_record).changes}
    assert changed["approval_status"] == ("applied", "approved")
    assert changed["stage"] == (Organization.Stage.PLANNING, Organization.Stage.ESTABLISHED)


def test_return_keeps_the_reason_and_resubmission_clears_it(applied_organization, policy_officer):
    approval_acts.organization_return(
        organization=applied_organization, by=policy_officer, reason="  代表者の役職を確認してください。 "
    )
    org = Organization.objects.get(pk=applied_organization.pk)
    assert org.approval_status == Status.RETURNED
    assert org.status_reason == "代表者の役職を確認してください。"
    assert "代表者の役職を確認してください。" in org.history.first().history_change_reason

    services.organization_submit(organization=org, by=policy_officer)
    org.refresh_from_db()
    assert (org.approval_status, org.status_reason) == (Status.APPLIED, "")
    assert "再申請を受け付けました" in org.history.first().history_change_reason


def test_revoke_keeps_the_approval_number_on_record(approved_organization, policy_officer):
    services.organization_revoke(organization=approved_organization, by=policy_officer, reason="解散したため。")
    org = Organization.objects.get(pk=approved_organization.pk)
    assert (org.approval_status, org.status_reason) == (Status.REVOKED, "解散したため。")
    assert org.approval_number == "新総政第7号"


def test_a_long_reason_is_kept_whole_in_the_history(applied_organization, policy_officer):
    reason = "計画の見直しをお願いします。" * 40  # far beyond simple-history's default 100 characters
    approval_acts.organization_return(organization=applied_organization, by=policy_officer, reason=reason)
    assert reason in Organization.history.filter(id=applied_organization.pk).first().history_change_reason


# -- moves that are refused: the database stays as it was -----------------------------------

ALLOWED = {
    ("submit", "not_applied"),
    ("submit", "returned"),
    ("approve", "applied"),
    ("return", "applied"),
    ("refuse", "applied"),
    ("revoke", "approved"),
}
REFUSED = [(name, status) for name in services.TRANSITIONS for status in Status.values if (name, status) not in ALLOWED]


def test_the_refused_list_covers_nineteen_moves():
    assert len(REFUSED) == 19


@pytest.mark.parametrize(("name", "status"), REFUSED)
def test_a_move_not_allowed_from_the_status_is_refused_and_changes_nothing(
    complete_organization, policy_officer, name, status
):
    org = put_in_status(complete_organization, status)
    before = snapshot(org)
    with pytest.raises(ValidationError) as refused:
        run(name, org, policy_officer)
    message = " ".join(refused.value.messages)
    assert Status(status).label in message  # names where the organization stands
    assert snapshot(org) == before


@pytest.mark.parametrize(("name", "status"), sorted(ALLOWED))
def test_every_allowed_move_succeeds_from_its_status(complete_organization, policy_officer, name, status):
    org = put_in_status(complete_organization, status)
    if name == "approve":
        org.approval_number = ""
    run(name, org, policy_officer)
    org.refresh_from_db()
    assert org.approval_status == services.TRANSITIONS[name].target


def test_approving_twice_names_the_existing_approval(approved_organization, policy_officer):
    Organization.objects.filter(pk=approved_organization.pk).update(approval_status=Status.APPROVED)
    with pytest.raises(ValidationError, match="すでに認可されています（認可番号 新総政第7号"):
        approval_acts.organization_approve(
            organization=approved_organization, by=policy_officer, number="新総政第8号", date=TODAY()
        )


# -- missing requirements ---------------------------------------------------------------------


def _applied(organization):
    return put_in_status(organization, Status.APPLIED)


def test_approval_without_an_area_is_refused(applied_organization, policy_officer):
    applied_organization.regions.clear()
    _assert_refused(applied_organization, policy_officer, "活動区域が登録されていません")


def test_approval_without_a_representative_is_refused(applied_organization, policy_officer):
    Organization.objects.filter(pk=applied_organization.pk).update(representative_name="  ")
    _assert_refused(applied_organization, policy_officer, "代表者名が登録されていません")


def test_approval_with_only_a_draft_plan_is_refused(applied_organization, policy_officer):
    applied_organization.future_plans.update(status=FuturePlan.Status.DRAFT)
    _assert_refused(applied_organization, policy_officer, "策定済みの「地域の将来計画」がありません")


def test_approval_without_any_plan_is_refused(applied_organization, policy_officer):
    applied_organization.future_plans.all().delete()
    _assert_refused(applied_organization, policy_officer, "策定済みの「地域の将来計画」がありません")


def test_an_empty_application_names_all_three_requirements(organization, policy_officer):
    organization.regions.clear()
    org = _applied(organization)
    with pytest.raises(ValidationError) as refused:
        approval_acts.organization_approve(organization=org, by=policy_officer, number="新総政第1号", date=TODAY())
    assert len(refused.value.messages) == 3
    assert services.missing_requirements(org) == refused.value.messages


def _assert_refused(organization, by, expected, **kwargs):
    before = snapshot(organization)
    with pytest.raises(ValidationError) as refused:
        approval_acts.organization_approve(
            organization=organization, by=by, **{"number": "新総政第9号", "date": TODAY(), **kwargs}
        )
    assert any(expected in m for m in refused.value.messages), refused.value.messages
    assert snapshot(organization) == before


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["", "   ", None])
def test_approval_without_a_typed_number_takes_the_registers_next_on_kessai(
    applied_organization, policy_officer, number
):
    approval_acts.organization_approve(
        organization=applied_organization, by=policy_officer, number=number, date=TODAY()
    )
    applied_organization.refresh_from_db()
    # 認可 is recorded; the 認可番号 is the 認可通知書's number, given on its 決裁 (「番号は決裁の後」).
    assert (applied_organization.approval_status, applied_organization.approval_number) == (Status.APPROVED, "")
    entry = DocumentNumber.objects.get(organization=applied_organization)
    assert (entry.status, entry.number) == ("reserved", None)
    entry = register.number_assign(entry=entry, by=policy_officer)  # what the 決裁 (grants.drafts.draft_approve) calls
    applied_organization.refresh_from_db()
    assert applied_organization.approval_number == entry.text == "新総政第1号"


def test_a_failure_after_the_number_is_taken_rolls_back_the_approval_and_its_number(
    applied_organization, policy_officer, monkeypatch
):
    """認可 and its 認可通知書's number are one act: when a later part fails, neither is kept."""

    def fail(**kwargs):
        raise RuntimeError("the stage proposals could not be accepted")

    monkeypatch.setattr(approval_acts, "stage_change_accept_by_approval", fail)
    before = snapshot(applied_organization)
    with pytest.raises(RuntimeError):
        approval_acts.organization_approve(organization=applied_organization, by=policy_officer, date=TODAY())
    assert snapshot(applied_organization) == before
    assert not DocumentNumber.objects.filter(organization=applied_organization).exists()


def test_the_organizations_own_approval_takes_no_number_from_the_register(applied_organization, policy_officer):
    """organizations.services records the number it is given; numbering the letter is the act's (grants)."""
    services.organization_approve(
        organization=applied_organization, by=policy_officer, number="新総政第3号", date=TODAY()
    )
    applied_organization.refresh_from_db()
    assert applied_organization.approval_number == "新総政第3号"
    assert not DocumentNumber.objects.filter(organization=applied_organization).exists()


def test_approval_needs_a_date(applied_organization, policy_officer):
    _assert_refused(applied_organization, policy_officer, "認可日を入力してください", date=None)


def test_approval_number_used_by_another_organization_is_refused(
    applied_organization, other_organization, policy_officer
):
    put_in_status(other_organization, Status.APPROVED)  # holds 新総政第7号
    _assert_refused(applied_organization, policy_officer, "ほかの組織に使われています", number="新総政第7号")


def test_approval_date_in_the_future_is_refused(applied_organization, policy_officer):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    _assert_refused(applied_organization, policy_officer, "未来の日付", date=tomorrow)


def test_approval_date_before_the_application_is_refused(applied_organization, policy_officer):
    _assert_refused(
        applied_organization,
        policy_officer,
        "申請日",
        date=applied_organization.applied_on - datetime.timedelta(days=1),
    )


def test_an_application_date_in_the_future_is_refused(complete_organization, policy_officer):
    before = snapshot(complete_organization)
    with pytest.raises(ValidationError, match="未来の日付"):
        services.organization_submit(
            organization=complete_organization, by=policy_officer, date=TODAY() + datetime.timedelta(days=3)
        )
    assert snapshot(complete_organization) == before


@pytest.mark.parametrize("name", ["return", "refuse", "revoke"])
@pytest.mark.parametrize("reason", ["", "  \n ", None])
def test_return_and_revoke_need_a_reason(complete_organization, policy_officer, name, reason):
    org = put_in_status(complete_organization, Status.APPROVED if name == "revoke" else Status.APPLIED)
    before = snapshot(org)
    with pytest.raises(ValidationError, match="理由を入力してください"):
        approval_acts.ACTS[name](organization=org, by=policy_officer, reason=reason)
    assert snapshot(org) == before


def test_a_user_without_the_permission_may_run_no_move(policy_officer_without_approval, assigned_liaison):
    """The check lives in organizations/access.py, which every workflow page asks (the admin tests post to them)."""
    for user in (policy_officer_without_approval, assigned_liaison):
        with pytest.raises(PermissionDenied):
            access.require_workflow(user)


def test_the_database_refuses_a_second_organization_with_the_same_number(approved_organization, other_organization):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=other_organization.pk).update(
            approval_number=approved_organization.approval_number
        )


def test_the_database_refuses_an_approval_without_a_date(applied_organization):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=applied_organization.pk).update(
            approval_status=Status.APPROVED, approved_on=None
        )


def test_allowed_transitions_follow_the_status(complete_organization):
    expected = {
        Status.NOT_APPLIED: ["submit"],
        Status.APPLIED: ["approve", "return", "refuse"],
        Status.APPROVED: ["revoke"],
        Status.RETURNED: ["submit"],
        Status.REVOKED: [],
    }
    for status, names in expected.items():
        org = put_in_status(complete_organization, status)
        assert [t.name for t in services.allowed_transitions(org)] == names, status
