"""The 文書番号簿: reserving a line for an act, numbering it on 決裁, recording a number typed from the
課's paper register, voiding one.

A document number is taken only after 決裁 (「番号は決裁の後」): an act recorded in the portal reserves
its line (`number_take(reserve=True)`: RESERVED, no number) and the 決裁 of its document
(grants.drafts.draft_approve) gives it the next number (`number_assign`), which is then written into
the copies the act keeps (the decision's 文書番号, the 確定通知's, the organization's 認可番号). A number
typed from the paper register was given after a 決裁 on paper: it is used at once. So the numbers
follow the order of the 決裁, not of the acts, and an act voided before its 決裁 consumes no number.

Every kind of document takes its numbers from exactly one series (DocumentSeriesKind), so two documents
never share a number, whichever kinds share a series. Taking a number locks the series' row until the
transaction ends: a second clerk at the same moment waits, then sees the number the first one took, so
the numbers stay consecutive (a voided number keeps its place, with its reason).
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from grants.models import (
    RESERVED_TEXT,
    DocumentKind,
    DocumentNumber,
    DocumentSeries,
    DocumentSeriesKind,
    GrantDecision,
)
from niimi_portal.lib.history import record_change
from niimi_portal.lib.refusal import refuse
from niimi_portal.lib.wareki import fiscal_year_label


def default_series():
    """The one series of the policy division that every kind uses until the city configures others."""
    division = settings.PORTAL["POLICY_DIVISION"]
    series, _ = DocumentSeries.objects.get_or_create(
        number_format=settings.PORTAL["DOCUMENT_NUMBER_FORMAT"],
        defaults={"section": division, "name": f"{division} 文書番号"},
    )
    return series


def series_for(kind):
    """The series `kind` takes its numbers from (the default series, linked on first use, if none is set)."""
    link = DocumentSeriesKind.objects.select_related("series").filter(kind=kind).first()
    if link is None:
        link, _ = DocumentSeriesKind.objects.get_or_create(kind=kind, defaults={"series": default_series()})
    return link.series


def _next_number(series, period):
    """The first number after every number of the series and period, voided ones included. Call only
    with the series locked."""
    return (DocumentNumber.objects.filter(series=series, period=period).aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def number_take(
    *,
    kind,
    day,
    subject,
    organization=None,
    decision=None,
    details=None,
    typed="",
    by=None,
    field="number",
    reserve=False,
):
    """Give a document of `kind` dated `day` its line of the register: with `reserve` and nothing typed, a
    line waiting for its 決裁 without a number (number_assign numbers it); else the series' next number,
    or `typed` (「新総政第12号」 or 「12」) as the 課's paper register already gave it after a 決裁 on paper,
    refused beside `field` if it is taken."""
    typed = (typed or "").strip()
    about = {
        "kind": kind,
        "dated": day,
        "subject": subject[:200],
        "organization": organization,
        "decision": decision,
        "details": details or {},
        "taken_by": by,
    }
    if reserve and not typed:
        series = series_for(kind)
        return DocumentNumber.objects.create(
            series=series,
            period=series.period_of(day),
            number=None,
            text="",
            status=DocumentNumber.Status.RESERVED,
            **about,
        )
    series = DocumentSeries.objects.select_for_update(no_key=True).get(pk=series_for(kind).pk)
    period = series.period_of(day)
    if typed:
        number = series.parse(typed)
        if number is None or number < 1:
            refuse(f"文書番号は「{series.format(12, day)}」のように、または番号だけで入力してください。", field=field)
        taken = DocumentNumber.objects.filter(series=series, period=period, number=number).first()
        if taken is not None:
            year = f"{fiscal_year_label(period)}の" if period else ""
            status = "欠番" if taken.status == DocumentNumber.Status.VOIDED else "使用済み"
            refuse(f"文書番号「{taken.text}」は{year}文書番号簿で{status}です（{taken.subject}）。", field=field)
    else:
        number = _next_number(series, period)
    text = _free_text(series, number, day, period, field=field)
    return DocumentNumber.objects.create(
        series=series, period=period, number=number, text=text, typed=bool(typed), **about
    )


def _free_text(series, number, day, period, field=None):
    """The number written in the series' format, refused if another series already wrote the same text."""
    text = series.format(number, day)
    if DocumentNumber.objects.filter(period=period, text=text).exists():
        refuse(f"文書番号「{text}」はほかの系列で使われています。系列の書式を見直してください。", field=field)
    return text


@transaction.atomic
def number_assign(*, entry, by=None):
    """決裁: the reserved line takes the series' next number (the series locked, so two 決裁 at the same
    moment never share one) and becomes 使用; the number is written into the copies the act keeps. Returns
    the line; a line already numbered is returned as it is."""
    entry = DocumentNumber.objects.select_for_update().get(pk=entry.pk)
    if entry.status == DocumentNumber.Status.VOIDED:
        refuse(f"文書番号簿の「{entry.subject}」は欠番のため、番号を付けられません。")
    if entry.status == DocumentNumber.Status.USED:
        return entry
    series = DocumentSeries.objects.select_for_update(no_key=True).get(pk=entry.series_id)
    number = _next_number(series, entry.period)
    text = _free_text(series, number, entry.dated, entry.period)
    entry.number, entry.text, entry.status = number, text, DocumentNumber.Status.USED
    entry.taken_at, entry.taken_by = timezone.now(), by
    entry.save(update_fields=["number", "text", "status", "taken_at", "taken_by"])
    _copy_number(entry, by)
    return entry


