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
    if isinstance(field, forms.ChoiceField):
        return dict(field.choices).get(value, value)
    return value


class ApplicationForm(SubmissionForm):
    """交付申請: the amount asked for, the 事業計画 (the annual plan's projects) and the 収支予算 by category, one
    事業費 line per project. Checked before sending: the rows are complete, there is a project, and the budget
    balances (支出 = 交付申請額 ＋ その他の収入). No attachment is required: this form is the 申請書 itself, and
    the 事業計画 and 収支予算 are its parts."""

    kind_label = "交付申請"

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
