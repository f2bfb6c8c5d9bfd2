"""Who may see what on the 事務局's pages (/office/). Every office view goes through here.

The rule: a person sees only the organizations whose 事務局 they serve (OfficeMember), and in them only
that organization's own records. Another organization's slug or an id that is not theirs answers 404,
never 403, so nothing tells them it exists; anonymous visitors go to the sign-in page. Liaisons and
総合政策課 have their own pages (the workspace, the admin) and are not members unless invited.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404

from grants.models import IssuedDocument
from offices.models import OfficeMember, Submission, SubmissionAttachment
from organizations.models import Organization


def office_organizations(user):
    """The organizations whose 事務局 `user` serves, in kana order."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(office_members__user=user).order_by("name_kana")


def is_office_member(user):
    return user.is_authenticated and OfficeMember.objects.filter(user=user).exists()


def office_view(view):
    """Decorate a view taking `slug` (the organization): anonymous → sign in; not a member → 404. The view
    gets `request.office` (the Organization) and `request.office_member`."""

    @wraps(view)
    def wrapped(request, slug, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        member = (
            OfficeMember.objects.select_related("organization")
            .filter(user=request.user, organization__slug=slug)
            .first()
        )
        if member is None:
            raise Http404("この組織の事務局のページはありません。")
        request.office = member.organization
        request.office_member = member
        return view(request, *args, **kwargs)

    return wrapped


def submission_for(request, pk):
    """One submission of the organization in `request.office`, or 404."""
    return get_object_or_404(Submission, pk=pk, organization=request.office)


def attachment_for(request, pk):
    """One attachment of a submission of the organization in `request.office`, or 404."""
    return get_object_or_404(SubmissionAttachment, pk=pk, submission__organization=request.office)


def received_documents(organization):
    """The documents the city issued to `organization` (originals, each numbered on its 決裁), newest first."""
    return (
        IssuedDocument.objects.filter(organization=organization, copy=IssuedDocument.Copy.ORIGINAL)
        .select_related("entry")
        .order_by("-issued_on", "-id")
    )


def document_for(request, pk):
    """One document issued to the organization in `request.office`, or 404."""
    return get_object_or_404(received_documents(request.office), pk=pk)
