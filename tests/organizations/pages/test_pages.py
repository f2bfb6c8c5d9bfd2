"""The residents' pages with the demo data: what each shows, in which order, and what it never shows."""

import pytest
from django.contrib.auth.models import User
from model_bakery import baker

from niimi_portal.lib.wareki import fiscal_year_label
from organizations.models import FAQ, CaseStudy, Organization, Region
from tests.helpers import Client

pytestmark = pytest.mark.django_db


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_counts_organizations_by_stage_and_areas_by_former_town(client, module_demo):
    response = client.get("/")
    assert [s["count"] for s in response.context["stages"]] == [2, 3, 2]  # the unpublished one is not counted
    towns = response.context["towns"]
    assert [t["name"] for t in towns] == ["新見", "大佐", "神郷", "哲多", "哲西"]  # the city's order
    niimi = towns[0]
    # 熊野・井倉野・唐松・広瀬 are at ③, 高尾 at ②; 千屋's group is unpublished, so it counts as not started.
    assert (niimi["areas"], niimi["stages"], niimi["none"]) == (17, [0, 1, 4], 12)
    page = response.content.decode()
    for text in (
        "① 小規模",
        "② 多機能",
        "③ 自治",
        "① 地域での機運づくり",
        "② 地域の将来計画の策定",
        "③ 地域運営組織の設立・活動開始",
    ):
        assert text in page
    assert 'action="/regions/find/"' in page


