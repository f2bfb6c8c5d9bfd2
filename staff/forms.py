"""Forms of the liaison workspace, laid out with crispy-forms (Bootstrap 5). Every error is in Japanese
and sits next to its field."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone

from niimi_portal.lib.dates import WarekiDateField
from niimi_portal.lib.uploads import HELP_TEXT, MultipleFileField
from niimi_portal.lib.wareki import wareki_date
from organizations.models import Organization
from staff.models import Meeting, NextStep, StageChange

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
COUNT_ERRORS = {"min_value": "0以上の人数を入力してください。", "invalid": "人数は半角数字で入力してください。"}


class MeetingForm(forms.ModelForm):
    attachments = MultipleFileField(
        label="添付ファイル",
        required=False,
        help_text=f"{HELP_TEXT}ファイルは担当の職員と総合政策課だけが見られます。",
    )
    propose_case = forms.BooleanField(
        label="この会議を取組事例として提案する",
        required=False,
        help_text="実施済の会議だけ提案できます。総合政策課が確認してから公開ページに載せます。内部記録は公開されません。",
    )
    case_title = forms.CharField(label="事例の題名", max_length=200, required=False)
    case_summary = forms.CharField(
        label="事例の要約（公開用）", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    case_body = forms.CharField(
        label="事例の本文（公開用）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="住民の方が読む文章です。個人名や内部の話し合いの内容は書かないでください。",
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "status",
            "date",
            "start_time",
            "end_time",
            "place",
            "attendees",
            "attendees_residents",
            "attendees_council",
            "attendees_coordinator",
            "attendees_city",
            "other_organizations",
            "agenda",
            "summary",
            "decisions",
            "is_public",
        ]
        widgets = {
            "start_time": TIME_WIDGET,
            "end_time": TIME_WIDGET,
            "status": forms.RadioSelect,
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"attendees": "参加者数（合計）"}
        help_texts = {
            "summary": "職員と総合政策課だけが読む記録です。公開ページには出ません。",
            "other_organizations": "例: 社会福祉協議会、民生委員協議会、小学校PTA",
            "is_public": "予定の会議を住民向けのお知らせに載せます（日時・場所・種類だけ）。",
        }
        error_messages = {
            **dict.fromkeys(
                ["attendees", "attendees_residents", "attendees_council", "attendees_coordinator", "attendees_city"],
                COUNT_ERRORS,
            ),
            # Said for each field rather than Django's 「このフィールドは必須です。」 (issue 31).
            "kind": {"required": "会議の種類を選んでください。"},
            "status": {"required": "「予定」か「実施済」かを選んでください（開催日が今日より後なら「予定」です）。"},
            "date": {"required": "開催日を入力してください（例: 令和8年4月1日）。"},
            "place": {"required": "場所を入力してください（例: 唐松公民館）。"},
        }

    BREAKDOWN = ["attendees_residents", "attendees_council", "attendees_coordinator", "attendees_city"]

    def __init__(self, *args, access, target, **kwargs):
        status_given = "status" in (kwargs.get("initial") or {})
        super().__init__(*args, **kwargs)
        self.access = access
        self.target = target
        self.already_proposed = bool(self.instance.pk) and self.instance.proposed_case_studies.exists()
        if self.instance.pk is None and not status_given:
            # No default: the model's 実施済 was taken unread for meetings still to come (issue 31). The liaison
            # chooses; a future date with 実施済 is refused in clean().
            self.initial["status"] = None
        for name in ["attendees", *self.BREAKDOWN]:
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.fields["kind"].choices = [("", "選んでください")] + list(Meeting.Kind.choices)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        case_fields = (
            [HTML('<p class="mb-0">この会議はすでに取組事例として提案済みです。</p>')]
            if self.already_proposed
            else ["propose_case", "case_title", "case_summary", "case_body"]
        )
        if self.already_proposed:
            for name in ["propose_case", "case_title", "case_summary", "case_body"]:
                del self.fields[name]
        self.helper.layout = Layout(
            Fieldset(
                "会議の概要",
                "kind",
                Field("status"),
                "date",
                Row(Column("start_time", css_class="col-6"), Column("end_time", css_class="col-6")),
                "place",
            ),
            Fieldset(
                "参加者",
                "attendees",
                HTML('<p class="form-text mt-0">内訳は分かる範囲で入力してください（任意）。</p>'),
                Row(
                    *[Column(name, css_class="col-6 col-md-3") for name in self.BREAKDOWN],
                ),
                "other_organizations",
            ),
            Fieldset("話し合いの内容", "agenda", "summary", "decisions", "is_public"),
            Fieldset("添付ファイル", "attachments"),
            Fieldset("取組事例として提案", *case_fields),
        )

    def clean_date(self):
        day = self.cleaned_data["date"]
        error = self.access.date_error(self.target, day)
        if error:
            raise ValidationError(error)
        return day

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "終了時刻は開始時刻より後の時刻にしてください。")
        total = data.get("attendees")
        parts = [data.get(name) for name in self.BREAKDOWN]
        if total is not None and not any(name in self.errors for name in self.BREAKDOWN):
            breakdown = sum(p for p in parts if p is not None)
            if breakdown > total:
                self.add_error("attendees", f"内訳の合計（{breakdown}人）が参加者数（{total}人）を超えています。")
        day = data.get("date")
        if data.get("status") == Meeting.Status.HELD and day and day > timezone.localdate():
            self.add_error("status", "開催日が未来の会議は「予定」にしてください。")
        if data.get("propose_case"):
            if data.get("status") != Meeting.Status.HELD:
                self.add_error("propose_case", "取組事例として提案できるのは実施済の会議だけです。")
            for name, label in [("case_title", "題名"), ("case_summary", "要約"), ("case_body", "本文")]:
                if not data.get(name):
                    self.add_error(name, f"事例として提案するときは、公開用の{label}を入力してください。")
        return data

    def save(self, commit=True):
        meeting = super().save(commit=False)
        if isinstance(self.target, Organization):
            meeting.organization = self.target
        else:
            meeting.region = self.target
        return meeting


class NextStepForm(forms.ModelForm):
    """One next step. A blank row is left out, so no field is marked required (*); a row begun must have all
    three of 内容, 担当 and 期限, each asked for beside its field."""

    NEEDED = {
        "description": "次の取組の内容を入力してください。",
        "owner": "担当（人・団体）を入力してください。",
        "due_date": "期限を入力してください。",
    }

    class Meta:
        model = NextStep
        fields = ["description", "owner", "due_date", "is_done"]
        labels = {"description": "次の取組の内容", "owner": "担当（人・団体）"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.NEEDED:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if any(data.get(name) for name in self.NEEDED) or any(name in self.errors for name in self.NEEDED):
            for name, message in self.NEEDED.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data


class BaseNextStepFormSet(BaseInlineFormSet):
    """Next steps of a meeting; each due date must be on or after the meeting's date."""

    def __init__(self, *args, meeting_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting_date = meeting_date
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        super().clean()
        if self.meeting_date is None:
            return
        for form in self.forms:
            due = form.cleaned_data.get("due_date") if form.has_changed() else None
            if due and due < self.meeting_date:
                form.add_error("due_date", "期限は会議の開催日と同じか、それより後の日付にしてください。")


# A meeting has a handful of next steps; the cap also stops a forged TOTAL_FORMS from making the
# page build and render thousands of forms (Django's own cap is 2,000).
MAX_NEXT_STEPS = 30

NextStepFormSet = inlineformset_factory(
    Meeting,
    NextStep,
    form=NextStepForm,
    formset=BaseNextStepFormSet,
    extra=2,
    can_delete=False,
    max_num=MAX_NEXT_STEPS,
    absolute_max=MAX_NEXT_STEPS,
    validate_max=True,
)


class MeetingFilterForm(forms.Form):
    target = forms.ChoiceField(label="組織・地域", required=False)
    kind = forms.ChoiceField(label="種類", required=False, choices=[("", "すべて")] + list(Meeting.Kind.choices))
    date_from = WarekiDateField(label="開催日（から）", required=False)
    date_to = WarekiDateField(label="開催日（まで）", required=False)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "すべて")] + [(key, str(t)) for key, t in targets]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("target", css_class="col-12 col-md-3"),
                Column("kind", css_class="col-12 col-md-3"),
                Column("date_from", css_class="col-6 col-md-3"),
                Column("date_to", css_class="col-6 col-md-3"),
            ),
            Div(Submit("filter", "絞り込む", css_class="btn-primary"), css_class="mb-3"),
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "「まで」の日付は「から」の日付と同じか、それより後にしてください。")
        return data


