"""The forms on the admin's confirmation pages of the approval workflow. The rules live in services.py."""

import re

from django import forms
from django.utils import timezone

from niimi_portal.lib.dates import WarekiDateField

# です・ます at the end of a sentence: 「ください」「です。」「ます。」「ません。」「でした。」「ました。」
POLITE_ENDING = re.compile(r"(ください|です|ます|ません|でした|ました)(?=[。\n]|$)")


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
        help_text=(
            "補正の求め通知書・取消の通知に記載する内容です。通知書に合わせ、である調で書きます"
            "（例: 活動区域の地図を添付すること。）。変更履歴に残り、公開ページには表示しません。"
        ),
    )

    def clean_reason(self):
        """The reason is printed in an official document, which is written in である調."""
        reason = self.cleaned_data["reason"]
        polite = POLITE_ENDING.search(reason)
        if polite:
            raise forms.ValidationError(
                f"通知書に記載するため、である調で書いてください（「{polite[0]}」→ 例:「…すること。」「…である。」）。"
            )
        return reason

    def __init__(self, *args, reason_label="理由", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = reason_label
        self.fields["reason"].error_messages["required"] = f"{reason_label}を入力してください。"


class RevokeForm(ReasonForm):
    """認可の取消し: the 取消日 and the 認可取消通知書's number beside the reason."""

    date = WarekiDateField(label="取消日", initial=_today)
    number = forms.CharField(
        label="認可取消通知書の文書番号",
        max_length=50,
        required=False,
        help_text="空欄なら文書番号簿の次の番号を取ります。紙の文書番号簿で取った番号があれば入力します。",
    )


FORMS = {
    "submit": (SubmitForm, {}),
    "approve": (ApproveForm, {}),
    "return": (ReasonForm, {"reason_label": "差戻しの理由"}),
    "refuse": (ReasonForm, {"reason_label": "不認可の理由"}),
    "revoke": (RevokeForm, {"reason_label": "取消の理由"}),
}


def transition_form(name, data=None):
    form_class, kwargs = FORMS[name]
    return form_class(data, **kwargs)
