"""Fiscal years and the 小規模多機能自治一括交付金, one module per concept:

    years            年度 (FiscalYear) with its 予算 and 補正 (BudgetRevision), 交付基準 (GrantRule, SettlementRule)
    subsidies        統合された既存補助金 and each organization's allocation
    calculations     交付額算定 (GrantCalculation)
    applications     交付申請 with its 収支予算 and scanned 申請書
    decisions        交付決定 (GrantDecision)
    drafts           起案・決裁 (DocumentDraft) and the 専決区分 (ApprovalRoute)
    reports          実績報告: its lines and attachments
    payments         変更申請, 請求・支払, 交付決定取消, 返還請求
    receipts         受付簿: 受付番号 per fiscal year for what arrives
    accounting       債権者の口座 (the bank account a grant is paid into), for the 財務会計
    reminders        リマインダーの記録: each reminder of a 期限 sent once (grants.deadlines)
    register         文書番号簿: series, kinds and numbers
    hearings         弁明の機会 before an organization's 認可 is revoked
    notice_settings  通知書の設定 in force on a date, and a year's 交付の条件
    issued           every issued document, frozen with its PDF

Every model is re-exported here, so `from grants.models import X` works for all of them.
"""

from grants.models.accounting import PayeeAccount
from grants.models.applications import (
    GrantApplication,
    GrantApplicationAttachment,
    GrantApplicationLine,
    application_attachment_path,
)
from grants.models.calculations import GrantCalculation
from grants.models.decisions import GrantDecision
from grants.models.drafts import LEVEL_ORDER, LEVEL_PERMISSIONS, ApprovalLevel, ApprovalRoute, DocumentDraft
from grants.models.hearings import ApprovalHearing
from grants.models.issued import IssuedDocument
from grants.models.notice_settings import PLACEHOLDER_PATTERN, GrantConditions, NoticeSettings
from grants.models.payments import (
    GrantChangeRequest,
    GrantChangeRequestLine,
    GrantPayment,
    GrantRefund,
    GrantRevocation,
)
from grants.models.receipts import Receipt
from grants.models.register import (
    RESERVED_TEXT,
    DocumentKind,
    DocumentNumber,
    DocumentSeries,
    DocumentSeriesKind,
    number_with_year,
)
from grants.models.reminders import DeadlineReminder
from grants.models.reports import GrantReportAttachment, GrantReportItem, report_attachment_path
from grants.models.subsidies import IntegratedSubsidy, SubsidyAllocation
from grants.models.years import (
    BudgetRevision,
    FiscalYear,
    GrantRule,
    SettlementRule,
    default_grace_until,
    settled_by_rule,
)

__all__ = [
    "LEVEL_ORDER",
    "LEVEL_PERMISSIONS",
    "PLACEHOLDER_PATTERN",
    "RESERVED_TEXT",
    "ApprovalLevel",
    "ApprovalRoute",
    "DocumentDraft",
    "ApprovalHearing",
    "BudgetRevision",
    "DeadlineReminder",
    "DocumentKind",
    "DocumentNumber",
    "DocumentSeries",
    "DocumentSeriesKind",
    "number_with_year",
    "FiscalYear",
    "GrantApplication",
    "GrantApplicationAttachment",
    "GrantApplicationLine",
    "GrantCalculation",
    "GrantChangeRequest",
    "GrantChangeRequestLine",
    "GrantConditions",
    "GrantDecision",
    "GrantPayment",
    "GrantRefund",
    "GrantReportAttachment",
    "GrantReportItem",
    "GrantRevocation",
    "GrantRule",
    "IntegratedSubsidy",
    "IssuedDocument",
    "NoticeSettings",
    "PayeeAccount",
    "Receipt",
    "SettlementRule",
    "SubsidyAllocation",
    "application_attachment_path",
    "default_grace_until",
    "report_attachment_path",
    "settled_by_rule",
]
