"""Which cached public pages a save in this app makes stale: the one place its rules are declared
(niimi_portal/lib/page_tags.py)."""

from library.models import LibraryDocument
from niimi_portal.lib.page_tags import SEARCH, register

# The library's own pages are not cached; site search lists its documents.
register(LibraryDocument, tags=[SEARCH])
