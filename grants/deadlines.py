"""期限: what is due from the organizations (or from the 課) and not yet done, derived from the records.

    交付申請    an approved organization has no application for the fiscal year     FiscalYear.application_due_on
    実績報告    a decision (交付決定・変更交付決定) has no 実績報告 yet                      FiscalYear.report_due_on
    返還金      a 返還請求 not paid back                                             GrantRefund.due_on (納付期限)
    概算払      a 請求 received and not yet paid (the 課's own deadline)             30 days after the 請求

The first two fall back to a default when the fiscal year leaves them blank, and the 支払 of a 請求 has no
recorded deadline at all: those dates are assumptions marked 要確認 wherever they show. Every deadline falls
on a working day (niimi_portal.lib.workdays).

The admin dashboard and the 期限 page list them (`open_deadlines`), `manage.py send_reminders` mails them
once per stage (`reminders_send`), and the bulk 案内・督促 letters are made from them (`letters_pdf`).
"""

import dataclasses
import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse

from grants.models import (
    DeadlineReminder,
    FiscalYear,
    GrantApplication,
    GrantDecision,
    GrantPayment,
    GrantRefund,
    NoticeSettings,
)
from grants.notices import check_glyphs, pdf_document
from niimi_portal.lib import workdays
from niimi_portal.lib.money import yen
from niimi_portal.lib.refusal import refuse
from niimi_portal.lib.wareki import fiscal_year_of, wareki_date
from organizations.models import Organization

REMIND_DAYS_BEFORE = 7  # the first reminder, a week ahead (an operating choice the city may change)
CLAIM_PAYMENT_DAYS = 30  # 請求 to 支払: 要確認 (the city's own 支払の期限 for a 概算払, e.g. its 補助金交付規則)
DEFAULT_DUE = (4, 30)  # 交付申請 (in the year) and 実績報告 (in the next year): 要確認
DASHBOARD_DAYS = 30  # the dashboard shows what is overdue or due within this many days

Stage = DeadlineReminder.Stage


@dataclasses.dataclass
class Deadline:
    """One thing due and not yet done."""

    kind: str  # application, report, refund, claim
    key: str  # stable across runs: kind and the record it stands for
    organization: Organization
    title: str  # 「令和8年度 実績報告書の提出」
    due_on: datetime.date
    assumed: bool = False  # the date is a default, not a recorded one (要確認)
    amount: int | None = None
    to_organization: bool = True  # False: the 課's own deadline (支払), reminded to the 課 only
    url: str = ""  # where the clerk records it done

    def days_left(self, today):
        return (self.due_on - today).days

    def stage(self, today):
        """The reminder due on `today`: 7日前 (within the week before), 当日, 期限後; None when it is too early."""
        days = self.days_left(today)
        if days < 0:
            return Stage.OVERDUE
        if days == 0:
            return Stage.ON_DAY
        if days <= REMIND_DAYS_BEFORE:
            return Stage.BEFORE
        return None

    def when(self, today):
        """「15日経過」「本日」「あと7日」."""
        days = self.days_left(today)
        if days < 0:
            return f"{-days}日経過"
        return "本日" if days == 0 else f"あと{days}日"

    def row(self, today):
        """What a list shows: the deadline with its 和暦 date, days and state."""
        return {
            "deadline": self,
            "due": wareki_date(self.due_on),
            "when": self.when(today),
            "overdue": self.days_left(today) < 0,
            "days_left": self.days_left(today),
        }


def default_due(year):
    """4月30日 of the calendar year `year`, moved to the next working day (要確認)."""
    return workdays.next_working_day(datetime.date(year, *DEFAULT_DUE))


def application_due(fiscal_year):
    """(date, assumed): the 交付申請's deadline of the year, or the default (要確認)."""
    if fiscal_year.application_due_on:
        return fiscal_year.application_due_on, False
    return default_due(fiscal_year.year), True


def report_due(fiscal_year):
    """(date, assumed): the 実績報告's deadline of the year's decisions, or the default in the next year (要確認)."""
    if fiscal_year.report_due_on:
        return fiscal_year.report_due_on, False
    return default_due(fiscal_year.year + 1), True


def _admin_url(name, pk):
    return reverse(f"admin:{name}", args=[pk])


