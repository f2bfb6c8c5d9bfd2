"""Security headers and cookies on every kind of page, as the production server sends them."""

import gzip
import subprocess
import urllib.error
import urllib.request

import pytest
from django_otp.oath import totp

from niimi_portal.demo.loader import DEMO_PASSWORD, DEMO_TOTP_KEY
from tests.production import PYTHON, ROOT, production_env

PAGES = {
    "public": "/",
    "login": "/accounts/login/",
    "admin": "/admin/login/",
}


def assert_security_headers(headers):
    csp = headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_page_sends_every_security_header(production_site, page):
    status, headers, _ = production_site.client().get(page)
    assert status == 200
    assert_security_headers(headers)


def test_a_page_served_from_the_page_cache_sends_them_too(production_site):
    """A cached page is answered before most middleware runs: its stored headers must carry them."""
    client = production_site.client()
    answers = [client.get("/faq/") for _ in range(3)]
    assert [status for status, _, _ in answers] == [200, 200, 200]
    assert len({html for _, _, html in answers}) == 1
    for _, headers, _ in answers:
        assert_security_headers(headers)
        # Whether a page came from the cache is not told to the outside (issue 14, finding 8).
        assert headers["X-Page-Cache"] is None
    status, headers, _ = client.request("/faq/", headers={"X-Forwarded-Proto": "http"})
    assert status == 301 and headers["Location"].startswith("https://")


def test_a_compressed_page_from_the_real_server_reads_back_whole(production_site):
    def fetch(encoding):
        request = urllib.request.Request(
            production_site.url + "/faq/", headers={"X-Forwarded-Proto": "https", "Accept-Encoding": encoding}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.headers, response.read()

    _, plain = fetch("identity")
    for _ in range(2):
        headers, packed = fetch("gzip")
        assert headers["Content-Encoding"] == "gzip" and int(headers["Content-Length"]) == len(packed)
        assert gzip.decompress(packed) == plain
        assert_security_headers(headers)


def demo_code():
    """The code the demo clerk's authenticator app shows now (the demo key, niimi_portal.demo.loader)."""
    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}"


def test_staff_pages_after_login_send_the_headers_and_secure_cookies(production_site):
    client = production_site.client()
    status, headers, _ = client.login("seisaku", DEMO_PASSWORD)
    assert status == 302
    cookies = headers.get_all("Set-Cookie")
    session = next(c for c in cookies if c.startswith("sessionid="))
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in session
    csrf = next(c for c in cookies if c.startswith("csrftoken="))
    assert "Secure" in csrf and "SameSite=Lax" in csrf
    status, headers, _ = client.get("/admin/")
    assert status == 302 and headers["Location"].startswith("/accounts/two-factor/verify/")  # the second factor
    status, headers, _ = client.post_form("/accounts/two-factor/verify/", {"code": demo_code()})
    assert status == 302
    status, headers, html = client.get("/admin/")
    assert status == 200 and "総合政策課" in html
    assert_security_headers(headers)
    for page in ("/admin/", "/admin/organizations/organization/"):
        status, headers, _ = client.get(page)
        assert status == 200
        assert {"private", "no-store"} <= {part.strip() for part in headers["Cache-Control"].split(",")}, page


def test_gzip_refused_with_q_0_is_not_sent(production_site):
    for encoding in ("gzip;q=0", "gzip; q=0.0, identity", "*;q=0"):
        for _ in range(2):  # stored, then from the cache
            request = urllib.request.Request(
                production_site.url + "/faq/", headers={"X-Forwarded-Proto": "https", "Accept-Encoding": encoding}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.headers["Content-Encoding"] is None, encoding
                assert "よくある質問" in response.read().decode()


def test_favicon_is_served_at_the_root(production_site):
    request = urllib.request.Request(production_site.url + "/favicon.ico", headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        assert "icon" in response.headers["Content-Type"]
        assert response.read().startswith(b"\x00\x00\x01\x00")  # an ICO file


def test_a_bad_request_gets_the_japanese_400_page(production_site):
    request = urllib.request.Request(
        production_site.url + "/faq/", headers={"Host": "evil.example", "X-Forwarded-Proto": "https"}
    )
    try:
        urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as error:
        status, html = error.code, error.read().decode()
    assert status == 400
    assert '<html lang="ja">' in html and "リクエストを受け付けられません" in html


def test_plain_http_is_redirected_to_https(production_site):
    status, headers, _ = production_site.client().request("/", headers={"X-Forwarded-Proto": "http"})
    assert status == 301
    assert headers["Location"].startswith("https://")


def test_deploy_check_reports_no_issue(tmp_path):
    env = production_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_SECRET_KEY="")
    result = subprocess.run([PYTHON, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
