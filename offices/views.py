"""The 事務局's pages (/office/): phone-first, です・ます. Views stay thin: access in offices.access, changes in
offices.services and offices.invitations."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header, urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from grants import notices
from offices import invitations
from offices.access import document_for, office_organizations, office_view, received_documents
from offices.home import home_context
from organizations.access_log import DOWNLOAD, record_access


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
    return render(request, "offices/home.html", home_context(request.office))


@office_view
def documents(request):
    """文書: what the city issued to the organization, with its number and date; each PDF behind the login."""
    return render(
        request,
        "offices/documents.html",
        {"organization": request.office, "documents": received_documents(request.office)},
    )


@office_view
def document_pdf(request, pk):
    """The PDF as issued, for the organization's own 事務局 only (another organization's document: 404). The
    download is recorded in the access log: it shows the 課 when the notice reached the organization."""
    document = document_for(request, pk)
    record_access(request, document, DOWNLOAD, kind="通知書（事務局の受け取り）")
    response = HttpResponse(notices.stored_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=notices.document_filename(document)
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _invited_user(uidb64, token):
    """The account the link was made for, while the link is good (not used, not expired); else None."""
    User = get_user_model()
    try:
        user = User._default_manager.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError, User.DoesNotExist):
        return None
    if not user.is_active or not user.office_memberships.exists():
        return None
    return user if default_token_generator.check_token(user, token) else None


@sensitive_post_parameters()
@never_cache
def welcome(request, uidb64, token):
    """パスワードの設定: the one-time link of the invitation. Once the password is set the link stops working."""
    user = _invited_user(uidb64, token)
    if user is None:
        return render(request, "offices/welcome.html", {"validlink": False}, status=404)
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        invitations.member_join(user=user, password=form.cleaned_data["new_password1"])
        messages.success(request, "パスワードを設定しました。メールアドレスと新しいパスワードでログインしてください。")
        return redirect("login")
    return render(request, "offices/welcome.html", {"validlink": True, "form": form, "account": user})
