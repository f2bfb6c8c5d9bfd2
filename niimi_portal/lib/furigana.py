"""ふりがな: a page's Japanese text with <ruby> readings over its kanji, made on the server.

SudachiPy with its core dictionary (both installed from PyPI: nothing is downloaded at run time)
reads the text. Names the caller passes in as a table (`build_names`; the portal's public names are
in niimi_portal/names.py) read as their stored よみ instead of the analyzer's guess (新見 is にいみ,
大佐 is おおさ, not たいさ).

Only text nodes change. Tags, attributes, comments, scripts, styles, form fields, <option> and
<title> stay byte for byte as they were, so the page keeps its links, forms and structure.

The analyzer's readings are kept per piece of text (a stretch between two stored names), under the
piece's digest, the FORMAT and the analyzer's version: in the process (bounded) and in the store
(`use_store`: the portal's database). A piece reads the same on every page and whatever the names
table holds, so a page never seen before costs only its new pieces: its headings, menus and footer,
its FAQ answers and area descriptions were read on other pages already, a text is read once when it is
saved (`prepare_readings`), not at its first visit, and the texts a page's template shows are stored
the first time any process reads them (the portal's warm_pages does that at a deploy).
"""

import functools
import hashlib
import html
import importlib.metadata
import itertools
import re
import threading
import unicodedata
from collections import OrderedDict

from sudachipy import Dictionary, SplitMode

from niimi_portal.lib.shared_cache import quietly

# Bump when the markup this module writes or its readings change, so cached renderings and readings of
# the old form are not reused.
FORMAT = 4
# A piece's reading never goes stale (its key holds the text, FORMAT and the analyzer's version).
CACHE_SECONDS = 30 * 24 * 3600
# Pieces whose readings, and text nodes whose ruby, a process keeps (a few hundred bytes each).
MEMO_SIZE = 20_000

KANJI = "々〆ヵヶ\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAS_KANJI = re.compile(f"[{KANJI}]")
RUNS = re.compile(f"[{KANJI}]+|[^{KANJI}]+")
SENTENCE = re.compile(r"[^\n。]*(?:[\n。]|$)")
# The analyzer refuses input over about 49 KB; a piece of this many characters is at most 8 KB of UTF-8.
PIECE_CHARACTERS = 2000
SOFT_BREAKS = "、，,．.！？!?」』）) 　"
VARIATION_SELECTOR = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u180b-\u180d]")
KANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}

# Elements whose text is not prose to annotate, or cannot hold markup (<title>, <option>, <textarea>).
KEEP_AS_IS = {
    "script", "style", "template", "noscript", "title", "textarea", "select", "option", "optgroup",
    "ruby", "rt", "rp", "code", "kbd", "samp", "svg", "math",
}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def hiragana(text):
    return text.translate(KANA_TO_HIRAGANA)


# --- The analyzer -------------------------------------------------------------------------------


_local = threading.local()


@functools.cache
def _dictionary():
    return Dictionary(dict="core")


def _tokenizer():
    """One tokenizer per thread over one shared dictionary (a SudachiPy tokenizer is not thread-safe)."""
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _local.tokenizer = _dictionary().tokenizer(mode=SplitMode.C)
    return tokenizer


@functools.cache
def analyzer_version():
    return f"sudachipy {importlib.metadata.version('sudachipy')} core {importlib.metadata.version('sudachidict-core')}"


def analyze(text):
    """[(base, reading or None)] covering `text`, with the analyzer's readings over its kanji.

    Numbers with their counters, dates and weekdays read by the rules below (28日 にじゅうはちにち,
    1日 ついたち, （火） か), not by the analyzer, which reads them wrongly (28日 か, （火） ひ)."""
    if not HAS_KANJI.search(text):
        return [(text, None)]
    if COUNTED.search(text) or UNIT_IN_BRACKETS.search(text):
        return _with_counted(text)
    return _words(text)


