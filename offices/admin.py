"""The 事務局's accounts, forms and page edits in the admin (総合政策課). Filled in by the pages that use them."""

from offices import admin_members  # noqa: F401 — registers the 事務局's accounts and the organization's page
