"""新年度の準備 in the admin: open a year from the last one, run the April rotation, check the
statistics, publish the roster. Reached from the 年度 list; the rules live in grants.new_year and
staff.rotation, the views here only show and submit them."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from grants import new_year
from grants.models import FiscalYear, GrantRule
from niimi_portal.lib.dates import WarekiDateField
from niimi_portal.lib.refusal import add_refusal
from niimi_portal.lib.wareki import default_grace_until, fiscal_year_label, wareki_date
from staff import rotation
from staff.models import LiaisonOfficer


class NewYearForm(forms.Form):
    year = forms.IntegerField(
        label="作成する年度（西暦の開始年）", min_value=2000, max_value=2100, help_text="例: 2027 なら令和9年度"
    )
    statistics_reference_date = WarekiDateField(
        label="統計基準日", widget=AdminDateWidget, help_text="交付額の算定に使う人口・世帯数の基準日"
    )
    previous_year_edit_until = WarekiDateField(
        label="前年度の記録を編集できる期限",
        widget=AdminDateWidget,
        required=False,
        help_text="4月1日を過ぎても、地域担当職員が前年度の会議記録を登録・変更できる最後の日。空欄なら4月30日です。",
    )
    application_due_on = WarekiDateField(label="交付申請の提出期限", widget=AdminDateWidget, required=False)
    report_due_on = WarekiDateField(label="実績報告の提出期限", widget=AdminDateWidget, required=False)
    copy_allocations = forms.BooleanField(
        label="前年度の既存補助金の配分を写す", required=False, help_text="写したあと、配分の一覧で金額を直せます。"
    )

    def __init__(self, *args, previous=None, **kwargs):
        """`previous`: last year (or None), whose 期限 the help texts name beside the carried dates."""
        super().__init__(*args, **kwargs)
        defaults = {"application_due_on": "4月30日", "report_due_on": "翌年度の4月30日"}
        for name in new_year.DUE_FIELDS:
            last = getattr(previous, name, None) if previous else None
            carried = (
                f"{previous.label}の{wareki_date(last)}の1年後の日（閉庁日なら次の開庁日）を写してあります。"
                if last
                else ""
            )
            self.fields[
                name
            ].help_text = f"{carried}空欄なら{defaults[name]}（閉庁日なら次の開庁日）とします（要確認）。"


class GrantRuleCopyForm(forms.ModelForm):
    """The 交付基準 of the new year, filled with last year's. Every field of GrantRule but the year, so a
    field added to the rule later comes along without touching this form."""

    class Meta:
        model = GrantRule
        fields = [f.name for f in GrantRule._meta.concrete_fields if f.editable and f.name not in ("id", "fiscal_year")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The database's check, said beside the field rather than above the form.
        self.fields["rounding_unit"].validators.append(
            MinValueValidator(1, message="端数処理の単位は1円以上にしてください。")
        )


class PublishForm(forms.Form):
    published_on = WarekiDateField(
        label="名簿の公開日", widget=AdminDateWidget, help_text="この日から住民向けのページにこの年度の名簿を載せます。"
    )


class RotationForm(forms.Form):
    """One group of fields per pending row of last year: what happens to it, and the new year's 所属/職名."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = [row for row in rows if row.pending]
        officers = LiaisonOfficer.objects.filter(is_active=True).order_by("name_kana")
        for row in self.rows:
            name = f"{row.source.target}（{row.source.get_role_display()}）"
            self.fields[f"{row.key}-action"] = forms.ChoiceField(
                label=f"{name}の新年度", choices=rotation.ACTIONS, initial=rotation.CARRY
            )
            self.fields[f"{row.key}-officer"] = forms.ModelChoiceField(
                label=f"{name}の替える先の職員", queryset=officers, required=False, empty_label="（替えるときに選ぶ）"
            )
            self.fields[f"{row.key}-department"] = forms.CharField(
                label=f"{name}の新年度の所属", max_length=100, required=False
            )
            self.fields[f"{row.key}-title"] = forms.CharField(
                label=f"{name}の新年度の職名", max_length=50, required=False
            )

    def table(self):
        """The rows with their bound fields, for the template."""
        return [
            {
                "row": row,
                "fields": [self[f"{row.key}-{part}"] for part in ("action", "officer", "department", "title")],
            }
            for row in self.rows
        ]

    def decisions(self):
        data = self.cleaned_data
        return [
            {
                "row": row,
                "action": data[f"{row.key}-action"],
                "officer": data.get(f"{row.key}-officer"),
                "department": data.get(f"{row.key}-department", ""),
                "title": data.get(f"{row.key}-title", ""),
            }
            for row in self.rows
        ]


