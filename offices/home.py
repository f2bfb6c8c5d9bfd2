"""What the 事務局's home (/office/<slug>/) shows, read in a few queries: what is due next and by when, where each
step of this fiscal year stands (申請 → 決定 → 変更 → 請求・支払 → 実績報告 → 確定), the latest documents
received and the messages from the 課 (補正 asked, forms received). Each step with an online form (交付申請,
変更申請, 請求, 実績報告) links to it with its state, a 補正 asked links straight to the form. Links are made
with reverse(): no query more. Everything is the organization's own."""

import dataclasses

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from grants import deadlines
from grants.models import FiscalYear, GrantApplication, GrantDecision, GrantPayment
from niimi_portal.lib.money import yen
from niimi_portal.lib.wareki import fiscal_year_of, wareki_date
from offices.access import received_documents
from offices.models import Submission

RECENT_DOCUMENTS = 5

DONE, NOW, LATER = "done", "now", "later"  # how a step shows: 済, いまの手続き, まだ先
STATE_WORDS = {DONE: "済", NOW: "手続き中", LATER: "まだ先"}


FORM_LINKS = {  # the kind of online form → the words of its link on the home
    Submission.Kind.APPLICATION: "交付申請の入力へ",
    Submission.Kind.CHANGE_REQUEST: "変更申請の入力へ",
    Submission.Kind.CLAIM: "請求の入力へ",
    Submission.Kind.REPORT: "実績報告の入力へ",
}


@dataclasses.dataclass
class FormLink:
    """The link from a step to its online form, with where the form stands (下書き, 提出済（受付待ち）, 補正の依頼あり,
    受理) or 「まだ始めていません」 when the 事務局 has not opened it."""

    url: str
    text: str  # 「交付申請の入力へ」
    state: str  # Submission.Status label, or 「まだ始めていません」
    urgent: bool = False  # a 補正 to answer


@dataclasses.dataclass
class Step:
    name: str  # 申請, 決定, 変更, 請求・支払, 実績報告, 確定
    state: str
    text: str  # 「受付済（令和8年4月10日）」
    form: FormLink | None = None

    @property
    def state_word(self):
        return STATE_WORDS[self.state]


def form_url(organization, kind):
    return reverse("offices:form", kwargs={"slug": organization.slug, "kind": kind})


def current_submission(submissions, kind):
    """The form of `kind` the 事務局 is working on (draft, sent or 補正), else the newest accepted; None when they
    have not opened one. `submissions` are newest first."""
    of_kind = [s for s in submissions if s.kind == kind and s.status != Submission.Status.WITHDRAWN]
    for submission in of_kind:
        if submission.status != Submission.Status.ACCEPTED:
            return submission
    return of_kind[0] if of_kind else None


def form_link(organization, kind, submission):
    """The link to the form of `kind`, with the state of `submission` (the one current_submission gives)."""
    state = submission.get_status_display() if submission is not None else "まだ始めていません"
    urgent = submission is not None and submission.status == Submission.Status.CORRECTION
    return FormLink(url=form_url(organization, kind), text=FORM_LINKS[kind], state=state, urgent=urgent)


def organization_deadlines(organization, today):
    """The organization's own deadlines not yet met (not the 課's 支払), overdue first, as rows (和暦, days left)."""
    return [
        deadline.row(today)
        for deadline in deadlines.open_deadlines(today)
        if deadline.organization.pk == organization.pk and deadline.to_organization
    ]


def _submission_text(submission):
    if submission is None:
        return None
    return f"{submission.get_kind_display()}: {submission.get_status_display()}"


