"""Small helpers the tests of every app share (fixtures live in tests/conftest.py)."""

import pytest
from django.db import IntegrityError, transaction


def rejects(make):
    """Assert that the database refuses the row `make()` writes (a constraint holds), leaving the test usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()
