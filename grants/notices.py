"""Official documents as PDF with WeasyPrint: one template family for every letter, issued once and frozen.

A document is one line of the 文書番号簿 (grants.register). `document_issue(entry=…)` gathers what it
says — the addressee and representative as they are that day, the issuer, 公印, legal basis, 教示 and
担当 from the notice settings in force on its date, its amounts — renders the PDF and stores both
(IssuedDocument). Issuing again returns the stored document, so a reprint is the original byte for byte,
whatever changed since; `document_reissue` makes a 再発行 or 写 from the stored words, marked on its face.

Every kind of letter is one function decorated with `@letter(kind)` that returns its own facts, and one
template `templates/grants/notices/<kind>.html` extending base.html.

Every document is set in one font, named by its file in `@font-face` (BIZ UD明朝, Debian package
fonts-morisawa-bizud-mincho), through the portal's shared PDF set-up (niimi_portal.lib.pdf). Pango would
silently borrow a glyph the font lacks from another installed font; an official document refuses such
text before rendering instead (`check_glyphs`), naming the characters.
"""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from grants import register
from grants.models import (
    PLACEHOLDER_PATTERN,
    DocumentKind,
    DocumentNumber,
    GrantDecision,
    IssuedDocument,
    NoticeSettings,
)
from niimi_portal.lib import pdf
from niimi_portal.lib.money import yen_formal, yen_number
from niimi_portal.lib.refusal import refuse
from niimi_portal.lib.wareki import wareki_date

NOTICE_FONT = pdf.FONT
NOTICE_FONT_FAMILY = pdf.FONT_FAMILY
NOTICE_STYLESHEET = "grants/notices/notice.css"
GRANT_NAME = "小規模多機能自治一括交付金"

DECISION = DocumentKind.DECISION.value
SETTLEMENT = DocumentKind.SETTLEMENT.value
KINDS = dict(DocumentKind.choices)

NoticeFontError = pdf.PdfFontError  # the notice holds characters the notice font cannot draw


def check_glyphs(html):
    """Raise NoticeFontError naming every character of the notice's text the font lacks."""
    pdf.check_glyphs(html, font=NOTICE_FONT, document="通知書")


# -- the kinds of letter ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    kind: str
    build: object  # (entry) -> dict of the letter's own facts: title, body, amount, …
    is_disposition: bool  # a 処分: printed with the 教示

    @property
    def template(self):
        return f"grants/notices/{self.kind}.html"


LETTERS = {}


def letter(kind, *, disposition=True):
    """Register the function that states a kind of letter's own facts from its register entry."""

    def register_letter(build):
        LETTERS[str(kind)] = Letter(str(kind), build, disposition)
        return build

    return register_letter


def as_date(value):
    """A date kept in a number's details as ISO text (or already a date)."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def grant_name(fiscal_year):
    return f"{fiscal_year.label}{settings.PORTAL['CITY_NAME']}{GRANT_NAME}"


def _yen_cell(amount):
    """Negative amounts as Japanese accounts write them: △1,900."""
    return yen_number(amount)


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _breakdown_rows(calculation):
    """The stored snapshot's lines (never the current rule), with subtotals."""
    base = [line for line in calculation.lines if line.get("kind") != "subsidy"]
    subsidies = [line for line in calculation.lines if line.get("kind") == "subsidy"]
    rows = [[line["label"], line.get("basis", ""), _yen_cell(line["amount"]), False] for line in base]
    rows.append(["基本額 計", "", _yen_cell(calculation.base_amount), True])
    if subsidies:
        rows += [[line["label"], line.get("basis", ""), _yen_cell(line["amount"]), False] for line in subsidies]
        rows.append(["統合補助金額 計", "", _yen_cell(calculation.subsidy_amount), True])
    rows.append(["合計", "", _yen_cell(calculation.total), True])
    return rows


def application_reference(decision):
    """How a grant letter cites what the organization asked for.

    Hook for the 交付申請 (issue 16): once a decision has an application, cite it by its date
    (「令和8年4月10日付けで申請のあった」); until then the annual plan the grant pays for is cited."""
    application = getattr(decision, "application", None)
    if application is not None and getattr(application, "received_on", None):
        return f"{wareki_date(application.received_on)}付けで申請のあった"
    return f"{decision.organization.name}の{decision.fiscal_year.label}の年度計画に係る"


