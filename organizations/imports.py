"""Areas and 住民基本台帳 figures read from the city's own files (CSV or Excel), and written back out in
the same form for a round trip.

A file is a table with a header row. Every row names one area by its place in the tree, one column
per level (旧市町・学区・大字・行政区; a level the area does not have stays empty):

- 地域 (kind "areas"):        旧市町, 学区, 大字, 行政区, よみ, 学区の種別 (小学校区 or 旧小学校区)
- 人口・世帯数 ("statistics"): 基準日, 旧市町, 学区, 大字, 行政区, 人口, 世帯数, 出典

`import_table` checks every row first (an area's parent too: registered, or a row of the same file) and
names every bad one at once by its row number in the file (the header is row 1); only when every row is
good does it write, in one transaction, so a file with a
bad row saves nothing. With `dry_run` it writes and rolls back, so the preview counts what a real
import would create and update. openpyxl reads .xlsx; the csv module reads CSV (UTF-8, or Shift_JIS
as Excel on Japanese Windows saves it).
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.conf import settings
from django.db import transaction

from niimi_portal.lib import page_tags
from niimi_portal.lib.csv_export import csv_text, safe_cell
from organizations import area_summary
from organizations.models import Region, RegionStatistic

PATH_COLUMNS = ["旧市町", "学区", "大字", "行政区"]
PATH_KINDS = ["town", "school", "oaza", "district"]  # the 学区 column may hold an old_school too
COLUMNS = {
    "areas": [*PATH_COLUMNS, "よみ", "学区の種別"],
    "statistics": ["基準日", *PATH_COLUMNS, "人口", "世帯数", "出典"],
}
REQUIRED = {"areas": [*PATH_COLUMNS, "よみ"], "statistics": ["基準日", *PATH_COLUMNS, "人口", "世帯数"]}
KIND_LABELS = {"areas": "地域", "statistics": "人口・世帯数"}
SCHOOL_KIND_NAMES = {"old_school": "旧小学校区", "area": "地区"}
SCHOOL_KINDS = {"": "school", "小学校区": "school", "旧小学校区": "old_school", "地区": "area"}
DEFAULT_SOURCE = "住民基本台帳"
ERA_START = {"令和": 2018, "平成": 1988, "昭和": 1925}
# An .xlsx row of the import takes 150–600 bytes of XML (Excel's shared strings, or text written inline as
# openpyxl writes it): a workbook unpacking to more than this per allowed row, plus the styles and the rest,
# is refused unread.
XLSX_BYTES_PER_ROW = 1_000
XLSX_BYTES_BESIDE_ROWS = 1_000_000


class ImportFileError(Exception):
    """The file cannot be read as a table at all (wrong type, no header, missing columns)."""


@dataclass
class ImportResult:
    kind: str
    rows: list = field(default_factory=list)  # (row number, {column: text}) as read
    errors: list = field(default_factory=list)  # (row number, message)
    created: int = 0
    updated: int = 0
    saved: bool = False

    @property
    def ok(self):
        return not self.errors


# -- reading ---------------------------------------------------------------------------------------


def read_table(content: bytes, filename: str):
    """The header and the rows (row number, list of cells as text) of a CSV or .xlsx file."""
    if filename.lower().endswith(".xlsx"):
        _refuse_large_workbook(content)
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise ImportFileError("Excel（.xlsx）のファイルとして読み取れません。") from error
        sheet = book.worksheets[0]
        rows = ([_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True))
    elif filename.lower().endswith(".csv"):
        rows = csv.reader(io.StringIO(_decode(content)))
    else:
        raise ImportFileError("CSV（.csv）か Excel（.xlsx）のファイルを選んでください。")
    header = None
    table = []
    # Every row read counts, blank ones too, and reading stops at the limit: a small .xlsx can hold a million
    # empty rows (openpyxl's read_only mode streams them, so the file is never read past the limit).
    max_rows = settings.AREA_IMPORT_MAX_ROWS
    for number, row in enumerate(rows, start=1):
        if number > max_rows + 1:  # the header and max_rows rows
            raise ImportFileError(
                f"1回に読み込めるのは{max_rows:,}行までです（空の行も数えます）。ファイルを分けてください。"
            )
        cells = [cell.strip() for cell in row]
        if header is None:
            header = cells
            continue
        if not any(cells):
            continue  # an empty line between rows, or Excel's formatted but empty rows
        table.append((number, cells))
    if not header:
        raise ImportFileError("ファイルが空です。1行目に見出しを入れてください。")
    return header, table


def _refuse_large_workbook(content):
    """Refuse a workbook whose XML, unpacked, is larger than the row limit allows. Counting rows is not
    enough on its own: for a sheet without a <dimension> element (Excel always writes one, a crafted file
    need not) openpyxl's read_only mode reads the whole sheet before the first row to find its size. A zip
    member is never read past its stated size, so the sizes in the zip's directory bound the work."""
    max_rows = settings.AREA_IMPORT_MAX_ROWS
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ImportFileError("Excel（.xlsx）のファイルとして読み取れません。") from error
    if unpacked > max_rows * XLSX_BYTES_PER_ROW + XLSX_BYTES_BESIDE_ROWS:
        raise ImportFileError(
            f"Excelファイルの中身が大きすぎます（展開すると{unpacked / 1_000_000:,.1f}MB）。"
            f"1回に読み込めるのは{max_rows:,}行までです。ファイルを分けてください。"
        )


