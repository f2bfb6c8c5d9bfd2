"""`manage.py remove_orphan_uploads`: a file under MEDIA_ROOT that no row names (a write that never committed:
a lost connection, a worker killed with kill -9) is deleted once it is older than the grace period; files
with their rows, and young files whose upload may still be in flight, stay."""

import os
import time

import pytest
from django.core.management import call_command

from tests.staff.conftest import media_files

pytestmark = pytest.mark.django_db


def orphan(settings, name, *, age_minutes):
    path = settings.MEDIA_ROOT / "meeting-attachments" / "2026" / "11" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 left behind")
    then = time.time() - age_minutes * 60
    os.utime(path, (then, then))
    return path


def test_only_old_files_without_a_row_are_removed(settings, attachment, capsys):
    kept = settings.MEDIA_ROOT / attachment.file.name
    os.utime(kept, (time.time() - 7200, time.time() - 7200))  # old, but its row names it
    old = orphan(settings, "old.pdf", age_minutes=61)
    young = orphan(settings, "young.pdf", age_minutes=5)

    call_command("remove_orphan_uploads")

    assert media_files(settings) == sorted([kept, young])
    assert "参照されていないファイル 1 件を削除しました。" in capsys.readouterr().out
    assert not old.exists()


def test_dry_run_lists_and_deletes_nothing(settings, attachment, capsys):
    old = orphan(settings, "old.pdf", age_minutes=120)

    call_command("remove_orphan_uploads", "--dry-run")

    out = capsys.readouterr().out
    assert "meeting-attachments/2026/11/old.pdf" in out
    assert "1 件を削除します（試行）" in out
    assert old.exists()