def _decision_reference(decision):
    return f"{wareki_date(decision.decided_on)}付け{decision.document_number}で交付決定した"


@letter(DocumentKind.APPROVAL, disposition=False)
def approval_letter(entry, settings_version):
    organization = entry.organization
    applied = f"{wareki_date(organization.applied_on)}付けで申請のあった" if organization.applied_on else ""
    return {
        "title": "地域運営組織認可通知書",
        "body": (
            f"{applied}地域運営組織の認可について、{settings_version.basis_for(entry.kind)}、"
            "下記のとおり認可したので通知する。"
        ),
        "fields": [
            ["組織の名称", organization.name],
            ["活動区域", "・".join(region.name for region in organization.regions.all())],
            ["認可番号", entry.text],
            ["認可日", wareki_date(entry.dated)],
        ],
    }


@letter(DocumentKind.RETURN)
def return_letter(entry, settings_version):
    organization = entry.organization
    applied = f"{wareki_date(organization.applied_on)}付けで申請のあった" if organization.applied_on else ""
    return {
        "title": "地域運営組織認可申請差戻し通知書",
        "body": (
            f"{applied}地域運営組織の認可について、{settings_version.basis_for(entry.kind)}審査した結果、"
            "下記の理由により申請を差し戻すので通知する。"
            "なお、理由に記載した事項を補正の上、改めて申請することができる。"
        ),
        "reasons": _lines(entry.details.get("reason", "")),
    }


@letter(DocumentKind.DECISION)
def decision_letter(entry, settings_version):
    decision = entry.decision
    grant = grant_name(decision.fiscal_year)
    return {
        "title": f"{grant}交付決定通知書",
        "body": (
            f"{application_reference(decision)}{grant}については、{settings_version.basis_for(entry.kind)}、"
            "下記のとおり交付することに決定したので通知する。"
        ),
        "amount": decision.decided_amount,
        "rows": _breakdown_rows(decision.calculation),
        "conditions": _lines(decision.conditions),
    }


@letter(DocumentKind.CHANGE)
def change_letter(entry, settings_version):

    decision, details = entry.decision, entry.details
    grant = grant_name(decision.fiscal_year)
    requested = details.get("requested_on")
    request = f"{wareki_date(as_date(requested))}付けで変更申請のあった" if requested else ""
    fields = [
        ["変更前の交付決定額", yen_formal(details["before"])],
        ["変更後の交付決定額", yen_formal(details["after"])],
        ["増減額", yen_formal(details["after"] - details["before"])],
        ["変更の理由", details.get("reason", "")],
    ]
    if requested:
        fields.insert(3, ["変更申請の受付日", wareki_date(as_date(requested))])
    return {
        "title": f"{grant}変更交付決定通知書",
        "body": (
            f"{_decision_reference(decision)}{grant}について、{request}"
            f"{'交付決定の変更については' if request else ''}{settings_version.basis_for(entry.kind)}、"
            "下記のとおり交付決定の内容を変更することに決定したので通知する。"
        ),
        "amount": details["after"],
        "fields": fields,
    }


def _report_rows(decision):
    """The 実績報告 by category (grants.categories), expenses first, then その他の収入."""
    from grants.categories import BudgetCategory

    items = list(decision.report_items.all())
    expenses = [item for item in items if item.category != BudgetCategory.OTHER_INCOME]
    order = {BudgetCategory.PERSONNEL: 0, BudgetCategory.OPERATING: 1, BudgetCategory.PROJECT: 2}
    expenses.sort(key=lambda item: (order.get(item.category, 3), item.pk))
    rows = [
        [item.get_category_display(), item.name if item.project_id else "", item.budget, item.spent]
        for item in expenses
    ]
    incomes = [item for item in items if item.category == BudgetCategory.OTHER_INCOME]
    return [[a, b, _yen_cell(c), _yen_cell(d)] for a, b, c, d in rows], [
        [item.get_category_display(), "", _yen_cell(item.budget), _yen_cell(item.spent)] for item in incomes
    ]