def _decode(content):
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("文字コードが読み取れません。UTF-8 か Shift_JIS で保存してください。")


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_date(text):
    """2026-04-01, 2026/4/1 or 令和8年4月1日 (元年 too); None when it is none of them."""
    text = text.strip().replace("元年", "1年")
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    era = re.fullmatch(r"(令和|平成|昭和)(\d{1,2})年(\d{1,2})月(\d{1,2})日", text)
    try:
        if match:
            return datetime.date(*map(int, match.groups()))
        if era:
            return datetime.date(ERA_START[era[1]] + int(era[2]), int(era[3]), int(era[4]))
    except ValueError:
        return None
    return None


def parse_count(text):
    """A whole number of people or households (1,234 or １２３４); None when it is not one."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    return int(text) if text.isdigit() else None


# -- the tree by path ------------------------------------------------------------------------------


def region_paths():
    """{(旧市町, 学区, 大字, 行政区): Region} for every area, with "" for the levels it skips."""
    regions = {region.pk: region for region in Region.objects.all()}
    paths = {}
    for region in regions.values():
        path = ["", "", "", ""]
        node, steps = region, 0
        while node is not None and steps < 5:
            path[_column_of(node.kind)] = node.name
            node, steps = regions.get(node.parent_id), steps + 1
        paths[tuple(path)] = region
    return paths


def _column_of(kind):
    return Region.LEVELS[kind]


def _path_label(path):
    return "／".join(name for name in path if name)


# -- importing -------------------------------------------------------------------------------------


def import_table(content: bytes, filename: str, *, kind: str, dry_run=False):
    """Check every row of the file and, when all are good, save them (see the module docstring)."""
    header, table = read_table(content, filename)
    lacking = [name for name in REQUIRED[kind] if name not in header]
    if lacking:
        raise ImportFileError(
            f"{KIND_LABELS[kind]}のファイルに必要な列「{'」「'.join(lacking)}」が1行目にありません。"
            f"列は「{'」「'.join(COLUMNS[kind])}」です。"
        )
    position = {name: header.index(name) for name in COLUMNS[kind] if name in header}
    result = ImportResult(kind)
    for number, cells in table:
        result.rows.append((number, {name: cells[i] if i < len(cells) else "" for name, i in position.items()}))
    with transaction.atomic():
        # The deferred summary is worked out when its block ends, so it must end before the rollback is
        # marked: after set_rollback(True) Django refuses every query until the atomic block closes
        # (TransactionManagementError), which is what a preview with a new area used to hit.
        with area_summary.deferred():
            if kind == "areas":
                _import_areas(result)
            else:
                _import_statistics(result)
        if result.errors or dry_run:
            transaction.set_rollback(True)
        else:
            result.saved = True
            # bulk_create and bulk_update send no signals: the cached pages that show the rows.
            page_tags.renew_model(Region if kind == "areas" else RegionStatistic)
    return result


def _path(values):
    path = tuple(values.get(name, "") for name in PATH_COLUMNS)
    return path, next((i for i in range(3, -1, -1) if path[i]), None)


def _import_areas(result):
    """Check every row, its parent included, before anything is written, so that one upload names every
    bad row at once (a typo and an unknown 大字 together); then save the good file."""
    paths = region_paths()
    in_file = {_path(values)[0] for _, values in result.rows}
    seen = set()
    plans = []  # (row, path, deepest column, よみ, kind)
    for number, values in result.rows:
        path, deepest = _path(values)
        problems = _area_problems(values, path, deepest, seen)
        seen.add(path)
        if deepest and path[0]:
            problems.extend(_parent_problems(path, deepest, paths, in_file))
        if problems:
            result.errors.append((number, " ".join(problems)))
            continue
        kind = PATH_KINDS[deepest]
        if kind == "school":
            kind = SCHOOL_KINDS[values.get("学区の種別", "")]
        plans.append((number, path, deepest, values["よみ"], kind))
    if not result.errors:
        _save_areas(result, plans, paths)


def _parent_path(path, deepest):
    return tuple(name if i < deepest else "" for i, name in enumerate(path))


def _parent_problems(path, deepest, paths, in_file):
    """The row's parent must be registered already or be a row of the same file (saved first)."""
    parent_path = _parent_path(path, deepest)
    if parent_path in paths or parent_path in in_file:
        return []
    return [f"「{_path_label(path)}」の上位の地域「{_path_label(parent_path)}」が登録されていません。"]


