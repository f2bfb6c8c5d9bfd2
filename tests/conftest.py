"""The people every test shares: a policy officer, an assigned liaison, an unassigned liaison, a resident."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from model_bakery import baker, generators, random_gen

from grants.models import FiscalYear
from niimi_portal.lib import shared_cache
from niimi_portal.lib.wareki import fiscal_year_of
from organizations.models import Organization, Region
from staff.models import Assignment, LiaisonOfficer
from tests.helpers import Client
from tests.mail import smtp_mailers, start_smtp_server

PASSWORD = "test-pass-9f3k"
POLICY_DIVISION_EMAIL = "kyodo@seisaku.example"

# The project's DateField (Django's, with a form that reads 和暦) is filled as Django's DateField is.
generators.add("niimi_portal.lib.dates.DateField", random_gen.gen_date)


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL (row locks, concurrency): on SQLite they are deselected, and
    the run says so. CI runs the suite on both databases, so they are never skipped there."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    postgres_only = [item for item in items if item.get_closest_marker("postgres")]
    if not postgres_only:
        return
    items[:] = [item for item in items if item not in postgres_only]
    config.hook.pytest_deselected(items=postgres_only)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        names = ", ".join(item.name for item in postgres_only)
        reporter.write_line(f"NOTE: deselected on SQLite (run with a postgres:// DATABASE_URL): {names}", yellow=True)


@pytest.fixture(scope="session", autouse=True)
def _session_media(tmp_path_factory):
    """Files written by module-wide fixtures (the demo's case photo) go to a temporary folder too."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Where collectstatic (compressed, hashed names) runs once for every production process of the session:
    the production sites of tests/security, the benchmarks' smoke runs (tests/bench)."""
    return tmp_path_factory.mktemp("static")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached pages must not outlive the rolled-back data; and with
    no failure of the cache remembered (niimi_portal/lib/shared_cache.py)."""
    cache.clear()
    shared_cache.local.clear()
    shared_cache.reset()


@pytest.fixture
def current_year(db):
    from django.utils import timezone

    return FiscalYear.for_year(fiscal_year_of(timezone.localdate()))


@pytest.fixture
def town(db):
    return baker.make(Region, kind=Region.Kind.FORMER_TOWN, name="新見", name_kana="にいみ", slug="niimi")


@pytest.fixture
def area(town):
    return baker.make(Region, kind=Region.Kind.OAZA, name="唐松", name_kana="からまつ", slug="karamatsu", parent=town)


@pytest.fixture
def other_area(town):
    return baker.make(Region, kind=Region.Kind.OAZA, name="高尾", name_kana="たかお", slug="takao", parent=town)


@pytest.fixture
def organization(area):
    org = baker.make(
        Organization,
        name="唐松まちづくり協議会",
        name_kana="からまつまちづくりきょうぎかい",
        slug="karamatsu-machizukuri",
        is_published=True,
        stage=Organization.Stage.PLANNING,
    )
    org.regions.set([area])
    return org


@pytest.fixture
def other_organization(other_area):
    org = baker.make(
        Organization,
        name="高尾ふれあい協議会",
        name_kana="たかおふれあいきょうぎかい",
        slug="takao-fureai",
        is_published=True,
    )
    org.regions.set([other_area])
    return org


@pytest.fixture
def client():
    """pytest-django's client, as tests.helpers.Client: `force_login` signs 総合政策課 clerks and
    superusers in verified (they must give a second factor; tests/security/test_two_factor.py tests that)."""
    return Client()


@pytest.fixture
def admin_client(db, admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def _user(username, *, staff=False, superuser=False, group=None):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=staff, is_superuser=superuser)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def policy_officer(db):
    return _user("seisaku", staff=True, group=settings.POLICY_GROUP)


@pytest.fixture
def clerk(client, policy_officer):
    """The test client, signed in as the policy officer (a 総合政策課 clerk in the admin)."""
    client.force_login(policy_officer)
    return client


@pytest.fixture
def inbox(settings):
    """Mail really sent, through an SMTP server the test starts, and read back from it; the policy
    division's address is POLICY_DIVISION_EMAIL."""
    controller, inbox = start_smtp_server()
    settings.MAILERS = smtp_mailers(controller)
    settings.POLICY_DIVISION_EMAIL = POLICY_DIVISION_EMAIL
    yield inbox
    controller.stop()


@pytest.fixture
def superuser(db):
    return _user("admin", staff=True, superuser=True)


@pytest.fixture
def assigned_liaison(organization, current_year):
    user = _user("tanto1", group=settings.LIAISON_GROUP)
    officer = baker.make(LiaisonOfficer, user=user, name="山田 太郎", name_kana="やまだ たろう", department="総務課")
    baker.make(Assignment, officer=officer, organization=organization, fiscal_year=current_year, role="main")
    return user


@pytest.fixture
def unassigned_liaison(other_organization, current_year):
    user = _user("tanto2", group=settings.LIAISON_GROUP)
    officer = baker.make(LiaisonOfficer, user=user, name="佐藤 花子", name_kana="さとう はなこ", department="福祉課")
    baker.make(Assignment, officer=officer, organization=other_organization, fiscal_year=current_year, role="main")
    return user


@pytest.fixture
def demo(db):
    """The full demo dataset, as `make run` loads it."""
    call_command("loaddemo", verbosity=0)


def load_demo_for_module(django_db_blocker, **options):
    """Load the demo data once for a whole module, inside a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddemo", verbosity=0, **options)
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module that asks for it."""
    yield from load_demo_for_module(django_db_blocker)


@pytest.fixture(scope="module", params=[1, 10], ids=["loaddemo", "loaddemo-scale-10"])
def scaled_demo(request, django_db_setup, django_db_blocker):
    """The demo data at scale 1, then at ten times the areas, organizations, meetings and FAQ: each
    test using it runs at both, so a count or a page that grows with the data shows."""
    for _ in load_demo_for_module(django_db_blocker, scale=request.param):
        yield request.param
