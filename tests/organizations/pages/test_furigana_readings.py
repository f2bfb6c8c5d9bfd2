"""ふりがな for numbers, counters, dates and weekdays: read by rules, against a list of expected readings,
and each reading over a whole word."""

import re

import pytest

from niimi_portal.lib import furigana

# (text, the word with the reading, its reading): what a person reading aloud would say.
EXPECTED = [
    ("28日", "28日", "にじゅうはちにち"),
    ("18日", "18日", "じゅうはちにち"),
    ("19日", "19日", "じゅうくにち"),
    ("23日", "23日", "にじゅうさんにち"),
    ("1日", "1日", "ついたち"),
    ("2日", "2日", "ふつか"),
    ("4日", "4日", "よっか"),
    ("8日", "8日", "ようか"),
    ("10日", "10日", "とおか"),
    ("14日", "14日", "じゅうよっか"),
    ("20日", "20日", "はつか"),
    ("24日", "24日", "にじゅうよっか"),
    ("31日", "31日", "さんじゅういちにち"),
    ("4月", "4月", "しがつ"),
    ("7月", "7月", "しちがつ"),
    ("9月", "9月", "くがつ"),
    ("11月", "11月", "じゅういちがつ"),
    ("令和8年", "8年", "はちねん"),
    ("令和4年", "4年", "よねん"),
    ("2026年", "2026年", "にせんにじゅうろくねん"),
    ("令和8年度", "8年度", "はちねんど"),
    ("1人", "1人", "ひとり"),
    ("2人", "2人", "ふたり"),
    ("4人", "4人", "よにん"),
    ("16人", "16人", "じゅうろくにん"),
    ("1,131人", "1,131人", "せんひゃくさんじゅういちにん"),
    ("520世帯", "520世帯", "ごひゃくにじゅうせたい"),
    ("300円", "300円", "さんびゃくえん"),
    ("4円", "4円", "よえん"),
    ("第3号", "3号", "さんごう"),
    ("1件", "1件", "いっけん"),
    ("10件", "10件", "じゅっけん"),
    ("1回", "1回", "いっかい"),
    ("6回", "6回", "ろっかい"),
    ("8回", "8回", "はっかい"),
    ("3か月", "3か月", "さんかげつ"),
    ("１２日", "１２日", "じゅうににち"),
    ("（月）", "月", "げつ"),
    ("（火）", "火", "か"),
    ("（水）", "水", "すい"),
    ("（木）", "木", "もく"),
    ("（金）", "金", "きん"),
    ("（土）", "土", "ど"),
    ("（日）", "日", "にち"),
    ("人口（人）", "人", "にん"),
    ("世帯数（世帯）", "世帯", "せたい"),
    ("交付額（円）", "円", "えん"),
]


@pytest.mark.parametrize(("text", "word", "reading"), EXPECTED, ids=[t for t, _, _ in EXPECTED])
def test_numbers_counters_dates_and_weekdays_read_as_a_person_reads_them(text, word, reading):
    pieces = dict(furigana.analyze(text))
    assert pieces.get(word) == reading


def test_a_whole_date_reads_part_by_part():
    pieces = furigana.analyze("令和8年11月28日（火）に開催します。")
    readings = [(base, reading) for base, reading in pieces if reading]
    assert readings[:6] == [
        ("令和", "れいわ"),
        ("8年", "はちねん"),
        ("11月", "じゅういちがつ"),
        ("28日", "にじゅうはちにち"),
        ("火", "か"),
        ("開催", "かいさい"),
    ]


def test_a_large_amount_has_its_reading_over_the_counter_only():
    assert furigana.analyze("4,336,000円") == [("4,336,000", None), ("円", "えん")]


def test_a_decimal_is_not_read_as_a_whole_number():
    assert ("5人", "ごにん") not in furigana.analyze("2.5人")


def test_numbers_with_no_counter_and_text_without_kanji_are_left_alone():
    assert furigana.analyze("2026-05-01") == [("2026-05-01", None)]
    pieces = furigana.analyze("電話 0867-72-6111")
    assert "".join(base for base, _ in pieces) == "電話 0867-72-6111"
    assert [reading for _, reading in pieces if reading] == ["でんわ"]


def test_each_reading_sits_over_a_whole_word():
    markup = furigana.text_with_ruby("認可の状況は28日（火）に決まります。", furigana.build_names([]))
    bases = re.findall(r"<ruby>([^<]*)<rp>", markup)
    assert "状況" in bases and "状" not in bases
    assert "28日" in bases
    assert "<ruby>火<rp>（</rp><rt>か</rt><rp>）</rp></ruby>" in markup