def _area_problems(values, path, deepest, seen):
    """What is wrong with one row of areas on its own (`seen`: the paths of the rows before it)."""
    problems = []
    if deepest is None:
        problems.append("旧市町・学区・大字・行政区のどれにも名前がありません。")
    elif not path[0]:
        problems.append("旧市町が空欄です。")
    if not values.get("よみ"):
        problems.append("よみが空欄です。")
    elif not re.fullmatch(r"[\u3041-\u309f\u30fc・ 　]+", values["よみ"]):
        problems.append(f"よみ「{values['よみ']}」はひらがなで入力してください。")
    school_kind = values.get("学区の種別", "")
    if school_kind not in SCHOOL_KINDS:
        problems.append(f"学区の種別「{school_kind}」は「小学校区」「旧小学校区」「地区」のどれかにしてください。")
    if path in seen:
        problems.append(f"「{_path_label(path)}」はこのファイルの前の行にもあります。")
    return problems


def _save_areas(result, plans, paths):
    """Create or update the areas of `plans`, parents first: a file may list a 大字 before its 学区, and a
    new 学区 is a parent of new 大字. Every parent was checked by `_parent_problems`."""
    for _number, path, deepest, kana, kind in sorted(plans, key=lambda plan: plan[2]):
        parent = paths[_parent_path(path, deepest)] if deepest > 0 else None
        region = paths.get(path)
        if region is None:
            region = Region(name=path[deepest], name_kana=kana, kind=kind, parent=parent)
            region.save()
            paths[path] = region
            result.created += 1
        elif region.name_kana != kana or (deepest == 1 and region.kind != kind):
            region.name_kana, region.kind = kana, kind
            region.save(update_fields=["name_kana", "kind"])
            result.updated += 1


def _import_statistics(result):
    paths = region_paths()
    rows = []  # (region, date, population, households, source)
    seen = {}
    for number, values in result.rows:
        row, problems = _statistic_row(number, values, paths, seen)
        if problems:
            result.errors.append((number, " ".join(problems)))
            continue
        rows.append(row)
    if result.errors:
        return
    result.created, result.updated = _save_statistics(rows)


