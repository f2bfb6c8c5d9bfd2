"""Issue 14, findings 3, 5 and 8 (ふりがな): a crafted name and よみ, very long text, and the login page.

Each worst case runs under a one-second alarm: before the fixes it ran for minutes (the alignment is
exponential) or failed (the analyzer refuses input over about 49 KB).
"""

import contextlib
import signal
import time

import pytest
from django.core.cache import cache
from django.forms import modelform_factory
from model_bakery import baker

from niimi_portal.context_processors import RUBY_COOKIE
from niimi_portal.lib import furigana
from organizations.models import FAQ, CaseStudy
from staff.models import Assignment, LiaisonOfficer
from tests.helpers import Client

pytestmark = pytest.mark.django_db

# A 26-character officer name and a よみ that fits none of its splits: every split of the よみ over the
# thirteen kanji was tried, C(60, 13) of them.
CRAFTED_NAME = "亜い" * 13
CRAFTED_KANA = "い" * 60 + "ゑ"


@contextlib.contextmanager
def at_most(seconds):
    def give_up(signum, frame):
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.perf_counter()
    try:
        yield lambda: time.perf_counter() - started
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def ruby_client():
    client = Client(raise_request_exception=False)
    client.cookies[RUBY_COOKIE] = "on"
    return client


# --- Finding 3: the alignment's work is bounded ---------------------------------------------------


def test_the_worst_case_name_and_yomi_is_given_up_in_milliseconds():
    with at_most(1.0) as elapsed:
        assert furigana.align(CRAFTED_NAME, CRAFTED_KANA) is None
    assert elapsed() < 0.25


def test_a_name_with_very_many_splits_is_aligned_or_left_to_the_analyzer_quickly():
    name = "亜" + "い亜" * 12 + "い"
    with at_most(1.0) as elapsed:
        split = furigana.align(name, "い" * 80)
    assert elapsed() < 0.25
    assert split is None or [base for base, _ in split] == furigana.RUNS.findall(name)


def test_ordinary_names_are_still_aligned():
    assert furigana.align("書き込み", "かきこみ") == [("書", "か"), ("き", None), ("込", "こ"), ("み", None)]
    assert furigana.align("唐松まちづくり協議会", "からまつまちづくりきょうぎかい", {"協議会": "きょうぎかい"}) == [
        ("唐松", "からまつ"), ("まちづくり", None), ("協議会", "きょうぎかい"),
    ]  # fmt: skip


def test_a_crafted_officer_name_does_not_slow_the_ruby_pages(organization, current_year):
    officer = baker.make(LiaisonOfficer, name=CRAFTED_NAME, name_kana=CRAFTED_KANA, department="総務課")
    baker.make(Assignment, officer=officer, organization=organization, fiscal_year=current_year, role="main")
    with at_most(5.0) as elapsed:
        response = ruby_client().get("/liaisons/")
    assert response.status_code == 200
    assert elapsed() < 3.0
    # The name is read by the analyzer instead: every kanji of it still gets a reading.
    assert response.content.decode().count("<ruby>亜<rp>") >= 13


# --- Finding 5: long text is split for the analyzer -------------------------------------------------

# 60,000 characters, 180 KB, no 。 and no line break, and no stored name to cut it at.
LONG = "地域運営組織の活動を支援" * 5000


def test_text_far_over_the_analyzers_limit_is_read_in_pieces():
    with at_most(30.0):
        pieces = furigana.analyze(LONG)
    assert "".join(base for base, _ in pieces) == LONG
    assert pieces.count(("地域", "ちいき")) == 5000


def test_pieces_end_at_a_soft_break_and_never_split_a_character_from_its_mark():
    text = ("地域の取組、" * 500) + ("葛\U000e0100" * 3000)
    pieces = list(furigana.pieces_to_analyze(text))
    assert "".join(pieces) == text
    assert all(len(piece.encode()) < 49_149 for piece in pieces)
    assert pieces[0].endswith("、")
    assert not any(piece.startswith("\U000e0100") for piece in pieces)


def test_a_very_long_faq_answer_shows_with_furigana(demo):
    faq = FAQ.objects.published().first()
    faq.answer = LONG
    faq.save()
    response = ruby_client().get("/faq/")
    assert response.status_code == 200
    assert "<ruby>" in response.content.decode()


# --- Finding 8: the login page with furigana makes no new cache entry per visit ----------------------


def test_the_login_page_with_furigana_makes_no_new_cache_entry_per_visit(demo, monkeypatch):
    stored = []
    real_set = cache.set
    monkeypatch.setattr(cache, "set", lambda key, *a, **kw: stored.append(key) or real_set(key, *a, **kw))
    client = ruby_client()
    first = client.get("/accounts/login/")
    assert first.status_code == 200 and "<ruby>" in first.content.decode()
    stored.clear()
    for _ in range(3):
        assert ruby_client().get("/accounts/login/").status_code == 200
    assert stored == []


@pytest.mark.parametrize(("model", "field", "cap"), [(FAQ, "answer", 4000), (CaseStudy, "body", 20000)])
def test_the_forms_refuse_text_over_its_cap_beside_the_field(model, field, cap):
    form_class = modelform_factory(model, fields=[field])
    assert form_class({field: "地域" * (cap // 2)}).is_valid()
    form = form_class({field: "地域" * (cap // 2) + "。"})
    assert not form.is_valid()
    assert f"{cap}" in " ".join(form.errors[field])
