"""起案 → 決裁 → 施行: a 変更交付決定 drafted by a clerk, returned with a reason, redrafted, approved by a
決裁権者 of its 専決区分, and only then numbered and frozen. Every step is a POST behind its permission;
a GET to any step's URL changes nothing."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants import drafts
from grants.models import ApprovalLevel, ApprovalRoute, DocumentDraft, DocumentNumber, GrantDecision, IssuedDocument
from tests.grants.pdf import pdf_text
from tests.helpers import Client, login

pytestmark = pytest.mark.django_db


def _approver(username, group):
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def director(db):
    """A 部長: the 決裁権者 of a 変更交付決定 under the default 専決区分."""
    return _approver("bucho", "決裁権者（部長）")


@pytest.fixture
def section_chief(db):
    return _approver("kacho", "決裁権者（課長）")


@pytest.fixture
def staff_without_permission(db):
    return User.objects.create_user("staff-only", password="x", is_staff=True)


@pytest.fixture
def changed_on(decided_on):
    return decided_on + datetime.timedelta(days=10)


def urls(draft):
    return {
        step: reverse(f"admin:grants_documentdraft_{step}", args=[draft.pk])
        for step in ("decide", "preview", "approve", "reject", "redraft")
    }


def state(decision):
    decision.refresh_from_db()
    return (
        DocumentNumber.objects.count(),
        IssuedDocument.objects.count(),
        decision.amount,
        list(DocumentDraft.objects.filter(kind="change").values_list("status", "reject_reason", "details")),
    )


def draft_change(client, policy_officer, decision, changed_on, amount=3_000_000):
    response = login(client, policy_officer).post(
        reverse("admin:grants_grantdecision_change_amount", args=[decision.pk]),
        {"amount": amount, "reason": "事業の一部中止", "changed_on": changed_on},
    )
    assert response.status_code == 302
    return DocumentDraft.objects.get(kind="change")


def test_draft_reject_redraft_approve_numbers_and_freezes_the_notice(
    client, policy_officer, director, decision, changed_on
):
    numbers_before = DocumentNumber.objects.count()
    draft = draft_change(client, policy_officer, decision, changed_on)
    # 起案: no number, the decision unchanged, the preview marked 「案」 without a number.
    assert (draft.status, draft.level, draft.drafted_by) == ("submitted", "director", policy_officer)
    assert DocumentNumber.objects.count() == numbers_before
    decision.refresh_from_db()
    assert (decision.amount, decision.status) == (3_182_000, "decided")
    preview = pdf_text(client.get(urls(draft)["preview"]).content)
    assert " 案 " in f" {preview} " and "文書番号は決裁の後に付きます" in preview
    assert "新総政第2号" not in preview and "3,000,000" in preview
    assert not IssuedDocument.objects.filter(kind="change").exists()

    # The 決裁 list shows what waits for whom.
    login(client, director)
    listing = client.get(reverse("admin:grants_documentdraft_changelist")).content.decode()
    assert "部長の決裁待ち" in listing and "変更交付決定" in listing

    # 差戻し: the reason is required, shown beside the field; then returned with it, still unnumbered.
    blank = client.post(urls(draft)["reject"], {"reason": ""})
    assert blank.status_code == 200
    assert blank.context["reject_form"].errors["reason"] == ["差戻しの理由を入力してください。"]
    client.post(urls(draft)["reject"], {"reason": "変更後の額を見直してください。"})
    draft.refresh_from_db()
    assert (draft.status, draft.reject_reason, draft.decided_by) == (
        "rejected",
        "変更後の額を見直してください。",
        director,
    )
    assert DocumentNumber.objects.count() == numbers_before

    # 再起案 by the drafter: a new amount, sent for 決裁 again.
    login(client, policy_officer)
    page = client.get(urls(draft)["decide"]).content.decode()
    assert "変更後の額を見直してください。" in page and "修正して決裁に回す" in page
    client.post(
        urls(draft)["redraft"],
        {"dated": changed_on, "subject": draft.subject, "after": 2_900_000, "reason": "事業の一部中止"},
    )
    draft.refresh_from_db()
    assert (draft.status, draft.details["after"], draft.decided_by) == ("submitted", 2_900_000, None)
    assert DocumentNumber.objects.count() == numbers_before

    # 決裁 by the 部長: the change takes effect, the number is taken and the notice frozen.
    login(client, director)
    response = client.post(urls(draft)["approve"])
    assert response.status_code == 302
    draft.refresh_from_db()
    decision.refresh_from_db()
    assert (draft.status, draft.decided_by) == ("approved", director)
    assert (decision.amount, decision.status) == (2_900_000, "changed")
    assert DocumentNumber.objects.count() == numbers_before + 1
    assert (draft.entry.kind, draft.entry.taken_by) == ("change", director)
    document = IssuedDocument.objects.get(entry=draft.entry)
    assert document.issued_by == director
    text = pdf_text(bytes(document.pdf))
    assert draft.entry.text in text and "変更交付決定通知書" in text and "2,900,000" in text
    assert " 案 " not in f" {text} " and "文書番号は決裁の後" not in text
    # Once issued, the draft's PDF link downloads the frozen document.
    assert client.get(urls(draft)["preview"]).content == bytes(document.pdf)
    # Every step is in the draft's history, with who took it.
    steps = [(h.history_change_reason, h.history_user) for h in draft.history.order_by("history_date")]
    assert steps[:3] == [
        ("起案", policy_officer),
        ("差戻し: 変更後の額を見直してください。", director),
        ("再起案", policy_officer),
    ]
    assert steps[3] == (f"決裁（{draft.entry.text}）", director)


def test_a_clerk_without_the_approval_permission_cannot_approve(
    client, policy_officer, section_chief, decision, changed_on
):
    draft = draft_change(client, policy_officer, decision, changed_on)
    before = state(decision)
    # The 総合政策課 clerk drafts but does not approve; a 課長 may not approve what the 部長 decides.
    for person in (policy_officer, section_chief):
        login(client, person)
        assert client.post(urls(draft)["approve"]).status_code == 403
        assert client.post(urls(draft)["reject"], {"reason": "x"}).status_code == 403
    assert state(decision) == before
    assert not policy_officer.has_perm("grants.approve_section_chief")


def test_a_higher_level_may_approve_and_the_route_is_a_setting(
    client, policy_officer, section_chief, director, decision, changed_on
):
    ApprovalRoute.objects.create(kind="change", level=ApprovalLevel.SECTION_CHIEF)
    draft = draft_change(client, policy_officer, decision, changed_on)
    assert draft.level == "section_chief"
    assert drafts.may_approve(section_chief, draft.level) and drafts.may_approve(director, draft.level)
    assert not drafts.may_approve(section_chief, ApprovalLevel.DIRECTOR)
    login(client, section_chief).post(urls(draft)["approve"])
    draft.refresh_from_db()
    assert draft.status == "approved"


def test_a_get_to_every_step_changes_nothing(client, policy_officer, director, decision, changed_on):
    draft = draft_change(client, policy_officer, decision, changed_on)
    before = state(decision)
    for person in (policy_officer, director):
        login(client, person)
        for step, url in urls(draft).items():
            response = client.get(url, HTTP_REFERER="https://attacker.example/")
            assert response.status_code == 200, step
    assert state(decision) == before
    assert DocumentDraft.objects.get(kind="change").status == "submitted"


def test_steps_need_the_csrf_token(policy_officer, director, decision, changed_on):
    draft = drafts.change_draft_submit(
        decision=decision, amount=3_000_000, reason="事業の一部中止", changed_on=changed_on, by=policy_officer
    )
    before = state(decision)
    client = Client(enforce_csrf_checks=True)
    client.force_login(director)
    for step in ("approve", "reject", "redraft"):
        assert client.post(urls(draft)[step], {"reason": "x"}).status_code == 403, step
    assert state(decision) == before


def test_people_without_access_are_refused_on_every_step(
    client, policy_officer, assigned_liaison, staff_without_permission, decision, changed_on
):
    draft = drafts.change_draft_submit(
        decision=decision, amount=3_000_000, reason="事業の一部中止", changed_on=changed_on, by=policy_officer
    )
    before = state(decision)
    for step, url in urls(draft).items():
        assert client.get(url).status_code == 302, step  # anonymous: to the login page
        assert client.post(url).status_code == 302, step
    for person in (assigned_liaison, staff_without_permission):
        login(client, person)
        for step, url in urls(draft).items():
            assert client.post(url, {"reason": "x"}).status_code in (302, 403), step
            assert client.get(url).status_code in (302, 403), step
    assert state(decision) == before


def test_nothing_is_numbered_when_issuing_is_refused(policy_officer, director, decision, changed_on, notice_settings):
    draft = drafts.change_draft_submit(
        decision=decision, amount=3_000_000, reason="事業の一部中止", changed_on=changed_on, by=policy_officer
    )
    notice_settings.change_basis = ""
    notice_settings.save()
    before = state(decision)
    with pytest.raises(ValidationError):
        drafts.draft_approve(draft=draft, by=director)
    assert state(decision) == before


def test_the_drafter_cannot_approve_their_own_draft(director, decision, changed_on):
    director.groups.add(Group.objects.get(name="総合政策課"))
    draft = drafts.change_draft_submit(
        decision=decision, amount=3_000_000, reason="事業の一部中止", changed_on=changed_on, by=director
    )
    with pytest.raises(Exception, match="自分が起案した文書は決裁できません"):
        drafts.draft_approve(draft=draft, by=director)
    assert DocumentDraft.objects.get(kind="change").status == "submitted"


def test_a_draft_refused_at_drafting_is_not_saved(client, policy_officer, decision, changed_on):
    response = login(client, policy_officer).post(
        reverse("admin:grants_grantdecision_change_amount", args=[decision.pk]),
        {"amount": decision.amount, "reason": "同じ額", "changed_on": changed_on},
    )
    assert response.status_code == 200
    assert "変更後の交付決定額が現在の額と同じです。" in response.context["form"].errors["amount"]
    assert not DocumentDraft.objects.filter(kind="change").exists()


def test_the_waiting_list_is_oldest_first(policy_officer, decision, changed_on, client, director):
    first = drafts.change_draft_submit(
        decision=decision, amount=3_000_000, reason="一", changed_on=changed_on, by=policy_officer
    )
    second = drafts.change_draft_submit(
        decision=decision, amount=2_000_000, reason="二", changed_on=changed_on, by=policy_officer
    )
    DocumentDraft.objects.filter(pk=second.pk).update(submitted_at=first.submitted_at - datetime.timedelta(hours=1))
    assert list(DocumentDraft.objects.waiting()) == [second, first]
    listing = login(client, director).get(reverse("admin:grants_documentdraft_changelist"))
    assert list(listing.context["cl"].result_list) == [second, first]


def test_a_typed_paper_number_means_the_change_was_approved_on_paper(client, policy_officer, decision, changed_on):
    login(client, policy_officer).post(
        reverse("admin:grants_grantdecision_change_amount", args=[decision.pk]),
        {"amount": 3_000_000, "reason": "事業の一部中止", "changed_on": changed_on, "document_number": "新総政第50号"},
    )
    decision.refresh_from_db()
    assert (decision.amount, decision.status) == (3_000_000, GrantDecision.Status.CHANGED)
    assert not DocumentDraft.objects.filter(kind="change").exists()


def test_the_migration_makes_one_approver_group_per_level_and_the_clerks_hold_none(policy_officer):
    levels = {
        "決裁権者（課長）": "approve_section_chief",
        "決裁権者（部長）": "approve_director",
        "決裁権者（市長）": "approve_mayor",
    }
    for name, codename in levels.items():
        held = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert codename in held and "view_documentdraft" in held, name
        assert not (held & (set(levels.values()) - {codename})), name
    policy = set(Group.objects.get(name="総合政策課").permissions.values_list("codename", flat=True))
    assert not policy & set(levels.values())


def test_the_division_sets_the_approval_route_in_the_admin(client, policy_officer):
    login(client, policy_officer)
    response = client.post(reverse("admin:grants_approvalroute_add"), {"kind": "refund", "level": "director"})
    assert response.status_code == 302
    assert ApprovalRoute.objects.level_for("refund") == ApprovalLevel.DIRECTOR
    assert ApprovalRoute.objects.level_for("refusal") == ApprovalLevel.MAYOR  # the default (要確認)


def test_the_draft_names_its_drafter_by_the_persons_name(client, policy_officer, decision, changed_on):
    policy_officer.last_name, policy_officer.first_name = "政策", "花子"
    policy_officer.save()
    draft = draft_change(client, policy_officer, decision, changed_on)
    page = client.get(urls(draft)["decide"]).content.decode()
    assert "政策 花子（" in page and "seisaku（" not in page
