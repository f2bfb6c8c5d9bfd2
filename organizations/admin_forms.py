"""The forms on the admin's confirmation pages of the approval workflow. The rules live in services.py."""

from django import forms
from django.utils import timezone

from niimi_portal.lib.dates import WarekiDateField


def _today():
    return timezone.localdate()


class SubmitForm(forms.Form):
    date = WarekiDateField(label="申請日", initial=_today)


class ApproveForm(forms.Form):
    number = forms.CharField(
        label="認可番号",
        max_length=50,
        required=False,
        help_text=(
            "空欄なら文書番号簿の次の番号を取ります。紙の文書番号簿ですでに番号を取ったときは、"
            "その番号（例: 新総政第123号）を入力します。"
        ),
    )
    date = WarekiDateField(label="認可日", initial=_today)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="差戻し通知書・取消の通知に記載する内容です。変更履歴に残り、公開ページには表示しません。",
    )

    def __init__(self, *args, reason_label="理由", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = reason_label
        self.fields["reason"].error_messages["required"] = f"{reason_label}を入力してください。"


FORMS = {
    "submit": (SubmitForm, {}),
    "approve": (ApproveForm, {}),
    "return": (ReasonForm, {"reason_label": "差戻しの理由"}),
    "revoke": (ReasonForm, {"reason_label": "取消の理由"}),
}


def transition_form(name, data=None):
    form_class, kwargs = FORMS[name]
    return form_class(data, **kwargs)
