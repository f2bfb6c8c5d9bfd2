"""Issue 36, item 5: nginx keeps the public pages the app marks shareable (`X-Accel-Expires`) for a few seconds,
never a page for a visitor with a session, keys the copies by the display choices, and serves the last good copy
with a notice when no app server answers.

Real Debian nginx with the site file in deploy/nginx/, in front of a small upstream that counts its requests
and answers like the portal (the portal's own header is tested in tests/niimi_portal/test_page_cache.py).
"""

import http.server
import threading
import time

import pytest

from tests.nginx import NginxProxy


class Upstream(http.server.ThreadingHTTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests, self.forwarded, self.shareable = [], [], True
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self):
        return self.server_address[1]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.server.requests.append((self.path, self.headers.get("Cookie", "")))
        self.server.forwarded.append((self.headers["Host"], self.headers.get("X-Forwarded-Proto")))
        body = (
            f'<html><body class="x">\n<!--portal-stale-notice-->\n<p>版 {len(self.server.requests)}'
            f" 文字 {self.headers.get('Cookie', '')}</p></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if self.server.shareable and "sessionid" not in self.headers.get("Cookie", ""):
            self.send_header("X-Accel-Expires", "2")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def proxied(tmp_path):
    static_root = tmp_path / "static"
    (static_root / "css").mkdir(parents=True)
    (static_root / "css" / "site.0123456789ab.css").write_text("body { color: black; }")
    upstream = Upstream()
    upstream.thread.start()
    nginx = NginxProxy(tmp_path, [upstream.port], static_root)
    try:
        yield upstream, nginx.start()
    finally:
        nginx.stop()
        upstream.shutdown()
        upstream.server_close()


def test_a_shareable_page_is_answered_by_nginx_until_it_expires(proxied):
    upstream, nginx = proxied
    first = nginx.client().get("/about/")
    second = nginx.client(source="127.0.0.2").get("/about/")
    assert first[0] == second[0] == 200
    assert second[2] == first[2] and len(upstream.requests) == 1  # the second visitor got nginx's copy
    assert "X-Accel-Expires" not in second[1]  # nginx keeps it to itself
    assert upstream.forwarded == [("127.0.0.1", "https")]  # the host the visitor asked for, not the upstream name
    assert "stale-notice" not in second[2] and "<!--portal-stale-notice-->" not in second[2]
    time.sleep(3.5)  # past the 2 s lifetime (nginx counts whole seconds)
    assert "版 2" in nginx.client().get("/about/")[2]  # past its lifetime: the next visitor's request refreshes it


def test_a_visitor_with_a_session_always_reaches_the_app(proxied):
    upstream, nginx = proxied
    nginx.client().get("/")
    signed_in = nginx.client()
    signed_in.cookies["sessionid"] = "abc"
    for _ in range(2):
        assert "sessionid=abc" in signed_in.get("/")[2]
    assert len(upstream.requests) == 3


def test_the_display_choices_get_their_own_copy(proxied):
    upstream, nginx = proxied
    large = nginx.client()
    large.cookies["portal_text_size"] = "large"
    plain = nginx.client().get("/faq/")[2]
    assert "portal_text_size=large" in large.get("/faq/")[2] and "portal_text_size" not in plain
    assert "portal_text_size" not in nginx.client().get("/faq/")[2]
    assert len(upstream.requests) == 2


def test_a_page_not_marked_shareable_is_never_kept(proxied):
    upstream, nginx = proxied
    upstream.shareable = False
    nginx.client().get("/accounts/login/")
    nginx.client().get("/accounts/login/")
    assert len(upstream.requests) == 2


def test_with_no_app_server_the_last_copy_is_served_with_a_notice(proxied):
    upstream, nginx = proxied
    assert nginx.client().get("/organizations/")[0] == 200
    upstream.shutdown()
    upstream.server_close()
    time.sleep(3.5)  # past the 2 s lifetime (nginx counts whole seconds)
    status, headers, page = nginx.client().get("/organizations/")
    assert status == 200 and "版 1" in page
    assert "内容が最新ではない場合があります" in page and 'class="stale-notice"' in page
    status, _, page = nginx.client().get("/never-seen/")
    assert status == 502 and "ただいまご利用になれません" in page  # nothing kept: nginx's Japanese page


def test_nginx_answers_its_own_files_with_the_security_headers(proxied):
    _, nginx = proxied
    status, headers, _ = nginx.client().get("/static/css/site.0123456789ab.css")
    assert status == 200
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
