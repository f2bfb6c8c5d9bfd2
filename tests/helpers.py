"""Small helpers the tests of every app share (fixtures live in tests/conftest.py)."""

import re

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext


def login(client, person, request=None):
    """Sign the test client in and return it. `person` is a user, or the name of a person fixture
    ("assigned_liaison"), looked up through pytest's `request`; None leaves the client an anonymous visitor."""
    if isinstance(person, str):
        person = request.getfixturevalue(person)
    if person is not None:
        client.force_login(person)
    return client


def squash(text):
    """The text without white space: pdftotext breaks lines where a line or a table cell wraps, the
    tagged PDF's structure tree does not."""
    return re.sub(r"\s+", "", text)


def rejects(make):
    """Assert that the database refuses the row `make()` writes (a constraint holds), leaving the test usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def get_within_queries(url, most):
    """GET `url` as a visitor and assert it answers 200 in at most `most` queries (the query-count
    tests of the pages and of the files, measured at every scale of the demo). Returns the response."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    assert len(queries) <= most, f"{url}: {len(queries)} queries, at most {most} expected:\n{sql}"
    return response