def _words(text):
    """The analyzer's readings over the kanji of `text`."""
    pieces = []
    tokenizer = _tokenizer()
    for sentence in pieces_to_analyze(text):  # each well under the analyzer's input limit
        if not HAS_KANJI.search(sentence):
            pieces.append((sentence, None))
            continue
        morphemes = list(tokenizer.tokenize(sentence))
        for index, morpheme in enumerate(morphemes):
            surface = morpheme.surface()
            reading = corrected_reading(morphemes, index)
            if not HAS_KANJI.search(surface) or morpheme.is_oov() or HAS_KANJI.search(reading):
                pieces.append((surface, None))
            else:
                pieces.extend(align(surface, reading) or [(surface, reading)])
    return pieces


# --- Readings the analyzer gets wrong in the portal's texts --------------------------------------------

# Before 行く's 行っ, the words that mean going somewhere (会場に行って); anywhere else in the city's
# writing 行って is 行う (試験を行っています, あわせて行っていただきたい).
GOING_BEFORE = {"に", "へ", "まで"}
# Before 持って/連れて + 行って, 行く is going as well (持って行って).
GOING_WITH = {"持っ", "連れ", "もっ", "つれ"}
# 〜の方 is a person (かた) after one of these, else a side or direction (ほう: こちらの方が).
PERSON_WORDS = {
    "住民", "市民", "職員", "高齢", "地域", "関係", "担当", "一般", "参加", "希望", "家族", "障害", "障がい",
    "外国", "年配", "地元", "若い", "初めて", "ご", "お", "事務局", "役員", "会員", "移住", "子育て",
}  # fmt: skip
PERSON_ENDINGS = ("者", "員", "民", "齢", "様", "人", "世代")
# What 開ける opens when it is あける (窓を開ける); a file, a page or a meeting opens ひらける.
OPENED_THINGS = {
    "窓", "戸", "扉", "ドア", "蓋", "ふた", "口", "穴", "門", "鍵", "封", "店", "箱", "カーテン", "間", "道", "席",
}  # fmt: skip


def corrected_reading(morphemes, index):
    """The reading (hiragana) of morphemes[index], with four readings the analyzer gets wrong in the
    portal's texts put right by their context: 行って おこなって (not いって), 住民の方 かた (not ほう),
    ファイルを開ける ひらける (not あける), 言う いう (not ゆう)."""
    morpheme = morphemes[index]
    surface, reading = morpheme.surface(), hiragana(morpheme.reading_form())
    before = [m.surface() for m in morphemes[max(0, index - 2) : index]]
    previous = before[-1] if before else ""
    base = morpheme.dictionary_form()
    if base == "行く" and surface.startswith("行") and reading.startswith("い"):
        going = previous in GOING_BEFORE or (previous == "て" and len(before) == 2 and before[0] in GOING_WITH)
        if not going:
            return "おこな" + reading[1:]
    if surface == "方" and reading == "ほう" and previous == "の" and index >= 2:
        word = morphemes[index - 2].surface()
        if word in PERSON_WORDS or word.endswith(PERSON_ENDINGS):
            return "かた"
    opens_a_thing = any(word in OPENED_THINGS for word in before)
    if base == "開ける" and surface.startswith("開") and reading.startswith("あ") and not opens_a_thing:
        return "ひら" + reading[1:]
    if base == "言う" and surface.startswith("言") and reading.startswith("ゆ"):
        return "い" + reading[1:]
    return reading


def pieces_to_analyze(text):
    """`text` in pieces the analyzer accepts: sentences (up to `\n` or `。`), and a sentence longer than
    PIECE_CHARACTERS cut after its last 、 or other soft break before that length, else at that length
    (never before a combining mark or a variation selector, which belong to the character before)."""
    for sentence in SENTENCE.findall(text):
        while len(sentence) > PIECE_CHARACTERS:
            cut = _cut(sentence)
            yield sentence[:cut]
            sentence = sentence[cut:]
        yield sentence


