"""Issue 14, finding 8: staff pages not kept by browsers, gzip refused with q=0, no X-Page-Cache in
production, .ics UIDs with an IPv6 host, a Japanese 400 page and /favicon.ico.
(The production server's answers to the same are checked in tests/security/test_headers.py.)"""

import subprocess

import pytest

from niimi_portal import caching
from tests.helpers import Client
from tests.production import PYTHON, ROOT, production_env

pytestmark = pytest.mark.django_db


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("assigned_liaison", "/workspace/"), ("policy_officer", "/admin/"),
        ("policy_officer", "/admin/organizations/organization/"), ("assigned_liaison", "/faq/"),
    ],
)  # fmt: skip
def test_pages_for_signed_in_staff_are_private_and_not_stored(client, request, who, url):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_public_pages_for_residents_stay_cacheable(client, demo):
    response = client.get("/faq/")
    assert "no-store" not in cache_control(response)
    assert client.get("/faq/")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True), ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.8, *;q=0.1", True), ("*", True),
        ("gzip;q=0", False), ("gzip; q=0.000", False), ("identity", False), ("*;q=0", False),
        ("gzip;q=0, *", False), ("deflate, *;q=0.5", True), ("gzip;q=abc", False), ("", False),
    ],
)  # fmt: skip
def test_accept_encoding_quality_values(header, accepted):
    assert caching.accepts_gzip(header) is accepted


@pytest.mark.parametrize("encoding", ["gzip;q=0", "gzip;q=0, identity;q=1"])
def test_gzip_refused_with_q_0_is_sent_as_it_is(client, demo, encoding):
    for how in ("miss", "hit"):
        response = client.get("/faq/", headers={"Accept-Encoding": encoding})
        assert response["X-Page-Cache"] == how
        assert "Content-Encoding" not in response
        assert "よくある質問" in response.content.decode()


def test_the_page_cache_header_is_off_in_production_settings(tmp_path):
    env = production_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code = "import django; django.setup(); from django.conf import settings; print(settings.PUBLIC_PAGE_CACHE_HEADER)"
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_no_page_cache_header_when_it_is_off(client, demo, settings):
    settings.PUBLIC_PAGE_CACHE_HEADER = False
    for _ in range(2):
        response = client.get("/faq/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


def test_ics_uids_are_valid_with_an_ipv6_host(demo):
    response = Client().get("/schedule.ics", headers={"host": "[::1]:8000"})
    assert response.status_code == 200
    uids = [line for line in response.content.decode().splitlines() if line.startswith("UID:")]
    assert uids
    assert all(uid.endswith("@[::1]") for uid in uids), uids[:3]


def test_a_bad_request_gets_a_japanese_page(client, db):
    response = client.get("/faq/", headers={"host": "evil.example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="ja">' in html and "リクエストを受け付けられません" in html


def test_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert "icon" in response["Content-Type"]
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")
