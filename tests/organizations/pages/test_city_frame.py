"""Home and しくみ carry the city's own frame and its words: the plan, the goal, the two pillars,
the stage names exactly as the city names them, 「おおむね」, 代表機関, 移行を目指します."""

import pytest

pytestmark = pytest.mark.django_db

FRAME = [
    "新見市版地域共生社会",
    "新見市版地域共生社会構築計画",
    "「人と地域が元気なまち」",
    "小規模多機能自治による地域共生社会の基盤構築",
    "大学を活かしたまちづくり",
]
STAGES = ["① 地域での機運づくり", "② 地域の将来計画の策定", "③ 地域運営組織の設立・活動開始"]


@pytest.mark.parametrize("url", ["/", "/about/"])
def test_the_citys_frame_and_stage_names_are_on_the_page(client, url):
    page = client.get(url).content.decode()
    for text in [*FRAME, *STAGES]:
        assert text in page, f"{url} に「{text}」がありません"
    assert "おおむね次の流れで進みます" in page
    assert "どの地域も" not in page


def test_the_organizations_role_is_said_in_the_citys_terms(client):
    page = client.get("/about/").content.decode()
    assert "地域の代表機関として、地域の窓口となります" in page
    assert "地域運営組織への移行を目指します" in page
    assert "移ることもできます" not in page
    # ③ is one step, as the city names it, not split into 設立 and 活動開始
    assert page.count("<strong>③ 地域運営組織の設立・活動開始</strong>") == 1 and "<strong>活動開始" not in page
