"""What each letter says: one function per kind of document, decorated with `@letter(kind)`, states
its own facts from its line of the 文書番号簿; `document_content` adds what every letter prints (the
addressee and representative as they are that day, the issuer, 公印, 教示 and 担当 from the notice
settings in force on its date) and returns it all as plain JSON, stored with the PDF when it is issued.

Every kind of letter is one function here and one template `templates/grants/notices/<kind>.html`
extending base.html; grants.notices.issuing renders and stores it.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from grants import notice_texts
from grants.applications import budget_basis
from grants.categories import BudgetCategory
from grants.models import PLACEHOLDER_PATTERN, DocumentKind, DocumentNumber, NoticeSettings
from niimi_portal.lib.money import yen_formal, yen_number
from niimi_portal.lib.refusal import refuse
from niimi_portal.lib.wareki import wareki_date

GRANT_NAME = "小規模多機能自治一括交付金"


# -- the kinds of letter ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    kind: str
    build: object  # (entry, settings) -> dict of the letter's own facts: title, body, amount, …

    @property
    def template(self):
        return f"grants/notices/{self.kind}.html"


LETTERS = {}


def letter(kind):
    """Register the function that states a kind of letter's own facts from its register entry. Whether
    it is a 処分 (printed with the 教示) is a notice setting (NoticeSettings.disposition_kinds)."""

    def register_letter(build):
        LETTERS[str(kind)] = Letter(str(kind), build)
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
    """How a later letter cites the 交付決定: by its number, given on the 決裁 of the 交付決定通知書 (a letter
    citing it is issued only after that 決裁: grants.register.cited_check; a preview may come before)."""
    number = decision.document_number or "（文書番号は決裁の後）"
    return f"{wareki_date(decision.decided_on)}付け{number}で交付決定した"


@letter(DocumentKind.APPROVAL)
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
        "title": "地域運営組織認可申請の補正の求めについて（通知）",
        "body": (
            f"{applied}地域運営組織の認可の申請について、{settings_version.basis_for(entry.kind)}、"
            "下記の事項の補正を求めるので通知する。補正の上、改めて提出すること。"
        ),
        "reasons": _lines(entry.details.get("reason", "")),
    }


@letter(DocumentKind.REFUSAL)
def refusal_letter(entry, settings_version):
    """不認可: a 処分 deciding the application, with its reasons (the 教示 follows from the settings)."""
    organization = entry.organization
    applied = f"{wareki_date(organization.applied_on)}付けで申請のあった" if organization.applied_on else ""
    return {
        "title": "地域運営組織不認可通知書",
        "body": (
            f"{applied}地域運営組織の認可の申請については、{settings_version.basis_for(entry.kind)}、"
            "認可しないことに決定したので、下記のとおり通知する。"
        ),
        "reasons": _lines(entry.details.get("reason", "")),
    }


def _article(basis):
    """The article a 根拠 sentence cites, without 「の規定により」: how the 付与通知 names the 根拠 of the
    処分 it announces (「新見市小規模多機能自治推進要綱第9条」)."""
    return basis.removesuffix("の規定により").strip()


def cited_number(details, entry_key="cited_entry", number_key="cited_number"):
    """The number of the document a letter cites: read from the cited line of the register (`entry_key`,
    its pk, stored by the act) when the letter is made, so a number given on that document's 決裁 is the one
    printed; else the number as the act copied it (`number_key`, lines recorded before, or typed)."""
    pk = details.get(entry_key)
    if pk:
        entry = DocumentNumber.objects.filter(pk=pk).first()
        if entry is not None and entry.text:
            return entry.text
    return details.get(number_key, "")


def _approval_number(details):
    return cited_number(details, "approval_entry", "approval_number")


def _approved_reference(details):
    """「令和7年6月1日付け新総政第1号で認可した」, from the 認可 as a register line's details cite it."""
    number = _approval_number(details)
    if number and details.get("approved_on"):
        return f"{wareki_date(as_date(details['approved_on']))}付け{number}で認可した"
    return ""


