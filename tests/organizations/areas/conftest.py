import pytest
from model_bakery import baker

from organizations.models import CaseStudy


@pytest.fixture
def case(organization):
    return baker.make(CaseStudy, organization=organization, slug="workshop", title="ワークショップ", is_published=True)
