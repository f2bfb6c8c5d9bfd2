"""地域運営組織の一覧を CSV に: UTF-8 with a BOM and Japanese headers, so Excel opens it cleanly."""

from django.db.models import Prefetch

from niimi_portal.lib.csv_export import csv_text
from niimi_portal.lib.wareki import wareki_date
from organizations.models import Region
from organizations.public import former_town_names, with_former_town

COLUMNS = [
    ("名称", lambda o: o.name),
    ("よみ", lambda o: o.name_kana),
    ("旧市町", lambda o: "・".join(former_town_names(o))),
    ("活動区域", lambda o: "・".join(r.name for r in o.regions.all())),
    ("段階", lambda o: o.get_stage_display()),
    ("認可の状況", lambda o: o.get_approval_status_display()),
    ("申請日", lambda o: o.applied_on),
    ("認可番号", lambda o: o.approval_number),
    ("認可日", lambda o: o.approved_on),
    ("認可日（和暦）", lambda o: wareki_date(o.approved_on)),
    ("差戻し・取消の理由", lambda o: o.status_reason),
    ("代表者", lambda o: f"{o.representative_title} {o.representative_name}".strip()),
    ("連絡先電話番号", lambda o: o.contact_phone),
    ("公開", lambda o: "公開" if o.is_published else "非公開"),
]


def with_regions(queryset):
    """The organizations with their areas and each area's 旧市町 loaded in one extra query."""
    return queryset.prefetch_related(
        Prefetch("regions", queryset=with_former_town(Region.objects.all()).order_by("name_kana"))
    )


def organizations_table(queryset):
    """(header, rows) of the given organizations, one row each, in the queryset's order."""
    header = [title for title, _ in COLUMNS]
    rows = ([value(o) for _, value in COLUMNS] for o in with_regions(queryset.prefetch_related(None)))
    return header, rows


def organizations_csv(queryset):
    """The CSV text (with its BOM, formula guard: niimi_portal.lib.csv_export) of the given organizations."""
    return csv_text(*organizations_table(queryset))