@letter(DocumentKind.SETTLEMENT)
def settlement_letter(entry, settings_version):
    decision, details = entry.decision, entry.details
    if decision.settled_amount is None:
        refuse(f"{decision}: 額が確定していないため、交付額確定通知書は作れません。")
    grant = grant_name(decision.fiscal_year)
    changed = f"（{wareki_date(decision.changed_on)}変更交付決定後）" if decision.changed_on else ""
    # The figures as they stood on the day of the 額の確定 (the register line keeps them): a later
    # payment or 取消 does not change what this notice says.
    settled = details.get("settled", decision.settled_amount)
    paid = details.get("paid", decision.paid_amount)
    income = details.get("income", decision.other_income_amount)
    spent = details.get("spent", decision.spent_amount)
    difference = settled - paid
    expenses, incomes = _report_rows(decision)
    fields = [
        ["交付決定額", f"{yen_formal(details.get('decided', decision.amount))}{changed}"],
        ["対象経費の実支出額", yen_formal(spent)],
        ["その他の収入", yen_formal(income)],
        ["額の確定の方法", details.get("rule", "")],
        ["交付確定額", yen_formal(settled)],
        ["既交付額", yen_formal(paid)],
    ]
    if difference > 0:
        fields.append(["追加交付額", yen_formal(difference)])
    else:
        fields.append(["返還額", yen_formal(-difference)])
    return {
        "title": f"{grant}交付額確定通知書",
        "body": (
            f"{_decision_reference(decision)}{grant}について、{wareki_date(decision.reported_on)}に提出された"
            f"実績報告書を審査した結果、{settings_version.basis_for(entry.kind)}、下記のとおり交付額を確定したので通知する。"
        ),
        "amount": settled,
        "fields": fields,
        "items": expenses,
        "incomes": incomes,
        "spent_total": _yen_cell(spent),
        "net_total": _yen_cell(spent - income),
        "item_number": _zenkaku(len(fields) + 1),
        "refund_note": (
            "返還額は、別に送付する返還請求書により、その納付期限までに納付すること。"
            if difference < 0
            else "追加交付額は、別に送付する追加交付通知書により交付する。"
            if difference > 0
            else ""
        ),
        "note_number": _zenkaku(len(fields) + 2),
    }


@letter(DocumentKind.REVOCATION)
def revocation_letter(entry, settings_version):
    """details: {"amount": yen revoked, "reason": text, "scope": "全部" or "一部"} (written by the 取消 step)."""
    decision, details = entry.decision, entry.details
    grant = grant_name(decision.fiscal_year)
    scope = details.get("scope", "全部")
    return {
        "title": f"{grant}交付決定取消通知書",
        "body": (
            f"{_decision_reference(decision)}{grant}について、{settings_version.basis_for(entry.kind)}、"
            f"下記のとおり交付決定の{scope}を取り消すこととしたので通知する。"
        ),
        "amount": details["amount"],
        "fields": [
            ["取消し前の交付決定額", yen_formal(details.get("before", decision.amount))],
            ["取り消す額", yen_formal(details["amount"])],
            ["取消しの範囲", f"交付決定の{scope}"],
            ["取消しの理由", details.get("reason", "")],
        ],
    }


@letter(DocumentKind.REFUND, disposition=False)
def refund_letter(entry, settings_version):
    """details: {"amount": yen, "due_on": "YYYY-MM-DD", "cause": text} (written by the 返還 step)."""

    decision, details = entry.decision, entry.details
    grant = grant_name(decision.fiscal_year)
    return {
        "title": f"{grant}返還請求書",
        "body": (
            f"{_decision_reference(decision)}{grant}について、{details.get('cause', '交付額の確定により')}、"
            f"{settings_version.basis_for(entry.kind)}、下記のとおり返還を請求する。納付期限までに、同封の納付書により"
            "納付すること。"
        ),
        "amount": details["amount"],
        "fields": [
            ["返還請求額", yen_formal(details["amount"])],
            ["納付期限", wareki_date(as_date(details["due_on"]))],
            ["返還の理由", details.get("cause", "交付額の確定により")],
        ],
        "note": (
            "納付期限までに納付がないときは、納付期限の翌日から納付の日までの日数に応じ、"
            "延滞金を加算して請求することがある。"
        ),
    }


