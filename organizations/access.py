"""Who may do what with organizations. Every view and admin page asks here; the services trust their
caller, as in staff and grants (one place for permission checks, the same in all three apps)."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404

APPROVE_PERMISSION = "organizations.approve_organization"


def can_run_workflow(user):
    return user.is_active and user.has_perm(APPROVE_PERMISSION)


def require_workflow(user):
    """PermissionDenied unless the user may run the approval workflow (総合政策課 with the custom permission)."""
    if not can_run_workflow(user):
        raise PermissionDenied("地域運営組織の認可の手続きをする権限がありません。")


def organization_for_workflow(request, model_admin, object_id):
    """The organization a workflow page acts on, or PermissionDenied for staff without the custom permission."""
    require_workflow(request.user)
    organization = model_admin.get_object(request, unquote(object_id))
    if organization is None:
        raise Http404("地域運営組織が見つかりません。")
    return organization