def year_steps(organization, fiscal_year, submissions):
    """The six steps of `fiscal_year` for `organization`, each with its state and a sentence (2 queries)."""
    application = GrantApplication.objects.filter(organization=organization, fiscal_year=fiscal_year).first()
    decision = (
        GrantDecision.objects.filter(organization=organization, fiscal_year=fiscal_year)
        .prefetch_related("change_requests", Prefetch("payments", queryset=GrantPayment.objects.order_by("instalment")))
        .first()
    )
    by_kind = {kind: current_submission(submissions, kind) for kind in FORM_LINKS}
    kinds = Submission.Kind

    def link(kind):
        return form_link(organization, kind, by_kind[kind])

    steps = []
    sent_online = by_kind[kinds.APPLICATION] is not None  # a 交付申請 sent from these pages links to what was sent
    if application is not None:
        steps.append(
            Step(
                "申請",
                DONE,
                f"受付済（{wareki_date(application.received_on)}）",
                link(kinds.APPLICATION) if sent_online else None,
            )
        )
    elif decision is not None:
        steps.append(Step("申請", DONE, "受付済", link(kinds.APPLICATION) if sent_online else None))
    else:
        steps.append(
            Step(
                "申請",
                NOW,
                _submission_text(by_kind[kinds.APPLICATION]) or "まだ提出していません",
                link(kinds.APPLICATION),
            )
        )
    if decision is None:
        steps.append(Step("決定", LATER if application is None else NOW, "交付決定はまだです"))
        steps += [Step(name, LATER, "交付決定の後です") for name in ("変更", "請求・支払", "実績報告", "確定")]
        return steps
    if decision.status == GrantDecision.Status.REVOKED:
        steps.append(Step("決定", DONE, f"交付決定は取り消されました（{wareki_date(decision.decided_on)}の決定）"))
        return steps
    decided = f"交付決定 {yen(decision.amount)}（{wareki_date(decision.decided_on)}）"
    if decision.changed_on:
        decided += f"、変更交付決定（{wareki_date(decision.changed_on)}）"
    steps.append(Step("決定", DONE, decided))
    # 変更申請 until the 実績報告 (afterwards only the 確定 changes the amount); 請求 while the decision stands
    # (the 精算払 comes after the 確定); 実績報告 until the 課 has it.
    change_link = link(kinds.CHANGE_REQUEST) if not decision.reported_on or by_kind[kinds.CHANGE_REQUEST] else None
    changes = list(decision.change_requests.all())
    if changes:
        latest = max(changes, key=lambda c: (c.received_on, c.pk))
        state = DONE if latest.status == latest.Status.DECIDED else NOW
        steps.append(
            Step(
                "変更",
                state,
                f"変更申請 {latest.get_status_display()}（{wareki_date(latest.received_on)}受付）",
                change_link,
            )
        )
    else:
        open_change = _submission_text(by_kind[kinds.CHANGE_REQUEST])
        steps.append(
            Step(
                "変更",
                NOW if open_change else DONE,
                open_change or "変更の申請はありません（必要なときだけ）",
                change_link,
            )
        )
    payments = list(decision.payments.all())
    paid = sum(p.amount for p in payments if p.paid_on)
    if payments:
        unpaid = [p for p in payments if not p.paid_on]
        text = f"請求 {len(payments)}回、支払済 {yen(paid)}" + (f"（支払待ち {len(unpaid)}件）" if unpaid else "")
        steps.append(Step("請求・支払", NOW if unpaid else DONE, text, link(kinds.CLAIM)))
    else:
        open_claim = _submission_text(by_kind[kinds.CLAIM])
        steps.append(Step("請求・支払", NOW, open_claim or "まだ請求していません", link(kinds.CLAIM)))
    if decision.reported_on:
        report_link = link(kinds.REPORT) if by_kind[kinds.REPORT] else None  # a paper 実績報告 has no form
        steps.append(Step("実績報告", DONE, f"提出済（{wareki_date(decision.reported_on)}）", report_link))
    else:
        open_report = _submission_text(by_kind[kinds.REPORT])
        steps.append(
            Step(
                "実績報告",
                NOW if open_report else LATER,
                open_report or "事業が終わったら提出します",
                link(kinds.REPORT),
            )
        )
    if decision.settled_on:
        settled = f"確定 {yen(decision.settled_amount or 0)}（{wareki_date(decision.settled_on)}）"
        steps.append(Step("確定", DONE, settled))
    else:
        steps.append(Step("確定", LATER, "実績報告の後、市が交付額を確定します"))
    return steps


