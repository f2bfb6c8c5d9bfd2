"""Public Django APIs only: no module of the project (tests aside) imports Django's SQL compiler or a
database backend's internals, swaps an object's class, or reads or writes the private attributes of
querysets, model instances and connections. The next Django release may change any of them silently."""

import ast
from pathlib import Path

from django.conf import settings

# Modules of Django's query compiler and of the database backends' implementation.
PRIVATE_MODULES = ("django.db.models.sql",)
BACKEND_INTERNALS = ("base", "operations", "utils", "features", "introspection", "schema", "creation", "client")
# Attributes Django keeps for itself (querysets, instances, connections): read or written, by name or
# through getattr()/setattr() with the name as text.
PRIVATE_ATTRIBUTES = {
    "_prepare_cursor",
    "_result_cache",
    "_prefetched_objects_cache",
    "_prefetch_related_lookups",
    "_prefetch_done",
    "_known_related_objects",
    "_iterable_class",
    "_chain",
    "_clone",
    "_for_write",
    "_hints",
    "_sticky_filter",
    "_nodb_cursor",
    "_cursor",
}
SKIPPED_DIRECTORIES = {".venv", ".git", "tests", "node_modules", "media", "staticfiles", "__pycache__"}


def is_private_module(name):
    if any(name == module or name.startswith(module + ".") for module in PRIVATE_MODULES):
        return True
    parts = name.split(".")
    if parts[:3] != ["django", "db", "backends"]:
        return False
    # django.db.backends.utils, or django.db.backends.<vendor>.<internal module>
    return parts[3:4] == ["utils"] or (len(parts) >= 5 and parts[4] in BACKEND_INTERNALS)


def imported_modules(node):
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return []


def findings(source, filename="<source>"):
    """(line, what) for each use of a private Django API in `source`."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        for module in imported_modules(node):
            if is_private_module(module):
                found.append((node.lineno, f"imports {module}"))
                break
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr == "__class__" for t in targets):
                found.append((node.lineno, "assigns __class__"))
        if isinstance(node, ast.Attribute) and node.attr in PRIVATE_ATTRIBUTES:
            found.append((node.lineno, f"uses .{node.attr}"))
        if isinstance(node, ast.Constant) and node.value in PRIVATE_ATTRIBUTES:
            found.append((node.lineno, f"names {node.value}"))
    return found


def project_files(root):
    for path in sorted(Path(root).rglob("*.py")):
        if not SKIPPED_DIRECTORIES & set(path.relative_to(root).parts[:-1]):
            yield path


def check(root):
    """Every finding in the project's own modules, as `path:line: what`."""
    return [
        f"{path.relative_to(root)}:{line}: {what}"
        for path in project_files(root)
        for line, what in findings(path.read_text(encoding="utf-8"), str(path))
    ]


def test_the_project_uses_public_django_apis_only():
    assert check(settings.BASE_DIR) == []


def test_the_scan_reads_the_apps_and_the_site_package():
    scanned = {path.relative_to(settings.BASE_DIR).parts[0] for path in project_files(settings.BASE_DIR)}
    assert {"niimi_portal", "organizations", "staff", "grants", "library", "bench"} <= scanned
    assert "tests" not in scanned


PLANTED = """\
from django.db.models.sql.compiler import MULTI
from django.db.models.sql import Query
import django.db.models.sql.query
from django.db.backends.postgresql.base import DatabaseWrapper
from django.db.backends.postgresql import operations
from django.db.backends.utils import CursorWrapper
import django.db.backends.sqlite3.base
cursor = connection._prepare_cursor(raw)
queryset.query.__class__ = Prepared
queryset._result_cache = rows
instance._prefetched_objects_cache = {}
lookups = queryset._prefetch_related_lookups
setattr(queryset, "_result_cache", rows)
"""


def test_the_checker_flags_each_planted_private_use(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "fast.py").write_text(PLANTED, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_fast.py").write_text(PLANTED, encoding="utf-8")

    found = check(tmp_path)

    assert all(line.startswith("app/fast.py:") for line in found)  # tests/ is not scanned
    flagged_lines = {int(line.split(":")[1]) for line in found}
    assert flagged_lines == set(range(1, PLANTED.count("\n") + 1))
    assert "app/fast.py:9: assigns __class__" in found
    assert "app/fast.py:13: names _result_cache" in found


def test_public_apis_pass_the_checker():
    source = """\
from django.db import connection, models
from django.db.backends.signals import connection_created
from django.db.models import Prefetch, prefetch_related_objects
label = instance._meta.label
manager = Model._default_manager
adding = instance._state.adding
ENGINE = "django.db.backends.postgresql"
"""
    assert findings(source) == []
