"""Issue 32, item 2: a representative's name and an organization's telephone and e-mail are public only with
a recorded consent (organizations.PublicationConsent). Without one, every public place of the organization
(its page, its printout PDF read back with pdftotext, the open data CSV and JSON, the site search) shows the
representative's title and the city's contact; a withdrawal takes them off on the next request, page cache
on."""

import datetime
import json

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from niimi_portal.demo.data import WITHOUT_CONSENT
from organizations import services
from organizations.models import Organization, PublicationConsent
from tests.grants.pdf import pdf_text
from tests.helpers import Client

pytestmark = pytest.mark.django_db

NAME = "石井 正男"
PHONE = "0867-99-1234"
EMAIL = "ishii-kaichou@example.jp"
Item = PublicationConsent.Item


@pytest.fixture
def represented(organization):
    organization.representative_title = "会長"
    organization.representative_name = NAME
    organization.contact_phone = PHONE
    organization.contact_email = EMAIL
    organization.save()
    return organization


def consent(organization, item, by, **fields):
    fields = {
        "given_by": f"会長 {NAME}",
        "given_on": timezone.localdate() - datetime.timedelta(days=3),
        "method": PublicationConsent.Method.WRITTEN,
        **fields,
    }
    return services.record_consent(organization=organization, item=item, by=by, **fields)


def public_places(organization, *, pdf=True):
    """{place: the text a resident reads there} for every public place naming the organization."""
    client = Client()

    def text(url):
        response = client.get(url)
        assert response.status_code == 200, url
        return response.content.decode()

    places = {
        "page": text(organization.get_absolute_url()),
        "csv": text("/open-data/organizations.csv"),
        "json": json.dumps(json.loads(text("/open-data/organizations.json")), ensure_ascii=False),
        "search by organization": text(f"/search/?q={organization.name}"),
    }
    if pdf:
        places["printout"] = pdf_text(client.get(f"{organization.get_absolute_url()}plan.pdf").content)
    return places


def test_without_consent_the_name_phone_and_email_are_on_no_public_page(represented):
    places = public_places(represented)
    assert represented.get_absolute_url() in places["search by organization"]
    for place, text in places.items():
        for personal in (NAME, PHONE, EMAIL, "石井"):
            assert personal not in text, f"{personal} on {place}"
    # A search for the representative's name does not lead to the organization.
    assert represented.get_absolute_url() not in Client().get("/search/", {"q": "石井"}).content.decode()
    # The title stays (the organization has a 会長), and the city's contact stands in for its own.
    assert "会長" in places["page"]
    assert "会長" in places["printout"]
    city_phone = settings.PORTAL["CONTACT_PHONE"]
    assert f"{settings.PORTAL['CONTACT_DEPARTMENT']}（電話" in places["page"]
    assert city_phone in places["csv"] and city_phone in places["json"]
    assert "掲載の同意がある場合だけ" in places["csv"]


def test_with_consent_they_are_on_the_page_the_printout_and_the_open_data(represented, policy_officer):
    for item in Item.values:
        consent(represented, item, policy_officer)
    places = public_places(represented)
    assert f"会長 {NAME}" in places["page"]
    assert PHONE in places["page"] and EMAIL in places["page"]
    assert NAME in places["printout"] and PHONE in places["printout"] and EMAIL in places["printout"]
    for data in ("csv", "json"):
        assert PHONE in places[data] and EMAIL in places[data]
        assert NAME not in places[data]  # the open data never names a person (niimi_portal.opendata)
    assert settings.PORTAL["CONTACT_PHONE"] not in places["csv"]


def test_a_consent_covers_one_item_only(represented, policy_officer):
    consent(represented, Item.PHONE, policy_officer)
    page = public_places(represented, pdf=False)["page"]
    assert PHONE in page
    assert NAME not in page and EMAIL not in page


def test_a_new_representative_is_not_published_under_the_previous_ones_consent(represented, policy_officer):
    consent(represented, Item.NAME, policy_officer)
    represented.representative_name = "藤原 和子"
    represented.save()
    page = public_places(represented, pdf=False)["page"]
    assert "藤原" not in page and NAME not in page
    # The same name written with a full-width space is the same name.
    represented.representative_name = "石井　正男"
    represented.save()
    assert "石井　正男" in public_places(represented, pdf=False)["page"]


def test_withdrawing_takes_them_off_at_once_with_the_page_cache_on(represented, policy_officer):
    consents = [consent(represented, item, policy_officer) for item in Item.values]
    client = Client()
    url = represented.get_absolute_url()
    for address in (url, "/open-data/organizations.csv"):
        client.get(address)
        cached = client.get(address)
        assert cached["X-Page-Cache"] == "hit", address
        assert PHONE in cached.content.decode()

    for given in consents:
        services.withdraw_consent(consent=given, by=policy_officer, reason="会長から撤回の申出（書面）")

    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert NAME not in page.content.decode() and PHONE not in page.content.decode()
    assert EMAIL not in page.content.decode()
    data = client.get("/open-data/organizations.csv").content.decode()
    assert PHONE not in data and EMAIL not in data
    assert PHONE not in pdf_text(client.get(f"{url}plan.pdf").content)
    # The withdrawn consent is kept, with who withdrew it in its history.
    withdrawn = PublicationConsent.objects.get(pk=consents[0].pk)
    assert withdrawn.withdrawn_on == timezone.localdate()
    assert withdrawn.history.first().history_user == policy_officer
    assert withdrawn.history.first().history_change_reason == "会長から撤回の申出（書面）"


def test_a_withdrawn_consent_cannot_be_withdrawn_again_nor_dated_in_the_future(represented, policy_officer):
    given = consent(represented, Item.NAME, policy_officer)
    services.withdraw_consent(consent=given, by=policy_officer)
    with pytest.raises(ValidationError, match="撤回されています"):
        services.withdraw_consent(consent=given, by=policy_officer)
    with pytest.raises(ValidationError, match="先の日付"):
        consent(represented, Item.PHONE, policy_officer, given_on=timezone.localdate() + datetime.timedelta(days=1))


def test_the_demo_shows_names_with_consent_and_one_organization_without(demo):
    with_consent = public_places(Organization.objects.get(slug="kumano-mirai"), pdf=False)["page"]
    assert "会長 石井 正男" in with_consent and "0867-00-1001" in with_consent
    without = Organization.objects.get(slug=WITHOUT_CONSENT)
    page = public_places(without, pdf=False)["page"]
    assert without.representative_name not in page and without.contact_phone not in page
    assert settings.PORTAL["CONTACT_PHONE"] in page
    assert PublicationConsent.objects.filter(is_demo=False).count() == 0
