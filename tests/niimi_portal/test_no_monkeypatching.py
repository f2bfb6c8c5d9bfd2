"""The project changes no library from the outside: no assignment to an attribute of an imported
Django or library module, class or object (the admin's value display included), and Django's admin
still calls its own `display_for_field` everywhere."""

import ast
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.urls import reverse

from niimi_portal.admin_site import NiimiAdminSite
from tests.niimi_portal.test_public_api_only import project_files

PROJECT_PACKAGES = {
    "niimi_portal",
    "organizations",
    "staff",
    "grants",
    "offices",
    "library",
    "outbox",
    "bench",
    "deploy",
    "manage",
    "tests",
}


def project_sources():
    return project_files(settings.BASE_DIR)


def imported_names(tree):
    """The names a module binds by importing something outside the project."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in PROJECT_PACKAGES:
                    names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module.split(".")[0] not in PROJECT_PACKAGES:
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def root_of(node):
    """The name an attribute chain such as `admin.site.site_header` or `get_user_model().__str__` starts from."""
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def assigned_attributes(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"setattr", "delattr"}:
            yield node, node.args[0]
            continue
        else:
            continue
        for target in targets:
            for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(element, ast.Attribute):
                    yield node, element.value


def test_nothing_in_the_project_assigns_to_what_a_library_owns():
    found = []
    for path in project_sources():
        tree = ast.parse(path.read_text(), filename=str(path))
        imported = imported_names(tree)
        for node, owner in assigned_attributes(tree):
            if root_of(owner) in imported:
                found.append(f"{Path(path).relative_to(settings.BASE_DIR)}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


def test_the_scan_knows_every_top_level_package_of_the_project():
    assert {Path(path).relative_to(settings.BASE_DIR).parts[0].removesuffix(".py") for path in project_sources()} <= (
        PROJECT_PACKAGES | {"conftest"}
    )


def test_the_scan_finds_a_monkeypatch():
    tree = ast.parse(
        "from django.contrib.admin import helpers\n"
        "from django.contrib.auth import get_user_model\n"
        "import django.contrib.admin.templatetags.admin_list as admin_list\n"
        "from grants import models\n"
        "helpers.display_for_field = print\n"
        "get_user_model().__str__ = str\n"
        "setattr(admin_list, 'display_for_field', print)\n"
        "models.x = 1\n"
    )
    imported = imported_names(tree)
    owners = [root_of(owner) for _, owner in assigned_attributes(tree)]
    assert [owner for owner in owners if owner in imported] == ["helpers", "get_user_model", "admin_list"]


def test_the_admin_site_has_the_citys_titles_without_being_changed_from_outside(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "新見市 小規模多機能自治 管理画面" in html
    assert "<title>総合政策課の業務 | 小規模多機能自治 管理画面</title>" in html
    assert isinstance(admin.site, NiimiAdminSite)


def test_the_admin_shows_values_with_djangos_own_display_for_field():
    assert helpers.display_for_field is utils.display_for_field
    assert admin_list.display_for_field is utils.display_for_field
