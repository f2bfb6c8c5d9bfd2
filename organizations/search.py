"""Matching what a resident types, in kanji or in かな: the find-my-area box, the FAQ filter and the site
search (niimi_portal.search) read a query through these functions.

よみ are stored in hiragana, so a query typed in katakana (カラマツ, or half-width ｶﾗﾏﾂ) is also
tried in hiragana; names written in katakana are reached from hiragana the same way (niimi_portal.lib.kana).
"""

from django.db.models import Q, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from niimi_portal.lib import kana
from niimi_portal.lib.kana import terms

# How residents write a place: 「唐松地区」「哲西小学校区」「新見市大佐」 all mean the area's own name too.
PLACE_PREFIXES = ("新見市",)
PLACE_SUFFIXES = ("小学校区", "学区", "地区", "地域", "町")


def place_name_forms(text):
    """`text` and, when it carries them, the same without the 新見市 prefix or a 地区/小学校区/学区/町/地域 suffix."""
    forms = [text]
    for prefix in PLACE_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            forms.append(text[len(prefix) :])
    for form in list(forms):
        for suffix in PLACE_SUFFIXES:
            if form.endswith(suffix) and len(form) > len(suffix):
                forms.append(form[: -len(suffix)])
    return forms


def query_variants(text):
    """The kana forms of a query (niimi_portal.lib.kana), each also without a place prefix or suffix."""
    variants = []
    for variant in kana.query_variants(text):
        variants += place_name_forms(variant)
    return list(dict.fromkeys(variants))


def contains_lookup(text):
    """`icontains` for text with letters of two cases, else `contains`: the same rows for kanji and かな,
    without the database upper-casing every field of every row first (half the time on PostgreSQL)."""
    return "icontains" if text.lower() != text.upper() else "contains"


def words(text):
    """Each word of `text` as its forms (query_variants), each with the lookup it needs (contains_lookup)."""
    return [[(variant, contains_lookup(variant)) for variant in query_variants(word)] for word in terms(text)]


def matching_words(fields, forms_of_words, *, by_position=()):
    """A Q matching rows where, for every word (`words(text)`), some field contains some form of that word
    (whatever the case of its letters).

    The fields named in `by_position` (long texts: an answer, a description) are searched for a form without
    letters of two cases by its position (STRPOS; INSTR on SQLite): the same rows as `contains`, but
    PostgreSQL's LIKE '%…%' tries a match at every kana of the text (each starts with the same byte in UTF-8)
    and reads an FAQ's answers for かな several times slower. Other fields keep LIKE, which the trigram
    indexes answer."""
    condition = Q()
    for forms in forms_of_words:
        any_field = Q()
        for variant, lookup in forms:
            for field in fields:
                if lookup == "contains" and field in by_position:
                    any_field |= Q(GreaterThan(StrIndex(field, Value(variant)), 0))
                else:
                    any_field |= Q(**{f"{field}__{lookup}": variant})
        condition &= any_field
    return condition
