"""Kana normalisation for matching what residents type: full/half width, hiragana and katakana."""

import unicodedata

import jaconv

MAX_QUERY_LENGTH = 50


def query_variants(text):
    """The forms a query is matched in: as typed, NFKC-normalized, in hiragana and in katakana."""
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    if not text:
        return []
    normalized = unicodedata.normalize("NFKC", text)
    variants = [text, normalized, jaconv.kata2hira(normalized), jaconv.hira2kata(normalized)]
    return list(dict.fromkeys(v for v in variants if v))


def terms(text):
    """Words of a query separated by spaces (full-width too); every word must match."""
    normalized = unicodedata.normalize("NFKC", (text or "")[:MAX_QUERY_LENGTH])
    return [word for word in normalized.split() if word]
