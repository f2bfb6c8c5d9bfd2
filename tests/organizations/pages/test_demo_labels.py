"""Every invented figure, name, date or rule carries a visible デモ label wherever it appears: pages,
PDFs, CSV; invented staff never show the city's real numbers."""

import csv
import io

import pytest

from grants.models import IntegratedSubsidy
from organizations.models import CaseStudy
from staff.models import LiaisonOfficer
from tests.grants.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_mode_on(settings):
    """The labels show in demo mode only (tests/niimi_portal/test_demo_mode.py checks them absent with it off)."""
    settings.DEMO_MODE = True


CITY_SWITCHBOARD = "0867-72-6111"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_invented_liaison_staff_are_labelled_and_never_beside_the_citys_numbers(client, module_demo):
    officers = list(LiaisonOfficer.objects.filter(is_demo=True))
    assert len(officers) == 4
    roster = page(client, "/liaisons/")
    for officer in officers:
        after = roster.split(officer.name, 1)[1].split("</div>", 1)[0]
        assert "デモ" in after, officer.name
    assert CITY_SWITCHBOARD not in roster


def test_the_roster_pdf_and_csv_label_invented_staff(client, module_demo):
    pdf = pdf_text(client.get("/liaisons/roster.pdf").content)
    names = sum(pdf.count(officer.name) for officer in LiaisonOfficer.objects.filter(is_demo=True))
    assert names >= 4 and pdf.count("［デモ］") == names  # one label per invented person shown
    assert CITY_SWITCHBOARD not in pdf
    rows = list(csv.DictReader(io.StringIO(client.get("/open-data/liaisons.csv").content.decode("utf-8-sig"))))
    assert rows and all(row["備考"] == "デモ用の架空の職員です。" for row in rows)
    assert all(row["電話番号"] == "" for row in rows)


def test_invented_predecessors_are_labelled(client, module_demo):
    kumano = page(client, "/organizations/kumano-mirai/")
    predecessor = kumano.split("熊野地域振興会", 1)[1][:200]
    assert "デモ" in predecessor


def test_case_examples_with_invented_dates_and_details_are_labelled(client, module_demo):
    cases = page(client, "/cases/")
    for case in CaseStudy.objects.published():
        assert case.is_demo
        assert "デモ" in cases.split(case.title, 1)[1][:300], case.title
        detail = page(client, case.get_absolute_url())
        assert "デモ用の架空の日付" in detail and "細部はデモ用の架空の内容です" in detail


def test_the_grant_formula_and_subsidy_names_are_labelled_as_invented(client, module_demo):
    grants = page(client, "/grants/")
    assert "この組み立ては市の実際の算定方法ではなく、デモ用の仮のものです" in grants
    for subsidy in IntegratedSubsidy.objects.all():
        assert subsidy.is_demo
        assert "デモ" in grants.split(subsidy.name, 1)[1][:200], subsidy.name
