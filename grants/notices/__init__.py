"""Official documents as PDF with WeasyPrint: one template family for every letter, issued once and frozen.

    letters   what each kind of letter says (its own facts, its 根拠 and 教示), as plain JSON
    issuing   that content rendered to HTML and a PDF, stored frozen with its number (IssuedDocument)
    lists     file names, a year's notices as a ZIP or one PDF, the 決裁用の一覧 and the 宛名 list

The names callers use are re-exported here, so `from grants import notices; notices.document_issue(…)`
reads as before.
"""

from grants.notices.issuing import (
    DECISION,
    KINDS,
    NOTICE_FONT,
    NOTICE_FONT_FAMILY,
    NOTICE_STYLESHEET,
    SETTLEMENT,
    NoticeFontError,
    check_glyphs,
    decision_entry,
    document_html,
    document_issue,
    document_preview,
    document_reissue,
    notice_document,
    notice_pdf,
    pdf_document,
    render_pdf,
    stored_pdf,
)
from grants.notices.letters import (
    GRANT_NAME,
    LETTERS,
    Letter,
    application_reference,
    document_content,
    grant_name,
    letter,
    load_demo_notice_settings,
    settings_for,
)
from grants.notices.lists import (
    ADDRESS_LIST_HEADER,
    APPROVAL_LIST_HEADER,
    address_rows,
    approval_list_pdf,
    approval_rows,
    decisions_for_notices,
    document_filename,
    iter_notices,
    notice_filename,
    notice_queryset,
    notices_combined_pdf,
    notices_zip,
    zip_files,
)

__all__ = [
    "ADDRESS_LIST_HEADER",
    "APPROVAL_LIST_HEADER",
    "DECISION",
    "GRANT_NAME",
    "KINDS",
    "LETTERS",
    "NOTICE_FONT",
    "NOTICE_FONT_FAMILY",
    "NOTICE_STYLESHEET",
    "SETTLEMENT",
    "Letter",
    "NoticeFontError",
    "address_rows",
    "application_reference",
    "approval_list_pdf",
    "approval_rows",
    "check_glyphs",
    "decision_entry",
    "decisions_for_notices",
    "document_content",
    "document_filename",
    "document_html",
    "document_issue",
    "document_preview",
    "document_reissue",
    "grant_name",
    "iter_notices",
    "letter",
    "load_demo_notice_settings",
    "notice_document",
    "notice_filename",
    "notice_pdf",
    "notice_queryset",
    "notices_combined_pdf",
    "notices_zip",
    "pdf_document",
    "render_pdf",
    "settings_for",
    "stored_pdf",
    "zip_files",
]
