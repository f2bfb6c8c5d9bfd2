"""The forms a 事務局 fills in (/office/<slug>/forms/<kind>/), laid out with crispy-forms for a phone.

A form's values are kept in `Submission.data` exactly as typed (strings, by field name), so a draft is
shown again as it was left, on any device; the form is bound to them only when it is sent (or accepted), and
what it checks before sending is its `clean()`. The 補正 comments of the clerk (offices.services.open_comments)
are shown beside the field they are about; a comment on `budget` is shown beside the 収支予算's totals, and one
on "" at the top.
"""

import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms

from grants.categories import BudgetCategory
from niimi_portal.lib.money import yen
from organizations.models import PlannedProject

BUDGET = "budget"  # the key of the 収支予算 as a whole (its balance), for errors and 補正 comments
WHOLE = ""  # a 補正 comment on the whole form
PROJECT_FIELD = re.compile(r"^project_(\d+)_(name|field|description|amount)$")
MAX_PROJECTS = 30


class YenField(forms.IntegerField):
    """Whole yen as a person types it on a phone: 全角 digits, 1,000,000 and a trailing 円 are taken."""

    def __init__(self, *, label, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": f"{label}は数字で入力してください（例: 120000）。",
                "min_value": f"{label}は0円以上で入力してください。",
                "required": f"{label}を入力してください（ない場合は0）。",
            },
        )
        super().__init__(label=f"{label}（円）", **kwargs)
        self.widget.input_type = "text"  # a number box drops what is not a number; a text box keeps it to correct
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).replace(",", "").replace("円", "").strip()
        return super().to_python(value)


def comment_html(name):
    """The place of the 補正 comments on field `name` (a field name made by the code, never typed)."""
    return HTML(f'{{% include "offices/forms/_comments.html" with texts=form.comment_for.{name} name="{name}" %}}')


