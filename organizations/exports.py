"""地域運営組織の一覧を CSV に: UTF-8 with a BOM and Japanese headers, so Excel opens it cleanly."""

import csv
import io

from django.db.models import Prefetch

from niimi_portal.lib.wareki import wareki_date
from organizations.models import Region

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    ("名称", lambda o: o.name),
    ("よみ", lambda o: o.name_kana),
    ("旧町", lambda o: "・".join(former_town_names(o))),
    ("活動区域", lambda o: "・".join(r.name for r in o.regions.all())),
    ("段階", lambda o: o.get_stage_display()),
    ("認可の状況", lambda o: o.get_approval_status_display()),
    ("申請日", lambda o: _date(o.applied_on)),
    ("認可番号", lambda o: o.approval_number),
    ("認可日", lambda o: _date(o.approved_on)),
    ("認可日（和暦）", lambda o: wareki_date(o.approved_on)),
    ("差戻し・取消の理由", lambda o: o.status_reason),
    ("代表者", lambda o: f"{o.representative_title} {o.representative_name}".strip()),
    ("連絡先電話番号", lambda o: o.contact_phone),
    ("公開", lambda o: "公開" if o.is_published else "非公開"),
]


def with_regions(queryset):
    """The organizations with their areas and each area's 旧町 loaded in one extra query."""
    return queryset.prefetch_related(
        Prefetch("regions", queryset=Region.objects.select_related("parent__parent").order_by("name_kana"))
    )


def former_town_names(organization):
    """The 旧町 an organization's areas lie in, each once, in よみ order. Needs `with_regions`."""
    towns = {r.former_town for r in organization.regions.all()} - {None}
    return [t.name for t in sorted(towns, key=lambda t: t.name_kana)]


def organizations_csv(queryset):
    """The CSV text (with its BOM) of the given organizations, one row each, in the queryset's order."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)  # RFC 4180: CRLF line ends, quotes where needed
    writer.writerow([header for header, _ in COLUMNS])
    for organization in with_regions(queryset.prefetch_related(None)):
        writer.writerow([_cell(value(organization)) for _, value in COLUMNS])
    return out.getvalue()


def _cell(text):
    """Text Excel would run as a formula (=, +, -, @ first) is kept as text by a leading apostrophe."""
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


def _date(day):
    return day.isoformat() if day else ""