def _cut(sentence):
    head = sentence[:PIECE_CHARACTERS]
    soft = max(head.rfind(mark) for mark in SOFT_BREAKS)
    if soft >= PIECE_CHARACTERS // 2:
        return soft + 1
    cut = PIECE_CHARACTERS
    while cut > 1 and (unicodedata.combining(sentence[cut]) or VARIATION_SELECTOR.match(sentence[cut])):
        cut -= 1
    return cut


# The most steps align() takes for one name: a crafted よみ must not make the split exponential.
ALIGN_STEPS = 20_000


class _TooMuchWork(Exception):
    pass


# --- Numbers, counters, dates and weekdays ---------------------------------------------------------

DIGITS = "0-9０-９"
# A number (1131, 1,131, １３) and the counter after it. Longer counters first (年度 before 年).
COUNTED = re.compile(
    rf"(?<![{DIGITS}.,．，])([{DIGITS}]{{1,3}}(?:[,，][{DIGITS}]{{3}})+|[{DIGITS}]+)(?![{DIGITS}.．])"
    r"(年度|世帯|か月|ヶ月|カ月|ケ月|年|月|日|人|円|号|件|回|時|分|歳)"
)
# A weekday or a unit alone in brackets: 11月27日（金）, 人口（人）, 交付額（円）.
UNIT_IN_BRACKETS = re.compile(r"([（(])(世帯|[月火水木金土日人円件回号年歳])([）)])")
BRACKETED = {
    "月": "げつ", "火": "か", "水": "すい", "木": "もく", "金": "きん", "土": "ど", "日": "にち",
    "人": "にん", "円": "えん", "件": "けん", "回": "かい", "号": "ごう", "年": "ねん", "歳": "さい",
    "世帯": "せたい",
}  # fmt: skip
ONES = ["", "いち", "に", "さん", "よん", "ご", "ろく", "なな", "はち", "きゅう"]
HUNDREDS = {1: "ひゃく", 3: "さんびゃく", 6: "ろっぴゃく", 8: "はっぴゃく"}
THOUSANDS = {1: "せん", 3: "さんぜん", 8: "はっせん"}
DAYS = {
    1: "ついたち", 2: "ふつか", 3: "みっか", 4: "よっか", 5: "いつか", 6: "むいか", 7: "なのか",
    8: "ようか", 9: "ここのか", 10: "とおか", 14: "じゅうよっか", 20: "はつか", 24: "にじゅうよっか",
}  # fmt: skip
MONTHS = {4: "し", 7: "しち", 9: "く"}
MONTHS_COUNTED = ("か月", "ヶ月", "カ月", "ケ月")
# The number's last sound before a counter starting with k, s, t or p: 1回 いっかい, 10件 じゅっけん.
GEMINATED = (("いち", "いっ"), ("ろく", "ろっ"), ("はち", "はっ"), ("じゅう", "じゅっ"), ("ひゃく", "ひゃっ"))
COUNTERS = {
    "年度": "ねんど", "世帯": "せたい", "年": "ねん", "月": "がつ", "日": "にち", "人": "にん", "円": "えん",
    "号": "ごう", "件": "けん", "回": "かい", "時": "じ", "分": "ふん", "歳": "さい",
}  # fmt: skip
# Readings written over the whole word up to this number; above it only the counter has one.
WHOLE_WORD_UP_TO = 9999


def number_reading(number):
    """1131 → せんひゃくさんじゅういち; 0 → ぜろ; up to 9999兆."""
    if number == 0:
        return "ぜろ"
    out = []
    for unit in ("兆", "億", "万", ""):
        size = {"兆": 10**12, "億": 10**8, "万": 10**4, "": 1}[unit]
        group, number = divmod(number, size)
        if group:
            out.append(_below_10000(group) + {"兆": "ちょう", "億": "おく", "万": "まん", "": ""}[unit])
    return "".join(out)