class SubmissionForm(forms.Form):
    """A form of the 事務局 over Submission.data: `comments` ({field: [text]}) are the open 補正 comments."""

    kind_label = ""

    def __init__(self, *args, organization, fiscal_year, comments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fiscal_year = fiscal_year
        self.comment_for = {name or "whole": texts for name, texts in (comments or {}).items()}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        for name, field in self.fields.items():
            if name in self.comment_for:
                field.widget.attrs["aria-describedby"] = f"comment_{name}"

    @classmethod
    def data_from(cls, post):
        """What to keep of a POST: the values of the form's own fields, as typed."""
        return {key: post.get(key, "") for key in post if cls.keeps(key)}

    @classmethod
    def keeps(cls, key):
        return key in cls.base_fields

    def shown(self, data):
        """[(label, value as typed)] of `data` in the order of the form, for the clerk's read-only view."""
        return [(name, field.label, display_value(field, data.get(name, ""))) for name, field in self.fields.items()]

    def comment_fields(self):
        """[(key, label)] the clerk may comment on, in the order of the form."""
        return [(WHOLE, "書類全体"), *((name, field.label) for name, field in self.fields.items())]


def display_value(field, value):
    """A value as typed, shown the clerk's way: a choice by its label, an amount as 1,000,000円."""
    if isinstance(field, forms.ChoiceField):
        return dict(field.choices).get(value, value)
    if isinstance(field, YenField) and value not in ("", None):
        try:
            return yen(field.clean(value))
        except forms.ValidationError:
            return value
    return value


class ApplicationForm(SubmissionForm):
    """交付申請: the amount asked for, the 事業計画 (the annual plan's projects) and the 収支予算 by category, one
    事業費 line per project. Checked before sending: the rows are complete, there is a project, and the budget
    balances (支出 = 交付申請額 ＋ その他の収入). No attachment is required: this form is the 申請書 itself, and
    the 事業計画 and 収支予算 are its parts."""

    kind_label = "交付申請"
    amount_field = "requested_amount"
    amount_label = "交付申請額"

    requested_amount = YenField(label="交付申請額")
    personnel_amount = YenField(label="事務局人件費")
    operating_amount = YenField(label="運営経費")
    other_income_amount = YenField(label="その他の収入")
    other_income_label = forms.CharField(
        label="その他の収入の内訳", required=False, max_length=200, help_text="例: 会費、行事の参加費、寄付"
    )

    def __init__(self, *args, rows=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = max(1, min(rows, MAX_PROJECTS))
        for i in range(1, self.rows + 1):
            self.fields[f"project_{i}_name"] = forms.CharField(label=f"事業{i}の事業名", required=False, max_length=200)
            self.fields[f"project_{i}_field"] = forms.ChoiceField(
                label=f"事業{i}の分野", required=False, choices=[("", "選んでください"), *PlannedProject.Field.choices]
            )
            self.fields[f"project_{i}_description"] = forms.CharField(
                label=f"事業{i}の内容",
                required=False,
                max_length=300,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="300字以内で簡単に",
            )
            self.fields[f"project_{i}_amount"] = YenField(label=f"事業{i}の事業費", required=False)
        for name, field in self.fields.items():  # the fields made above came after the parent's loop
            if name in self.comment_for:
                field.widget.attrs["aria-describedby"] = f"comment_{name}"
        self.helper.layout = Layout(
            comment_html("whole"),
            HTML(
                '<p class="form-text">この入力が交付申請書になります。事業計画と収支予算もここに入力し、'
                "紙の申請書や添付書類は必要ありません。</p>"
            ),
            Fieldset("交付申請額", *with_comments(self, ["requested_amount"])),
            Fieldset(
                "事業計画と事業費",
                HTML('<p class="form-text">年度計画の事業を1件ずつ入力してください。事業費は収支予算の支出です。</p>'),
                *(
                    Div(
                        *with_comments(
                            self, [f"project_{i}_{part}" for part in ("name", "field", "description", "amount")]
                        ),
                        css_class="office-project border rounded p-2 mb-3",
                    )
                    for i in range(1, self.rows + 1)
                ),
            ),
            Fieldset(
                "収支予算（そのほかの支出と収入）",
                *with_comments(
                    self, ["personnel_amount", "operating_amount", "other_income_amount", "other_income_label"]
                ),
                HTML('{% include "offices/forms/_budget_totals.html" %}'),
            ),
        )

    @classmethod
    def keeps(cls, key):
        return key in cls.base_fields or bool(PROJECT_FIELD.match(key))

    @staticmethod
    def rows_in(data):
        """How many project rows `data` holds (at least 1)."""
        numbers = [int(m.group(1)) for m in map(PROJECT_FIELD.match, data or {}) if m]
        return max(numbers, default=1)

    def projects(self):
        """[(row number, name, field, description, amount)] of the rows filled in (cleaned)."""
        rows = []
        for i in range(1, self.rows + 1):
            values = [
                self.cleaned_data.get(f"project_{i}_{part}") for part in ("name", "field", "description", "amount")
            ]
            if any(value not in (None, "") for value in values):
                rows.append((i, *values))
        return rows

    def clean(self):
        cleaned = super().clean()
        projects = self.projects()
        for i, name, field, _description, amount in projects:
            if not name:
                self.add_error(f"project_{i}_name", f"事業{i}の事業名を入力してください。")
            if not field:
                self.add_error(f"project_{i}_field", f"事業{i}の分野を選んでください。")
            if amount is None and f"project_{i}_amount" not in self.errors:
                self.add_error(f"project_{i}_amount", f"事業{i}の事業費を入力してください（ない場合は0）。")
        if not projects:
            self.add_error("project_1_name", "事業計画に事業を1件以上入力してください。")
        totals = self.budget_totals()
        if totals and totals["expenses"] != totals["income"]:
            self.budget_refusal = (
                f"収支予算の収支が均衡していません。支出 {yen(totals['expenses'])}、収入 {yen(totals['income'])}"
                f"（交付申請額 {yen(totals['requested'])} ＋ その他の収入 {yen(totals['other_income'])}）。"
                "支出の合計と収入の合計が同じになるよう直してください。"
            )
            self.add_error(None, "収支予算の収支が均衡していません（収支予算の欄をご覧ください）。")
        return cleaned

    budget_refusal = ""

    def budget_totals(self):
        """The totals of the budget as cleaned so far, or None while an amount is missing or wrong."""
        data = getattr(self, "cleaned_data", None)
        if data is None:
            return None
        amounts = [data.get(name) for name in ("requested_amount", "personnel_amount", "operating_amount")]
        other = data.get("other_income_amount")
        project_amounts = [row[4] for row in self.projects()]
        if None in amounts or other is None or None in project_amounts:
            return None
        requested, personnel, operating = amounts
        projects = sum(project_amounts)
        return {
            "requested": requested,
            "other_income": other,
            "personnel": personnel,
            "operating": operating,
            "projects": projects,
            "expenses": personnel + operating + projects,
            "income": requested + other,
            "balances": True,
        }

    def budget(self):
        """The 収支予算 of a valid form as grants.applications.application_record takes it, the 事業費 lines
        naming the project by its row: [(category, row number or None, label, yen)]."""
        data = self.cleaned_data
        lines = [
            (BudgetCategory.PERSONNEL, None, "", data["personnel_amount"]),
            (BudgetCategory.OPERATING, None, "", data["operating_amount"]),
        ]
        lines += [(BudgetCategory.PROJECT, i, name, amount) for i, name, _f, _d, amount in self.projects()]
        lines.append((BudgetCategory.OTHER_INCOME, None, data["other_income_label"], data["other_income_amount"]))
        return lines

    def comment_fields(self):
        fields = super().comment_fields()
        return [*fields[:1], (BUDGET, "収支予算の収支（合計）"), *fields[1:]]


def with_comments(form, names):
    """Each field, followed by the clerk's 補正 comments on it when there are any."""
    items = []
    for name in names:
        items.append(Field(name))
        if name in form.comment_for:
            items.append(comment_html(name))
    return items


# -- the forms about a 交付決定: 変更申請, 請求, 実績報告 ------------------------------------------------------


def decision_of(organization, fiscal_year):
    """The organization's 交付決定 of the year, or None."""
    from grants.models import GrantDecision

    return GrantDecision.objects.filter(organization=organization, fiscal_year=fiscal_year).first()


class DecisionForm(SubmissionForm):
    """A form about the year's 交付決定: refused before sending when there is none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision_of(self.organization, self.fiscal_year)
        self.projects_of_plan = []
        if self.decision is not None:
            from grants.services import planned_projects_for

            self.projects_of_plan = planned_projects_for(self.decision)

    def clean(self):
        cleaned = super().clean()
        if self.decision is None:
            raise forms.ValidationError(f"{self.fiscal_year.label}の交付決定がまだないため、提出できません。")
        return cleaned


class PlanBudgetForm(DecisionForm):
    """The 収支予算 (or 収支決算) by category against the annual plan: 事務局人件費, 運営経費, a 事業費 per project of
    the plan, その他の収入. `amount_field` is the amount the income side adds to その他の収入 (None: no balance)."""

    amount_field = None
    amount_label = ""
    budget_heading = "収支予算"
    # The income's other part: shown beside the totals ("変更後の額 ＋ その他の収入").

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["personnel_amount"] = YenField(label="事務局人件費")
        self.fields["operating_amount"] = YenField(label="運営経費")
        for project in self.projects_of_plan:
            self.fields[f"project_{project.pk}_amount"] = YenField(label=f"事業費: {project.name}")
        self.fields["other_income_amount"] = YenField(label="その他の収入")
        self.fields["other_income_label"] = forms.CharField(
            label="その他の収入の内訳", required=False, max_length=200, help_text="例: 会費、行事の参加費、寄付"
        )
        for name, field in self.fields.items():  # the fields made here came after SubmissionForm's loop
            if name in self.comment_for:
                field.widget.attrs["aria-describedby"] = f"comment_{name}"
        budget = [name for name in self.fields if name.endswith("_amount") or name == "other_income_label"]
        budget = [name for name in budget if name != self.amount_field]
        head = [name for name in self.fields if name not in budget]
        self.helper.layout = Layout(
            comment_html("whole"),
            Fieldset("", *with_comments(self, head)) if head else HTML(""),
            Fieldset(
                self.budget_heading,
                *with_comments(self, budget),
                HTML('{% include "offices/forms/_budget_totals.html" %}'),
            ),
        )

    @classmethod
    def keeps(cls, key):
        return (
            key in cls.base_fields
            or key
            in (
                "personnel_amount",
                "operating_amount",
                "other_income_amount",
                "other_income_label",
            )
            or bool(PROJECT_FIELD.match(key))
        )

    budget_refusal = ""

    def project_amounts(self):
        data = self.cleaned_data
        return {project: data.get(f"project_{project.pk}_amount") for project in self.projects_of_plan}

    def budget_totals(self):
        data = getattr(self, "cleaned_data", None)
        if data is None:
            return None
        names = ["personnel_amount", "operating_amount", "other_income_amount"]
        if self.amount_field:
            names.append(self.amount_field)
        values = [data.get(name) for name in names]
        projects = list(self.project_amounts().values())
        if None in values or None in projects:
            return None
        requested = data.get(self.amount_field) if self.amount_field else 0
        other = data["other_income_amount"]
        expenses = data["personnel_amount"] + data["operating_amount"] + sum(projects)
        return {
            "requested": requested,
            "other_income": other,
            "personnel": data["personnel_amount"],
            "operating": data["operating_amount"],
            "projects": sum(projects),
            "expenses": expenses,
            "income": requested + other,
            "balances": bool(self.amount_field),
        }

    def budget(self):
        data = self.cleaned_data
        return [
            (BudgetCategory.PERSONNEL, None, "", data["personnel_amount"]),
            (BudgetCategory.OPERATING, None, "", data["operating_amount"]),
            *((BudgetCategory.PROJECT, project, "", amount) for project, amount in self.project_amounts().items()),
            (BudgetCategory.OTHER_INCOME, None, data["other_income_label"], data["other_income_amount"]),
        ]

    def clean(self):
        cleaned = super().clean()
        totals = self.budget_totals()
        if self.amount_field and totals and totals["expenses"] != totals["income"]:
            self.budget_refusal = (
                f"{self.budget_heading}の収支が均衡していません。"
                f"支出 {yen(totals['expenses'])}、収入 {yen(totals['income'])}"
                f"（{self.amount_label} {yen(totals['requested'])} ＋ その他の収入 {yen(totals['other_income'])}）。"
                "支出の合計と収入の合計が同じになるよう直してください。"
            )
            self.add_error(
                None, f"{self.budget_heading}の収支が均衡していません（{self.budget_heading}の欄をご覧ください）。"
            )
        return cleaned

    def comment_fields(self):
        fields = super().comment_fields()
        return [*fields[:1], (BUDGET, f"{self.budget_heading}の収支（合計）"), *fields[1:]]


class ChangeRequestForm(PlanBudgetForm):
    """変更申請: the amount asked for after the change, why, and the revised 収支予算, which balances against it
    (grants.settlement.change_request_receive checks the same again on 受理)."""

    kind_label = "変更申請"
    amount_field = "requested_amount"
    amount_label = "変更後の額"
    budget_heading = "変更後の収支予算"

    requested_amount = YenField(label="変更後の交付申請額")
    reason = forms.CharField(
        label="変更の理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "変更の理由を入力してください。"},
    )

    def clean_requested_amount(self):
        amount = self.cleaned_data["requested_amount"]
        if self.decision is not None and amount == self.decision.amount:
            raise forms.ValidationError(f"変更後の額が今の交付決定額（{yen(self.decision.amount)}）と同じです。")
        return amount


class ReportForm(PlanBudgetForm):
    """実績報告 by category (as grants.services.decision_report takes it): what was spent on 事務局人件費,
    運営経費 and each project of the plan, and その他の収入. Receipts and photos are the submission's attachments."""

    kind_label = "実績報告"
    budget_heading = "収支決算（実際に使った額）"


class ClaimForm(DecisionForm):
    """請求: a 概算払 of an amount within what is decided and not yet claimed, or, after the 額の確定, the 精算払
    of what the 確定額 leaves unpaid."""

    kind_label = "請求"
    ADVANCE, FINAL = "advance", "final"

    claim_kind = forms.ChoiceField(
        label="請求の種類",
        choices=[(ADVANCE, "概算払（額の確定の前に受け取る）"), (FINAL, "精算払（額の確定の後、残りを受け取る）")],
        widget=forms.RadioSelect,
        error_messages={"required": "請求の種類を選んでください。"},
    )
    amount = YenField(
        label="請求額", required=False, help_text="概算払のときに入力してください。精算払の額は確定額から決まります。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        note = "交付決定がまだありません。"
        if self.decision is not None:
            note = (
                f"交付決定額 {yen(self.decision.amount)}、これまでの請求 {yen(self.decision.claimed_amount)}、"
                f"概算払で請求できる残り {yen(max(self.decision.amount - self.decision.claimed_amount, 0))}。"
            )
        self.helper.layout = Layout(
            comment_html("whole"),
            HTML(f'<p class="form-text">{note}</p>'),
            *with_comments(self, ["claim_kind", "amount"]),
        )

    def clean(self):
        cleaned = super().clean()
        decision, kind, amount = self.decision, cleaned.get("claim_kind"), cleaned.get("amount")
        if decision is None:
            return cleaned
        from grants.models import GrantDecision

        if kind == self.ADVANCE:
            if amount is None and "amount" not in self.errors:
                self.add_error("amount", "請求額を入力してください。")
            elif amount is not None and decision.claimed_amount + amount > decision.amount:
                left = max(decision.amount - decision.claimed_amount, 0)
                self.add_error(
                    "amount", f"請求額が交付決定額を超えます。概算払で請求できるのは残り{yen(left)}までです。"
                )
        elif kind == self.FINAL and decision.status != GrantDecision.Status.SETTLED:
            self.add_error("claim_kind", "精算払は額の確定の後に請求できます。")
        return cleaned