def _statistic_row(number, values, paths, seen):
    """(region, date, population, households, source) of one row of figures, and what is wrong with it
    (`seen`: (region, date) → the row that gave it before)."""
    problems = []
    day = parse_date(values.get("基準日", ""))
    if day is None:
        problems.append(f"基準日「{values.get('基準日', '')}」が日付として読めません（例: 2026/4/1、令和8年4月1日）。")
    path, deepest = _path(values)
    region = paths.get(path)
    if deepest is None:
        problems.append("旧市町・学区・大字・行政区のどれにも名前がありません。")
    elif region is None:
        problems.append(f"地域「{_path_label(path)}」は登録されていません（先に地域を読み込んでください）。")
    counts = {}
    for column in ("人口", "世帯数"):
        counts[column] = parse_count(values.get(column, ""))
        if counts[column] is None:
            problems.append(f"{column}「{values.get(column, '')}」は0以上の整数で入力してください。")
    if region is not None and day is not None:
        if (region.pk, day) in seen:
            problems.append(
                f"「{_path_label(path)}」の{day:%Y-%m-%d}の数値は{seen[(region.pk, day)]}行目にもあります。"
            )
        seen[(region.pk, day)] = number
    return (region, day, counts["人口"], counts["世帯数"], values.get("出典") or DEFAULT_SOURCE), problems


def _save_statistics(rows):
    """Create the new figures of `rows` and update the changed ones (no longer demo): (created, updated)."""
    existing = {
        (statistic.region_id, statistic.reference_date): statistic
        for statistic in RegionStatistic.objects.filter(reference_date__in={row[1] for row in rows})
    }
    new, changed = [], []
    for region, day, population, households, source in rows:
        statistic = existing.get((region.pk, day))
        if statistic is None:
            new.append(
                RegionStatistic(
                    region=region, reference_date=day, population=population, households=households, source=source
                )
            )
        elif (statistic.population, statistic.households, statistic.source) != (population, households, source):
            statistic.population, statistic.households, statistic.source = population, households, source
            statistic.is_demo = False
            changed.append(statistic)
    RegionStatistic.objects.bulk_create(new, batch_size=500)
    RegionStatistic.objects.bulk_update(changed, ["population", "households", "source", "is_demo"], batch_size=500)
    return len(new), len(changed)


# -- exporting -------------------------------------------------------------------------------------


def export_rows(kind, reference_date=None):
    """The header and rows of `kind`, in the very form `import_table` reads."""
    paths = {region.pk: path for path, region in region_paths().items()}
    town_order = dict(Region.objects.filter(kind=Region.Kind.FORMER_TOWN).values_list("name", "order"))
    if kind == "areas":
        regions = sorted(Region.objects.all(), key=lambda r: _sort_key(paths[r.pk], town_order))
        rows = [[*paths[r.pk], r.name_kana, SCHOOL_KIND_NAMES.get(r.kind, "")] for r in regions]
        return COLUMNS[kind], rows
    statistics = RegionStatistic.objects.select_related("region")
    if reference_date is not None:
        statistics = statistics.filter(reference_date=reference_date)
    rows = [
        [s.reference_date.isoformat(), *paths[s.region_id], s.population, s.households, s.source]
        for s in sorted(statistics, key=lambda s: (s.reference_date, _sort_key(paths[s.region_id], town_order)))
    ]
    return COLUMNS[kind], rows


def _sort_key(path, town_order):
    return (town_order.get(path[0], 0), *path)


def export_csv(kind, reference_date=None):
    return csv_text(*export_rows(kind, reference_date))


def export_xlsx(kind, reference_date=None):
    header, rows = export_rows(kind, reference_date)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(KIND_LABELS[kind])
    sheet.append(header)
    for row in rows:  # text guarded like the CSV: openpyxl would store "=…" as a formula
        sheet.append([value if isinstance(value, int) else safe_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
