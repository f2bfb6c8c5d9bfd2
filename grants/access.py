"""Who may do what with grants: every admin view of the grants lifecycle asks here."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from grants.models import FiscalYear, GrantDecision

DECIDE = "grants.decide_grant"
VIEW_DECISIONS = "grants.view_grantdecision"


def require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def decision_for_officer(request, pk, permission=DECIDE):
    """The decision, for a user holding `permission` (総合政策課); PermissionDenied otherwise."""
    require(request, permission)
    return get_object_or_404(GrantDecision.objects.select_related("organization", "fiscal_year", "calculation"), pk=pk)


def fiscal_year_for_officer(request, pk, permission=DECIDE):
    require(request, permission)
    return get_object_or_404(FiscalYear, pk=pk)