def _below_10000(number):
    thousands, rest = divmod(number, 1000)
    hundreds, rest = divmod(rest, 100)
    tens, ones = divmod(rest, 10)
    out = THOUSANDS.get(thousands, ONES[thousands] + "せん") if thousands else ""
    out += HUNDREDS.get(hundreds, ONES[hundreds] + "ひゃく") if hundreds else ""
    out += ((ONES[tens] if tens > 1 else "") + "じゅう") if tens else ""
    return out + ONES[ones]


def _with_ones(number, readings):
    """The number's reading with its last digit read as `readings` says (4 → よ before 年, 9 → く before 月)."""
    ones = number % 10
    if ones in readings:
        return (number_reading(number - ones) if number >= 10 else "") + readings[ones]
    return number_reading(number)


def _geminated(reading):
    for plain, short in GEMINATED:
        if reading.endswith(plain):
            return reading[: -len(plain)] + short
    return reading


def counted_reading(number, counter):
    """How `number` followed by `counter` reads: (28, 日) → にじゅうはちにち, (1, 日) → ついたち."""
    if counter == "日":
        return DAYS.get(number) or _with_ones(number, {7: "しち", 9: "く"}) + "にち"
    if counter == "月":
        return (MONTHS.get(number) or number_reading(number)) + "がつ"
    if counter in ("年", "年度"):
        return _with_ones(number, {4: "よ", 7: "しち", 9: "く"}) + ("ねん" if counter == "年" else "ねんど")
    if counter == "人":
        return {1: "ひとり", 2: "ふたり"}.get(number) or _with_ones(number, {4: "よ"}) + "にん"
    if counter == "時":
        return _with_ones(number, {4: "よ", 7: "しち", 9: "く"}) + "じ"
    if counter == "円":
        return _with_ones(number, {4: "よ"}) + "えん"
    if counter == "分":
        reading = number_reading(number)
        if reading.endswith(("いち", "ろく", "はち", "じゅう", "ひゃく")):
            return _geminated(reading) + "ぷん"
        return reading + ("ぷん" if reading.endswith(("さん", "よん")) else "ふん")
    if counter == "歳" and number == 20:
        return "はたち"
    if counter in MONTHS_COUNTED:
        return _geminated(number_reading(number)) + "かげつ"
    if counter in ("件", "回", "歳"):
        return _geminated(number_reading(number)) + COUNTERS[counter]
    return number_reading(number) + {"号": "ごう", "世帯": "せたい"}[counter]


def _counted_pieces(match):
    digits, counter = match.groups()
    number = int(unicodedata.normalize("NFKC", digits).replace(",", ""))
    if number <= WHOLE_WORD_UP_TO:
        return [(digits + counter, counted_reading(number, counter))]
    if counter in MONTHS_COUNTED:  # 18か月: the reading over 月 only
        return [(digits + counter[0], None), ("月", "げつ")]
    return [(digits, None), (counter, COUNTERS[counter])]


def _with_counted(text):
    """analyze() for a text with numbers and counters or units in brackets: those by the rules, the rest
    by the analyzer."""
    matches = sorted([*COUNTED.finditer(text), *UNIT_IN_BRACKETS.finditer(text)], key=lambda m: m.start())
    pieces, at = [], 0
    for match in matches:
        if match.start() < at:
            continue
        if match.start() > at:
            pieces.extend(_words(text[at : match.start()]))
        if match.re is COUNTED:
            pieces.extend(_counted_pieces(match))
        else:
            opening, unit, closing = match.groups()
            pieces += [(opening, None), (unit, BRACKETED[unit]), (closing, None)]
        at = match.end()
    if at < len(text):
        pieces.extend(_words(text[at:]))
    return pieces


