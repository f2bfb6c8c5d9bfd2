"""The 事務局's pages (/office/): phone-first, です・ます. Views stay thin: access in offices.access, changes in
offices.services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from offices.access import office_organizations, office_view


@login_required
def start(request):
    """Where a 事務局 lands after signing in: their organization's home, or the choice when they serve two."""
    organizations = list(office_organizations(request.user))
    if len(organizations) == 1:
        return redirect("offices:home", slug=organizations[0].slug)
    return render(request, "offices/start.html", {"organizations": organizations})


@office_view
def home(request):
    """What is due next and by when, the status of each step of this year, documents and messages."""
    return render(request, "offices/home.html", {"organization": request.office})
