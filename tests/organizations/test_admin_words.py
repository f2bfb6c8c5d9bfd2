"""The clerk's words on the admin's lists (issue #30): populations with commas, plan periods and 基準日 in 和暦,
no 「URL 名」 or 「Markdown」."""

import datetime
import re

import pytest
from django.urls import reverse
from model_bakery import baker

from organizations.models import FAQ, FuturePlan, Organization, RegionStatistic
from tests.helpers import login

pytestmark = pytest.mark.django_db


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_statistics_list_reads_counts_with_commas_and_its_reference_dates_in_wareki(client, superuser, area):
    RegionStatistic.objects.create(
        region=area, reference_date=datetime.date(2025, 4, 1), population=12_345, households=5_678
    )
    client = login(client, superuser)
    url = reverse("admin:organizations_regionstatistic_changelist")
    page = text_of(client.get(url))
    assert "12,345人" in page and "5,678世帯" in page and "12345" not in page
    assert "令和7年4月1日" in page and "2025" not in page  # the 基準日 filter, not a Western year
    assert "12,345人" in text_of(client.get(url, {"reference_date": "2025-04-01"}))
    assert "12,345人" not in text_of(client.get(url, {"reference_date": "2024-04-01"}))


def test_the_plans_list_reads_its_period_in_fiscal_years(client, superuser, organization):
    baker.make(FuturePlan, organization=organization, title="将来計画", start_year=2025, end_year=2029)
    page = text_of(login(client, superuser).get(reverse("admin:organizations_futureplan_changelist")))
    assert "令和7年度～令和11年度" in page and "2029" not in page


def test_the_forms_speak_the_clerks_words(client, superuser, organization):
    client = login(client, superuser)
    organization_form = client.get(reverse("admin:organizations_organization_change", args=[organization.pk]))
    faq_form = client.get(reverse("admin:organizations_faq_add"))
    for page in (text_of(organization_form), text_of(faq_form)):
        assert "URL 名" not in page and "Markdown" not in page
    assert "ページのアドレス名" in text_of(organization_form)
    assert "「- 」で始まる行は箇条書き" in text_of(faq_form)
    assert Organization.objects.exists() and FAQ.objects.count() == 0
