"""Which cached public pages a save in this app makes stale (niimi_portal/invalidation.py)."""

from library.models import LibraryDocument
from niimi_portal.invalidation import SEARCH, register

# The library's own pages are not cached; site search lists its documents.
register(LibraryDocument, tags=[SEARCH])