def application_deadlines(today):
    """Approved organizations without a 交付申請 (or a 交付決定) for the fiscal year `today` falls in (2 queries)."""
    fiscal_year = FiscalYear.objects.filter(year=fiscal_year_of(today)).first()
    if fiscal_year is None:
        return []
    due_on, assumed = application_due(fiscal_year)
    applied = GrantApplication.objects.filter(organization=OuterRef("pk"), fiscal_year=fiscal_year)
    # A decision of the year says the application came, even one recorded before applications were.
    decided = GrantDecision.objects.filter(organization=OuterRef("pk"), fiscal_year=fiscal_year)
    organizations = Organization.objects.filter(approval_status=Organization.ApprovalStatus.APPROVED).exclude(
        Exists(applied) | Exists(decided)
    )
    return [
        Deadline(
            kind="application",
            key=f"application:{fiscal_year.year}:{organization.pk}",
            organization=organization,
            title=f"{fiscal_year.label} 交付申請書の提出",
            due_on=due_on,
            assumed=assumed,
            url=reverse("admin:grants_grantapplication_add"),
        )
        for organization in organizations.order_by("name_kana")
    ]


def report_deadlines():
    """Decisions (交付決定・変更交付決定) with no 実績報告 yet (1 query)."""
    decisions = GrantDecision.objects.filter(
        status__in=[GrantDecision.Status.DECIDED, GrantDecision.Status.CHANGED], reported_on__isnull=True
    ).select_related("organization", "fiscal_year")
    deadlines = []
    for decision in decisions:
        due_on, assumed = report_due(decision.fiscal_year)
        deadlines.append(
            Deadline(
                kind="report",
                key=f"report:{decision.pk}",
                organization=decision.organization,
                title=f"{decision.fiscal_year.label} 実績報告書の提出",
                due_on=due_on,
                assumed=assumed,
                url=_admin_url("grants_grantdecision_report", decision.pk),
            )
        )
    return deadlines


def refund_deadlines():
    """返還請求 not yet paid back, by their 納付期限 (1 query)."""
    refunds = GrantRefund.objects.filter(returned_on__isnull=True).select_related(
        "decision__organization", "decision__fiscal_year", "entry"
    )
    return [
        Deadline(
            kind="refund",
            key=f"refund:{refund.pk}",
            organization=refund.decision.organization,
            title=f"{refund.decision.fiscal_year.label} 返還金の納付（{refund.entry.text}）",
            due_on=refund.due_on,
            amount=refund.amount,
            url=_admin_url("grants_grantdecision_change", refund.decision_id),
        )
        for refund in refunds
    ]


def claim_deadlines():
    """請求 received and not yet paid: the 課's own deadline, 30 days after the 請求 (要確認) (1 query)."""
    payments = (
        GrantPayment.objects.filter(paid_on__isnull=True)
        .exclude(decision__status=GrantDecision.Status.REVOKED)
        .select_related("decision__organization", "decision__fiscal_year")
    )
    return [
        Deadline(
            kind="claim",
            key=f"claim:{payment.pk}",
            organization=payment.decision.organization,
            title=f"{payment.decision.fiscal_year.label} 第{payment.instalment}回 {payment.get_kind_display()}の支払",
            due_on=workdays.deadline_after(payment.claimed_on, CLAIM_PAYMENT_DAYS),
            assumed=True,
            amount=payment.amount,
            to_organization=False,
            url=_admin_url("grants_grantdecision_change", payment.decision_id),
        )
        for payment in payments
    ]


def open_deadlines(today):
    """Every deadline not yet met, overdue first (the longest overdue at the top), then by date (5 queries)."""
    deadlines = [*application_deadlines(today), *report_deadlines(), *refund_deadlines(), *claim_deadlines()]
    return sorted(deadlines, key=lambda d: (d.due_on >= today, d.due_on, d.organization.name_kana, d.key))


def deadline_rows(today, *, within_days=None):
    """The rows of the 期限 list; with `within_days`, only what is overdue or due within that many days."""
    deadlines = open_deadlines(today)
    if within_days is not None:
        deadlines = [d for d in deadlines if d.days_left(today) <= within_days]
    return [d.row(today) for d in deadlines]


# -- reminders by mail (manage.py send_reminders) -------------------------------------------------------

SUBJECT_PREFIX = "[新見市 小規模多機能自治]"
STAGE_WORDS = {
    Stage.BEFORE: "期限が近づいています",
    Stage.ON_DAY: "本日が期限です",
    Stage.OVERDUE: "期限を過ぎています",
}


def _contact(today):
    """The 担当 line of the notice settings in force (or the division's name when none is set)."""
    version = NoticeSettings.objects.in_force(today)
    return version.contact if version else settings.PORTAL["POLICY_DIVISION"]