@pytest.mark.parametrize("typed", ["唐松", "からまつ", "カラマツ", "ｶﾗﾏﾂ", " からまつ "])
def test_find_my_area_goes_straight_to_the_area_in_kanji_or_kana(client, module_demo, typed):
    response = client.get("/regions/find/", {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == "/regions/karamatsu/"


def test_find_my_area_lists_every_area_a_partial_name_fits(client, module_demo):
    page = html(client, "/regions/find/?q=いく")
    assert "井倉野" in page and "井倉" in page
    assert "が 2 か所あります" in page


def test_find_my_area_says_so_in_japanese_when_nothing_fits(client, module_demo):
    page = html(client, "/regions/find/?q=ロンドン")
    assert "その名前の地域は見つかりませんでした" in page
    assert 'aria-invalid="true"' in page


def test_region_list_groups_areas_by_former_town_in_the_city_order(client, module_demo):
    page = html(client, "/regions/")
    positions = [page.index(f">{town}</a><span") for town in ("新見", "大佐", "神郷", "哲多", "哲西")]
    assert positions == sorted(positions)
    assert page.index(">足立</a>") < page.index(">石蟹</a>") < page.index(">唐松</a>")  # あだち, いしが, からまつ
    assert "唐松まちづくり協議会: ③ 地域運営組織の設立・活動開始" in page


def test_area_page_shows_its_organization_liaisons_population_and_cases(client, module_demo):
    page = html(client, "/regions/karamatsu/")
    assert "唐松まちづくり協議会" in page
    assert "佐藤 花子" in page and "田中 美咲" in page
    assert "人口" in page and "年4月1日現在" in page
    assert "唐松・広瀬地区 新組織設立準備会のワークショップ" in page
    assert "子どもから高齢者まで、誰もが安心して住み続けられる地域" in page  # the plan summary


def test_area_whose_organization_is_still_forming_says_not_yet_formed_with_the_stage(client, module_demo):
    page = html(client, "/regions/takao/")
    assert "地域運営組織はまだ設立されていません" in page
    assert "② 地域の将来計画の策定" in page


def test_area_with_only_an_unpublished_group_shows_no_organization_but_its_liaison(client, module_demo):
    page = html(client, "/regions/chiya/")
    assert "千屋地区づくり準備会" not in page
    assert "まだ始まっていません" in page
    assert "田中 美咲" in page  # assigned to the area itself


def test_former_town_page_lists_its_areas(client, module_demo):
    page = html(client, "/regions/tessei/")
    assert "哲西町矢田" in page and "哲西小学校区" in page
    assert "唐松" not in page.split("<main")[1].split("</main>")[0]


def test_organization_list_filters_by_stage_and_by_approval(client, module_demo):
    established = html(client, "/organizations/?stage=3")
    assert "熊野の将来を考える会" in established and "唐松まちづくり協議会" in established
    assert "高尾ふれあい協議会" not in established
    preparing = html(client, "/organizations/?approval=preparing")
    assert "高尾ふれあい協議会" in preparing and "哲西みらいづくり協議会" in preparing
    assert "熊野の将来を考える会" not in preparing
    assert "<title>地域運営組織の一覧（認可: 未認可） |" in preparing


@pytest.mark.parametrize("status", ["returned", "revoked", "applied", "not_applied"])
def test_the_public_list_offers_no_filter_on_internal_approval_statuses(client, module_demo, status):
    page = html(client, f"/organizations/?approval={status}")
    assert "一覧にある認可の状況を選んでください。" in page
    for internal in ("差戻し", "取消", "申請中", "未申請"):
        assert internal not in page.split("<main")[1].split("</main>")[0]


def test_organization_list_shows_every_organization_and_says_why_for_an_unknown_filter_value(client, module_demo):
    page = html(client, "/organizations/?stage=9")
    assert "熊野の将来を考える会" in page
    assert "一覧にある段階を選んでください。" in page


def test_organization_page_shows_areas_contact_predecessor_plans_projects_by_field_and_cases(client, module_demo):
    page = html(client, "/organizations/kumano-mirai/")
    for text in (
        "熊野",
        "井倉野",
        "会長 石井 正男",
        "熊野地域振興会",
        "目指す将来像",
        "高齢化と担い手不足",
        "計画期間",
        "見守り・声かけ訪問",
        "熊野・井倉野 助け合い事業の出発式",
        "山田 太郎",
    ):
        assert text in page, text
    fields = [page.index(f'<h3 class="h5">{label}</h3>') for label in ("地域振興", "高齢者支援", "子育て支援", "防災")]
    assert fields == sorted(fields)  # grouped by 分野 in the order the 分野 are listed


def test_faq_is_grouped_by_category_with_an_anchor_per_question(client, module_demo):
    page = html(client, "/faq/")
    for faq in FAQ.objects.published():
        assert f'id="faq-{faq.pk}"' in page
        assert f'href="/faq/#faq-{faq.pk}"' in page
    headings = [
        page.index(f">{label}</h2>") for label in ("仕組み・考え方", "地域運営組織", "地域担当職員", "一括交付金")
    ]
    assert headings == sorted(headings)
    assert 'src="/static/js/faq-filter.js"' in page


def test_faq_filter_narrows_the_list_without_javascript(client, module_demo):
    page = html(client, "/faq/?q=交付金")
    assert "一括交付金は何に使えるのですか？" in page
    assert "地域担当職員は何をしてくれるのですか？" not in page
    assert "「交付金」を含む質問" in page


def test_case_examples_list_and_detail(client, module_demo):
    page = html(client, "/cases/")
    assert "熊野・井倉野 助け合い事業の出発式" in page
    detail = html(client, "/cases/kumano-ikurano-tasukeai/")
    assert "協働のまちづくり交付金を活用して" in detail
    assert 'href="/organizations/kumano-mirai/"' in detail


def test_liaison_roster_shows_the_current_year_by_area_and_a_chosen_year(client, module_demo, current_year):
    page = html(client, "/liaisons/")
    assert fiscal_year_label(current_year.year) in page
    assert "山田 太郎" in page and "熊野の将来を考える会" in page and "千屋" in page
    previous = html(client, f"/liaisons/?year={current_year.year - 1}")
    assert fiscal_year_label(current_year.year - 1) in previous
    assert "これは過去の年度の名簿です" in previous
    assert "神郷さとやま会議" not in previous  # assigned only this year


def test_liaison_roster_for_an_unknown_year_falls_back_to_the_current_one(client, module_demo, current_year):
    page = html(client, "/liaisons/?year=1990")
    assert "山田 太郎" in page
    assert f"<title>地域担当職員名簿（{fiscal_year_label(current_year.year)}）" in page


def test_get_absolute_url_of_region_organization_and_case(module_demo):
    assert Region.objects.get(slug="karamatsu").get_absolute_url() == "/regions/karamatsu/"
    assert Organization.objects.get(slug="kumano-mirai").get_absolute_url() == "/organizations/kumano-mirai/"
    case = CaseStudy.objects.get(slug="kumano-ikurano-tasukeai")
    assert case.get_absolute_url() == "/cases/kumano-ikurano-tasukeai/"


# --- Unpublished things never appear -------------------------------------------------------------

DRAFTS = ["千屋地区づくり準備会", "（下書き）交付金の申請書", "（下書き）高尾地区の防災マップづくり"]
PUBLIC_PAGES = [
    "/",
    "/regions/",
    "/regions/chiya/",
    "/regions/takao/",
    "/regions/niimi/",
    "/organizations/",
    "/organizations/?stage=1",
    "/organizations/?approval=preparing",
    "/organizations/takao-fureai/",
    "/faq/",
    "/faq/?q=下書き",
    "/cases/",
    "/liaisons/",
    "/grants/",
    "/search/?q=下書き",
    "/search/?q=千屋",
    "/search/?q=ちや",
    "/search/?q=準備会",
    "/search/?q=防災マップ",
    "/search/?q=様式",
    "/search/?q=の&kind=faq",
    "/search/?q=の&kind=cases",
    "/search/?q=会&kind=organizations",
]


@pytest.mark.parametrize("who", ["anonymous", "seisaku", "tanto1", "admin"])
def test_unpublished_things_never_appear_on_a_public_page(module_demo, who):
    """Public pages show the public view to everyone: staff preview drafts in the admin, not here."""
    client = Client()
    if who != "anonymous":
        client.force_login(User.objects.get(username=who))  # the demo's policy officer, liaison, superuser
    for url in PUBLIC_PAGES:
        page = html(client, url)
        for draft in DRAFTS:
            assert draft not in page, (url, draft)


@pytest.mark.parametrize(
    "url", ["/organizations/chiya-junbi/", "/cases/takao-bousai-draft/", "/organizations/no-such-group/"]
)
def test_unpublished_detail_pages_are_not_found(client, module_demo, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_a_published_case_of_an_unpublished_organization_stays_hidden(client, module_demo):
    hidden = Organization.objects.get(slug="chiya-junbi")
    baker.make(CaseStudy, organization=hidden, slug="chiya-case", title="千屋の秘密の事例", is_published=True)
    assert "千屋の秘密の事例" not in html(client, "/cases/")
    assert "千屋の秘密の事例" not in html(client, "/search/?q=秘密")
    assert client.get("/cases/chiya-case/").status_code == 404


def test_unpublishing_an_organization_removes_it_at_once(client, module_demo):
    Organization.objects.filter(slug="kumano-mirai").update(is_published=False)
    assert client.get("/organizations/kumano-mirai/").status_code == 404
    assert "熊野の将来を考える会" not in html(client, "/regions/kumano/")
    assert "熊野の将来を考える会" not in html(client, "/liaisons/")
    assert "熊野の将来を考える会" not in html(client, "/search/?q=くまの")


def test_a_returned_organization_reads_as_preparing_and_its_reason_stays_internal(client, module_demo):
    page = html(client, "/organizations/osa-kurashi/")
    assert "認可の状況: <strong>未認可</strong>" in page
    assert "差戻し" not in page and "将来計画の目標に、取組の担い手と時期を書き加えてください" not in page


def test_an_approved_organization_shows_its_approval_date_and_number(client, module_demo, settings):
    settings.DEMO_MODE = True  # the invented number and date are labelled in demo mode
    page = html(client, "/organizations/kumano-mirai/")
    assert "認可の状況: <strong>認可（令和" in page and "認可番号 新総政第" in page
    assert "デモ" in page.split("認可番号 新総政第", 1)[1][:200]  # invented number and date
