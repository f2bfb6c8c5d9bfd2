"""Finding 2 of issue 14: behind the reverse proxy, a lockout belongs to the real client's address.

Real Debian nginx (the site file in deploy/nginx/) in front of gunicorn under production settings. Two
visitors reach nginx from different loopback addresses; nginx passes each one's address on in
X-Forwarded-For, and the portal trusts that one proxy (PORTAL_TRUSTED_PROXY_COUNT=1). Before the fix
every request had nginx's address, so five wrong passwords from anyone locked the clerk out everywhere.
"""

import pytest

from niimi_portal.demo.loader import DEMO_PASSWORD
from tests.nginx import NginxProxy
from tests.production import PostgresDatabase, ProductionSite, on_postgres

ATTACKER, CLERK = "127.0.0.2", "127.0.0.3"


@pytest.fixture(scope="module")
def proxy(tmp_path_factory, static_root):
    tmp = tmp_path_factory.mktemp("proxied")
    database = PostgresDatabase() if on_postgres() else None
    url = database.url() if database else f"sqlite:///{tmp / 'db.sqlite3'}"
    site = ProductionSite(tmp, url, static_root)
    nginx = NginxProxy(tmp, [site.port], static_root)
    site.env.update({
        "PORTAL_TRUSTED_PROXY_COUNT": "1",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{nginx.https_port}",
    })  # fmt: skip
    try:
        site.prepare().start()
        yield nginx.start()
    finally:
        nginx.stop()
        site.stop()
        if database:
            database.drop()


def fail_until_locked(client, username):
    statuses = [client.login(username, "wrong-password")[0] for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429], statuses


def test_wrong_passwords_from_one_client_do_not_lock_the_clerk_out_from_another(proxy):
    attacker, clerk = proxy.client(source=ATTACKER), proxy.client(source=CLERK)
    fail_until_locked(attacker, "seisaku")
    assert attacker.login("seisaku", DEMO_PASSWORD)[0] == 429

    status, headers, _ = clerk.login("seisaku", DEMO_PASSWORD)
    assert status == 302, "the clerk at another address was locked out too"
    assert "sessionid" in clerk.cookies


def test_a_locked_out_client_cannot_escape_by_writing_its_own_forwarded_address(proxy):
    attacker = proxy.client(source=ATTACKER)
    fail_until_locked(attacker, "tanto1")
    spoofed = {"X-Forwarded-For": CLERK}
    assert attacker.login("tanto1", DEMO_PASSWORD, headers=spoofed)[0] == 429
    assert proxy.client(source=CLERK).login("tanto1", DEMO_PASSWORD)[0] == 302
