"""A public page's link to a PDF says what it is and its real size, as Japanese municipal sites do:
「…（PDF、60KB）」. The size is the PDF's own, remembered by content whenever it is made, so a page view
renders the PDF's HTML but not the PDF, except the first time that very document is seen."""

import re

import pytest
from django.utils import timezone

from niimi_portal.lib import page_tags, pdf
from niimi_portal.lib.wareki import fiscal_year_label, fiscal_year_of
from niimi_portal.templatetags.portal import file_size
from staff.models import Assignment

pytestmark = pytest.mark.django_db

ROSTER = "/liaisons/"
PLAN = "/organizations/karamatsu-machizukuri/"


def link_label(client, page, pdf_url):
    """The text of the page's link to `pdf_url`."""
    html = client.get(page).content.decode()
    (text,) = re.findall(rf'<a href="{re.escape(pdf_url)}">([^<]*)</a>', html)
    return text


@pytest.fixture
def renders(monkeypatch):
    """The PDFs actually rendered (each call of the shared set-up's document())."""
    made = []
    real = pdf.document

    def counting(html, **kwargs):
        made.append(kwargs["stylesheet"])
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "document", counting)
    return made


@pytest.mark.parametrize(
    ("size", "label"),
    [(1, "1KB"), (1024, "1KB"), (1025, "2KB"), (61_000, "60KB"), (1_047_552, "1,023KB"), (1_500_000, "1.4MB")],
)
def test_sizes_read_as_municipal_sites_write_them(size, label):
    assert file_size(size) == label


def test_the_roster_page_names_its_pdf_and_its_real_size(client, assigned_liaison):
    year = fiscal_year_of(timezone.localdate())
    url = f"/liaisons/roster.pdf?year={year}"
    label = link_label(client, ROSTER, url)
    size = len(client.get(url).content)
    assert label == f"{fiscal_year_label(year)}の地域担当職員名簿（PDF、{file_size(size)}）"


def test_the_organization_page_names_its_plan_summary_and_its_real_size(client, organization, plan):
    url = f"{PLAN}plan.pdf"
    label = link_label(client, PLAN, url)
    size = len(client.get(url).content)
    assert label == f"唐松まちづくり協議会 地域の計画の概要（PDF、{file_size(size)}）"


def test_a_page_view_renders_no_pdf_once_that_pdf_was_made(client, organization, plan, renders):
    client.get(f"{PLAN}plan.pdf")  # a resident downloads the summary: its size is remembered
    assert renders == ["organizations/print/print.css"]
    assert "（PDF、" in link_label(client, PLAN, f"{PLAN}plan.pdf")
    assert len(renders) == 1  # the page used the size the download left behind
    page_tags.renew_every_page()  # a save elsewhere in the portal: the page is built again, the summary is unchanged
    link_label(client, PLAN, f"{PLAN}plan.pdf")
    assert len(renders) == 1


def test_the_size_follows_a_change_of_the_pdfs_content(client, assigned_liaison, renders):
    year = fiscal_year_of(timezone.localdate())
    url = f"/liaisons/roster.pdf?year={year}"
    before = link_label(client, ROSTER, url)  # never made before: made once, here
    assert len(renders) == 1
    # 89 characters the roster did not have: 89 more glyphs embedded, a few KB more.
    department = "春夏秋冬東西南北山川海空雨雪風花鳥星森林木火土金石田畑村県国家族親子兄弟姉妹友達先生学校教室"
    department += "黒白赤青緑紫茶色犬猫牛馬羊豚魚貝虫草竹米麦豆酒塩糖油肉卵乳朝昼夜晴曇雷霧虹光影音楽歌絵"
    Assignment.objects.filter(officer=assigned_liaison.liaison_officer).update(department=department)
    page_tags.renew_every_page()  # .update() sends no signal; a save in the admin would bump the generation itself
    label = link_label(client, ROSTER, url)
    assert len(renders) == 2  # another document, so another PDF, once
    assert label != before
    assert label.endswith(f"（PDF、{file_size(len(client.get(url).content))}）")
