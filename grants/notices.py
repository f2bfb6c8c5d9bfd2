"""PDF notices of the 一括交付金 with WeasyPrint: 交付決定通知書 and 交付額確定通知書.

Every notice is set in one font, named by its file in `@font-face` (BIZ UD明朝, Debian package
fonts-morisawa-bizud-mincho), through the portal's shared PDF set-up (niimi_portal.lib.pdf), so the PDF does
not depend on whatever else the server has installed. Pango would silently borrow a glyph the font lacks
from another installed font; a notice is an official document, so `check_glyphs` refuses such text before
rendering instead, naming the characters.
"""

import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from grants.models import GrantDecision
from niimi_portal.lib import pdf
from niimi_portal.lib.wareki import wareki_date

NOTICE_FONT = pdf.FONT
NOTICE_FONT_FAMILY = pdf.FONT_FAMILY
NOTICE_STYLESHEET = "grants/notices/notice.css"
GRANT_NAME = "小規模多機能自治一括交付金"

DECISION = "decision"
SETTLEMENT = "settlement"
KINDS = {DECISION: "交付決定通知書", SETTLEMENT: "交付額確定通知書"}

NoticeFontError = pdf.PdfFontError  # the notice holds characters the notice font cannot draw
_font_codepoints = pdf.font_codepoints


def check_glyphs(html):
    """Raise NoticeFontError naming every character of the notice's text the font lacks."""
    pdf.check_glyphs(html, font=NOTICE_FONT, document="通知書")


# -- what a notice says ----------------------------------------------------------------------------


def yen_amount(amount):
    """The amount as a notice states it: 金 1,234,000 円."""
    return f"金 {amount:,} 円"


def _yen_cell(amount):
    """Negative amounts as Japanese accounts write them: △1,900."""
    return f"△{-amount:,}" if amount < 0 else f"{amount:,}"


@dataclass(frozen=True)
class Row:
    label: str
    basis: str
    amount: str
    is_total: bool = False


def _addressee(organization):
    name = organization.representative_name.strip()
    title = organization.representative_title.strip() or "代表者"
    return f"{title}　{name}　様" if name else f"{title}　様"


def _common(decision, kind, number, day):
    fiscal_year = decision.fiscal_year
    city = settings.PORTAL["CITY_NAME"]
    return {
        "kind": kind,
        "title": f"{fiscal_year.label}{city}{GRANT_NAME}{KINDS[kind]}",
        "document_number": number,
        "date": wareki_date(day),
        "organization": decision.organization.name,
        "addressee": _addressee(decision.organization),
        "issuer": f"{settings.PORTAL['MAYOR_TITLE']}　{settings.PORTAL['MAYOR_NAME']}",
        "grant": f"{fiscal_year.label}{city}{GRANT_NAME}",
        "appeal": settings.PORTAL["NOTICE_APPEAL_TEXT"],
        "contact": f"{settings.PORTAL['CONTACT_DEPARTMENT']}（電話 {settings.PORTAL['CONTACT_PHONE']}）",
    }


def _breakdown_rows(calculation):
    """The stored snapshot's lines (never the current rule), with subtotals."""
    base = [line for line in calculation.lines if line.get("kind") != "subsidy"]
    subsidies = [line for line in calculation.lines if line.get("kind") == "subsidy"]
    rows = [Row(line["label"], line.get("basis", ""), _yen_cell(line["amount"])) for line in base]
    rows.append(Row("基本額 計", "", _yen_cell(calculation.base_amount), is_total=True))
    if subsidies:
        rows += [Row(line["label"], line.get("basis", ""), _yen_cell(line["amount"])) for line in subsidies]
        rows.append(Row("統合補助金額 計", "", _yen_cell(calculation.subsidy_amount), is_total=True))
    rows.append(Row("合計", "", _yen_cell(calculation.total), is_total=True))
    return rows


