"""One term for one thing: the variants docs/用語.md lists are in no template and no Python string."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "用語.md"
ALLOW_MARK = "# 用語: 検索語"
PYTHON_DIRS = ["niimi_portal", "organizations", "staff", "grants", "offices"]


def variants():
    """{variant: the term to use} from the glossary's 「使わない語」 table."""
    text = GLOSSARY.read_text(encoding="utf-8")
    section = text.split("## 使わない語", 1)[1].split("\n## ", 1)[0]
    found = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in ("使う語", "---"):
            continue
        for variant in re.split(r"[、,]", cells[1]):
            variant = re.sub(r"（.*?）", "", variant).strip()
            if variant:
                found[variant] = cells[0]
    return found


def python_strings(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def sources():
    for template in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            yield template.relative_to(ROOT), number, line
    for folder in PYTHON_DIRS:
        for module in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in module.parts:
                continue
            lines = module.read_text(encoding="utf-8").splitlines()
            for number, value in python_strings(module):
                # A search keyword list, marked on the line above, may hold what residents type.
                if ALLOW_MARK not in lines[number - 2]:
                    yield module.relative_to(ROOT), number, value


def test_the_glossary_lists_the_variants_the_issue_names():
    listed = variants()
    for variant in [
        "しくみ",
        "困りごと",
        "しぼりこむ",
        "職員用ページ",
        "〜",
        "ひとことで言えば",
        "かまいません",
        "役の人",
    ]:
        assert variant in listed
    assert listed["〜"] == "～（全角チルダ U+FF5E）"


def test_no_template_or_python_string_uses_a_variant_the_glossary_rules_out():
    listed = variants()
    found = [
        f"{path}:{number}: 「{variant}」→「{listed[variant]}」"
        for path, number, text in sources()
        for variant in listed
        if variant in text
    ]
    assert found == []


def test_money_is_shown_through_the_yen_helper_not_formatted_by_hand():
    """Amounts go through money.yen / |yen (separators, △ for a decrease), never a bare {{ x }}円."""
    found = [
        f"{path}:{number}"
        for path, number, text in sources()
        if str(path).startswith("templates") and re.search(r"\}\}\s*円", text)
    ]
    assert found == []
