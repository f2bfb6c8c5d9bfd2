"""Edits of an organization's public page proposed by its 事務局 (ProfileEdit): 確認待ち → 反映 / 見送り.

The 事務局 starts from what residents see now and proposes the whole of it (紹介, 連絡先, 今年度の計画の概要,
これからの行事), so emptying a field takes it off the page (past events must be able to go). One proposal
waits at a time: proposing again while it waits replaces it. Nothing reaches residents before 総合政策課
accepts it; accepting saves the Organization and the year's AnnualPlan, whose saves renew the cached public
pages (organizations.cache_rules). A new telephone number or e-mail address is stored, but residents see it
only once its 掲載の同意 is recorded (Organization.published_contact): the consent covers a value, not a field.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grants.models import FiscalYear
from niimi_portal.lib.history import record_change
from niimi_portal.lib.refusal import refuse
from offices.models import ProfileEdit
from organizations.access import can_run_workflow
from organizations.models import AnnualPlan, Organization, ProposalStatus

# ProfileEdit field → (label, where it lives on the public page).
FIELDS = {
    "description": "紹介",
    "contact_phone": "連絡先電話番号",
    "contact_email": "連絡先メール",
    "plan_summary": "今年度の計画の概要",
    "events": "これからの行事",
}
CONTACT_FIELDS = ("contact_phone", "contact_email")


def this_year_plan(organization):
    """This fiscal year's AnnualPlan of the organization, or None."""
    fiscal_year = FiscalYear.current()
    if fiscal_year is None:
        return None
    return AnnualPlan.objects.filter(organization=organization, fiscal_year=fiscal_year).first()


def profile_current(organization):
    """What the public page holds now, by ProfileEdit field (the registered values, consent or not)."""
    plan = this_year_plan(organization)
    return {
        "description": organization.description,
        "contact_phone": organization.contact_phone,
        "contact_email": organization.contact_email,
        "plan_summary": plan.summary if plan else "",
        "events": organization.upcoming_events,
    }


def pending_edit(organization):
    return ProfileEdit.objects.filter(organization=organization, status=ProposalStatus.PENDING).first()


def latest_edit(organization):
    """The organization's latest proposal (pending or decided), or None."""
    return ProfileEdit.objects.filter(organization=organization).select_related("decided_by").first()


def edit_rows(edit, current=None):
    """For the review: each field with its current and proposed value and whether it changes."""
    current = current if current is not None else profile_current(edit.organization)
    return [
        {
            "field": field,
            "label": label,
            "current": current[field],
            "proposed": getattr(edit, field),
            "changed": _normal(current[field]) != _normal(getattr(edit, field)),
        }
        for field, label in FIELDS.items()
    ]


def _normal(text):
    return "\n".join(line.rstrip() for line in (text or "").strip().splitlines())


@transaction.atomic
def profile_edit_propose(*, organization, by, **values):
    """Propose the public page as `values` (every key of FIELDS). Replaces the proposal still waiting, if any.
    Refused when nothing differs from the page (and from the waiting proposal)."""
    values = {field: _normal(values.get(field, "")) for field in FIELDS}
    current = profile_current(organization)
    if all(values[field] == _normal(current[field]) for field in FIELDS):
        refuse("公開ページの今の内容と同じです。変えたいところを書き換えてから送ってください。")
    if values["plan_summary"] != _normal(current["plan_summary"]) and FiscalYear.current() is None:
        refuse(
            "今年度の設定がまだないため、計画の概要は提案できません。総合政策課にお問い合わせください。",
            field="plan_summary",
        )
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    edit = pending_edit(organization)
    replacing = edit is not None
    if edit is None:
        edit = ProfileEdit(organization=organization)
    for field, value in values.items():
        setattr(edit, field, value)
    edit.proposed_by = by
    edit.proposed_at = timezone.now()
    edit.full_clean()
    record_change(edit, by=by, reason="提案を差し替え" if replacing else "事務局が提案")
    edit.save()
    if not replacing:
        transaction.on_commit(lambda: _tell_policy_division(edit))
    return edit