def align(surface, reading, hints=None):
    """Split `reading` over the kanji runs of `surface`: 書き込み + かきこみ → 書(か)き込(こ)み.

    The kana in the surface must appear in the reading; spaces and other signs may be missing from it.
    When several splits fit, the one whose runs most agree with `hints` (run → reading) wins, then the
    first. None when no split fits, or when finding one would take more than ALIGN_STEPS steps (the
    analyzer reads the text then)."""
    runs = RUNS.findall(surface)
    reading = "".join(hiragana(reading).split())
    hints = hints or {}
    best, best_score = None, -1
    search = _Splits(runs, reading)
    try:
        for candidate in itertools.islice(search.splits(0, 0), 200):
            score = sum(len(run) for run, r in zip(runs, candidate, strict=True) if r and hints.get(run) == r)
            if score > best_score:
                best, best_score = candidate, score
    except _TooMuchWork:
        return None
    if best is None:
        return None
    return [(run, r) for run, r in zip(runs, best, strict=True)]


class _Splits:
    """The splits of a reading over runs, depth first. A position (run, place in the reading) from which
    no split fits is remembered, so it is never explored twice, and every step counts against the budget."""

    def __init__(self, runs, reading, steps=ALIGN_STEPS):
        self.runs, self.reading, self.steps = runs, reading, steps
        self.dead = set()

    def splits(self, index, at):
        if (index, at) in self.dead:
            return
        self.steps -= 1
        if self.steps < 0:
            raise _TooMuchWork
        found = False
        for split in self._splits(index, at):
            found = True
            yield split
        if not found:
            self.dead.add((index, at))

    def _splits(self, index, at):
        runs, reading = self.runs, self.reading
        if index == len(runs):
            if at == len(reading):
                yield []
            return
        run = runs[index]
        if HAS_KANJI.match(run):
            for end in range(at + 1, len(reading) + 1):
                for rest in self.splits(index + 1, end):
                    yield [reading[at:end], *rest]
            return
        for char in hiragana(run):
            if reading.startswith(char, at):
                at += 1
            elif "ぁ" <= char <= "ゖ" or char == "ー":
                return  # kana the reading does not have: not this split
        for rest in self.splits(index + 1, at):
            yield [None, *rest]


# --- Stored readings of names ------------------------------------------------------------------


class Names:
    """The stored よみ of the names the public pages show, as ready-made pieces, and their version."""

    def __init__(self, pieces, version):
        self.pieces = pieces
        self.version = version
        self.pattern = re.compile(_longest_of(pieces)) if pieces else None

    def parts(self, text):
        """`text` as [(piece, None) for a stretch the analyzer reads, or (name, its pieces)]."""
        if self.pattern is None:
            return [(text, None)] if text else []
        parts, at = [], 0
        for match in self.pattern.finditer(text):
            if match.start() > at:
                parts.append((text[at : match.start()], None))
            parts.append((match.group(), self.pieces[match.group()]))
            at = match.end()
        if at < len(text):
            parts.append((text[at:], None))
        return parts

    def split(self, text, known=None):
        """[(base, reading or None)] covering `text`: stored names by their よみ, the rest by the analyzer
        (or as `known`, {piece: its readings}, says)."""
        pieces = []
        for part, stored in self.parts(text):
            if stored is not None:
                pieces.extend(stored)
            else:
                pieces.extend(known[part] if known is not None and part in known else analyze(part))
        return pieces


def _longest_of(words):
    """A pattern matching, at each place, the longest of `words` that starts there, written as the trie of
    the words (唐(?:松(?:地区)?|川)…): as "longest first|…|shortest" would match, but compiled in a fraction
    of the time (a new worker compiles the table's pattern once: 12 ms instead of 30–70 ms for 3,600 names)
    and matched fifty times faster, since at each letter only one branch can go on."""
    trie = {}
    for word in words:
        node = trie
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}  # a word ends here

    def branches(node):
        alternatives = [re.escape(letter) + branches(child) for letter, child in sorted(node.items()) if letter]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer word first, else the one ending here

    return branches(trie)


