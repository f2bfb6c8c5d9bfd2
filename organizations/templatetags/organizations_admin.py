from django import template

from organizations.dashboard import policy_dashboard as dashboard_data

register = template.Library()


@register.inclusion_tag("admin/organizations/dashboard.html", takes_context=True)
def policy_dashboard(context):
    """The progress dashboard on the admin's landing page, for staff who may see organizations."""
    request = context.get("request")
    if request is None or not request.user.has_perm("organizations.view_organization"):
        return {"show": False}
    return {"show": True, "perms": context.get("perms"), **dashboard_data()}
