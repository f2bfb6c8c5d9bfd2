"""The admin's Japanese catalog is built from niimi_portal/locale/ja/LC_MESSAGES/django.po by `make venv`
(msgfmt), not committed: the built .mo must be there and say what the .po says."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "niimi_portal/locale/ja/LC_MESSAGES/django.po"


def po_entries():
    """(msgid, msgstr) of the .po's single-line entries, read the plain way."""
    entries, msgid = [], None
    for line in PO.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            msgid = line[len("msgid ") :].strip('"')
        elif line.startswith("msgstr ") and msgid:
            entries.append((msgid, line[len("msgstr ") :].strip('"')))
            msgid = None
    return entries


def test_the_built_catalog_is_there_and_not_in_git():
    assert PO.with_suffix(".mo").exists(), "make venv builds the .mo from the .po"
    assert "*.mo" in (Path(settings.BASE_DIR) / ".gitignore").read_text()


def test_every_entry_of_the_po_is_what_the_admin_reads():
    entries = po_entries()
    assert len(entries) >= 5
    with translation.override("ja"):
        for msgid, msgstr in entries:
            assert translation.gettext(msgid) == msgstr, msgid


def test_the_admin_header_names_the_person_signed_in_not_the_login(client, policy_officer, db):
    from tests.helpers import login

    policy_officer.last_name, policy_officer.first_name = "新見", "花子"
    policy_officer.save()
    html = login(client, policy_officer).get("/admin/").content.decode()
    assert "ログイン中: <strong>新見 花子</strong>" in html
    assert "ようこそ" not in html and "<strong>seisaku</strong>." not in html
