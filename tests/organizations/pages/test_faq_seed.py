"""The FAQ says what the city's Q&A says: Q1–Q8 numbered as the city numbers them, each with its point
kept (no softening, nothing added as the city's), the city's page named as source, additions marked."""

import re

import pytest

from organizations.models import FAQ

pytestmark = pytest.mark.django_db

# number → (phrases the answer must carry, phrases that would change the city's meaning)
SEED_POINTS = {
    1: (
        ["変わりありません", "地域運営組織", "整理統合", "役員の負担軽減", "必要があると"],
        ["なくなりません", "おすすめ"],
    ),
    2: (
        [
            "地域が主体",
            "すべての人を支えられる",
            "人と人とがつながり、地域活力と自治力を取り戻す",
            "人と地域が元気なまち",
        ],
        [],
    ),
    3: (["地域が独自に設定", "旧小学校区を含み", "最も活動しやすい区域"], ["市が決め"]),
    4: (["整理統合", "役員の負担軽減", "重複する業務の整理"], []),
    5: (["地域の魅力や課題を洗い出し", "「地域の将来計画」の策定が必要", "母体として移行することも可能"], []),
    6: (["設立に向けた支援", "地域運営組織を窓口として", "パイプ役"], []),
    7: (["年度計画に定めた事業", "防犯", "交通安全", "防災活動", "原則として制限なく使えます"], ["細かく制限しません"]),
    8: (
        [
            "メリット",
            "デメリット",
            "地域で必要なことを地域が決めて地域で取り組む",
            "個別の申請手続きが必要なくなり",
            "役員や事務局をする人に一定の負担",
            "役員（事務局）の人件費を一括交付金の一部に計上",
        ],
        ["事務局の人件費を交付金に含め"],
    ),
}


@pytest.mark.parametrize("number", sorted(SEED_POINTS))
def test_each_city_answer_keeps_the_seeds_point(module_demo, number):
    faq = FAQ.objects.get(number=number)
    required, forbidden = SEED_POINTS[number]
    for phrase in required:
        assert phrase in faq.answer, f"Q{number} に「{phrase}」がありません"
    for phrase in forbidden:
        assert phrase not in faq.answer, f"Q{number} に「{phrase}」（市の意味と違う言い方）があります"
    assert faq.is_published and faq.source is not None
    assert "新見市版地域共生社会の実現に向けて" in faq.source.title


def test_the_city_numbers_exactly_eight_questions(module_demo):
    assert sorted(FAQ.objects.exclude(number=None).values_list("number", flat=True)) == list(range(1, 9))


def test_the_faq_page_shows_q_numbers_in_the_citys_order_with_the_source(client, module_demo):
    page = client.get("/faq/").content.decode()
    numbers = [int(n) for n in re.findall(r'class="h6">Q(\d) ', page)]
    assert numbers == sorted(numbers) and set(numbers) == set(range(1, 9))
    assert page.count("出典: 新見市のQ&amp;A（Q") == 8
    assert "新見市版地域共生社会の実現に向けて（小規模多機能自治）（新見市ホームページ）" in page


def test_the_portals_own_entry_is_marked_and_findable(client, module_demo):
    page = client.get("/faq/?q=一括交付金とは").content.decode()
    main = page.split("<main")[1]
    assert "一括交付金とは何ですか？" in main
    assert "ポータルによる補足" in main
    assert '<a href="/grants/" rel="noopener noreferrer">一括交付金のページ</a>' in main


def test_answers_are_rendered_as_sanitised_markdown(client, module_demo):
    page = client.get("/faq/").content.decode()
    assert "<strong>メリット</strong>" in page and "<li>役員や事務局をする人に一定の負担" in page
    FAQ.objects.filter(number=1).update(answer="変わりありません。<script>alert(1)</script>")
    assert "<script>alert(1)" not in client.get("/faq/").content.decode()


def test_a_city_number_is_used_once(module_demo):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        FAQ.objects.create(number=1, category_id="system", question="重複", answer="x")
