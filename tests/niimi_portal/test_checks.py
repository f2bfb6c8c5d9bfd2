import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_system_check_is_clean():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_no_migrations_are_missing():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)
