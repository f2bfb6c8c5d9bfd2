"""The printable roster and plan summary: real PDFs from WeasyPrint, read back with pdftotext, set only in
BIZ UD明朝 (pdffonts), with what the public pages show."""

import pytest
from django.utils import timezone
from fontTools.ttLib import TTFont

from grants.models import FiscalYear
from niimi_portal.lib import pdf
from niimi_portal.lib.wareki import fiscal_year_label, fiscal_year_of, wareki_date
from organizations.models import Organization
from staff.models import Assignment
from tests.grants.pdf import embedded_font_programs, pdf_fonts, pdf_info, pdf_text
from tests.helpers import squash

pytestmark = pytest.mark.django_db


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response


def assert_only_bizud_mincho(content):
    fonts = pdf_fonts(content)
    assert [f["name"].split("+", 1)[1] for f in fonts] == ["BIZUDMincho-Regular"], fonts
    assert (fonts[0]["emb"], fonts[0]["sub"], fonts[0]["uni"]) == ("yes", "yes", "yes")
    original = TTFont(pdf.FONT, lazy=True)
    for program in embedded_font_programs(content):
        assert program["head"].created == original["head"].created  # the glyphs come from that very file


def test_the_roster_pdf_reads_back_with_every_area_and_officer(client, assigned_liaison, unassigned_liaison, area):
    officer = assigned_liaison.liaison_officer
    officer.phone, officer.email = "0867-72-6111（代表）", "yamada.taro@city.example.jp"
    officer.save()
    officer.assignments.update(title="主任")  # the roster prints the year's 所属/職名, kept on the assignment
    year = fiscal_year_of(timezone.localdate())
    response = download(client, "/liaisons/roster.pdf")
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "%E5%9C%B0%E5%9F%9F%E6%8B%85%E5%BD%93%E8%81%B7%E5%93%A1%E5%90%8D%E7%B0%BF" in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in [
        f"地域担当職員名簿 {fiscal_year_label(year)}",
        "新見",  # the 旧市町 heading
        "唐松",
        "唐松まちづくり協議会",
        "山田 太郎",
        "（やまだ たろう）",
        "総務課 主任",
        "電話 0867-72-6111（代表）",
        "佐藤 花子",
        "高尾ふれあい協議会",
        "総務部 総合政策課 協働推進係",
        f"{wareki_date(timezone.localdate())}現在",
        "1 / 1",
    ]:
        assert squash(expected) in squash(text), expected
    assert "yamada.taro@" not in text  # the roster page shows no e-mail, nor does its printout
    info = pdf_info(response.content)
    assert info["Page size"].startswith("595.276 x 841.89 pts (A4)")
    assert info["Title"] == f"地域担当職員名簿 {fiscal_year_label(year)}"
    assert_only_bizud_mincho(response.content)


def test_the_roster_pdf_of_a_past_year_and_of_a_year_it_does_not_have(client, assigned_liaison, current_year):
    previous = FiscalYear.for_year(current_year.year - 1)
    Assignment.objects.filter(fiscal_year=current_year).update(fiscal_year=previous)
    text = pdf_text(download(client, f"/liaisons/roster.pdf?year={previous.year}").content)
    assert f"地域担当職員名簿 {previous.label}" in text and "山田 太郎" in text
    assert client.get("/liaisons/roster.pdf?year=1990").status_code == 404
    # This year has no roster yet: the default is last year's, the latest there is, never an empty page.
    fallback = pdf_text(download(client, "/liaisons/roster.pdf").content)
    assert f"地域担当職員名簿 {previous.label}" in fallback and "山田 太郎" in fallback
    Assignment.objects.all().delete()
    empty = pdf_text(download(client, "/liaisons/roster.pdf").content)
    assert squash(f"{current_year.label}の地域担当職員はまだ登録されていません。") in squash(empty)


