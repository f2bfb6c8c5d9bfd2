import pytest
from django.core.management import call_command
from django.db import transaction


def load_demo_for_module(django_db_blocker, **options):
    """Load the demo data once for a whole module, inside a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddemo", verbosity=0, **options)
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_demo(django_db_setup, django_db_blocker):
    yield from load_demo_for_module(django_db_blocker)