@letter(DocumentKind.HEARING)
def hearing_letter(entry, settings_version):
    """弁明の機会の付与通知書: what is planned, on which article, why, and by when and to whom the 弁明書
    goes (行政手続法第30条 and the city's 行政手続条例: 要確認). Not a 処分: no 教示. details: {"facts",
    "deadline", "approval_entry" (the 認可通知書's line), "approval_number", "approved_on"} (written by
    grants.approval_acts.hearing_notify)."""
    details = entry.details
    approved = ""
    if _approval_number(details) and details.get("approved_on"):
        approved = f"（{wareki_date(as_date(details['approved_on']))}付け{_approval_number(details)}）"
    return {
        "title": "弁明の機会の付与通知書",
        "body": (
            f"{_approved_reference(details)}地域運営組織について、認可の取消し（不利益処分）をしようとするので、"
            f"{settings_version.basis_for(entry.kind)}、下記のとおり弁明の機会を付与する。"
        ),
        "fields": [
            ["予定される不利益処分の内容", f"地域運営組織の認可{approved}の取消し"],
            ["根拠となる条項", _article(settings_version.basis_for(DocumentKind.APPROVAL_REVOCATION))],
            ["不利益処分の原因となる事実", details.get("facts", "")],
            ["弁明書の提出先", settings_version.contact],
            ["弁明書の提出期限", wareki_date(as_date(details["deadline"]))],
        ],
        "notes": [
            "弁明は、弁明書を提出して行うものとする。弁明書には、証拠書類等を添えることができる。",
            "提出期限までに弁明書の提出がないときは、弁明の機会を放棄したものとして取り扱う。",
        ],
    }


@letter(DocumentKind.APPROVAL_REVOCATION)
def approval_revocation_letter(entry, settings_version):
    """認可取消通知書: a 処分 (教示 from the settings), citing the 弁明の機会 that came before it. details:
    {"reason", "approval_entry", "approval_number", "approved_on", "cited_entry" (the 付与通知書's line; lines
    recorded before keep "hearing_number"), "hearing_on", "deadline", "explained_on", "explanation",
    "grant_follows"} (written by grants.approval_acts.organization_revoke)."""
    organization, details = entry.organization, entry.details
    notice = cited_number(details, "cited_entry", "hearing_number")
    hearing = f"{wareki_date(as_date(details['hearing_on']))}付け{notice}で弁明の機会を付与し、"
    if details.get("explained_on"):
        hearing += f"{wareki_date(as_date(details['explained_on']))}に弁明書を受け付けた。"
    else:
        hearing += f"提出期限（{wareki_date(as_date(details['deadline']))}）までに弁明書の提出はなかった。"
    fields = [
        ["組織の名称", organization.name],
        ["認可番号", _approval_number(details)],
        ["認可日", wareki_date(as_date(details["approved_on"])) if details.get("approved_on") else ""],
        ["取消しの日", wareki_date(entry.dated)],
        ["取消しの理由", details.get("reason", "")],
        ["弁明の機会", hearing],
    ]
    if details.get("explained_on"):
        fields.append(["弁明の要旨", details.get("explanation", "")])
    return {
        "title": "地域運営組織認可取消通知書",
        "body": (
            f"{_approved_reference(details)}地域運営組織について、{settings_version.basis_for(entry.kind)}、"
            "下記のとおり認可を取り消したので通知する。"
        ),
        "fields": [[key, value] for key, value in fields if value],
        "note": (
            "この取消しに伴う一括交付金の交付決定の取消し及び返還については、別に通知する。"
            if details.get("grant_follows")
            else ""
        ),
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
        "period": _project_period(decision.fiscal_year),
        "payment": PAYMENT_METHOD,
        "conditions": _lines(decision.conditions),
        "withdrawal": (
            "この決定の内容又はこれに付された条件に不服があるときは、この通知を受けた日から起算して"
            f"{settings_version.withdrawal_days}日以内に、申請を取り下げることができる。"
        ),
    }


# How the grant is paid, as the 交付決定通知書 states it: 概算払 on the organization's 請求, settled after
# the 額の確定 (grants.settlement). An assumption the city must confirm against its 交付要綱.
PAYMENT_METHOD = "概算払（請求に基づき支払い、額の確定の後に精算する。）"


def _project_period(fiscal_year):
    """The 事業期間: the fiscal year the 年度計画 covers (an assumption: the city may set it otherwise)."""
    return f"{wareki_date(fiscal_year.starts_on)}から{wareki_date(fiscal_year.ends_on)}まで"


