"""The 文書番号簿: taking the next number, recording one typed from the 課's paper register, voiding one.

Every kind of document takes its numbers from exactly one series (DocumentSeriesKind), so two documents
never share a number, whichever kinds share a series. Taking a number locks the series' row until the
transaction ends: a second clerk at the same moment waits, then sees the number the first one took, so
the numbers stay consecutive (a voided number keeps its place, with its reason).
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from grants.models import DocumentKind, DocumentNumber, DocumentSeries, DocumentSeriesKind  # noqa: F401 (DocumentKind for callers)
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
    *, kind, day, subject, organization=None, decision=None, details=None, typed="", by=None, field="number"
):
    """Give a document of `kind` dated `day` its number: the series' next one, or `typed` (「新総政第12号」
    or 「12」) as the 課's paper register already gave it, refused beside `field` if it is taken."""
    series = DocumentSeries.objects.select_for_update().get(pk=series_for(kind).pk)
    period = series.period_of(day)
    typed = (typed or "").strip()
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
    text = series.format(number, day)
    if DocumentNumber.objects.filter(period=period, text=text).exists():
        refuse(f"文書番号「{text}」はほかの系列で使われています。系列の書式を見直してください。", field=field)
    return DocumentNumber.objects.create(
        series=series,
        period=period,
        number=number,
        text=text,
        kind=kind,
        dated=day,
        subject=subject[:200],
        organization=organization,
        decision=decision,
        details=details or {},
        typed=bool(typed),
        taken_by=by,
    )


def numbers_preview(*, kind, day, typed=()):
    """The numbers `number_take` would give, in order, to documents of `kind` dated `day`: each
    blank entry of `typed` the next one, each typed entry its own (a preview: nothing is taken)."""
    series = series_for(kind)
    period = series.period_of(day)
    top = _next_number(series, period) - 1
    texts = []
    for entry in typed:
        number = series.parse(entry.strip()) if (entry or "").strip() else None
        if number is None:
            top += 1
            number = top
        texts.append(series.format(number, day))
    return texts


@transaction.atomic
def number_void(*, entry, reason, by=None):
    """欠番: the number stays in the register with the reason, and is never given again."""
    reason = (reason or "").strip()
    if not reason:
        refuse("欠番にする理由を入力してください。", field="reason")
    entry = DocumentNumber.objects.select_for_update().get(pk=entry.pk)
    if entry.status == DocumentNumber.Status.VOIDED:
        refuse(f"文書番号「{entry.text}」はすでに欠番です。", field="reason")
    entry.status = DocumentNumber.Status.VOIDED
    entry.void_reason = reason
    entry.save(update_fields=["status", "void_reason"])
    return entry


def latest_entry(*, kind, organization=None, decision=None):
    """The latest number in use of this kind for the organization or decision (None if there is none)."""
    entries = DocumentNumber.objects.filter(kind=kind, status=DocumentNumber.Status.USED)
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
