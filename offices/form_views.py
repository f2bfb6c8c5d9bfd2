"""The 事務局's forms of the grant year (/office/<slug>/forms/<kind>/): a draft kept on the server as they type,
last year's entries offered to carry over, the checks before sending, the 受付番号 and the 補正.

Views stay thin: the form (what is checked) is the kind's (offices.kinds), the changes are offices.services'.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grants.models import FiscalYear, Receipt
from niimi_portal.lib.refusal import add_refusal
from niimi_portal.lib.wareki import wareki_date
from offices.access import office_view, submission_for
from offices.attachments import size_label
from offices.forms import MAX_PROJECTS
from offices.kinds import KINDS, application_year
from offices.models import Submission
from offices.notify import mail_members
from offices.services import (
    attachments_required,
    open_comments,
    submission_draft_save,
    submission_find,
    submission_open,
    submission_send,
)

SIGNED_OUT = (
    "ログインの有効期限が切れたため、保存できませんでした。もう一度ログインしてください。"
    "入力中の内容はこの端末に残してあり、ログイン後にこのページを開くと戻ります。"
    "それまでに保存した下書きはサーバーにあり、どの端末からでも続きを入力できます。"
)


def _kind(kind):
    if kind not in KINDS:
        raise Http404("この書類はありません。")
    return KINDS[kind]


def _year(request, kind):
    """The fiscal year of the form: this year's, or next year's 交付申請 once this year's is on record."""
    year = FiscalYear.current()
    if year is None:
        raise Http404("今年度の受付はまだ始まっていません。")
    return application_year(request.office, year) if kind == Receipt.Kind.APPLICATION else year


def _accepted(request, kind):
    """This year's form of a once-a-year kind already accepted, or None."""
    if not KINDS[kind].once_a_year:
        return None
    return (
        Submission.objects.filter(
            organization=request.office, fiscal_year=_year(request, kind), kind=kind, status=Submission.Status.ACCEPTED
        )
        .select_related("receipt")
        .first()
    )


def _find(request, kind):
    """What a GET shows: the form in the making, or a new one not saved yet."""
    return submission_find(organization=request.office, fiscal_year=_year(request, kind), kind=kind)


def _open(request, kind):
    return submission_open(organization=request.office, fiscal_year=_year(request, kind), kind=kind, by=request.user)


def _urls(request, kind):
    slug = request.office.slug
    return {
        "form_url": reverse("offices:form", kwargs={"slug": slug, "kind": kind}),
        "draft_url": reverse("offices:form_draft", kwargs={"slug": slug, "kind": kind}),
        "carry_over_url": reverse("offices:form_carry_over", kwargs={"slug": slug, "kind": kind}),
    }


def _attachments(request, submission):
    """The link to the form's attachments page with how many files and how big (1 query)."""
    if submission.pk is None:  # not saved yet: files can be added once the draft is saved
        return {"url": None, "count": 0, "size": size_label(0), "required": attachments_required(submission)}
    totals = submission.attachments.aggregate(count=Count("id"), size=Sum("size"))
    return {
        "url": reverse("offices:submission_attachments", kwargs={"slug": request.office.slug, "pk": submission.pk}),
        "count": totals["count"],
        "size": size_label(totals["size"] or 0),
        "required": attachments_required(submission),
    }


def _page(request, kind, submission, form, *, status=200):
    spec = KINDS[kind]
    context = {
        "attachments": _attachments(request, submission),
        "organization": request.office,
        "submission": submission,
        "spec": spec,
        "kind": kind,
        "form": form,
        "comments": open_comments(submission),
        "can_carry_over": submission.is_editable,
        "submission_rows": form.shown(submission.data or {}),
        **_urls(request, kind),
    }
    return render(request, "offices/forms/form.html", context, status=status)


@office_view
def form_page(request, kind):
    """The form of this year: GET shows the draft (or what was sent); POST sends it (action=send) or adds a
    project row (action=add_row), keeping what was typed."""
    spec = _kind(kind)
    accepted = _accepted(request, kind)
    if accepted is not None:
        return render(
            request,
            "offices/forms/accepted.html",
            {"organization": request.office, "submission": accepted, "spec": spec},
        )
    if request.method != "POST":
        submission = _find(request, kind)
        comments = open_comments(submission)
        form = spec.form(submission=submission, comments=comments, initial=submission.data)
        return _page(request, kind, submission, form)
    submission = _open(request, kind)
    comments = open_comments(submission)
    if not submission.is_editable:
        messages.error(request, "この書類は提出済みのため、変更できません。")
        return redirect("offices:form", slug=request.office.slug, kind=kind)
    data = spec.form_class.data_from(request.POST)
    if request.POST.get("action") == "add_row":
        rows = spec.form_class.rows_in(data) if hasattr(spec.form_class, "rows_in") else 0
        if rows < MAX_PROJECTS:
            data[f"project_{rows + 1}_name"] = ""
        else:
            messages.error(request, f"事業は{MAX_PROJECTS}件まで入力できます。")
        submission_draft_save(submission=submission, data=data, by=request.user)
        form_url = reverse("offices:form", kwargs={"slug": request.office.slug, "kind": kind})
        return redirect(f"{form_url}#div_id_project_{min(rows + 1, MAX_PROJECTS)}_name")
    submission_draft_save(submission=submission, data=data, by=request.user)  # nothing typed is lost, sent or not
    form = spec.form(data, submission=submission, comments=comments)
    if not form.is_valid():
        return _page(request, kind, submission, form, status=422)
    try:
        version = submission_send(submission=submission, data=data, by=request.user)
    except ValidationError as error:
        add_refusal(form, error)
        return _page(request, kind, submission, form, status=422)
    submission.refresh_from_db()
    _mail_sent(submission, version)
    return redirect("offices:form_done", slug=request.office.slug, kind=kind, pk=submission.pk)


