"""The organization list in the admin: filters, search by name and よみ, and a query count that does not grow."""

import pytest
from model_bakery import baker

from organizations.models import Organization, Region

pytestmark = pytest.mark.django_db
URL = "/admin/organizations/organization/"


def names(response):
    return {o.name for o in response.context["cl"].result_list}


@pytest.fixture
def city(town, organization, other_organization):
    """Two towns: 新見 (唐松・高尾) and 哲西 (哲西小学校区, one 大字 deeper)."""
    tessei = baker.make(Region, kind=Region.Kind.FORMER_TOWN, name="哲西", name_kana="てっせい", slug="tessei")
    school = baker.make(
        Region, kind="school", name="哲西小学校区", name_kana="てっせいしょう", slug="ts", parent=tessei
    )
    yata = baker.make(Region, kind="oaza", name="矢田", name_kana="やた", slug="yata", parent=school)
    third = baker.make(
        Organization,
        name="哲西みらいづくり協議会",
        name_kana="てっせいみらいづくりきょうぎかい",
        slug="tessei-mirai",
        stage=3,
        approval_status="applied",
    )
    third.regions.set([yata])
    return tessei


def test_filter_by_former_town_reaches_areas_two_levels_down(client, policy_officer, city, town):
    client.force_login(policy_officer)
    assert names(client.get(URL, {"town": city.pk})) == {"哲西みらいづくり協議会"}
    assert names(client.get(URL, {"town": town.pk})) == {"唐松まちづくり協議会", "高尾ふれあい協議会"}


def test_filter_by_stage_and_by_approval_status(client, policy_officer, city):
    client.force_login(policy_officer)
    assert names(client.get(URL, {"stage__exact": 2})) == {"唐松まちづくり協議会"}
    assert names(client.get(URL, {"approval_status__exact": "applied"})) == {"哲西みらいづくり協議会"}
    html = client.get(URL).content.decode()
    for title in ("段階", "認可の状況", "旧市町"):
        assert f'data-filter-title="{title}"' in html


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("唐松", {"唐松まちづくり協議会"}),
        ("たかお", {"高尾ふれあい協議会"}),
        ("みらいづくり", {"哲西みらいづくり協議会"}),
    ],
)
def test_search_by_name_and_yomi(client, policy_officer, city, q, expected):
    client.force_login(policy_officer)
    assert names(client.get(URL, {"q": q})) == expected


def test_list_shows_the_former_town_of_each_organization(client, policy_officer, city):
    client.force_login(policy_officer)
    html = client.get(URL).content.decode()
    assert '<td class="field-former_towns">哲西</td>' in html
    assert '<td class="field-former_towns">新見</td>' in html


def test_list_query_count_does_not_grow_with_the_organizations(client, policy_officer, city, django_assert_num_queries):
    client.force_login(policy_officer)
    for i in range(40):
        org = baker.make(Organization, name=f"組織{i}", name_kana=f"そしき{i}", slug=f"org-{i}")
        org.regions.set(Region.objects.exclude(kind="town")[: 1 + i % 3])
    # 1 session, 2 user, 3-4 the user's own and group permissions, 5 the 旧市町 filter's choices,
    # 6-7 the paginator's count and the full count, 8 the page of organizations,
    # 9 their areas, each with its parent and grandparent (one prefetch, for the 旧市町 column).
    with django_assert_num_queries(10):  # 1 of them: django-otp's device of the session
        response = client.get(URL)
    assert len(response.context["cl"].result_list) == 43
    with django_assert_num_queries(10):  # 1 of them: django-otp's device of the session
        client.get(URL, {"q": "そしき"})