def build_names(rows):
    """Names from (name, よみ) rows: each name's よみ split over its kanji runs. A name its よみ does not
    fit (a note in brackets, say) is left out, for the analyzer to read. The first row of a name wins."""
    readings = {}
    for name, kana in rows:
        name, kana = name.strip(), "".join(hiragana(kana).split())
        if HAS_KANJI.search(name) and kana and name not in readings:
            readings[name] = kana
    pieces = {}
    runs_of = {name: [run for run in RUNS.findall(name) if HAS_KANJI.match(run)] for name in readings}
    analyzed = read_all(run for runs in runs_of.values() for run in runs if run not in readings)
    for name, kana in readings.items():
        runs = runs_of[name]
        hints = {run: readings.get(run) or "".join(r or b for b, r in analyzed[run]) for run in runs}
        split = align(name, kana, hints)
        if split:
            pieces[name] = split
    digest = hashlib.blake2b(repr((FORMAT, analyzer_version(), sorted(pieces.items()))).encode(), digest_size=8)
    return Names(pieces, digest.hexdigest())


# --- Pages ---------------------------------------------------------------------------------------


def ruby_markup(pieces):
    """HTML for `pieces`. Kanji runs that touch (旧|市|町, 地域|共生|社会) share one <ruby>, their readings
    joined: a reading wider than its own kanji would otherwise push the next one away and open a gap
    inside the word (旧 市 町). The browser still breaks a long one across lines, reading and all."""
    out, group = [], []

    def close_group():
        if group:
            base = "".join(b for b, _ in group)
            reading = "".join(r for _, r in group)
            out.append(
                f"<ruby>{html.escape(base, quote=False)}<rp>（</rp><rt>{html.escape(reading, quote=False)}</rt>"
                "<rp>）</rp></ruby>"
            )
            group.clear()

    for base, reading in pieces:
        if reading:
            group.append((base, reading))
        elif base:
            close_group()
            out.append(html.escape(base, quote=False))
    close_group()
    return "".join(out)


def text_with_ruby(text, table):
    """One text (not HTML) as HTML with ruby over its kanji; `table` holds the names read by their よみ."""
    return ruby_markup(table.split(text))


