"""matching_words(by_position=…): long texts searched by position (STRPOS/INSTR) find the same rows as
`contains`, for kanji, かな, letters (kept on icontains) and LIKE's own wildcards."""

import pytest
from model_bakery import baker

from organizations.models import FAQ
from organizations.search import matching_words, words

pytestmark = pytest.mark.django_db

ANSWERS = ["唐松の集会所で", "からまつ地区の会議", "カラマツの林", "NPO法人が担う", "100%_\\の記号", "関係のない答え"]


@pytest.mark.parametrize("query", ["唐松", "からまつ", "ｶﾗﾏﾂ", "npo", "%_\\", "100% の", "無い言葉"])
def test_by_position_finds_the_same_rows_as_contains(query):
    for answer in ANSWERS:
        baker.make(FAQ, question="質問", answer=answer)
    fields = ["question", "answer"]
    by_like = FAQ.objects.filter(matching_words(fields, words(query))).order_by("pk")
    by_position = FAQ.objects.filter(matching_words(fields, words(query), by_position=["answer"])).order_by("pk")
    assert list(by_position) == list(by_like)
    assert "STRPOS" in str(by_position.query).upper() or "INSTR" in str(by_position.query).upper() or query == "npo"