def messages_from_division(organization, submissions, fiscal_year=None):
    """補正 asked (first), then the forms sent and received, newest first: what the 課 did with what they sent.
    A form of another year than `fiscal_year` (next year's 交付申請) is named with its year."""

    def kind_of(submission):
        year = (
            "" if fiscal_year is None or submission.fiscal_year_id == fiscal_year.pk else submission.fiscal_year.label
        )
        return f"{year}{'の' if year else ''}{submission.get_kind_display()}"

    corrections = [s for s in submissions if s.status == Submission.Status.CORRECTION]
    others = [s for s in submissions if s.status in (Submission.Status.SENT, Submission.Status.ACCEPTED)]
    lines = []
    for submission in corrections:
        lines.append(
            {
                "urgent": True,
                "text": f"{kind_of(submission)}に補正の依頼があります。"
                "コメントを確認して、直してから再提出してください。",
                "submission": submission,
                "url": form_url(organization, submission.kind),
                "link_text": f"{submission.get_kind_display()}を直す",
            }
        )
    for submission in others:
        number = f"（{submission.receipt.label}）" if submission.receipt_id else ""
        if submission.status == Submission.Status.ACCEPTED:
            when = wareki_date(timezone.localtime(submission.accepted_at)) if submission.accepted_at else ""
            text = f"{kind_of(submission)}{number}を受理しました{'（' + when + '）' if when else ''}。"
        else:
            text = f"{kind_of(submission)}{number}を受け付けました。市の確認をお待ちください。"
        lines.append({"urgent": False, "text": text, "submission": submission})
    return lines


def home_context(organization, today=None):
    """Everything the home shows (about 10 queries: the year, its submissions, the application, the decision
    with its changes and payments, next year (once this year's 交付申請 is on record and next year's is not
    started), the documents, and the open deadlines)."""
    today = today or timezone.localdate()
    fiscal_year = FiscalYear.objects.filter(year=fiscal_year_of(today)).first()
    submissions = []
    steps = []
    ahead = None
    if fiscal_year is not None:
        # this year's forms and next year's 交付申請 prepared ahead (offices.kinds.application_year), one query
        submissions = list(
            Submission.objects.filter(
                organization=organization, fiscal_year__year__in=[fiscal_year.year, fiscal_year.year + 1]
            )
            .select_related("receipt", "fiscal_year")
            .order_by("-saved_at", "-id")
        )
        this_year = [s for s in submissions if s.fiscal_year_id == fiscal_year.pk]
        steps = year_steps(organization, fiscal_year, this_year)
        next_year = [s for s in submissions if s.fiscal_year_id != fiscal_year.pk]
        application = current_submission(next_year, Submission.Kind.APPLICATION)
        if application is not None:
            ahead = form_link(organization, Submission.Kind.APPLICATION, application)
            ahead.text = f"{application.fiscal_year.label}の交付申請の入力へ"
        elif steps and steps[0].state == DONE:  # this year's 交付申請 on record: next year's, once registered
            following = FiscalYear.objects.filter(year=fiscal_year.year + 1).first()
            if following is not None:
                ahead = form_link(organization, Submission.Kind.APPLICATION, None)
                ahead.text = f"{following.label}の交付申請の入力へ"
    documents = list(received_documents(organization)[:RECENT_DOCUMENTS])
    return {
        "organization": organization,
        "fiscal_year": fiscal_year,
        "year_label": fiscal_year.label if fiscal_year else "",
        "deadlines": organization_deadlines(organization, today),
        "steps": steps,
        "documents": documents,
        "messages_from_division": messages_from_division(organization, submissions, fiscal_year),
        "next_year_application": ahead,
    }