@letter(DocumentKind.CHANGE)
def change_letter(entry, settings_version):
    """A two-column table of the amount before and after, the change in words (never 「金△」), and
    「その他は当初決定のとおり」."""
    decision, details = entry.decision, entry.details
    grant = grant_name(decision.fiscal_year)
    requested = details.get("requested_on")
    request = f"{wareki_date(as_date(requested))}付けで変更申請のあった" if requested else ""
    before, after = details["before"], details["after"]
    fields = [["変更の理由", details.get("reason", "")]]
    if requested:
        fields.append(["変更申請の受付日", wareki_date(as_date(requested))])
    return {
        "title": f"{grant}変更交付決定通知書",
        "body": (
            f"{_decision_reference(decision)}{grant}について、{request}"
            f"{'交付決定の変更については' if request else ''}{settings_version.basis_for(entry.kind)}、"
            "下記のとおり交付決定の内容を変更することに決定したので通知する。"
        ),
        "amount": after,
        "before_text": yen_formal(before),
        "after_text": yen_formal(after),
        "difference_text": _difference(after - before),
        "fields": fields,
        "item_number": _zenkaku(len(fields) + 1),
        "unchanged": "その他は当初決定のとおりとする。",
    }


def _difference(amount):
    """An increase or decrease in words: 「182,000円の減額」 (a letter never prints 「金△」)."""
    if amount == 0:
        return "増減なし"
    return f"{yen_number(abs(amount))}円の{'増額' if amount > 0 else '減額'}"


def _report_rows(decision):
    """The 実績報告 by category (grants.categories), expenses first, then その他の収入."""
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


def _budget_column(decision):
    """(heading, note) of the 予算 column: the 収支予算 in force (grants.applications.budget_basis), the
    変更申請's once a 変更交付決定 revised it; when that decision decided another amount than was asked, the
    column is marked and the note says the budget is the 申請額's, with both amounts."""
    basis = budget_basis(decision)
    if not basis.revised:
        return "予算（円）", ""
    if not basis.differs:
        return "変更後の予算（円）", ""
    return "変更後の予算（円）※", (
        f"※　予算は{basis.label}による。変更申請の額{yen_formal(basis.requested)}で収支が均衡する予算であり、"
        f"変更交付決定額{yen_formal(basis.decided)}とは一致しない。"
    )


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
    budget_heading, budget_note = _budget_column(decision)
    fields = [
        ["交付決定額", f"{yen_formal(details.get('decided', decision.amount))}{changed}"],
        ["対象経費の実支出額", yen_formal(spent)],
        ["その他の収入", yen_formal(income)],
        ["額の確定の方法", details.get("rule", "")],
        ["交付確定額", yen_formal(settled)],
        ["既交付額", yen_formal(paid)],
    ]
    if difference > 0:
        fields.append(["精算払の額", yen_formal(difference)])
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
        # The report's budget column is the 収支予算 in force: the 変更申請's once a 変更交付決定 revised it.
        "budget_heading": budget_heading,
        "budget_note": budget_note,
        "spent_total": _yen_cell(spent),
        "net_total": _yen_cell(spent - income),
        "item_number": _zenkaku(len(fields) + 1),
        # The rest of the decided amount is paid on the organization's 請求 (精算払), not by another notice.
        "refund_note": (
            "返還額は、別に送付する返還請求書により、その納付期限までに納付すること。"
            if difference < 0
            else "精算払の額は、請求書の提出を受けて支払う（精算払）。"
            if difference > 0
            else ""
        ),
        "note_heading": "返還" if difference < 0 else "精算払",
        "note_number": _zenkaku(len(fields) + 2),
    }


@letter(DocumentKind.REVOCATION)
def revocation_letter(entry, settings_version):
    """details: {"amount": yen revoked, "before": the amount before, "paid": paid by then, "reason": text,
    "scope": "全部" or "一部"} (written by grants.settlement.decision_revoke). States the amount after the
    取消 and what is to be returned, which the 返還請求書 then demands."""
    decision, details = entry.decision, entry.details
    grant = grant_name(decision.fiscal_year)
    scope = details.get("scope", "全部")
    before = details.get("before", decision.amount)
    after = before - details["amount"]
    paid = details.get("paid", decision.paid_amount)
    to_return = max(paid - after, 0)
    return {
        "title": f"{grant}交付決定取消通知書",
        "body": (
            f"{_decision_reference(decision)}{grant}について、{settings_version.basis_for(entry.kind)}、"
            f"下記のとおり交付決定の{scope}を取り消すこととしたので通知する。"
        ),
        "amount": details["amount"],
        "fields": [
            ["取消し前の交付決定額", yen_formal(before)],
            ["取り消す額", yen_formal(details["amount"])],
            ["取消し後の交付決定額", yen_formal(after)],
            ["取消しの範囲", f"交付決定の{scope}"],
            ["取消しの理由", details.get("reason", "")],
            ["既交付額", yen_formal(paid)],
            ["返還を要する額", yen_formal(to_return)],
        ],
        "note": (
            "返還を要する額は、別に送付する返還請求書により、その納付期限までに返還すること。"
            if to_return
            else "この取消しにより返還を要する額はない。"
        ),
    }


