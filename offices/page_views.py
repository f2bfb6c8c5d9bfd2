"""The 事務局's public-page edits and the attachments of their forms (/office/<slug>/page/, …/attachments/).
Access through offices.access (another organization's ids → 404); changes in offices.profile and
offices.attachments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from niimi_portal.lib.refusal import add_refusal
from niimi_portal.lib.uploads import private_download
from offices import attachments, profile
from offices.access import attachment_for, office_view, submission_for
from offices.page_forms import AttachmentLabelForm, AttachmentUploadForm, ProfileEditForm


@office_view
def profile_edit(request):
    """The public page as residents see it now, and the form to propose changes (one proposal waits at a time)."""
    organization = request.office
    current = profile.profile_current(organization)
    latest = profile.latest_edit(organization)
    pending = latest if latest and latest.status == "pending" else None
    if request.method == "POST":
        form = ProfileEditForm(request.POST)
        if form.is_valid():
            try:
                profile.profile_edit_propose(organization=organization, by=request.user, **form.cleaned_data)
            except ValidationError as refused:
                add_refusal(form, refused)
            else:
                messages.success(
                    request,
                    "提案を送りました。総合政策課が確認して反映するまで、公開ページは今のままです。",
                )
                return redirect("offices:profile", slug=organization.slug)
    else:
        # Start from the waiting (or just declined) proposal, to correct it; else from the page as it is.
        start = latest if latest and latest.status in ("pending", "declined") else None
        form = ProfileEditForm(initial={field: getattr(start, field) for field in profile.FIELDS} if start else current)
    context = {
        "organization": organization,
        "form": form,
        "current": [{"label": label, "value": current[field]} for field, label in profile.FIELDS.items()],
        "latest": latest,
        "pending": pending,
    }
    return render(request, "offices/profile.html", context)


@office_view
def submission_attachments(request, pk):
    """The files sent with one form: upload several at once (a phone's camera), label, remove, download."""
    submission = submission_for(request, pk)
    form = AttachmentUploadForm()
    if request.method == "POST":
        form = AttachmentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                stored = attachments.submission_attach(
                    submission=submission,
                    files=form.cleaned_data["files"],
                    label=form.cleaned_data["label"],
                    by=request.user,
                )
            except ValidationError as refused:
                add_refusal(form, refused)
            else:
                messages.success(request, f"{len(stored)}件のファイルを添付しました。")
                return redirect("offices:submission_attachments", slug=request.office.slug, pk=submission.pk)
    files = list(submission.attachments.select_related("uploaded_by").order_by("uploaded_at", "id"))
    for attachment in files:
        attachment.size_label = attachments.size_label(attachment.size)
    context = {
        "organization": request.office,
        "submission": submission,
        "form": form,
        "attachments": files,
        "total_size": attachments.size_label(sum(a.size for a in files)) if files else "",
        "files_lost": request.method == "POST" and form.errors,
    }
    return render(request, "offices/attachments.html", context, status=400 if form.errors else 200)


@office_view
def attachment_download(request, pk):
    """One attachment, to its organization's 事務局 only; never cached."""
    return private_download(attachment_for(request, pk))


@office_view
def attachment_label(request, pk):
    attachment = attachment_for(request, pk)  # before the method: another organization's id is not found
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AttachmentLabelForm(request.POST, instance=attachment)
    back = redirect("offices:submission_attachments", slug=request.office.slug, pk=attachment.submission_id)
    if not form.is_valid():
        messages.error(request, "説明は200文字までで入力してください。")
        return back
    try:
        attachments.submission_attachment_label(
            attachment=attachment, label=form.cleaned_data["label"], by=request.user
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"「{attachment.original_name}」の説明を変えました。")
    return back


@office_view
def attachment_remove(request, pk):
    attachment = attachment_for(request, pk)  # before the method: another organization's id is not found
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = redirect("offices:submission_attachments", slug=request.office.slug, pk=attachment.submission_id)
    name = attachment.original_name
    try:
        attachments.submission_attachment_remove(attachment=attachment, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"「{name}」を削除しました。")
    return back