def _mail_sent(submission, version):
    receipt = submission.receipt
    sent = timezone.localtime(version.sent_at)
    resent = "（補正後の再提出）" if version.number > 1 else ""
    mail_members(
        submission.organization,
        f"{submission.fiscal_year.label} {submission.get_kind_display()}を受け付けました（{receipt.label}）",
        f"{submission.organization.name} 事務局の皆さま\n\n"
        f"{submission.fiscal_year.label}の{submission.get_kind_display()}{resent}を受け付けました。\n"
        f"受付番号: {receipt}\n"
        f"提出日時: {wareki_date(sent.date())} {sent:%H:%M}（第{version.number}版）\n\n"
        "総合政策課が内容を確認します。補正をお願いする場合は、改めてメールでお知らせします。\n"
        "提出した内容は事務局のページでいつでも確認できます。\n",
    )


def _signed_in_or_json(view):
    """A draft saved by the page's script while signed out answers 401 with what to do, in Japanese (the
    script keeps what was typed in the browser); a plain POST goes to sign in as any office page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and request.headers.get("X-Office-Draft"):
            return JsonResponse({"saved": False, "message": SIGNED_OUT}, status=401)
        return view(request, *args, **kwargs)

    return wrapped


@_signed_in_or_json
@office_view  # the access check first: another organization's address answers 404, even to a GET
@require_POST
def form_draft(request, kind):
    """Keep the draft as typed: from the page's script a second or two after typing stops (JSON answer), or
    from the 「下書きを保存」 button (back to the form)."""
    spec = _kind(kind)
    if _accepted(request, kind) is not None:
        raise Http404("この書類は受理済みです。")
    submission = _open(request, kind)
    from_script = bool(request.headers.get("X-Office-Draft"))
    try:
        submission_draft_save(submission=submission, data=spec.form_class.data_from(request.POST), by=request.user)
    except ValidationError as error:
        text = " ".join(error.messages)
        if from_script:
            return JsonResponse({"saved": False, "message": text}, status=409)
        messages.error(request, text)
        return redirect("offices:form", slug=request.office.slug, kind=kind)
    submission.refresh_from_db()
    saved = f"下書きを保存しました（{timezone.localtime(submission.saved_at):%H:%M}）"
    if from_script:
        return JsonResponse({"saved": True, "message": saved})
    messages.success(request, saved)
    return redirect("offices:form", slug=request.office.slug, kind=kind)


@office_view
def form_carry_over(request, kind):
    """「昨年度の内容を引き継ぐ」: fill the draft from last year's entries, into an empty draft at once, over
    what is typed only after the 事務局 confirms (GET shows what will happen; POST does it)."""
    spec = _kind(kind)
    submission = _open(request, kind) if request.method == "POST" else _find(request, kind)
    if not submission.is_editable:
        raise Http404("この書類は提出済みです。")
    data = spec.carry_over(request.office, submission.fiscal_year)
    has_entries = any(str(value).strip() for value in (submission.data or {}).values())
    context = {"organization": request.office, "spec": spec, "kind": kind, "found": bool(data), **_urls(request, kind)}
    if request.method != "POST" or (has_entries and request.POST.get("confirm") != "1"):
        return render(request, "offices/forms/carry_over.html", context)
    if not data:
        messages.error(request, "引き継げる昨年度の内容がありません。")
        return redirect("offices:form", slug=request.office.slug, kind=kind)
    submission_draft_save(submission=submission, data=data, by=request.user)
    messages.success(request, "昨年度の内容を下書きに入れました。今年度の内容に直してから提出してください。")
    return redirect("offices:form", slug=request.office.slug, kind=kind)


@office_view
def form_done(request, kind, pk):
    """After sending: the 受付番号 and what happens next."""
    spec = _kind(kind)
    submission = get_object_or_404(
        Submission.objects.select_related("receipt"), pk=submission_for(request, pk).pk, kind=kind
    )
    if submission.receipt_id is None:
        raise Http404("まだ提出されていません。")
    return render(
        request,
        "offices/forms/done.html",
        {"organization": request.office, "submission": submission, "spec": spec, "version": submission.latest_version},
    )