@letter(DocumentKind.ADDITIONAL, disposition=False)
def additional_letter(entry, settings_version):
    """details: {"amount": yen granted now, "settled": 確定額, "paid": 既交付額} (written by additional_grant)."""
    decision, details = entry.decision, entry.details
    grant = grant_name(decision.fiscal_year)
    settlement = decision.settlement_document_number
    reference = f"{wareki_date(decision.settled_on)}付け{settlement}で交付額を確定した" if settlement else ""
    return {
        "title": f"{grant}追加交付通知書",
        "body": (
            f"{_decision_reference(decision)}{grant}について、{reference}額と既に交付した額との差額を、"
            f"{settings_version.basis_for(entry.kind)}、下記のとおり追加して交付するので通知する。"
        ),
        "amount": details["amount"],
        "fields": [
            ["交付確定額", yen_formal(details["settled"])],
            ["既交付額", yen_formal(details["paid"])],
            ["追加交付額", yen_formal(details["amount"])],
            ["交付の方法", "指定の口座への振込み（精算払）"],
        ],
    }


# -- what a document says, frozen ------------------------------------------------------------------


def settings_for(day):
    """The notice settings in force on `day`, refused with what to fill in while a placeholder remains."""
    version = NoticeSettings.objects.in_force(day)
    if version is None:
        refuse(
            f"{wareki_date(day)}に施行されている通知書の設定がありません。管理画面の「通知書の設定」で登録してください。"
        )
    missing = version.placeholders()
    if missing:
        refuse(
            f"通知書の設定（{version}）に入力が必要な項目があるため、文書を発行できません: "
            + "、".join(missing)
            + "。管理画面の「通知書の設定」で入力してください。"
        )
    return version


def seal_uri(settings_version):
    if settings_version.seal_image:
        try:
            return f"file://{settings_version.seal_image.path}"
        except (NotImplementedError, ValueError):
            return ""
    return ""


def document_content(entry, settings_version):
    """Everything the document prints, as plain JSON: stored with the PDF when it is issued."""
    kind = LETTERS[entry.kind]
    organization = entry.organization
    if organization is None:
        refuse(f"文書番号「{entry.text}」には宛先の組織がないため、文書を作れません。")
    own = kind.build(entry, settings_version)
    amount = own.pop("amount", None)
    return {
        "kind": entry.kind,
        "number": entry.text,
        "date": wareki_date(entry.dated),
        "organization": organization.name,
        "addressee_title": organization.representative_title.strip() or "代表者",
        "addressee_name": organization.representative_name.strip(),
        "issuer_title": settings_version.mayor_title,
        "issuer_name": settings_version.mayor_name,
        "seal": seal_uri(settings_version),
        "seal_omitted": "" if settings_version.seal_image else settings_version.seal_omitted_text,
        "appeal": _lines(settings_version.appeal_text) if kind.is_disposition else [],
        "contact": settings_version.contact,
        "is_demo": settings_version.is_demo or getattr(organization, "is_demo", False),
        "amount": amount,
        "amount_text": yen_formal(amount) if amount is not None else "",
        **own,
        "fields": [[f"{_zenkaku(index)}　{key}", value] for index, (key, value) in enumerate(own.get("fields", []), 1)],
    }


def _zenkaku(number):
    """1 → １: the numbering of a 記's items."""
    return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def document_html(content, *, mark=""):
    """The document's HTML from its stored content; `mark` is 再発行, 写 or 案 (a preview)."""
    html = render_to_string(f"grants/notices/{content['kind']}.html", {**content, "mark": mark})
    check_glyphs(html)
    return html


def _document(html):
    return pdf.document(html, stylesheet=NOTICE_STYLESHEET, font=NOTICE_FONT)


def render_pdf(html):
    return _document(html).write_pdf()


