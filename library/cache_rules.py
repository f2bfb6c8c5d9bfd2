"""Which cached public pages a save in this app makes stale: the one place its rules are declared
(niimi_portal/lib/page_tags.py)."""

from library.models import LibraryDocument
from niimi_portal.lib.page_tags import FAQ_PAGE, LIBRARY, SEARCH, register

# The library's own pages are not cached (LIBRARY dates the 資料室's 更新日); site search lists its documents
# and the FAQ names a document as the source of an answer (its title and link, shown only while it is published).
register(LibraryDocument, tags=[LIBRARY, SEARCH, FAQ_PAGE])