# One token of markup: a comment, a declaration or processing instruction, an end tag, or a start tag
# (its name, its attributes, a closing "/"). Quoted attribute values may hold ">". Anything else is text.
MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<[!?][^>]*>?"
    r"|</([a-zA-Z][^\s/>]*)[^>]*>?"
    r"|<([a-zA-Z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>",
    re.DOTALL,
)
LANG = re.compile(r"""(?:^|\s)lang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
# Elements whose content is raw text up to their end tag (as Python's HTMLParser reads them).
RAW_TEXT = ("script", "style")


def text_nodes(document):
    """[(start, end, text)] of the text nodes to annotate: where they lie in `document`, and their text
    (character references resolved). One regular-expression pass over the markup: tags, comments and
    the raw text of <script> and <style> end a text node; text inside KEEP_AS_IS elements, or inside an
    element whose lang is not Japanese, is not annotated."""
    nodes, kept, at = [], [], 0
    length = len(document)
    while at < length:
        match = MARKUP.search(document, at)
        stop = match.start() if match else length
        if stop > at and not kept:
            raw = document[at:stop]
            text = html.unescape(raw) if "&" in raw else raw
            if HAS_KANJI.search(text):
                nodes.append((at, stop, text))
        if match is None:
            break
        at = match.end()
        end_tag, start_tag, attributes, closed = match.groups()
        if end_tag:
            tag = end_tag.lower()
            if tag in kept:
                while kept.pop() != tag:
                    pass
        elif start_tag and not closed:
            tag = start_tag.lower()
            if tag in RAW_TEXT:
                close = re.compile(f"</{tag}", re.IGNORECASE).search(document, at)
                at = close.start() if close else length
            if tag in VOID:
                continue
            if tag in ("option", "optgroup") and kept and kept[-1] == "option":
                kept.pop()  # an <option> ends where the next one starts
            lang = LANG.search(attributes)
            lang = next((value for value in lang.groups() if value is not None), "") if lang else None
            if tag in KEEP_AS_IS or (lang is not None and not lang.lower().startswith("ja")) or kept:
                kept.append(tag)
    return nodes


def page_with_ruby(document, table):
    """The HTML `document` with ruby over the kanji of its text nodes; everything else as it was.

    A text node the process has shown before (with this names table) is written as it was then. Any other
    is cut at the stored names, and the pieces between are read by `read_all` (the process's memo, else
    the store, else the analyzer), all the page's pieces at once: one round trip to the store at most,
    none for pieces the process has read before. The public page cache keeps whole pages."""
    nodes = text_nodes(document)
    if not nodes:
        return document
    fragments = {}
    for _, _, text in nodes:
        fragment = _memo_get((table.version, text))
        if fragment is not None:
            fragments[text] = fragment
    todo = {text: table.parts(text) for _, _, text in nodes if text not in fragments}
    if todo:
        known = read_all(part for parts in todo.values() for part, stored in parts if stored is None)
        made = {}
        for text, parts in todo.items():
            pieces = []
            for part, stored in parts:
                pieces.extend(stored if stored is not None else known[part])
            made[(table.version, text)] = fragments[text] = ruby_markup(pieces)
        _memo_put(made)
    out, at = [], 0
    for start, end, text in nodes:
        out += [document[at:start], fragments[text]]
        at = end
    out.append(document[at:])
    return "".join(out)


# --- Readings kept per piece of text --------------------------------------------------------------

_memo = OrderedDict()
_memo_lock = threading.Lock()


def _memo_get(text):
    with _memo_lock:
        pieces = _memo.get(text)
        if pieces is not None:
            _memo.move_to_end(text)
        return pieces


def _memo_put(found):
    with _memo_lock:
        _memo.update(found)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)


def forget_readings():
    """Empty the process's memo (the shared cache is emptied with `cache.clear()`)."""
    with _memo_lock:
        _memo.clear()


class _CacheStore:
    """The shared cache, where no other store is set (use_store)."""

    def get_many(self, keys):
        return quietly("get_many", keys, default={})

    def set_many(self, found):
        quietly("set_many", found, CACHE_SECONDS)


_store = _CacheStore()


def use_store(store):
    """Keep readings in `store` (get_many(keys) → {key: pieces}, set_many({key: pieces}), which may write
    later and must not raise): the portal keeps them in its database, beside the texts
    (niimi_portal/readings.py)."""
    global _store
    _store = store


def _piece_key(text):
    return f"{FORMAT}:{_digest(analyzer_version())[:8]}:{_digest(text)}"


def read_all(texts):
    """{text: analyze(text)} for each of `texts`: from the process's memo, else the store (one round
    trip for all), else read by the analyzer and kept in both. Spaces around a text are not part of
    what is kept: a name's heading reads the same however the template indents it."""
    found, missing = {}, []
    for text in dict.fromkeys(texts):
        pieces = _memo_get(text)
        if pieces is None:
            missing.append(text)
        else:
            found[text] = pieces
    if not missing:
        return found
    cores = {text: text.strip() for text in missing}
    keys = {_piece_key(core): core for core in dict.fromkeys(cores.values()) if core}
    stored = _store.get_many(list(keys))
    new, read = {}, {}
    for key, core in keys.items():
        pieces = stored.get(key)
        if pieces is None:
            pieces = new[key] = analyze(core)
        read[core] = [(base, reading) for base, reading in pieces]
    if new:
        _store.set_many(new)
    for text, core in cores.items():
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :] if core else ""
        found[text] = [*([(lead, None)] if lead else []), *read.get(core, []), *([(trail, None)] if trail else [])]
    _memo_put({text: found[text] for text in missing})
    return found


def prepare_readings(texts, table, *, markup=False):
    """Read the pieces of `texts` now (when they are saved), so the first page that shows them need not.
    With markup=True the texts are HTML (rendered Markdown), read node by node as a page is."""
    if markup:
        texts = [text for document in texts for _, _, text in text_nodes(document)]
    read_all(part for text in texts for part, stored in table.parts(text) if stored is None)


def _digest(text):
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
