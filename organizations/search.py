"""Site search for residents: areas, organizations, FAQ and case examples, in kanji or in かな.

よみ are stored in hiragana, so a query typed in katakana (カラマツ, or half-width ｶﾗﾏﾂ) is also
tried in hiragana; names written in katakana are reached from hiragana the same way (niimi_portal.lib.kana).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Window

from niimi_portal.lib.kana import query_variants, terms
from organizations.models import Region
from organizations.public import public_cases, public_faqs, public_organizations, with_former_town


def matching(fields, text):
    """A Q matching rows where, for every word of `text`, some field contains some form of that word."""
    condition = Q()
    for word in terms(text):
        any_field = Q()
        for variant in query_variants(word):
            for field in fields:
                any_field |= Q(**{f"{field}__icontains": variant})
        condition &= any_field
    return condition


@dataclass
class Group:
    kind: str
    label: str
    queryset: object

    @property
    def count(self):
        return self.queryset.count()


REGION_FIELDS = ["name", "name_kana"]
ORGANIZATION_FIELDS = ["name", "name_kana", "predecessor", "description"]
FAQ_FIELDS = ["question", "answer"]
CASE_FIELDS = ["title", "summary", "body", "organization__name", "organization__name_kana"]

KINDS = {
    "regions": "地域",
    "organizations": "地域運営組織",
    "faq": "よくある質問",
    "cases": "取組事例",
}


def covers_matching_region(relation, text):
    """True for rows linked (through `relation` on Region) to an area whose name or よみ matches."""
    regions = Region.objects.filter(**{relation: OuterRef("pk")}).filter(matching(REGION_FIELDS, text))
    return Exists(regions)


def search(text):
    """Published things matching `text`, grouped by kind (each group a lazy queryset), or [] for no words."""
    if not terms(text):
        return []
    regions = with_former_town(Region.objects.all()).filter(matching(REGION_FIELDS, text))
    organizations = public_organizations().filter(
        matching(ORGANIZATION_FIELDS, text) | Q(covers_matching_region("organizations", text))
    )
    cases = public_cases().filter(matching(CASE_FIELDS, text) | Q(covers_matching_region("case_studies", text)))
    return [
        Group("regions", KINDS["regions"], regions.order_by("town_kana", "name_kana", "id")),
        Group("organizations", KINDS["organizations"], organizations.order_by("name_kana", "id")),
        Group("faq", KINDS["faq"], public_faqs().filter(matching(FAQ_FIELDS, text))),
        Group("cases", KINDS["cases"], cases.select_related("organization")),
    ]


PREVIEW = 10
PER_PAGE = 50


def results(text, *, kind=None, page_number=None):
    """What the search page shows: every kind's first PREVIEW results with its count or, for one `kind`,
    a page of PER_PAGE. Returns ([{group, items, count}], page or None). Each kind's preview and its
    total come from one query (COUNT(*) OVER ()), so the page makes as many queries with ten results
    as with ten thousand."""
    shown, page = [], None
    for group in search(text):
        if kind is None:
            items = list(group.queryset.annotate(search_total=Window(Count("pk")))[:PREVIEW])
            count = items[0].search_total if items else 0
            shown.append({"group": group, "items": items, "count": count})
        elif group.kind == kind:
            page = Paginator(group.queryset, PER_PAGE).get_page(page_number)
            shown.append({"group": group, "items": page.object_list, "count": page.paginator.count})
    return shown, page
