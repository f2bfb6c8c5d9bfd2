"""The 事務局's accounts, forms and page edits in the admin (総合政策課)."""

from django.contrib import admin

from offices import (
    admin_members,  # noqa: F401 — registers the 事務局's accounts and the organization's page
    admin_profile,  # noqa: F401 — 公開ページの変更の提案 (ProfileEditAdmin)
)
from offices.admin_submissions import SubmissionAdmin
from offices.models import Submission

admin.site.register(Submission, SubmissionAdmin)
