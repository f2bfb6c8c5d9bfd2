from django.contrib import admin

from grants.models import (
    FiscalYear,
    GrantCalculation,
    GrantDecision,
    GrantRule,
    IntegratedSubsidy,
    SubsidyAllocation,
)
from niimi_portal.admin_history import ReadOnlyHistoryAdmin


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["label", "year", "starts_on", "statistics_reference_date"]
    search_fields = ["year"]


@admin.register(GrantRule)
class GrantRuleAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "fiscal_year",
        "equal_share",
        "per_capita",
        "per_household",
        "secretariat_cost",
        "rounding_unit",
        "change_cap_percent",
    ]
    list_select_related = ["fiscal_year"]


@admin.register(IntegratedSubsidy)
class IntegratedSubsidyAdmin(admin.ModelAdmin):
    list_display = ["name", "former_department", "order"]
    search_fields = ["name", "former_department"]


@admin.register(SubsidyAllocation)
class SubsidyAllocationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["organization", "fiscal_year", "subsidy", "amount"]
    list_filter = ["fiscal_year", "subsidy"]
    search_fields = ["organization__name", "organization__name_kana", "subsidy__name"]
    list_select_related = ["organization", "fiscal_year", "subsidy"]
    autocomplete_fields = ["organization"]


@admin.register(GrantCalculation)
class GrantCalculationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["organization", "fiscal_year", "base_amount", "subsidy_amount", "total", "calculated_at"]
    list_filter = ["fiscal_year"]
    search_fields = ["organization__name", "organization__name_kana"]
    list_select_related = ["organization", "fiscal_year"]
    readonly_fields = ["lines", "calculated_at", "calculated_by"]


@admin.register(GrantDecision)
class GrantDecisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["document_number", "organization", "fiscal_year", "decided_on", "amount", "status"]
    list_filter = ["fiscal_year", "status"]
    search_fields = ["document_number", "organization__name", "organization__name_kana"]
    list_select_related = ["organization", "fiscal_year"]
    raw_id_fields = ["calculation", "organization", "decided_by"]