def _copy_number(entry, by):
    """Write a line's new number where the act keeps a copy of it."""
    if entry.kind == DocumentKind.DECISION and entry.decision_id:
        decision = GrantDecision.objects.select_for_update(no_key=True).get(pk=entry.decision_id)
        decision.number, decision.document_number = entry.number, entry.text
        record_change(decision, by=by, reason=f"交付決定通知書の決裁（{entry.text}）")
        decision.save()
    elif entry.kind == DocumentKind.SETTLEMENT and entry.decision_id:
        decision = GrantDecision.objects.select_for_update(no_key=True).get(pk=entry.decision_id)
        decision.settlement_number, decision.settlement_document_number = entry.number, entry.text
        record_change(decision, by=by, reason=f"交付額確定通知書の決裁（{entry.text}）")
        decision.save()
    elif entry.kind == DocumentKind.APPROVAL and entry.organization_id:
        organization = entry.organization
        if organization.approval_number:
            return
        organization.approval_number = entry.text
        record_change(organization, by=by, reason=f"認可通知書の決裁（認可番号 {entry.text}）")
        organization.save()


def cited_entry(details, key="cited_entry"):
    """The register line a letter cites by its pk in `details` (None when the details name none)."""
    pk = details.get(key)
    return DocumentNumber.objects.filter(pk=pk).first() if pk else None


def cited_entries(*, kind, decision, details):
    """The register lines a document of `kind` cites, whose numbers it prints: the 交付決定通知書 of its
    decision (for every later grant letter), and the lines its act named in `details` (the 確定 or 取消
    notice a 返還請求 follows, the 弁明の機会 a 認可取消 follows, the 認可 a 弁明の機会 or 認可取消 concerns)."""
    cited = []
    if decision is not None and kind != DocumentKind.DECISION:
        cited.append(latest_entry(kind=DocumentKind.DECISION, decision=decision))
    cited += [cited_entry(details or {}, key) for key in ("cited_entry", "approval_entry")]
    return [entry for entry in cited if entry is not None]


def cited_check(*, kind, decision, details):
    """Refuse the 決裁 (or the issue) of a document while a document it cites still waits for its own: it
    has no number yet to print."""
    for entry in cited_entries(kind=kind, decision=decision, details=details):
        if entry.is_reserved:
            refuse(
                f"先に{entry.get_kind_display()}（{entry.subject}）を決裁してください。番号はその決裁の後に付きます。"
            )


def numbers_preview(*, kind, day, typed=()):
    """What the acts of documents of `kind` dated `day` would record, in order: each typed entry of `typed`
    its own number, each blank one a line waiting for its 決裁 (「決裁待ち（番号は決裁の後）」: the number
    comes in the order of the 決裁). A preview: nothing is taken."""
    series = series_for(kind)
    texts = []
    for entry in typed:
        number = series.parse(entry.strip()) if (entry or "").strip() else None
        texts.append(RESERVED_TEXT if number is None else series.format(number, day))
    return texts


@transaction.atomic
def number_void(*, entry, reason, by=None):
    """欠番: the number stays in the register with the reason, and is never given again."""
    reason = (reason or "").strip()
    if not reason:
        refuse("欠番にする理由を入力してください。", field="reason")
    entry = DocumentNumber.objects.select_for_update().get(pk=entry.pk)
    if entry.status == DocumentNumber.Status.VOIDED:
        refuse(f"文書番号「{entry.text or entry.subject}」はすでに欠番です。", field="reason")
    entry.status = DocumentNumber.Status.VOIDED
    entry.void_reason = reason
    entry.save(update_fields=["status", "void_reason"])
    return entry


def latest_entry(*, kind, organization=None, decision=None):
    """The latest line of this kind for the organization or decision, numbered or waiting for its 決裁
    (None if there is none; a voided line is not)."""
    entries = DocumentNumber.objects.exclude(status=DocumentNumber.Status.VOIDED).filter(kind=kind)
    if organization is not None:
        entries = entries.filter(organization=organization)
    if decision is not None:
        entries = entries.filter(decision=decision)
    return entries.order_by("-taken_at", "-pk").first()


def approval_enter(organization, by=None):
    """Enter an organization's 認可番号, given before the register existed (or by the demo), as a typed
    line of the register, so no later document takes the same number. Does nothing if it is there."""
    if not organization.approval_number or organization.approved_on is None:
        return None
    existing = latest_entry(kind=DocumentKind.APPROVAL, organization=organization)
    if existing is not None:
        return existing
    return number_take(
        kind=DocumentKind.APPROVAL,
        day=organization.approved_on,
        subject=f"地域運営組織の認可 {organization.name}",
        organization=organization,
        typed=organization.approval_number,
        by=by,
    )
