"""Site search for residents: the explanation pages, areas, organizations, FAQ, the library's documents
and case examples, in kanji or in かな (each word read through organizations.search). It reads
organizations and library, so it is the site package's.
"""

import functools
import unicodedata
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Window
from django.urls import reverse

from library.models import LibraryDocument
from niimi_portal.lib.kana import terms
from organizations.models import Region, SearchPhrase
from organizations.public import public_cases, public_faqs, public_organizations, with_former_town
from organizations.search import contains_lookup, matching_words, query_variants


@dataclass
class Group:
    """The results of one kind: `queryset` is built when first read (the page's previews never read it)."""

    kind: str
    label: str
    make: object

    @functools.cached_property
    def queryset(self):
        return self.make()

    @property
    def count(self):
        return self.queryset.count()


REGION_FIELDS = ["name", "name_kana"]
ORGANIZATION_FIELDS = ["name", "name_kana", "predecessor", "description"]
FAQ_FIELDS = ["question", "answer"]
CASE_FIELDS = ["title", "summary", "body", "organization__name", "organization__name_kana"]

KINDS = {
    "pages": "このポータルのページ",
    "regions": "地域",
    "organizations": "地域運営組織",
    "faq": "よくある質問",
    "documents": "資料室",
    "cases": "取組事例",
}
DOCUMENT_FIELDS = ["title", "description"]
# The long texts of each kind, matched by position (organizations.search.matching_words).
LONG_FIELDS = ("description", "answer", "summary", "body")


@dataclass(frozen=True)
class Page:
    """An explanation page of the portal, found by the words it explains."""

    title: str
    url_name: str
    anchor: str
    text: str
    # The SearchPhrase.Target a synonym leads to (名簿 → the roster), or "" for none.
    target: str = ""

    def get_absolute_url(self):
        return reverse(self.url_name) + self.anchor


# The explanation pages' headings and key terms (the pages themselves are templates, not rows).
Target = SearchPhrase.Target

PAGES = [
    Page(
        "小規模多機能自治の仕組み",
        "about",
        "",
        # 用語: 検索語 — what residents type: しくみ finds the 仕組み page.
        "小規模多機能自治 仕組み しくみ 小規模 多機能 自治 地域運営組織 地域担当職員 小地域ケア会議 "
        "生活支援コーディネーター 協働のまちづくり交付金 新見市版地域共生社会 地域共生社会 構築計画 "
        "人と地域が元気なまち 大学を活かしたまちづくり 代表機関 窓口 地域振興会 移行 パイプ役",
        Target.ABOUT,
    ),
    Page(
        "地域運営組織の設立・活動開始までの流れ",
        "about",
        "#steps",
        "設立 活動開始 流れ 段階 機運づくり 地域の将来計画 策定 認可 ① ② ③",
    ),
    Page(
        "小規模多機能自治一括交付金とは",
        "grants:overview",
        "",
        "一括交付金とは 小規模多機能自治一括交付金 交付金 財政支援 対象団体 対象事業 対象経費 交付金額 基本額 "
        "既存の補助金 統合 認可 使い道 制限なく 年度計画",
        Target.GRANTS,
    ),
    Page(
        "地域の交付額を調べる・試算する",
        "grants:overview",
        "#estimate",
        "交付額 試算 交付決定額 基本額 人口 世帯数 見込み いくら",
    ),
    Page(
        "地域担当職員名簿", "organizations:liaison_roster", "", "地域担当職員名簿 地域担当職員 名簿 職員", Target.ROSTER
    ),
    Page(
        "予定（ワークショップ・会議）", "organizations:schedule", "", "予定 日程 ワークショップ 会議", Target.SCHEDULE
    ),
    Page("よくある質問", "organizations:faq", "", "よくある質問 質問 Q&A", Target.FAQ),
    # The contact block is at the foot of every page (templates/includes/contact.html).
    Page(
        "このポータルに関するお問い合わせ先",
        "home",
        "#contact-heading",
        "お問い合わせ先 問い合わせ 電話 連絡先",
        Target.CONTACT,
    ),
]

# Shown when nothing is found: the pages residents look for most (issue 31).
POPULAR = [PAGES[0], PAGES[2], PAGES[4], PAGES[5], PAGES[6]]


@dataclass(frozen=True)
class Word:
    """One word of a query as searched: its forms (kana variants, its SearchPhrase meaning, an area's name in
    kanji or in かな) each with the lookup it needs, and the page a SearchPhrase leads it to."""

    forms: tuple
    target: str = ""

    @property
    def texts(self):
        return [form for form, _ in self.forms]


def phrases():
    """{NFKC phrase: SearchPhrase} of the policy division's table (one query)."""
    return {unicodedata.normalize("NFKC", p.phrase): p for p in SearchPhrase.objects.all()}


def without_stop_phrases(words, stops):
    """The words with a stop phrase cut off the end of a longer word (交付金はいくら → 交付金) and a word that
    is only a stop phrase dropped when other words remain (交付金 いくら → 交付金). A lone いくら is kept:
    it is also 井倉's よみ."""
    kept = [w for w in words if w not in stops] if len(words) > 1 else list(words)
    longest_first = sorted(stops, key=len, reverse=True)
    cut = []
    for word in kept or words:
        shortened = True
        while shortened:
            shortened = False
            for stop in longest_first:
                if word.endswith(stop) and len(word) > len(stop):
                    word, shortened = word[: -len(stop)], True
                    break
        cut.append(word)
    return cut