class NewcomerForm(forms.Form):
    """A newcomer to register from the rotation (転入・新規採用), to give last year's assignments to."""

    name = forms.CharField(label="新しい職員の氏名", max_length=100)
    name_kana = forms.CharField(label="よみ（ひらがな）", max_length=200)
    department = forms.CharField(label="所属", max_length=100)
    title = forms.CharField(label="職名", max_length=50, required=False)


def _context(modeladmin, request, title, **extra):
    return {**modeladmin.admin_site.each_context(request), "opts": modeladmin.opts, "title": title, **extra}


def new_year_view(modeladmin, request):
    """Create the year: its dates, last year's 交付基準 to edit, and whether to copy the allocations."""
    new_year.require_prepare(request)
    year = new_year.next_year()
    if request.method == "POST" and request.POST.get("year", "").isdigit():
        year = int(request.POST["year"])
    previous = new_year.previous_rule(year)
    rule_initial = model_to_dict(previous, exclude=["id", "fiscal_year"]) if previous else {}
    if previous:
        rule_initial["is_demo"] = previous.is_demo
    initial = {
        "year": year,
        "statistics_reference_date": datetime.date(year, 4, 1),
        "previous_year_edit_until": default_grace_until(year),
        "copy_allocations": True,
        **new_year.carried_due_dates(year),
    }
    data = request.POST if request.method == "POST" else None
    form = NewYearForm(data, initial=initial, previous=FiscalYear.objects.filter(year=year - 1).first())
    rule_form = GrantRuleCopyForm(data, initial=rule_initial, prefix="rule")
    if data is not None and form.is_valid() & rule_form.is_valid():
        try:
            fiscal_year = new_year.year_open(**form.cleaned_data, rule=rule_form.instance, by=request.user)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            modeladmin.message_user(
                request, f"{fiscal_year.label}を作成しました。続けて担当の引継ぎと統計の確認をしてください。"
            )
            return redirect("admin:grants_fiscalyear_prepare", fiscal_year.pk)
    context = _context(
        modeladmin,
        request,
        "新年度の準備: 年度の作成",
        form=form,
        rule_form=rule_form,
        previous_rule=previous,
        previous_label=fiscal_year_label(year - 1),
        media=modeladmin.media + form.media,
    )
    return TemplateResponse(request, "admin/grants/fiscalyear/new_year.html", context)


def prepare_view(modeladmin, request, pk):
    """The year's checklist: rule, allocations, assignments, statistics, the roster's publication."""
    new_year.require_prepare(request)
    fiscal_year = get_object_or_404(FiscalYear, pk=pk)
    publish_form = PublishForm(initial={"published_on": max(timezone.localdate(), fiscal_year.starts_on)})
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "allocations":
            made = new_year.allocations_copy(fiscal_year=fiscal_year, by=request.user)
            modeladmin.message_user(request, f"前年度の配分を{made}件写しました。")
            return redirect(request.path)
        if step == "publish":
            publish_form = PublishForm(request.POST)
            if publish_form.is_valid():
                try:
                    new_year.roster_publish(
                        fiscal_year=fiscal_year, published_on=publish_form.cleaned_data["published_on"]
                    )
                except ValidationError as error:
                    add_refusal(publish_form, error)
                else:
                    modeladmin.message_user(request, f"{fiscal_year.label}の地域担当職員名簿の公開日を登録しました。")
                    return redirect(request.path)
    context = _context(
        modeladmin,
        request,
        f"新年度の準備: {fiscal_year.label}",
        fiscal_year=fiscal_year,
        check=new_year.checklist(fiscal_year),
        publish_form=publish_form,
        today=timezone.localdate(),
        media=modeladmin.media + publish_form.media,
    )
    return TemplateResponse(request, "admin/grants/fiscalyear/prepare.html", context)


