"""The 事務局's accounts, forms and page edits in the admin (総合政策課). Filled in by the pages that use them."""

from offices import admin_profile  # noqa: F401  (公開ページの変更の提案: registers ProfileEditAdmin)
