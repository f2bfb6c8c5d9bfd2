import pytest

from tests.production import PostgresDatabase, ProductionSite, on_postgres


@pytest.fixture(scope="module")
def production_site(tmp_path_factory, static_root):
    """The portal under production settings and gunicorn, with the demo data, on this suite's database kind."""
    tmp = tmp_path_factory.mktemp("production")
    database = PostgresDatabase() if on_postgres() else None
    url = database.url() if database else f"sqlite:///{tmp / 'db.sqlite3'}"
    site = ProductionSite(tmp, url, static_root).prepare().start()
    yield site
    site.stop()
    if database:
        database.drop()


@pytest.fixture
def world(
    town, area, organization, other_organization, assigned_liaison, unassigned_liaison, policy_officer, superuser,
    current_year,
):  # fmt: skip
    """Both areas with their liaisons and records, a decided grant: see tests/security/world.py."""
    from tests.security.world import build_world

    return build_world(
        town=town,
        area=area,
        organization=organization,
        other_organization=other_organization,
        assigned_liaison=assigned_liaison,
        unassigned_liaison=unassigned_liaison,
        policy_officer=policy_officer,
        superuser=superuser,
        current_year=current_year,
    )