def decision_context(decision):
    context = _common(decision, DECISION, decision.document_number, decision.decided_on)
    context.update(
        body=f"{context['grant']}について、下記のとおり交付することに決定したので通知します。",
        amount=yen_amount(decision.decided_amount),
        rows=_breakdown_rows(decision.calculation),
        conditions=[line.strip() for line in decision.conditions.splitlines() if line.strip()],
    )
    return context


def settlement_context(decision):
    if decision.status != GrantDecision.Status.SETTLED:
        raise ValueError(f"{decision}: 額が確定していないため、交付額確定通知書は作れません。")
    context = _common(decision, SETTLEMENT, decision.settlement_document_number, decision.settled_on)
    context.update(
        body=(
            f"{wareki_date(decision.decided_on)}付け{decision.document_number}で交付決定した{context['grant']}"
            f"について、{wareki_date(decision.reported_on)}に提出された実績報告書を審査した結果、"
            "下記のとおり交付額を確定したので通知します。"
        ),
        amount=yen_amount(decision.settled_amount),
        decided_amount=yen_amount(decision.amount),
        changed=decision.changed_on and wareki_date(decision.changed_on),
        spent_amount=yen_amount(decision.spent_amount),
        refund_amount=yen_amount(decision.refund_amount),
        has_refund=decision.refund_amount > 0,
        items=[
            {"name": item.name, "field": item.field, "budget": _yen_cell(item.budget), "spent": _yen_cell(item.spent)}
            for item in decision.report_items.all()
        ],
        spent_total=_yen_cell(decision.spent_amount),
    )
    return context


def notice_html(decision, kind):
    context = decision_context(decision) if kind == DECISION else settlement_context(decision)
    html = render_to_string(f"grants/notices/{kind}.html", context)
    check_glyphs(html)
    return html


# -- rendering -------------------------------------------------------------------------------------


def _document(html):
    return pdf.document(html, stylesheet=NOTICE_STYLESHEET, font=NOTICE_FONT)


def render_pdf(html):
    return _document(html).write_pdf()


def notice_pdf(decision, kind=DECISION):
    return render_pdf(notice_html(decision, kind))


def notice_filename(decision, kind=DECISION):
    number = decision.number if kind == DECISION else decision.settlement_number
    safe_name = re.sub(r'[\\/:*?"<>|\s]+', "_", decision.organization.name)
    return f"{decision.fiscal_year.year}_{number:03d}_{safe_name}_{KINDS[kind]}.pdf"


def notice_queryset(decisions, kind=DECISION):
    """Those of `decisions` that have a notice of this kind, in number order, loaded for rendering."""
    if kind == SETTLEMENT:
        decisions = decisions.filter(status=GrantDecision.Status.SETTLED).order_by(
            "fiscal_year__year", "settlement_number"
        )
    else:
        decisions = decisions.order_by("fiscal_year__year", "number")
    return decisions.select_related("organization", "fiscal_year", "calculation").prefetch_related("report_items")


def decisions_for_notices(fiscal_year, kind=DECISION):
    """The decisions of a fiscal year that have a notice of this kind."""
    return notice_queryset(GrantDecision.objects.filter(fiscal_year=fiscal_year), kind)


def iter_notices(decisions, kind=DECISION):
    """(decision, file name, PDF bytes) for each decision."""
    for decision in decisions:
        yield decision, notice_filename(decision, kind), notice_pdf(decision, kind)


def zip_files(named_files):
    """A ZIP of (name, bytes) pairs; names are stored in UTF-8."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in named_files:
            archive.writestr(name, content)
    return buffer.getvalue()


def notices_zip(decisions, kind=DECISION):
    return zip_files((name, pdf) for _, name, pdf in iter_notices(decisions, kind))


def notices_combined_pdf(decisions, kind=DECISION):
    """All notices in one PDF for printing, each starting on its own page."""
    documents = [_document(notice_html(decision, kind)) for decision in decisions]
    if not documents:
        raise ValueError("通知書がありません。")
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
