"""事務局からの提出 in the admin (総合政策課): the forms sent from the 事務局's pages, each version as sent, and the
clerk's two steps on the version waiting: 補正を依頼する (a comment per field → the form goes back, with mail)
and 受理して登録する (the kind's grants service records it; the record made is linked).

Only the 課's clerks who decide grants (grants.decide_grant) see it; drafts the 事務局 has not sent are theirs
and are not listed.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone

from grants import access
from niimi_portal.lib.admin_display import ClerkDisplayMixin, wareki_with_weekday
from offices.kinds import KINDS
from offices.models import Submission
from offices.notify import mail_members
from offices.services import submission_accept, submission_correction_request

COMMENT_PREFIX = "comment__"


def comment_form(spec, submission, data=None):
    """A comment box per field of the kind's form (and one for the whole form), beside what was sent."""
    version = submission.latest_version
    sent_form = spec.form(submission=submission, initial=version.data)
    shown = {name: (label, value) for name, label, value in sent_form.shown(version.data)}
    form = forms.Form(data)
    rows = []
    for key, label in sent_form.comment_fields():
        name = f"{COMMENT_PREFIX}{key}"
        form.fields[name] = forms.CharField(
            label=f"{label}への補正", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
        )
        rows.append((key, label, shown.get(key, (label, None))[1], name))
    return form, rows


class SubmissionAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    list_display = ["receipt_label", "organization", "kind", "status", "last_sent_at"]
    list_filter = ["status", "kind", "fiscal_year"]
    search_fields = ["organization__name", "organization__name_kana"]
    list_select_related = ["organization", "receipt", "fiscal_year"]
    ordering = ["-receipt__year", "-receipt__number"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(receipt__isnull=False).annotate(last_sent=Max("versions__sent_at"))

    @admin.display(description="受付番号", ordering="receipt__number")
    def receipt_label(self, obj):
        return str(obj.receipt)

    @admin.display(description="提出日時", ordering="last_sent")
    def last_sent_at(self, obj):
        return _when(obj.last_sent) if obj.last_sent else "－"

    # The clerks who decide grants; the 課's group holds grants' permissions, not this app's.
    def _may(self, request):
        return request.user.is_active and request.user.has_perm(access.DECIDE)

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return False  # what was sent is never edited; the clerk's steps are the two below

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/correction/",
                self.admin_site.admin_view(self.correction_view),
                name="offices_submission_correction",
            ),
            path("<int:pk>/accept/", self.admin_site.admin_view(self.accept_view), name="offices_submission_accept"),
            *super().get_urls(),
        ]

    def _submission(self, request, pk):
        access.require(request, access.DECIDE)
        return get_object_or_404(
            Submission.objects.select_related("organization", "fiscal_year", "receipt").filter(receipt__isnull=False),
            pk=pk,
        )

    def _context(self, request, submission, **extra):
        spec = KINDS.get(submission.kind)
        versions = []
        for version in submission.versions.prefetch_related("comments").order_by("-number"):
            form = spec.form(submission=submission, initial=version.data) if spec else None
            labels = dict(form.comment_fields()) if form else {}
            versions.append(
                {
                    "version": version,
                    "sent_at": _when(version.sent_at),
                    "rows": form.shown(version.data) if form else sorted(version.data.items()),
                    "totals": _totals(spec, submission, version.data),
                    "comments": [(labels.get(c.field, c.field), c.comment) for c in version.comments.all()],
                }
            )
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "submission": submission,
            "spec": spec,
            "versions": versions,
            "title": f"{submission.receipt} {submission.organization.name} {submission.get_kind_display()}",
            **extra,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The version sent, read only, with the earlier versions and the clerk's two steps."""
        if not self._may(request):
            raise PermissionDenied
        submission = get_object_or_404(self.get_queryset(request), pk=object_id)
        return TemplateResponse(request, "admin/offices/submission/detail.html", self._context(request, submission))

    def correction_view(self, request, pk):
        """補正を依頼する: a comment per field; the form goes back to the 事務局 with mail."""
        submission = self._submission(request, pk)
        spec = KINDS[submission.kind]
        posted = request.method == "POST" and submission.status == Submission.Status.SENT
        form, rows = comment_form(spec, submission, request.POST if posted else None)
        if posted and form.is_valid():
            comments = {name.removeprefix(COMMENT_PREFIX): text for name, text in form.cleaned_data.items() if text}
            try:
                submission_correction_request(submission=submission, comments=comments, by=request.user)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                _mail_correction(request, submission, len(comments))
                messages.success(request, "補正を依頼しました。事務局にメールでお知らせしました。")
                return redirect("admin:offices_submission_change", submission.pk)
        rows = [(key, label, value, form[name]) for key, label, value, name in rows]
        context = self._context(request, submission, form=form, rows=rows, title="補正を依頼する")
        return TemplateResponse(request, "admin/offices/submission/correction.html", context)

    def accept_view(self, request, pk):
        """受理して登録する: the kind's grants service records the version sent; its refusal is shown."""
        submission = self._submission(request, pk)
        refusals = []
        if request.method == "POST" and submission.status == Submission.Status.SENT:
            try:
                made = submission_accept(submission=submission, by=request.user)
            except ValidationError as error:
                refusals = error.messages
            else:
                messages.success(request, f"受理して登録しました: {made}")
                return redirect(_record_url(made) or reverse("admin:offices_submission_change", args=[submission.pk]))
        context = self._context(request, submission, refusals=refusals, title="受理して登録する")
        return TemplateResponse(request, "admin/offices/submission/accept.html", context)


def _when(moment):
    """令和8年12月8日（火） 10:10."""
    local = timezone.localtime(moment)
    return f"{wareki_with_weekday(local)} {local:%H:%M}"


def _record_url(made):
    """The admin page of the record a 受理 made, when the admin has one."""
    opts = made._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[made.pk])
    except NoReverseMatch:  # a record without an admin page of its own: back to the submission
        return None


def _totals(spec, submission, data):
    """The budget's totals of a version sent, when its kind has a budget and it is complete."""
    if spec is None:
        return None
    form = spec.form(data, submission=submission)
    form.is_valid()
    return form.budget_totals() if hasattr(form, "budget_totals") else None


def _mail_correction(request, submission, count):
    slug = submission.organization.slug
    link = request.build_absolute_uri(reverse("offices:form", kwargs={"slug": slug, "kind": submission.kind}))
    mail_members(
        submission.organization,
        f"{submission.fiscal_year.label} {submission.get_kind_display()}の補正のお願い（{submission.receipt.label}）",
        f"{submission.organization.name} 事務局の皆さま\n\n"
        f"{submission.fiscal_year.label}の{submission.get_kind_display()}（{submission.receipt}）について、"
        f"{count}件の補正をお願いします。\n"
        "事務局のページで各項目の下に補正の内容を表示しています。直してからもう一度提出してください。\n"
        f"{link}\n",
    )
