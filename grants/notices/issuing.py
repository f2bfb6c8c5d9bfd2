"""Issuing a document: render its content to HTML and a PDF with WeasyPrint, and store both, frozen.

A document is one line of the 文書番号簿 (grants.register). `document_issue(entry=…)` gathers what it
says (grants.notices.letters), renders the PDF and stores both (IssuedDocument). Issuing again returns
the stored document, so a reprint is the original byte for byte, whatever changed since;
`document_reissue` makes a 再発行 or 写 from the stored words, marked on its face.

Every document is set in one font, named by its file in `@font-face` (BIZ UD明朝, Debian package
fonts-morisawa-bizud-mincho), through the portal's shared PDF set-up (niimi_portal.lib.pdf). Pango would
silently borrow a glyph the font lacks from another installed font; an official document refuses such
text before rendering instead (`check_glyphs`), naming the characters.
"""

from django.db import transaction
from django.template.loader import render_to_string

from grants import register
from grants.models import DocumentKind, DocumentNumber, IssuedDocument, NoticeSettings
from grants.notices.letters import LETTERS, document_content, settings_for
from niimi_portal.lib import pdf
from niimi_portal.lib.refusal import refuse

NOTICE_FONT = pdf.FONT
NOTICE_FONT_FAMILY = pdf.FONT_FAMILY
NOTICE_STYLESHEET = "grants/notices/notice.css"

DECISION = DocumentKind.DECISION.value
SETTLEMENT = DocumentKind.SETTLEMENT.value
KINDS = dict(DocumentKind.choices)

NoticeFontError = pdf.PdfFontError  # the notice holds characters the notice font cannot draw

# What a preview prints where the number will be: a document is numbered on its 決裁 (「番号は決裁の後」).
UNNUMBERED = "（文書番号は決裁の後に付きます）"


def check_glyphs(html):
    """Raise NoticeFontError naming every character of the notice's text the font lacks."""
    pdf.check_glyphs(html, font=NOTICE_FONT, document="通知書")


def document_html(content, *, mark=""):
    """The document's HTML from its stored content; `mark` is 再発行, 写 or 案 (a preview)."""
    html = render_to_string(f"grants/notices/{content['kind']}.html", {**content, "mark": mark})
    check_glyphs(html)
    return html


def pdf_document(html):
    """The laid-out WeasyPrint document of a notice's HTML (its pages can be joined with others')."""
    return pdf.document(html, stylesheet=NOTICE_STYLESHEET, font=NOTICE_FONT)


def render_pdf(html):
    return pdf_document(html).write_pdf()


def _load_entry(entry):
    return DocumentNumber.objects.select_related(
        "series", "organization", "decision__fiscal_year", "decision__organization", "decision__calculation"
    ).get(pk=entry.pk)


def document_preview(*, entry):
    """The PDF the entry would be issued as now, marked 「案」 and stored nowhere (placeholders allowed);
    a line waiting for its 決裁 prints UNNUMBERED where its number will be."""
    entry = _load_entry(entry)
    if entry.is_reserved:
        entry.text = UNNUMBERED  # on this copy only: nothing is saved
    version = NoticeSettings.objects.in_force(entry.dated)
    if version is None:
        settings_for(entry.dated)  # refuses, naming what is missing
    return render_pdf(document_html(document_content(entry, version), mark="案"))


@transaction.atomic
def document_issue(*, entry, by=None):
    """発行: the original of the entry's document, made and frozen on the first call, returned as stored after."""
    entry = DocumentNumber.objects.select_for_update().get(pk=entry.pk)
    existing = IssuedDocument.objects.filter(entry=entry, copy="").first()
    if existing is not None:
        return existing
    if entry.status == DocumentNumber.Status.VOIDED:
        refuse(f"文書番号「{entry.text or entry.subject}」は欠番のため、文書を発行できません。")
    if entry.is_reserved:
        refuse(f"「{entry.subject}」の文書番号は決裁の後に付きます。決裁の後に発行できます。")
    if entry.kind not in LETTERS:
        refuse(f"「{entry.get_kind_display()}」の様式がありません。")
    entry = _load_entry(entry)
    register.cited_check(kind=entry.kind, decision=entry.decision, details=entry.details)
    version = settings_for(entry.dated, entry.kind)
    content = document_content(entry, version)
    return _store(entry, content, version, render_pdf(document_html(content)), by=by)


@transaction.atomic
def document_reissue(*, original, copy=IssuedDocument.Copy.REISSUE, by=None):
    """再発行 or 写: the stored words of the original (never today's names or settings), marked on the face."""
    if original.copy:
        original = original.original
    mark = IssuedDocument.Copy(copy).label
    content = original.content
    return _store(
        original.entry,
        content,
        original.settings_version,
        render_pdf(document_html(content, mark=mark)),
        by=by,
        copy=copy,
        original=original,
    )


def _store(entry, content, version, pdf_bytes, *, by, copy="", original=None):
    return IssuedDocument.objects.create(
        entry=entry,
        kind=entry.kind,
        copy=copy,
        original=original,
        issued_on=entry.dated,
        title=content["title"],
        organization_id=entry.organization_id,
        addressee_organization=content["organization"],
        addressee_title=content["addressee_title"],
        addressee_name=content["addressee_name"],
        issuer=f"{content['issuer_title']}　{content['issuer_name']}",
        amount=content.get("amount"),
        content=content,
        settings_version=version,
        pdf=pdf_bytes,
        pdf_size=len(pdf_bytes),
        issued_by=by,
    )


def issued_original(entry):
    """The original issued for `entry`, or None: a read that never issues (what a GET may show)."""
    return IssuedDocument.objects.filter(entry=entry, copy="").first()


def stored_pdf(document):
    return bytes(document.pdf)


# -- the grant decisions' notices (admin downloads, export_notices) -------------------------------


def decision_entry(decision, kind=DECISION):
    """The register line of a decision's notice of `kind` (交付決定 or 交付額確定)."""
    entry = register.latest_entry(kind=kind, decision=decision)
    if entry is None:
        refuse(f"{decision}: {KINDS[kind]}の文書番号が文書番号簿にありません。")
    return entry


def notice_document(decision, kind=DECISION):
    """The decision's notice of `kind` as issued on its 決裁; refused while it waits for 決裁 (issues nothing:
    only `grants.drafts.draft_approve` issues a document)."""
    entry = decision_entry(decision, kind)
    document = issued_original(entry)
    if document is None:
        refuse(f"{entry.text_with_year}（{decision.organization.name}）の{KINDS[kind]}は、まだ決裁されていません。")
    return document


def notice_pdf(decision, kind=DECISION):
    """The decision's notice as issued (refused if it is not issued yet)."""
    return stored_pdf(notice_document(decision, kind))
