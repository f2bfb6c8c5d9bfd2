"""The lists made from many documents: file names, all of a year's notices as a ZIP or one PDF for
printing, the 決裁用の一覧 (PDF) and the 宛名 list (CSV rows)."""

import datetime
import io
import re
import zipfile

from django.conf import settings
from django.template.loader import render_to_string

from grants import register
from grants.models import DocumentKind, DocumentNumber, GrantDecision
from grants.notices.issuing import (
    DECISION,
    KINDS,
    SETTLEMENT,
    check_glyphs,
    decision_entry,
    document_html,
    issued_original,
    notice_document,
    notice_pdf,
    pdf_document,
    render_pdf,
)
from niimi_portal.lib.money import yen_number
from niimi_portal.lib.wareki import fiscal_year_label, fiscal_year_of, wareki_date


def document_filename(document):
    safe_name = re.sub(r'[\\/:*?"<>|\s]+', "_", document.addressee_organization)
    mark = f"_{document.get_copy_display()}" if document.copy else ""
    entry = document.entry
    return f"{entry.period or entry.dated.year}_{entry.number:03d}_{safe_name}_{KINDS[document.kind]}{mark}.pdf"


def notice_filename(decision, kind=DECISION):
    entry = decision_entry(decision, kind)
    safe_name = re.sub(r'[\\/:*?"<>|\s]+', "_", decision.organization.name)
    return f"{entry.period or entry.dated.year}_{entry.number:03d}_{safe_name}_{KINDS[kind]}.pdf"


def notice_queryset(decisions, kind=DECISION):
    """Those of `decisions` that have a notice of this kind, in number order, loaded for rendering."""
    if kind == SETTLEMENT:
        decisions = decisions.filter(status=GrantDecision.Status.SETTLED).order_by(
            "fiscal_year__year", "settled_on", "settlement_number"
        )
    else:
        decisions = decisions.order_by("fiscal_year__year", "number")
    return decisions.select_related("organization", "fiscal_year", "calculation").prefetch_related("report_items")


def decisions_for_notices(fiscal_year, kind=DECISION):
    """The decisions of a fiscal year that have a notice of this kind."""
    return notice_queryset(GrantDecision.objects.filter(fiscal_year=fiscal_year), kind)


def split_by_notice(decisions, kind=DECISION):
    """(issued, waiting, lacking): the decisions whose notice of `kind` is issued (決裁済), those whose notice
    waits for 決裁 or was never sent to it, and those without one. A year's export writes the first and
    lists the others instead of failing on them, or issuing anything itself."""
    issued, waiting, lacking = [], [], []
    for decision in decisions:
        entry = register.latest_entry(kind=kind, decision=decision)
        if entry is None:
            lacking.append(decision)
        else:
            (issued if issued_original(entry) is not None else waiting).append(decision)
    return issued, waiting, lacking


# The kinds of letter sent to an organization about its 認可, not about a grant decision: a year's export
# takes them from the register by the date of the letter.
ORGANIZATION_KINDS = (
    DocumentKind.APPROVAL.value,
    DocumentKind.RETURN.value,
    DocumentKind.REFUSAL.value,
    DocumentKind.HEARING.value,
    DocumentKind.APPROVAL_REVOCATION.value,
)


def entries_for_year(fiscal_year, kind):
    """The register lines in use of `kind` dated in `fiscal_year` (2026 = 令和8年度), in number order."""
    first, last = datetime.date(fiscal_year, 4, 1), datetime.date(fiscal_year + 1, 3, 31)
    return (
        DocumentNumber.objects.filter(kind=kind, status=DocumentNumber.Status.USED, dated__range=(first, last))
        .select_related("series", "organization")
        .order_by("dated", "number", "pk")
    )


def issued_for_year(fiscal_year, kind):
    """(the issued originals of `kind` dated in the fiscal year, the register lines still waiting for 決裁)."""
    issued, waiting = [], []
    for entry in entries_for_year(fiscal_year, kind):
        document = issued_original(entry)
        if document is None:
            waiting.append(entry)
        else:
            issued.append(document)
    return issued, waiting


def iter_notices(decisions, kind=DECISION):
    """(decision, file name, PDF bytes) for each decision's notice as issued (refused for one not issued)."""
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
    return zip_files((name, content) for _, name, content in iter_notices(decisions, kind))


