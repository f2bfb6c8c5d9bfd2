"""Delete uploaded files that no row refers to: what a write left behind when it did not commit.

An upload is written into MEDIA_ROOT before its row is inserted (the row must never point at a missing
file), inside the request's transaction. When that transaction does not commit — the database connection
is lost, the worker is killed with `kill -9`, a later step is refused — the row is gone but the file stays.
This command removes such files: every file under MEDIA_ROOT that no FileField of any model names, older
than `--older-than` minutes (default 60, so an upload still in flight is never touched). Run by
deploy/systemd/niimi-portal-retention.service; `--dry-run` lists and deletes nothing.
"""

import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models


def referenced_names():
    """Every file name stored in a FileField (ImageField included) of every installed model."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.concrete:
                names.update(
                    model._meta.default_manager.exclude(**{field.name: ""})
                    .exclude(**{f"{field.name}__isnull": True})
                    .values_list(field.name, flat=True)
                )
    return names


def orphan_files(*, older_than_seconds):
    """Paths under MEDIA_ROOT that no row names and that were last written more than `older_than_seconds` ago."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    # Names are read after the walk's cut-off: a file whose row commits meanwhile is younger than the cut-off.
    cutoff = time.time() - older_than_seconds
    candidates = [path for path in root.rglob("*") if path.is_file() and path.stat().st_mtime <= cutoff]
    names = referenced_names()
    return sorted(path for path in candidates if path.relative_to(root).as_posix() not in names)


class Command(BaseCommand):
    help = "どの記録からも参照されていないアップロードファイル（保存が完了しなかった書き込みの残り）を削除します。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, default=60, help="この分数より前に書かれたファイルだけを対象にします（既定 60）"
        )
        parser.add_argument("--dry-run", action="store_true", help="一覧だけを出し、何も削除しません")

    def handle(self, *args, older_than=60, dry_run=False, **options):
        orphans = orphan_files(older_than_seconds=older_than * 60)
        for path in orphans:
            if not dry_run:
                path.unlink(missing_ok=True)
            self.stdout.write(f"  {path.relative_to(Path(settings.MEDIA_ROOT)).as_posix()}")
        verb = "削除します（試行）" if dry_run else "削除しました"
        self.stdout.write(f"参照されていないファイル {len(orphans)} 件を{verb}。")
