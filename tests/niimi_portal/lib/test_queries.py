"""by_key(): the row a unique key finds, without the ORDER BY `.first()` adds."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from model_bakery import baker

from niimi_portal.lib.queries import by_key
from organizations.models import Region


def test_the_row_of_a_unique_key_or_none_and_no_order_by(db):
    area = baker.make(Region, name="唐松", name_kana="からまつ", kind="oaza", slug="karamatsu")
    with CaptureQueriesContext(connection) as queries:
        assert by_key(Region.objects.filter(slug="karamatsu")) == area
        assert by_key(Region.objects.filter(slug="none")) is None
    assert len(queries) == 2
    assert all("ORDER BY" not in query["sql"] for query in queries)
    assert "ORDER BY" in str(Region.objects.filter(slug="karamatsu").order_by("pk")[:1].query)  # the check can fail