def area_names(texts):
    """The other form of every area named in `texts`: 唐松 for からまつ and からまつ for 唐松 (one query), so
    kana and kanji find the same rows in every kind, whichever of the two a text was written in."""
    rows = Region.objects.filter(Q(name__in=texts) | Q(name_kana__in=texts)).values_list("name", "name_kana")
    return {text: [name, kana] for name, kana in rows for text in (name, kana) if text in texts}


def read_query(text):
    """The words of `text` as searched (a list of Word): stop phrases taken off, synonyms and area names added."""
    if not terms(text):
        return []
    table = phrases()
    stops = {phrase for phrase, p in table.items() if p.kind == SearchPhrase.Kind.STOP}
    words = without_stop_phrases(terms(text), stops)
    variants = [query_variants(word) for word in words]
    others = area_names({v for forms in variants for v in forms})
    read = []
    for forms in variants:
        synonym = next((table[v] for v in forms if v in table and table[v].kind == SearchPhrase.Kind.SYNONYM), None)
        extra = query_variants(synonym.means) if synonym and synonym.means else []
        names = [name for v in forms for name in others.get(v, [])]
        every = list(dict.fromkeys([*forms, *extra, *(n for name in names for n in query_variants(name))]))
        read.append(Word(tuple((v, contains_lookup(v)) for v in every), synonym.target if synonym else ""))
    return read


class ListGroup(list):
    """A group made of plain objects rather than rows: the same interface as a queryset's results."""

    def count(self):
        return len(self)


def matching_pages(read):
    """The explanation pages every word finds, by its text or by the page a SearchPhrase leads the word to."""
    return ListGroup(
        page
        for page in PAGES
        if all(
            (word.target and word.target == page.target) or any(v in f"{page.title} {page.text}" for v in word.texts)
            for word in read
        )
    )


def covers_matching_region(relation, forms_of_words):
    """True for rows linked (through `relation` on Region) to an area whose name or よみ matches."""
    regions = Region.objects.filter(**{relation: OuterRef("pk")}).filter(matching_words(REGION_FIELDS, forms_of_words))
    return Exists(regions)


def search(text, read=None):
    """Published things matching `text` (or its `read_query` words), grouped by kind (each group a lazy
    queryset), or [] for no words."""
    read = read_query(text) if read is None else read
    if not read:
        return []
    forms_of_words = [list(word.forms) for word in read]
    return [
        Group("pages", KINDS["pages"], lambda: matching_pages(read)),
        *(Group(kind, KINDS[kind], functools.partial(found, kind, forms_of_words)) for kind in ROW_KINDS),
    ]


ROW_KINDS = ("regions", "organizations", "faq", "documents", "cases")


def found(kind, forms_of_words):
    """The rows of `kind` (one of ROW_KINDS) matching the words, in the order the page lists them."""
    if kind == "regions":
        regions = with_former_town(Region.objects.all()).filter(matching_words(REGION_FIELDS, forms_of_words))
        return regions.order_by("town_kana", "name_kana", "id")
    if kind == "organizations":
        return (
            public_organizations()
            .filter(
                matching_words(ORGANIZATION_FIELDS, forms_of_words, by_position=LONG_FIELDS)
                | Q(covers_matching_region("organizations", forms_of_words))
            )
            .order_by("name_kana", "id")
        )
    if kind == "faq":
        return public_faqs().filter(matching_words(FAQ_FIELDS, forms_of_words, by_position=LONG_FIELDS))
    if kind == "documents":
        return LibraryDocument.objects.published().filter(
            matching_words(DOCUMENT_FIELDS, forms_of_words, by_position=LONG_FIELDS)
        )
    cases = public_cases().filter(
        matching_words(CASE_FIELDS, forms_of_words, by_position=LONG_FIELDS)
        | Q(covers_matching_region("case_studies", forms_of_words))
    )
    return cases.select_related("organization")


def preview(kind, forms_of_words):
    """The first PREVIEW rows of `kind` matching the words, each with the count of all (`search_total`)."""
    rows = found(kind, forms_of_words)
    if kind in PREVIEW_FIELDS:  # only what a line of the preview shows, not every description and answer
        rows = rows.select_related(None).only(*PREVIEW_FIELDS[kind])
    return list(rows.annotate(search_total=Window(Count("pk")))[:PREVIEW])


# What a preview line shows of each kind (templates/search.html); a document's `url` reads `file` and
# `external_url`.
PREVIEW_FIELDS = {
    "regions": ("name", "name_kana", "kind", "slug"),
    "organizations": ("name", "slug", "stage"),
    "faq": ("question",),
    "documents": ("title", "category", "file", "external_url", "is_demo"),
    "cases": ("title", "slug", "held_on"),
}


PREVIEW = 10
PER_PAGE = 50


def results(text, *, kind=None, page_number=None):
    """What the search page shows: every kind's first PREVIEW results with its count (kinds with none left
    out) or, for one `kind`, a page of PER_PAGE. Returns ([{group, items, count}], page or None). Each
    kind's preview and its total come from one query (COUNT(*) OVER ()), so the page makes as many
    queries with ten results as with ten thousand."""
    shown, page = [], None
    read = read_query(text)
    forms_of_words = [list(word.forms) for word in read]
    for group in search(text, read):
        if group.kind == "pages":
            if (kind is None and group.queryset) or group.kind == kind:
                shown.append({"group": group, "items": list(group.queryset), "count": len(group.queryset)})
        elif kind is None:
            items = preview(group.kind, forms_of_words)
            if items:
                shown.append({"group": group, "items": items, "count": items[0].search_total})
        elif group.kind == kind:
            page = Paginator(group.queryset, PER_PAGE).get_page(page_number)
            shown.append({"group": group, "items": page.object_list, "count": page.paginator.count})
    return shown, page