def rotation_view(modeladmin, request, pk):
    """4月の担当替え: last year's assignments, each carried over, given to another officer, or ended. A
    newcomer is registered on the same page (the 「新しい職員を登録」 button of the same form): the choices
    made so far in the table are shown again as they were, with the newcomer among the officers."""
    new_year.require_prepare(request)
    fiscal_year = get_object_or_404(FiscalYear, pk=pk)
    previous = FiscalYear.objects.filter(year=fiscal_year.year - 1).first()
    rows = rotation.rotation_rows(previous=previous, fiscal_year=fiscal_year) if previous else []
    may_add = request.user.has_perm("staff.add_liaisonofficer")
    newcomer = NewcomerForm(prefix="newcomer")
    if request.method == "POST" and request.POST.get("step") == "newcomer":
        if not may_add:
            raise PermissionDenied
        newcomer = NewcomerForm(request.POST, prefix="newcomer")
        if newcomer.is_valid():
            try:
                officer = rotation.officer_add(**newcomer.cleaned_data)
            except ValidationError as error:
                add_refusal(newcomer, error)
            else:
                modeladmin.message_user(
                    request,
                    f"職員「{officer.name}」を登録しました。表の「替える先の職員」から選べます。",
                    messages.SUCCESS,
                )
                newcomer = NewcomerForm(prefix="newcomer")
        # The table as the clerk left it, unbound: nothing in it is checked or saved by this button.
        form = RotationForm(initial=request.POST.dict(), rows=rows)
    elif request.method == "POST" and may_add and _newcomer_typed(request.POST):
        # A newcomer typed but not registered would be lost by the table's button: say so, save nothing.
        newcomer = NewcomerForm(request.POST, prefix="newcomer")
        newcomer.add_error(
            None, "新しい職員を入力したまま、担当の登録を押しました。先に「この職員を登録する」を押してください。"
        )
        form = RotationForm(initial=request.POST.dict(), rows=rows)
    else:
        form = RotationForm(request.POST if request.method == "POST" else None, rows=rows)
        if request.method == "POST" and form.is_valid():
            try:
                outcome = rotation.assignments_rotate(fiscal_year=fiscal_year, decisions=form.decisions())
            except ValidationError as error:
                add_refusal(form, error)
            else:
                modeladmin.message_user(request, _rotation_message(fiscal_year, outcome), messages.SUCCESS)
                return redirect("admin:grants_fiscalyear_rotation", fiscal_year.pk)
    context = _context(
        modeladmin,
        request,
        f"新年度の準備: {fiscal_year.label}の担当替え",
        fiscal_year=fiscal_year,
        previous=previous,
        rows=rows,
        done=[row for row in rows if not row.pending],
        form=form,
        table=form.table(),
        newcomer=newcomer if may_add else None,
    )
    return TemplateResponse(request, "admin/grants/fiscalyear/rotation.html", context)


def _newcomer_typed(data):
    return any(data.get(f"newcomer-{name}", "").strip() for name in NewcomerForm.base_fields)


def _rotation_message(fiscal_year, outcome):
    made, ended = len(outcome.made), len(outcome.ended)
    if made and ended:
        return f"{fiscal_year.label}の担当を{made}件登録し、{ended}件を終えました。"
    if ended:
        return f"前年度の担当{ended}件を終えました（{fiscal_year.label}の担当は登録していません）。"
    return f"{fiscal_year.label}の担当を{made}件登録しました。"