def organization_mail(deadline, stage, today, contact):
    """(subject, body) of the reminder to the organization, です・ます (its 事務局 reads it)."""
    organization = deadline.organization
    subject = f"{SUBJECT_PREFIX} {STAGE_WORDS[stage]}: {deadline.title}（{wareki_date(deadline.due_on)}）"
    lines = [
        f"{organization.name} 御中",
        "",
        f"{settings.PORTAL['CITY_NAME']}{settings.PORTAL['POLICY_DIVISION']}です。",
        f"{deadline.title}の期限についてお知らせします。",
        "",
        f"期限: {wareki_date(deadline.due_on)}（{deadline.when(today)}）",
    ]
    if deadline.amount is not None:
        lines.append(f"金額: {yen(deadline.amount)}")
    if stage == Stage.OVERDUE:
        lines += ["", "期限を過ぎていますが、まだ確認できていません。お早めに手続きをお願いします。"]
    else:
        lines += ["", "期限までに手続きをお願いします。"]
    lines += ["すでに手続きを済まされた場合は、行き違いですのでご容赦ください。", "", f"問い合わせ先: {contact}"]
    return subject, "\n".join(lines) + "\n"


def division_mail(sent, today, mailed=None):
    """(subject, body) of the one mail to the 課 listing every reminder of this run; `mailed`: the keys of the
    deadlines whose organization was mailed too (by default, those of organizations with a contact e-mail)."""
    subject = f"{SUBJECT_PREFIX} 期限のリマインダー {len(sent)}件（{wareki_date(today)}）"
    lines = [f"{wareki_date(today)}現在、次の期限をお知らせします（期限を過ぎたものから）。", ""]
    for deadline, stage in sent:
        assumed = "（期限は既定値・要確認）" if deadline.assumed else ""
        if mailed is None:
            to_organization = deadline.to_organization and deadline.organization.contact_email
        else:
            to_organization = deadline.key in mailed
        to = "組織にもメールしました" if to_organization else ""
        amount = f" {yen(deadline.amount)}" if deadline.amount is not None else ""
        lines.append(
            f"・{STAGE_WORDS[stage]}: {deadline.organization.name} {deadline.title}{amount}"
            f" 期限 {wareki_date(deadline.due_on)}（{deadline.when(today)}）{assumed}{'　' + to if to else ''}"
        )
    lines += ["", f"期限の一覧: {settings.PORTAL_BASE_URL}{reverse('admin:grants_fiscalyear_deadlines')}"]
    return subject, "\n".join(lines) + "\n"


def due_reminders(today):
    """(deadline, stage) for each reminder due on `today` and not yet sent (6 queries)."""
    due = [(deadline, deadline.stage(today)) for deadline in open_deadlines(today)]
    due = [(deadline, stage) for deadline, stage in due if stage is not None]
    sent = set(DeadlineReminder.objects.filter(key__in=[d.key for d, _ in due]).values_list("key", "due_on", "stage"))
    return [(deadline, stage) for deadline, stage in due if (deadline.key, deadline.due_on, stage) not in sent]


def organization_addresses(organizations):
    """{organization pk: [e-mail addresses]} of the organizations: the contact e-mail, then each person of
    its 事務局 with an account (offices.OfficeMember, read through the reverse relation `office_members`: the
    offices app sits above grants, which does not import it) (1 query)."""
    rows = Organization.objects.filter(pk__in=[o.pk for o in organizations]).values_list(
        "pk", "contact_email", "office_members__user__email", "office_members__user__is_active"
    )
    addresses = {}
    for pk, contact, member_email, active in rows.order_by("pk", "office_members__id"):
        found = addresses.setdefault(pk, [])
        for address in (contact, member_email if active else ""):
            if address and address.lower() not in {a.lower() for a in found}:
                found.append(address)
    return addresses


