"""The files in deploy/ are valid for the programs that read them (nginx, systemd) and agree with the app.

They run for real, with two gunicorn instances, PostgreSQL and Redis, in `make deploy-check` (deploy/check.py,
about three minutes); these checks are the fast part that runs with every `make test`.
"""

import re
import subprocess

from niimi_portal import settings as portal_settings
from niimi_portal.lib.uploads import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_UPLOAD
from tests.nginx import NGINX, SITE, NginxProxy
from tests.production import ROOT

DEPLOY = ROOT / "deploy"


def test_nginx_accepts_the_site_file(tmp_path):
    proxy = NginxProxy(tmp_path, [8001, 8002], tmp_path / "static")
    proxy.write_configuration()
    configuration, log = proxy.prefix / "nginx.conf", proxy.prefix / "error.log"
    command = [NGINX, "-t", "-p", str(proxy.prefix), "-c", str(configuration), "-e", str(log)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_nginx_accepts_a_whole_meeting_record_with_its_attachments():
    size = re.search(r"location /workspace/ \{\s*client_max_body_size (\d+)m;", SITE.read_text())
    assert size, "client_max_body_size is not set in megabytes for the workspace"
    assert int(size.group(1)) * 1024 * 1024 > MAX_ATTACHMENTS_PER_UPLOAD * MAX_ATTACHMENT_BYTES


def test_large_bodies_only_where_staff_upload_files():
    """Issue 32, item 6: 105m for the whole site let anonymous users post 30 MB to /accounts/login/."""
    sizes = re.findall(r"(?:location (\S+) \{\s*)?client_max_body_size (\d+)m;", SITE.read_text())
    assert ("", "1") in sizes, sizes  # the server's own
    assert {location for location, size in sizes if int(size) > 1} == {"/workspace/", "/admin/"}


def test_every_pdf_path_is_rate_limited():
    site = SITE.read_text()
    limited = re.search(r"location ~ (\S+) \{\s*limit_req zone=niimi_pdf", site)
    assert limited, "no rate-limited location"
    pattern = re.compile(limited.group(1))  # PCRE and Python agree on this one
    for path in (
        "/liaisons/roster.pdf",
        "/organizations/osa-kurashi/plan.pdf",
        "/admin/grants/grantdecision/7/notice/decision/",
        "/documents/12/file/",
    ):
        assert pattern.search(path), path
    assert not pattern.search("/organizations/osa-kurashi/")
    assert not pattern.search("/documents/")


def test_the_environment_template_names_only_settings_the_portal_reads():
    template = (DEPLOY / "niimi-portal.env.example").read_text()
    names = re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", template, re.MULTILINE)
    # DATABASE_URL is read by dj_database_url.config() in settings.py.
    settings_source = (ROOT / "niimi_portal" / "settings.py").read_text() + '"DATABASE_URL"'
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "CACHE_URL", "PORTAL_TRUSTED_PROXY_COUNT"} <= set(names)
    assert [name for name in names if f'"{name}"' not in settings_source] == []
    assert re.search(r"^DJANGO_SECRET_KEY=$", template, re.MULTILINE), "the template must not carry a secret"


def test_the_trusted_proxy_count_defaults_to_no_proxy():
    assert portal_settings.PORTAL_TRUSTED_PROXY_COUNT == 0


def test_systemd_accepts_the_units(tmp_path):
    venv = ROOT / ".venv" / "bin"
    units = sorted(path.name for path in (DEPLOY / "systemd").iterdir())
    assert {"niimi-portal-outbox.service", "niimi-portal-outbox.timer"} <= set(units)
    for unit in units:
        text = (DEPLOY / "systemd" / unit).read_text().replace("/srv/niimi-portal/.venv/bin", str(venv))
        (tmp_path / unit.replace("@.", "@8001.")).write_text(text)
    units = sorted(str(path) for path in tmp_path.iterdir())
    result = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_tls_offers_only_forward_secret_aead_ciphers_and_staples_ocsp():
    """The outside test found no ssl_ciphers and no stapling: TLS 1.2 and 1.3 only, every TLS 1.2 suite ECDHE
    with an AEAD cipher (GCM or CHACHA20-POLY1305), and OCSP stapling verified."""
    site = SITE.read_text()
    assert re.search(r"^\s*ssl_protocols TLSv1\.2 TLSv1\.3;", site, re.M)
    ciphers = re.search(r"^\s*ssl_ciphers ([^;]+);", site, re.M)
    assert ciphers, "ssl_ciphers is not set"
    suites = ciphers.group(1).split(":")
    assert suites and all(s.startswith("ECDHE-") and ("GCM" in s or "CHACHA20-POLY1305" in s) for s in suites), suites
    assert re.search(r"^\s*ssl_stapling on;", site, re.M) and re.search(r"^\s*ssl_stapling_verify on;", site, re.M)