class StageChangeForm(forms.Form):
    to_stage = forms.TypedChoiceField(
        label="変更後の段階",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "変更後の段階を選んでください。"},
    )
    changed_on = WarekiDateField(label="変更日", error_messages={"required": "変更日を入力してください。"})
    evidence_meeting = forms.ModelChoiceField(
        label="根拠となる会議",
        queryset=Meeting.objects.none(),
        empty_label="選んでください",
        error_messages={"required": "根拠となる会議を選んでください。"},
    )
    note = forms.CharField(label="補足", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, access, organization, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        self.organization = organization
        self.fields["to_stage"].choices = [
            (value, label) for value, label in Organization.Stage.choices if value != organization.stage
        ]
        self.fields["evidence_meeting"].queryset = meetings
        self.fields["evidence_meeting"].label_from_instance = lambda m: (
            f"{wareki_date(m.date)} {m.get_kind_display()}（{m.place}）"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_to_stage(self):
        stage = self.cleaned_data["to_stage"]
        error = self.organization.proposal_error(stage) or StageChange.objects.pending_error(self.organization)
        if error:
            raise ValidationError(error)
        return stage

    def clean_changed_on(self):
        day = self.cleaned_data["changed_on"]
        if day > timezone.localdate():
            raise ValidationError("変更日に未来の日付は指定できません。")
        error = self.access.date_error(self.organization, day)
        if error:
            raise ValidationError(error)
        return day

    def clean(self):
        data = super().clean()
        day, meeting = data.get("changed_on"), data.get("evidence_meeting")
        if day and meeting and meeting.date > day:
            self.add_error("evidence_meeting", "根拠となる会議は、変更日かそれより前に開かれたものを選んでください。")
        return data


class AttachmentRemoveForm(forms.Form):
    """Why an attachment is removed: kept in the meeting's history."""

    reason = forms.CharField(
        label="削除する理由",
        max_length=60,
        error_messages={"required": "削除する理由を書いてください。"},
        help_text="会議記録の変更履歴に残ります（例: 別の会議の写真を誤って登録したため）。",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
