"""The CSV export: opens cleanly in Excel (UTF-8 with BOM, Japanese headers, CRLF) and follows the list's filters."""

import csv
import io

import pytest
from model_bakery import baker

from organizations.models import AccessLog, Organization
from tests.organizations.conftest import put_in_status

pytestmark = pytest.mark.django_db
URL = "/admin/organizations/organization/export/"


def rows(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_export_is_excel_friendly_csv_with_japanese_headers(client, policy_officer, complete_organization):
    put_in_status(complete_organization, Organization.ApprovalStatus.APPROVED)
    client.force_login(policy_officer)
    response = client.get(URL)
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in response.content
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    header, row = rows(response)
    assert header[:6] == ["名称", "よみ", "旧市町", "活動区域", "段階", "認可の状況"]
    record = dict(zip(header, row, strict=True))
    assert record["名称"] == "唐松まちづくり協議会"
    assert record["旧市町"] == "新見"
    assert record["活動区域"] == "唐松"
    assert record["段階"] == "② 地域の将来計画の策定"
    assert record["認可の状況"] == "認可"
    assert record["認可番号"] == "新総政第7号"
    assert record["認可日（和暦）"].startswith("令和")
    assert record["代表者"] == "会長 石井 正男"  # the title (会長 by default) and the name


def test_export_follows_the_filters_and_search_of_the_list(client, policy_officer, organization, other_organization):
    put_in_status(other_organization, Organization.ApprovalStatus.APPLIED)
    client.force_login(policy_officer)
    assert [r[0] for r in rows(client.get(URL, {"approval_status__exact": "applied"}))[1:]] == ["高尾ふれあい協議会"]
    assert [r[0] for r in rows(client.get(URL, {"q": "からまつ"}))[1:]] == ["唐松まちづくり協議会"]
    assert len(rows(client.get(URL))) == 3


def test_the_list_page_links_to_the_export_with_its_filters(client, policy_officer, organization):
    client.force_login(policy_officer)
    html = client.get("/admin/organizations/organization/", {"stage__exact": 2}).content.decode()
    assert f'href="{URL}?stage__exact=2"' in html
    assert "CSVで出力" in html


def test_text_that_excel_would_run_as_a_formula_is_kept_as_text(client, policy_officer, organization):
    Organization.objects.filter(pk=organization.pk).update(name='=HYPERLINK("http://example.com")')
    client.force_login(policy_officer)
    assert rows(client.get(URL))[1][0] == '\'=HYPERLINK("http://example.com")'


def test_export_query_count_does_not_grow(client, policy_officer, organization, django_assert_num_queries):
    client.force_login(policy_officer)
    for i in range(30):
        baker.make(Organization, name=f"組織{i}", name_kana=f"そしき{i}", slug=f"o{i}").regions.set(
            [organization.regions.first()]
        )
    # 1 session, 2 user, 3-4 permissions, 5 and 8 the 旧市町 filter's choices (list, then its queryset),
    # 6-7 the list's counts, 9 the organizations, 10 their areas with parents (one prefetch), 12-13 the access
    # log: the organizations' ids and names, then one row each in one insert.
    with django_assert_num_queries(13):  # 1 of them: django-otp's device of the session
        response = client.get(URL)
    assert len(rows(response)) == 32
    logged = AccessLog.objects.filter(kind="地域運営組織の連絡先（一覧のCSV）", action=AccessLog.Action.DOWNLOAD)
    assert logged.count() == 31 and set(logged.values_list("username", flat=True)) == {policy_officer.username}
