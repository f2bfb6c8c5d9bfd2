"""FAQ categories are data the clerks name and order; the migration kept today's four."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db.models import ProtectedError
from model_bakery import baker

from organizations.models import FAQ, FAQCategory

FIXED = importlib.import_module("organizations.migrations.0006_faq_categories_as_data")
FIXED_CATEGORIES, create_fixed_categories = FIXED.FIXED_CATEGORIES, FIXED.create_fixed_categories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def categories():
    """Today's four (a browser test's flush may have emptied the table the migration filled)."""
    for order, (code, name) in enumerate(FIXED_CATEGORIES, start=1):
        FAQCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def test_the_migration_creates_todays_categories_in_todays_order():
    FAQCategory.objects.all().delete()
    create_fixed_categories(django_apps, None)
    assert list(FAQCategory.objects.values_list("code", "name")) == [
        ("system", "仕組み・考え方"),
        ("organization", "地域運営組織"),
        ("liaison", "地域担当職員"),
        ("grant", "一括交付金"),
    ]


def test_the_page_follows_the_clerks_order_and_names(client):
    for code, question in [("system", "仕組みの質問"), ("grant", "交付金の質問")]:
        baker.make(FAQ, category_id=code, question=question, answer="答え", is_published=True)
    page = client.get("/faq/").content.decode()
    assert page.index("仕組みの質問") < page.index("交付金の質問")
    grant = FAQCategory.objects.get(code="grant")
    grant.order, grant.name = 0, "お金のこと"
    grant.save()  # as the admin saves it: the cached page is stale at once
    page = client.get("/faq/").content.decode()
    assert page.index("交付金の質問") < page.index("仕組みの質問")
    assert 'id="category-grant-heading">お金のこと</h2>' in page


def test_clerk_reorders_categories_in_the_admin_list(client, policy_officer):
    client.force_login(policy_officer)
    categories = list(FAQCategory.objects.all())
    data = {"form-TOTAL_FORMS": len(categories), "form-INITIAL_FORMS": len(categories), "_save": "保存"}
    for i, category in enumerate(reversed(categories)):
        data[f"form-{i}-id"] = category.pk
        data[f"form-{i}-order"] = i + 1
    response = client.post("/admin/organizations/faqcategory/", data)
    assert response.status_code == 302
    assert list(FAQCategory.objects.values_list("code", flat=True)) == ["grant", "liaison", "organization", "system"]


def test_a_category_with_questions_cannot_be_deleted():
    baker.make(FAQ, category_id="liaison", question="q", answer="a")
    with pytest.raises(ProtectedError):
        FAQCategory.objects.get(code="liaison").delete()
