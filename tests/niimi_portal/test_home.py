import pytest
from django.contrib.auth.models import Group

from niimi_portal.demo.loader import DEMO_BACKUP_CODES, DEMO_PASSWORD
from tests.helpers import Client

pytestmark = pytest.mark.django_db


def test_home_shows_the_stages_and_former_towns(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert 'href="#main"' in html
    for label in (
        "① 地域での機運づくり",
        "② 地域の将来計画の策定",
        "③ 地域運営組織の設立・活動開始",
        "哲西",
        "0867-72-6143",
    ):
        assert label in html
    assert "<title>ホーム | 新見市 小規模多機能自治ポータル</title>" in html


def test_bootstrap_is_served_from_our_static_files(client):
    html = client.get("/").content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    assert "cdn" not in html.lower()


def test_unknown_page_is_a_japanese_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_policy_officer_enters_the_admin_and_a_liaison_is_refused(demo):
    policy = Client()
    response = policy.post("/admin/login/", {"username": "seisaku", "password": DEMO_PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert policy.get("/admin/").status_code == 302  # the second factor first
    policy.post("/accounts/two-factor/verify/", {"code": DEMO_BACKUP_CODES[0]})
    assert policy.get("/admin/").status_code == 200
    assert policy.get("/admin/organizations/organization/").status_code == 200

    liaison = Client()
    response = liaison.post("/admin/login/", {"username": "tanto1", "password": DEMO_PASSWORD})
    assert response.status_code == 200  # the login form again, with an error
    assert liaison.get("/admin/").status_code == 302


def test_groups_exist_with_their_permissions(db):
    policy = Group.objects.get(name="総合政策課")
    assert policy.permissions.filter(codename="approve_organization").exists()
    assert not policy.permissions.filter(codename="delete_grantdecision").exists()
    liaison = Group.objects.get(name="地域担当職員")
    assert liaison.permissions.filter(codename="add_meeting").exists()
    assert not liaison.permissions.filter(codename="approve_organization").exists()


def test_every_admin_changelist_opens_for_the_superuser(admin_client, demo):
    from django.apps import apps
    from django.contrib import admin

    for model in (model for model in apps.get_models() if admin.site.is_registered(model)):
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert admin_client.get(url).status_code == 200, url
        obj = model.objects.first()
        if obj is not None:
            assert admin_client.get(f"{url}{obj.pk}/change/").status_code == 200, url


def test_the_town_table_counts_every_area_by_the_furthest_stage_of_its_published_organizations(demo):
    """The database groups the areas; the same figures counted one area at a time in Python."""
    from niimi_portal.views import where_areas_stand
    from organizations.models import Organization, Region

    hidden = Organization.objects.filter(is_published=True, stage=Organization.Stage.ESTABLISHED).first()
    hidden.is_published = False  # an unpublished organization counts for nothing
    hidden.save()
    stages = Organization.Stage.values
    expected = {}
    # Counted once each: the areas with nothing below them; an area's stage is that of any organization
    # covering it, directly or through the 学区 above it.
    leaves = Region.objects.exclude(kind=Region.Kind.FORMER_TOWN).filter(children__isnull=True)
    for area in leaves.select_related("parent__parent"):
        covering = [area, *area.ancestors]
        published = [o.stage for region in covering for o in region.organizations.all() if o.is_published]
        counts = expected.setdefault(area.ancestors[0].slug, {"areas": 0, "none": 0, **dict.fromkeys(stages, 0)})
        counts["areas"] += 1
        counts[max(published) if published else "none"] += 1
    got = {}
    for town in where_areas_stand():
        got[town["slug"]] = {
            "areas": town["areas"],
            "none": town["none"],
            **dict(zip(stages, town["stages"], strict=True)),
        }
    assert got == expected
    assert sum(t["areas"] for t in got.values()) == leaves.count()
