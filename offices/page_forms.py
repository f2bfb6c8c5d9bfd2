"""The forms of the 事務局's public-page edits and attachments (offices.page_views)."""

from django import forms

from niimi_portal.lib.uploads import MultipleFileField, MultipleFileInput
from offices.models import ProfileEdit, SubmissionAttachment

# Phones open the camera or the photo library from this input; PDFs of scanned papers are taken too.
CAMERA_ACCEPT = "image/*,application/pdf"


class ProfileEditForm(forms.ModelForm):
    class Meta:
        model = ProfileEdit
        fields = ["description", "contact_phone", "contact_email", "plan_summary", "events"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "plan_summary": forms.Textarea(attrs={"rows": 4}),
            "events": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "description": "住民の皆さんに組織を紹介する文です。",
            "contact_phone": "新しい番号は、掲載の同意を総合政策課が記録してから公開されます。",
            "contact_email": "新しいアドレスは、掲載の同意を総合政策課が記録してから公開されます。",
            "plan_summary": "今年度の年度計画の概要です。",
            "events": "1行に1件（例: 令和8年12月6日 しめ縄づくり 唐松公民館）。終わった行事は消してください。",
        }


class AttachmentUploadForm(forms.Form):
    files = MultipleFileField(
        label="ファイル",
        widget=MultipleFileInput(attrs={"accept": CAMERA_ACCEPT}),
        help_text="写真（JPEG・PNG）かPDF、1ファイル10MBまで。複数まとめて選べます。スマートフォンではカメラで撮影できます。",
    )
    label = forms.CharField(
        label="説明（任意）",
        max_length=200,
        required=False,
        help_text=(
            "例: 領収書（しめ縄づくりの材料費）。まとめて選んだファイルに同じ説明が付きます。"
            "あとで1件ずつ変えられます。"
        ),
    )


class AttachmentLabelForm(forms.ModelForm):
    class Meta:
        model = SubmissionAttachment
        fields = ["label"]
