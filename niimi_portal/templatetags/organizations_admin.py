"""The admin landing page's dashboard tag (templates/admin/index.html loads it as `organizations_admin`).

It lives in the site package because the dashboard (niimi_portal.dashboard) reads every app.
"""

from django import template

from niimi_portal.dashboard import policy_dashboard as dashboard_data

register = template.Library()


@register.inclusion_tag("admin/organizations/dashboard.html", takes_context=True)
def policy_dashboard(context):
    """The progress dashboard on the admin's landing page, for staff who may see organizations."""
    request = context.get("request")
    if request is None or not request.user.has_perm("organizations.view_organization"):
        return {"show": False}
    data = dashboard_data(deadlines=request.user.has_perm("grants.decide_grant"))
    return {"show": True, "perms": context.get("perms"), **data}