@transaction.atomic
def profile_edit_accept(*, edit, by):
    """反映: the proposed values go to the Organization and this year's AnnualPlan; the public pages renew."""
    edit = _lock_pending(edit, by)
    organization = Organization.objects.select_for_update().get(pk=edit.organization_id)
    rows = [row for row in edit_rows(edit) if row["changed"]]
    plan_row = next((row for row in rows if row["field"] == "plan_summary"), None)
    if plan_row:
        fiscal_year = FiscalYear.current()
        if fiscal_year is None:
            refuse("今年度の設定がないため、計画の概要を反映できません。先に年度を登録してください。")
        plan, _ = AnnualPlan.objects.get_or_create(organization=organization, fiscal_year=fiscal_year)
        plan.summary = edit.plan_summary
        record_change(plan, by=by, reason="事務局の提案を反映")
        plan.save()
    organization.description = edit.description
    organization.contact_phone = edit.contact_phone
    organization.contact_email = edit.contact_email
    organization.upcoming_events = edit.events
    changed = "・".join(row["label"] for row in rows) or "変更なし"
    record_change(organization, by=by, reason=f"事務局の公開ページの変更の提案を反映（{changed}）")
    organization.save()
    _decide(edit, by, ProposalStatus.ACCEPTED)
    return edit


@transaction.atomic
def profile_edit_decline(*, edit, by, reason):
    """見送り, with the reason the 事務局 reads on their page; the public page is not touched."""
    reason = (reason or "").strip()
    if not reason:
        refuse("見送りの理由を入力してください（事務局に伝わります）。", field="reason")
    edit = _lock_pending(edit, by)
    _decide(edit, by, ProposalStatus.DECLINED, reason)
    return edit


def consent_missing(edit):
    """The contact fields the accepted edit would hold without a current 掲載の同意 (residents would not see
    them until the 課 records one): labels, for the review screen."""
    organization = edit.organization
    covered = {consent.item for consent in organization.publication_consents.filter(withdrawn_on__isnull=True)
               if consent.covers(_with_contact(organization, edit))}  # fmt: skip
    return [FIELDS[field] for field in CONTACT_FIELDS if getattr(edit, field) and field not in covered]


def _with_contact(organization, edit):
    """A copy of the organization holding the proposed contact, for checking a consent against it."""
    copy = Organization(pk=organization.pk, contact_phone=edit.contact_phone, contact_email=edit.contact_email)
    return copy


def _lock_pending(edit, by):
    if not can_run_workflow(by):
        raise PermissionDenied("提案を反映・見送りする権限がありません。")
    edit = ProfileEdit.objects.select_for_update(of=("self",)).select_related("proposed_by").get(pk=edit.pk)
    if edit.status != ProposalStatus.PENDING:
        refuse(f"この提案はすでに判断されています（{edit.get_status_display()}）。画面を読み込み直してください。")
    return edit


def _decide(edit, by, status, reason=""):
    edit.status = status
    edit.decided_by = by
    edit.decided_at = timezone.now()
    edit.decline_reason = reason
    record_change(edit, by=by, reason="反映" if status == ProposalStatus.ACCEPTED else "見送り")
    edit.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    transaction.on_commit(lambda: _tell_proposer(edit))


def _send(subject, body, recipients):
    recipients = [address for address in recipients if address]
    if recipients:
        send_mail(f"[新見市 小規模多機能自治] {subject}", body, None, recipients)


def _tell_policy_division(edit):
    url = settings.PORTAL_BASE_URL + reverse("admin:offices_profileedit_review", args=[edit.pk])
    _send(
        f"公開ページの変更の提案（確認待ち）: {edit.organization}",
        f"{edit.organization}の事務局から、公開ページの変更の提案がありました。"
        f"確認のうえ、反映または見送りを判断してください。\n\n確認する: {url}\n",
        [settings.POLICY_DIVISION_EMAIL],
    )


def _tell_proposer(edit):
    if edit.proposed_by is None:
        return
    url = settings.PORTAL_BASE_URL + reverse("offices:profile", args=[edit.organization.slug])
    accepted = edit.status == ProposalStatus.ACCEPTED
    outcome = "反映しました" if accepted else "見送りました"
    body = f"{edit.organization}の公開ページの変更の提案を、総合政策課が{outcome}。\n"
    if not accepted:
        body += f"見送りの理由: {edit.decline_reason}\n"
    body += f"\n公開ページの変更: {url}\n"
    _send(f"公開ページの変更の提案: {'反映' if accepted else '見送り'}", body, [edit.proposed_by.email])
