"""The names table's pattern (furigana._longest_of): the longest name at each place, as an alternation of
the names longest first would find, written as a trie."""

import random
import re

from niimi_portal.lib import furigana

NAMES = [
    "唐松",
    "唐松地区",
    "唐",
    "新見",
    "新見市",
    "新見市大佐",
    "大佐",
    "大佐小阪部",
    "哲西",
    "哲多",
    "田中 太郎",
    "a.b",
    "(株)",
]


def alternation(words):
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def test_the_trie_finds_what_the_longest_first_alternation_finds():
    trie = re.compile(furigana._longest_of(NAMES))
    letters = "".join(NAMES) + "のとは、 x"
    rng = random.Random(20)
    texts = ["唐松地区と新見市大佐小阪部の田中 太郎さん", "新見市", "唐唐松地", "a.b axb (株)", ""]
    texts += ["".join(rng.choice(letters) for _ in range(rng.randint(0, 60))) for _ in range(500)]
    for text in texts:
        expected = [(m.start(), m.group()) for m in alternation(NAMES).finditer(text)]
        assert [(m.start(), m.group()) for m in trie.finditer(text)] == expected, text


def test_a_table_splits_names_by_their_stored_readings():
    table = furigana.build_names([("唐松", "からまつ"), ("唐松地区", "からまつちく"), ("新見市", "にいみし")])
    parts = table.parts("新見市の唐松地区")
    assert [part for part, _ in parts] == ["新見市", "の", "唐松地区"]
    assert parts[1][1] is None and parts[2][1] is not None