def _load_entry(entry):
    return DocumentNumber.objects.select_related(
        "series", "organization", "decision__fiscal_year", "decision__organization", "decision__calculation"
    ).get(pk=entry.pk)


def document_preview(*, entry):
    """The PDF the entry would be issued as now, marked 「案」 and stored nowhere (placeholders allowed)."""
    entry = _load_entry(entry)
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
        refuse(f"文書番号「{entry.text}」は欠番のため、文書を発行できません。")
    if entry.kind not in LETTERS:
        refuse(f"「{entry.get_kind_display()}」の様式がありません。")
    entry = _load_entry(entry)
    version = settings_for(entry.dated)
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


def stored_pdf(document):
    return bytes(document.pdf)


def load_demo_notice_settings():
    """For the portal's demo: fill the placeholders of the settings in force with invented values (the
    mayor's name, the article numbers) and mark them デモ, so the demo can issue documents. Real values a
    clerk entered are kept."""
    from grants import notice_texts

    version = NoticeSettings.objects.order_by("effective_from").first()
    if version is None:
        version = NoticeSettings(
            effective_from=datetime.date(2019, 4, 1),
            appeal_text=notice_texts.APPEAL_TEXT,
            contact=notice_texts.CONTACT,
            standard_conditions=notice_texts.STANDARD_CONDITIONS,
        )
    demo_values = {
        "mayor_name": notice_texts.DEMO_MAYOR_NAME,
        "legal_basis": notice_texts.DEMO_LEGAL_BASIS,
        "approval_basis": notice_texts.DEMO_APPROVAL_BASIS,
    }
    for field, value in demo_values.items():
        current = getattr(version, field)
        if not current.strip() or PLACEHOLDER_PATTERN.search(current):
            setattr(version, field, value)
            version.is_demo = True
    version.save()
    return version


# -- the grant decisions' notices (admin downloads, export_notices) -------------------------------


def decision_entry(decision, kind=DECISION):
    """The register line of a decision's notice of `kind` (交付決定 or 交付額確定)."""
    entry = register.latest_entry(kind=kind, decision=decision)
    if entry is None:
        refuse(f"{decision}: {KINDS[kind]}の文書番号が文書番号簿にありません。")
    return entry


def notice_document(decision, kind=DECISION, by=None):
    return document_issue(entry=decision_entry(decision, kind), by=by)


def notice_pdf(decision, kind=DECISION, by=None):
    """The decision's notice as issued (issued now, if it has not been yet)."""
    return stored_pdf(notice_document(decision, kind, by=by))


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


def iter_notices(decisions, kind=DECISION, by=None):
    """(decision, file name, PDF bytes) for each decision, each issued (or reprinted as issued)."""
    for decision in decisions:
        yield decision, notice_filename(decision, kind), notice_pdf(decision, kind, by=by)


def zip_files(named_files):
    """A ZIP of (name, bytes) pairs; names are stored in UTF-8."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in named_files:
            archive.writestr(name, content)
    return buffer.getvalue()


def notices_zip(decisions, kind=DECISION, by=None):
    return zip_files((name, content) for _, name, content in iter_notices(decisions, kind, by=by))


def notices_combined_pdf(decisions, kind=DECISION, by=None):
    """All notices in one tagged PDF for printing, each starting on its own page.

    Each notice is issued (or found as issued) first, then laid out again from its frozen words, so the
    printed text is what was issued; the pages are joined by WeasyPrint, which keeps the structure tree
    (a plain page copy with pikepdf would drop the tags that make the PDF readable aloud)."""
    documents = [_document(document_html(notice_document(d, kind, by=by).content)) for d in decisions]
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
                entry.text,
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


def approval_list_pdf(entries):
    entries = list(entries)
    rows = approval_rows(entries)
    total = sum(row[5] or 0 for row in rows)
    html = render_to_string(
        "grants/notices/approval_list.html",
        {
            "rows": [[*row[:5], "" if row[5] is None else yen_number(row[5]), row[6]] for row in rows],
            "total": yen_number(total),
            "count": len(rows),
            "division": settings.PORTAL["POLICY_DIVISION"],
        },
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
                entry.text,
                entry.get_kind_display(),
            ]
        )
    return rows
