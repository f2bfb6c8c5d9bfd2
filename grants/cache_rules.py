"""Which cached public pages a save in this app makes stale: the one place its rules are declared
(niimi_portal/lib/page_tags.py)."""

from grants.models import (
    ApprovalHearing,
    ApprovalRoute,
    BudgetRevision,
    DeadlineReminder,
    DocumentDraft,
    DocumentNumber,
    DocumentSeries,
    DocumentSeriesKind,
    FiscalYear,
    GrantApplication,
    GrantApplicationAttachment,
    GrantApplicationLine,
    GrantCalculation,
    GrantChangeRequest,
    GrantChangeRequestLine,
    GrantConditions,
    GrantDecision,
    GrantPayment,
    GrantRefund,
    GrantReportAttachment,
    GrantReportItem,
    GrantRevocation,
    GrantRule,
    IntegratedSubsidy,
    IssuedDocument,
    NoticeSettings,
    PayeeAccount,
    Receipt,
    SubsidyAllocation,
)
from niimi_portal.lib.page_tags import GRANTS, OPEN_DATA, SITE_WIDE, register, tag_of
from organizations.models import Organization


def grant_tags(obj):
    return [tag_of(model=Organization, pk=obj.organization_id), GRANTS, OPEN_DATA]


# The current fiscal year decides the roster, the plans and the grant shown everywhere.
register(FiscalYear, tags=SITE_WIDE)
register(GrantRule, tags=[GRANTS, OPEN_DATA])
register(IntegratedSubsidy, tags=[GRANTS, OPEN_DATA])
register(SubsidyAllocation, tags=grant_tags)
register(GrantCalculation, tags=grant_tags)
register(GrantDecision, tags=grant_tags)
register(GrantReportItem, tags=[GRANTS, OPEN_DATA])
register(GrantReportAttachment, tags=())
# Official documents and their numbering are issued to organizations, never shown on a public page.
# Drafts (起案) and the 専決区分 stay inside the 課 too.
for model in (
    DocumentSeries,
    DocumentSeriesKind,
    DocumentNumber,
    NoticeSettings,
    GrantConditions,
    IssuedDocument,
    DocumentDraft,
    ApprovalRoute,
):
    register(model, tags=())
# 交付申請, 変更申請, 請求・支払, 返還 and 取消 are the city's dealings with an organization: no public page
# shows them. What residents read of a decision (its amount, its status) changes with GrantDecision itself.
for model in (
    GrantApplication,
    GrantApplicationLine,
    GrantApplicationAttachment,
    GrantChangeRequest,
    GrantChangeRequestLine,
    GrantPayment,
    GrantRefund,
    GrantRevocation,
):
    register(model, tags=())
# 債権者の口座 is for the 財務会計 only (grants.accounting): no public page shows it.
register(PayeeAccount, tags=())
# The 予算, the 受付簿 and the reminders of the 期限 are the 課's own records, the 弁明の機会 a step before a
# 取消 (the 取消 itself reaches residents' pages through the Organization's save): no public page shows them.
for model in (BudgetRevision, Receipt, DeadlineReminder, ApprovalHearing):
    register(model, tags=())