@letter(DocumentKind.REFUND)
def refund_letter(entry, settings_version):
    """details: {"amount": yen, "due_on": "YYYY-MM-DD", "cause": text, "cited_entry" (its line of the
    register) or "cited_number", "cited_on": the 取消 or 確定 notice it follows} (written by
    grants.settlement.refund_demand). A 返還命令 is a 処分: the
    教示 follows from the notice settings. No 納付書 is enclosed: the city's 財務会計 system prints it from
    the 調定 (an assumption the city must confirm)."""
    decision, details = entry.decision, entry.details
    grant = grant_name(decision.fiscal_year)
    cause = details.get("cause", "交付額の確定により").removesuffix("により")
    cited = ""
    if cited_number(details):
        cited = f"{wareki_date(as_date(details['cited_on']))}付け{cited_number(details)}"
    return {
        "title": f"{grant}返還請求書",
        "body": (
            f"{_decision_reference(decision)}{grant}について、{cited + 'で通知した' if cited else ''}{cause}に伴い、"
            f"{settings_version.basis_for(entry.kind)}、下記のとおり返還を請求する。"
        ),
        "amount": details["amount"],
        "fields": [
            ["返還請求額", yen_formal(details["amount"])],
            ["納付期限", wareki_date(as_date(details["due_on"]))],
            ["返還の理由", f"{cause}（{cited}）" if cited else cause],
            ["納付の方法", "市が発行する納付書による（納付書は別に送付する）"],
            [
                "延滞金",
                f"納付期限の翌日から納付の日までの日数に応じ、返還請求額に年{_rate(settings_version.late_fee_rate)}"
                "パーセントの割合で計算した額",
            ],
        ],
        "note": "納付期限までに納付しないときは、上記の延滞金を併せて納付しなければならない。",
    }


def _rate(value):
    """10.95 → 「10.95」, 5.00 → 「5」."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@letter(DocumentKind.ADDITIONAL)
def additional_letter(entry, settings_version):
    """details: {"amount": yen granted now, "settled": 確定額, "paid": 既交付額}, as an earlier version of the
    portal numbered it for what is in fact a 精算払. No act numbers this kind now (grants.settlement): an
    increase of the grant is a 変更交付決定; the letter stays so those lines can still be printed (要確認)."""
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


def settings_for(day, kind=None):
    """The notice settings in force on `day`, refused with what to fill in while a field a document of
    `kind` needs (the common ones, its own 根拠 and, for a 処分, the 教示) is blank or a placeholder."""
    version = NoticeSettings.objects.in_force(day)
    if version is None:
        refuse(
            f"{wareki_date(day)}に施行されている通知書の設定がありません。管理画面の「通知書の設定」で登録してください。"
        )
    missing = version.missing_for(kind) if kind else version.placeholders()
    if missing:
        what = DocumentKind(kind).label if kind else "文書"
        refuse(
            f"通知書の設定（{version}）に入力が必要な項目があるため、{what}を発行できません: "
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
        "appeal": _lines(settings_version.appeal_text) if settings_version.carries_appeal(entry.kind) else [],
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


def load_demo_notice_settings():
    """For the portal's demo: fill the placeholders of the settings in force with invented values (the
    mayor's name, each kind's article) and mark them デモ, so the demo can issue documents. Real values a
    clerk entered are kept."""
    version = NoticeSettings.objects.order_by("effective_from").first()
    if version is None:
        version = NoticeSettings(
            effective_from=datetime.date(2019, 4, 1),
            appeal_text=notice_texts.APPEAL_TEXT,
            contact=notice_texts.CONTACT,
            standard_conditions=notice_texts.STANDARD_CONDITIONS,
        )
    demo_values = {"mayor_name": notice_texts.DEMO_MAYOR_NAME, **notice_texts.DEMO_KIND_SETTINGS}
    for field, value in demo_values.items():
        current = getattr(version, field)
        current = "" if current is None else str(current).strip()
        if not current or PLACEHOLDER_PATTERN.search(current):
            setattr(version, field, value)
            version.is_demo = True
    version.save()
    return version
