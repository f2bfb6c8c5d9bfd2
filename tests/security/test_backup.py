"""`make backup` / `make restore` (django-dbbackup): a demo database with an uploaded file is dumped,
restored into an empty database and media folder, and every table and file comes back."""

import json
import shutil

from tests.production import PostgresDatabase, manage, on_postgres, production_env

COUNT_ROWS = (
    "import json; from django.apps import apps; "
    "print(json.dumps({m._meta.label: m.objects.count() for m in apps.get_models()}))"
)
ADD_ATTACHMENT = """
from django.core.files.base import ContentFile
from staff.models import Meeting, MeetingAttachment
meeting = Meeting.objects.first()
attachment = MeetingAttachment(meeting=meeting, original_name="議事録.pdf", content_type="application/pdf",
                               size=20, uploaded_by=meeting.author)
attachment.file.save("minutes.pdf", ContentFile(b"%PDF-1.4 demo minutes"), save=True)
print(attachment.file.name)
"""


def counts(env):
    return json.loads(manage(env, "shell", "-c", COUNT_ROWS).strip().splitlines()[-1])


def test_backup_restores_every_row_and_uploaded_file_into_an_empty_database(tmp_path):
    databases = [PostgresDatabase("niimi_backup"), PostgresDatabase("niimi_restore")] if on_postgres() else None
    try:
        urls = [d.url() for d in databases] if databases else [f"sqlite:///{tmp_path / n}" for n in ("a.db", "b.db")]
        source = production_env(tmp_path, urls[0], DJANGO_MEDIA_ROOT=str(tmp_path / "media-a"))
        manage(source, "migrate", "--noinput")
        manage(source, "loaddemo", "--allow-production")
        stored_name = manage(source, "shell", "-c", ADD_ATTACHMENT).strip().splitlines()[-1]
        before = counts(source)
        assert before["staff.MeetingAttachment"] == 1
        assert before["organizations.Organization"] >= 8

        manage(source, "dbbackup", "--noinput", "-o", "portal.dump")
        manage(source, "mediabackup", "--noinput", "-o", "media.tar")
        assert (tmp_path / "backups" / "portal.dump").stat().st_size > 0

        target = production_env(tmp_path, urls[1], DJANGO_MEDIA_ROOT=str(tmp_path / "media-b"))
        manage(target, "dbrestore", "--noinput", "-i", "portal.dump")
        manage(target, "mediarestore", "--noinput", "-i", "media.tar")

        assert counts(target) == before
        restored = tmp_path / "media-b" / stored_name
        assert restored.read_bytes() == b"%PDF-1.4 demo minutes"
    finally:
        for database in databases or []:
            database.drop()
        shutil.rmtree(tmp_path / "backups", ignore_errors=True)
