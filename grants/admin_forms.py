"""Forms of the grants lifecycle steps in the admin. The rules themselves live in grants.services."""

from django import forms
from django.contrib.admin.widgets import AdminDateWidget

from niimi_portal.lib.dates import WarekiDateField
from niimi_portal.lib.uploads import MultipleFileField

# Amounts are stored in PositiveIntegerField columns; a larger figure must be refused by the form,
# not by the database (which would answer with an error page).
MAX_YEN = 2_147_483_647


def document_number_field(label):
    """An optional number typed from the 課's paper register; blank takes the register's next number."""
    return forms.CharField(
        label=label,
        max_length=100,
        required=False,
        help_text=(
            "空欄なら文書番号簿の次の番号を取ります。"
            "紙の文書番号簿で取った番号があれば入力します（例: 新総政第123号）。"
        ),
    )


class ChangeAmountForm(forms.Form):
    amount = forms.IntegerField(label="変更後の交付決定額（円）", min_value=0, max_value=MAX_YEN)
    reason = forms.CharField(label="変更の理由", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    changed_on = WarekiDateField(label="変更交付決定日", widget=AdminDateWidget)
    document_number = forms.CharField(
        label="変更交付決定通知書の文書番号（紙で決裁した場合）",
        max_length=100,
        required=False,
        help_text=(
            "空欄なら変更を起案し、決裁権者の決裁で交付決定額が変わり、文書番号簿の次の番号を取ります。"
            "紙で決裁し、紙の文書番号簿で取った番号があれば入力します（例: 新総政第123号）。その場で変更します。"
        ),
    )


class ReportForm(forms.Form):
    """実績報告 by the categories of the 収支予算: 事務局人件費, 運営経費, 事業費 per project of the annual
    plan, その他の収入; the report date and attachments."""

    reported_on = WarekiDateField(label="実績報告日", widget=AdminDateWidget)
    personnel = forms.IntegerField(label="事務局人件費の実績額（円）", min_value=0, max_value=MAX_YEN)
    operating = forms.IntegerField(label="運営経費の実績額（円）", min_value=0, max_value=MAX_YEN)
    other_income = forms.IntegerField(
        label="その他の収入（円）",
        min_value=0,
        max_value=MAX_YEN,
        help_text="会費・参加費・寄付など。額の確定で対象経費から差し引きます。",
    )
    attachments = MultipleFileField(label="添付ファイル（領収書・写真など）", required=False)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = projects
        attachments = self.fields.pop("attachments")
        income = self.fields.pop("other_income")
        for project in projects:
            self.fields[self.key(project)] = forms.IntegerField(
                label=f"事業費: {project.name}（{project.get_field_display()}、予算 {project.budget:,}円）"
                "の実績額（円）",
                min_value=0,
                max_value=MAX_YEN,
            )
        self.fields["other_income"] = income
        self.fields["attachments"] = attachments

    @staticmethod
    def key(project):
        return f"project_{project.pk}"

    def spending(self):
        return {project: self.cleaned_data[self.key(project)] for project in self.projects}


class SettleForm(forms.Form):
    settled_amount = forms.IntegerField(label="確定額（円）", min_value=0, max_value=MAX_YEN)
    settled_on = WarekiDateField(label="額の確定日", widget=AdminDateWidget)
    document_number = document_number_field("交付額確定通知書の文書番号")