def test_the_roster_pdf_leaves_out_an_unpublished_organization(client, assigned_liaison, organization):
    Organization.objects.filter(pk=organization.pk).update(is_published=False)
    text = pdf_text(download(client, "/liaisons/roster.pdf").content)
    assert "唐松まちづくり協議会" not in text and "山田" not in text


def test_the_plan_summary_pdf_reads_back_with_plan_projects_and_liaisons(client, organization, plan, assigned_liaison):
    response = download(client, "/organizations/karamatsu-machizukuri/plan.pdf")
    text = pdf_text(response.content)
    year = plan.fiscal_year
    for expected in [
        "唐松まちづくり協議会",
        f"地域の計画の概要（{year.label}）",
        "② 地域の将来計画の策定",
        "活動区域 唐松",
        "唐松地区 地域の将来計画（策定済",
        "子どもから高齢者まで安心して暮らせる唐松",
        "担い手不足と移動手段",
        f"{year.label}から{fiscal_year_label(year.year + 4)}まで",
        f"{year.label}の年度計画",
        "見守りに重点",
        "高齢者支援",
        "見守り・声かけ訪問（予算 140,000円）",
        "防災マップづくり（予算 480,000円）",
        "主担当: 山田 太郎（総務課）",
    ]:
        assert squash(expected) in squash(text), expected
    assert text.index("高齢者支援") < text.index("防災")  # 分野 in their listed order
    assert "plan.pdf" not in text
    assert_only_bizud_mincho(response.content)
    assert "filename*=utf-8''" in response["Content-Disposition"]


def test_an_unpublished_organization_has_no_plan_summary(client, organization, plan):
    Organization.objects.filter(pk=organization.pk).update(is_published=False)
    assert client.get("/organizations/karamatsu-machizukuri/plan.pdf").status_code == 404
    assert client.get("/organizations/no-such/plan.pdf").status_code == 404


def test_a_character_the_font_lacks_prints_as_geta_and_no_other_font_is_drawn(client, organization, plan):
    plan.summary = "夏まつり🎆を続けます"
    plan.save()
    response = download(client, "/organizations/karamatsu-machizukuri/plan.pdf")
    text = pdf_text(response.content)
    assert "夏まつり〓を続けます" in text and "🎆" not in text
    assert_only_bizud_mincho(response.content)


def test_the_notices_still_refuse_what_the_printouts_substitute():
    html = "<p>唐松😀</p>"
    assert pdf.substitute_missing_glyphs(html) == "<p>唐松〓</p>"
    with pytest.raises(pdf.PdfFontError, match="「😀」\\(U\\+1F600\\)"):
        pdf.check_glyphs(html, document="通知書")


def test_the_pages_link_their_printouts(client, organization, assigned_liaison):
    year = fiscal_year_of(timezone.localdate())
    roster = client.get("/liaisons/").content.decode()
    assert f'href="/liaisons/roster.pdf?year={year}"' in roster
    assert f'href="/open-data/liaisons.csv?year={year}"' in roster
    detail = client.get("/organizations/karamatsu-machizukuri/").content.decode()
    assert 'href="/organizations/karamatsu-machizukuri/plan.pdf"' in detail
    home = client.get("/").content.decode()
    assert 'href="/open-data/"' in home and 'href="/schedule/"' in home
    assert ">予定</a>" in home  # in the header's navigation


def test_a_document_the_font_covers_whole_is_not_parsed_and_a_lacking_style_character_is_not_text(monkeypatch):
    """missing_glyphs() reads the text only when some character of the whole document is not in the font;
    a character only the markup or the stylesheet holds is never substituted in the text."""
    covered = "<p>唐松まちづくり協議会（令和8年度）</p>"
    monkeypatch.setattr(pdf, "_TextOnly", None)  # parsing would fail: the whole document is in the font
    assert pdf.missing_glyphs(covered) == [] and pdf.substitute_missing_glyphs(covered) == covered
    monkeypatch.undo()
    styled = '<style>li::before { content: "😀" }</style><p>唐松</p>'
    assert pdf.missing_glyphs(styled) == [] and pdf.substitute_missing_glyphs(styled) == styled