def reminders_send(*, today, dry_run=False):
    """Queue the reminders due on `today` in the outbox and record each, in one transaction: to each
    organization (for its own deadlines) at its contact e-mail and at each address of its 事務局, and one list
    to the 課 (POLICY_DIVISION_EMAIL). A reminder recorded is never sent again (one DeadlineReminder per
    deadline and stage, whoever it went to); a deadline met before a stage is no longer open, so it gets
    none. Returns the (deadline, stage) pairs sent (or, with dry_run, that would be)."""
    with transaction.atomic():
        due = due_reminders(today)
        if dry_run or not due:
            return due
        contact = _contact(today)
        addresses = organization_addresses([d.organization for d, _ in due if d.to_organization])
        mailed = set()
        for deadline, stage in due:
            recipients = addresses.get(deadline.organization.pk, []) if deadline.to_organization else []
            if recipients:
                subject, body = organization_mail(deadline, stage, today, contact)
                for address in recipients:  # one mail each: no member sees another's address
                    send_mail(subject, body, None, [address])
                mailed.add(deadline.key)
            DeadlineReminder.objects.create(
                key=deadline.key,
                due_on=deadline.due_on,
                stage=stage,
                organization=deadline.organization,
                title=deadline.title[:200],
                to_organization=bool(recipients),
                sent_on=today,
            )
        if settings.POLICY_DIVISION_EMAIL:
            subject, body = division_mail(due, today, mailed)
            send_mail(subject, body, None, [settings.POLICY_DIVISION_EMAIL])
    return due


# -- bulk 案内 and 督促 letters (one PDF, one letter per organization) -----------------------------------

GUIDE = "guide"  # 案内: what is due and not yet overdue
DEMAND = "demand"  # 督促: what is overdue
LETTER_KINDS = {GUIDE: "案内", DEMAND: "督促"}
ZENKAKU_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")  # 1 → １: the numbering of a 記's items


def letter_groups(kind, today):
    """[(organization, [deadline rows])] for the letters of `kind`: the organizations' own deadlines
    (not the 課's 支払), overdue ones for a 督促, the others for a 案内; organizations by よみ."""
    groups = {}
    for deadline in open_deadlines(today):
        if not deadline.to_organization or (deadline.days_left(today) < 0) != (kind == DEMAND):
            continue
        groups.setdefault(deadline.organization.pk, (deadline.organization, []))[1].append(deadline.row(today))
    return sorted(groups.values(), key=lambda group: (group[0].name_kana, group[0].pk))


def letter_content(kind, organization, rows, today, version):
    """One letter, である調. Not a 処分: unnumbered (事務連絡) and without 教示. A 督促 of a 返還金 is itself
    a 処分 in some cities (地方自治法第231条の3 for 歳入) and would then need a number and the 教示 (要確認)."""
    city = settings.PORTAL["CITY_NAME"]
    fiscal_years = sorted({row["deadline"].title.split(" ")[0] for row in rows})
    grant = f"{'・'.join(fiscal_years)}{city}小規模多機能自治一括交付金"
    if kind == DEMAND:
        title = "提出期限等の経過について（督促）"
        body = (
            f"{grant}について、下記の期限を経過したが、現在まで提出又は納付の確認ができない。"
            "ついては、速やかに手続をされたい。なお、この通知と行き違いに手続済みの場合は、容赦されたい。"
        )
    else:
        title = "提出期限等について（案内）"
        body = f"{grant}について、下記のとおり期限が到来するので、期限までに手続をされたい。"
    fields = []
    for index, row in enumerate(rows, 1):
        deadline = row["deadline"]
        value = f"期限 {row['due']}（{row['when']}）"
        if deadline.amount is not None:
            value += f"　金額 {yen(deadline.amount)}"
        fields.append(
            [f"{str(index).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}　{deadline.title}", value]
        )
    return {
        "kind": "reminder",
        "number": "事務連絡",
        "date": wareki_date(today),
        "organization": organization.name,
        "addressee_title": organization.representative_title.strip() or "代表者",
        "addressee_name": organization.representative_name.strip(),
        "issuer_title": version.mayor_title,
        "issuer_name": version.mayor_name,
        "seal": "",
        "seal_omitted": version.seal_omitted_text,
        "appeal": [],
        "contact": version.contact,
        "is_demo": version.is_demo or organization.is_demo,
        "title": title,
        "body": body,
        "fields": fields,
    }


def letters_pdf(kind, today):
    """The letters of `kind` (案内 or 督促) for every organization with such deadlines, one PDF, each
    letter on its own page(s); refused when there is none or no notice settings are in force."""
    version = NoticeSettings.objects.in_force(today)
    if version is None:
        refuse(
            f"{wareki_date(today)}に施行されている通知書の設定がありません。管理画面の「通知書の設定」で登録してください。"
        )
    groups = letter_groups(kind, today)
    if not groups:
        refuse(f"{LETTER_KINDS[kind]}の文書を送る組織はありません（{wareki_date(today)}現在）。")
    documents = []
    for organization, rows in groups:
        html = render_to_string(
            "grants/notices/reminder.html", letter_content(kind, organization, rows, today, version)
        )
        check_glyphs(html)
        documents.append(pdf_document(html))
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