def notices_combined_pdf(decisions, kind=DECISION):
    """All notices in one tagged PDF for printing, each starting on its own page.

    Each notice is found as issued (on its 決裁), then laid out again from its frozen words, so the
    printed text is what was issued; the pages are joined by WeasyPrint, which keeps the structure tree
    (a plain page copy with pikepdf would drop the tags that make the PDF readable aloud)."""
    return documents_combined_pdf([notice_document(d, kind) for d in decisions])


def documents_combined_pdf(documents):
    """Issued documents in one tagged PDF, each laid out again from its frozen words (issues nothing)."""
    documents = [pdf_document(document_html(document.content)) for document in documents]
    if not documents:
        raise ValueError("通知書がありません。")
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


# -- 決裁用の一覧 and 宛名 list -----------------------------------------------------------------------

APPROVAL_LIST_HEADER = ["文書番号", "文書の日付", "種類", "宛先", "代表者", "金額（円）", "件名"]
ADDRESS_LIST_HEADER = ["組織名", "代表者の役職", "代表者名", "住所", "電話", "メール", "文書番号", "種類"]


def _entry_amount(entry):
    decision, details = entry.decision, entry.details
    if entry.kind == DocumentKind.DECISION and decision:
        return decision.decided_amount
    if entry.kind == DocumentKind.SETTLEMENT and decision:
        return decision.settled_amount
    if entry.kind in (DocumentKind.CHANGE,):
        return details.get("after")
    if entry.kind == DocumentKind.SETTLEMENT:
        return details.get("settled")
    return details.get("amount")


def approval_rows(entries):
    """決裁用の一覧: one row per document about to be issued (number, date, kind, addressee, amount)."""
    rows = []
    for entry in entries:
        organization = entry.organization
        rows.append(
            [
                entry.text or entry.get_status_display(),
                wareki_date(entry.dated),
                entry.get_kind_display(),
                organization.name if organization else "",
                f"{organization.representative_title}　{organization.representative_name}".strip()
                if organization
                else "",
                _entry_amount(entry),
                entry.subject,
            ]
        )
    return rows


def approval_list_years(entries):
    """The 決裁用の一覧 in parts, one per fiscal year of the documents' dates (amounts of different years are
    never added up), each with its rows and, per kind of document, the count and the sum of its amounts
    (a 交付決定 and a 返還請求 are not added together either)."""
    years = {}
    for entry, row in zip(entries, approval_rows(entries), strict=True):
        year = years.setdefault(fiscal_year_of(entry.dated), {"rows": [], "kinds": {}})
        organization = entry.organization
        year["rows"].append(
            {
                "number": row[0],
                "date": row[1],
                "kind": row[2],
                "organization": row[3],
                "title": organization.representative_title if organization else "",
                "name": organization.representative_name if organization else "",
                "amount": "" if row[5] is None else yen_number(row[5]),
            }
        )
        kind = year["kinds"].setdefault(row[2], {"label": row[2], "count": 0, "sum": 0})
        kind["count"] += 1
        kind["sum"] += row[5] or 0
    return [
        {
            "label": fiscal_year_label(number),
            "rows": year["rows"],
            "count": len(year["rows"]),
            "kinds": [{**kind, "total": yen_number(kind["sum"])} for kind in year["kinds"].values()],
        }
        for number, year in sorted(years.items())
    ]


def approval_list_pdf(entries):
    """決裁用の一覧 (PDF): per fiscal year, a 決裁欄 (起案者・係長・課長), the documents and the sums by kind."""
    html = render_to_string(
        "grants/notices/approval_list.html",
        {"years": approval_list_years(list(entries)), "division": settings.PORTAL["POLICY_DIVISION"]},
    )
    check_glyphs(html)
    return render_pdf(html)


def address_rows(entries):
    """宛名の一覧: the organizations the documents go to, with the address of their contact."""
    rows = []
    for entry in entries:
        organization = entry.organization
        if organization is None:
            continue
        rows.append(
            [
                organization.name,
                organization.representative_title,
                organization.representative_name,
                organization.contact_address,
                organization.contact_phone,
                organization.contact_email,
                entry.text or entry.get_status_display(),
                entry.get_kind_display(),
            ]
        )
    return rows
