"""The 事務局's accounts, forms and page edits in the admin (総合政策課). Filled in by the pages that use them."""

from django.contrib import admin

from offices.admin_submissions import SubmissionAdmin
from offices.models import Submission

admin.site.register(Submission, SubmissionAdmin)
