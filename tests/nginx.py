"""Debian's nginx running the site file in deploy/nginx/, on free loopback ports in a temporary folder.

`NginxProxy` substitutes the production ports and paths of `deploy/nginx/niimi-portal.conf` (each one must
be found, so the check cannot drift from the file the city installs), wraps it in a small main
configuration of its own (`nginx -p prefix -c conf`: no system file is read or written except
/etc/nginx/mime.types) and serves it with a self-signed certificate made by openssl.
`ProxyClient` speaks HTTPS (or HTTP) to it from a chosen loopback source address (127.0.0.2,
127.0.0.3, ...), so two clients reach the proxy from two different addresses.
"""

import http.client
import http.cookies
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
import urllib.parse
from pathlib import Path

from tests.production import ROOT, free_port

SITE = ROOT / "deploy" / "nginx" / "niimi-portal.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def self_signed_certificate(folder):
    """A certificate for 127.0.0.1 and localhost, valid for a day: (certificate path, key path)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def render_site(text, *, http_port, https_port, upstream_ports, cert, key, static_root, cache_dir):
    first, second = (list(upstream_ports) * 2)[:2]
    replacements = [
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("    listen [::]:80;\n", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("    listen [::]:443 ssl http2;\n", ""),
        ("/etc/ssl/niimi-portal/fullchain.pem", str(cert)),
        ("/etc/ssl/niimi-portal/privkey.pem", str(key)),
        ("server 127.0.0.1:8001 ", f"server 127.0.0.1:{first} "),
        ("server 127.0.0.1:8002 ", f"server 127.0.0.1:{second} "),
        ("/srv/niimi-portal/staticfiles/", f"{static_root}/"),
        ("/srv/niimi-portal/deploy/nginx/errors/", f"{ROOT}/deploy/nginx/errors/"),
        ("/srv/niimi-portal/deploy/nginx/security-headers.conf", f"{ROOT}/deploy/nginx/security-headers.conf"),
        ("/var/cache/nginx/niimi-portal", str(cache_dir)),
    ]
    for old, new in replacements:
        if old not in text:
            raise AssertionError(f"{SITE} no longer contains {old!r}; update tests/nginx.py with it")
        text = text.replace(old, new)
    return text


class NginxProxy:
    def __init__(self, tmp, upstream_ports, static_root):
        self.prefix = Path(tmp) / "nginx"
        self.prefix.mkdir(parents=True, exist_ok=True)
        self.upstream_ports = upstream_ports
        self.static_root = static_root
        self.http_port, self.https_port = free_port(), free_port()
        self.process = None

    def write_configuration(self):
        cert, key = self_signed_certificate(self.prefix)
        self.certificate = cert
        site = render_site(
            SITE.read_text(), http_port=self.http_port, https_port=self.https_port,
            upstream_ports=self.upstream_ports, cert=cert, key=key, static_root=self.static_root,
            cache_dir=self.prefix / "page-cache",
        )  # fmt: skip
        (self.prefix / "site.conf").write_text(site)
        temp = "\n".join(f"    {kind}_temp_path {self.prefix}/{kind}_temp;" for kind in ("client_body", "proxy"))
        temp += "\n" + "\n".join(
            f"    {kind}_temp_path {self.prefix}/{kind}_temp;" for kind in ("fastcgi", "uwsgi", "scgi")
        )
        # As root, nginx would hand its workers to `nobody`, who cannot read a private temporary folder.
        user = "user root root;\n" if os.geteuid() == 0 else ""
        (self.prefix / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {self.prefix}/nginx.pid;\nerror_log {self.prefix}/error.log warn;\n"
            "events { worker_connections 512; }\n"
            "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            f"    sendfile on;\n    gzip on;\n    access_log {self.prefix}/access.log;\n{temp}\n"
            f"    include {self.prefix}/site.conf;\n}}\n"
        )

    def start(self):
        self.write_configuration()
        command = [
            NGINX,
            "-p",
            str(self.prefix),
            "-c",
            str(self.prefix / "nginx.conf"),
            "-e",
            str(self.prefix / "error.log"),
        ]
        tested = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if tested.returncode != 0:
            raise AssertionError(f"nginx -t failed:\n{tested.stderr}")
        self.process = subprocess.Popen(
            [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.https_port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        raise AssertionError("nginx did not start:\n" + self.error_log())

    def error_log(self):
        log = self.prefix / "error.log"
        return log.read_text() if log.exists() else ""

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: nginx's fast shutdown, workers included
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def client(self, source="127.0.0.1", scheme="https"):
        port = self.https_port if scheme == "https" else self.http_port
        return ProxyClient("127.0.0.1", port, source=source, scheme=scheme, certificate=self.certificate)


class ProxyClient:
    """One visitor: its own source address and cookies, HTTP/1.1, redirects not followed."""

    def __init__(self, host, port, *, source="127.0.0.1", scheme="https", certificate=None):
        self.host, self.port, self.source, self.scheme = host, port, source, scheme
        self.origin = f"{scheme}://{host}:{port}"
        self.context = ssl.create_default_context(cafile=str(certificate)) if scheme == "https" else None
        self.cookies = {}

    def request(self, path, data=None, headers=None, timeout=30):
        if self.scheme == "https":
            connection = http.client.HTTPSConnection(
                self.host, self.port, context=self.context, source_address=(self.source, 0), timeout=timeout
            )
        else:
            connection = http.client.HTTPConnection(
                self.host, self.port, source_address=(self.source, 0), timeout=timeout
            )
        all_headers = dict(headers or {})
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers.update({"Referer": self.origin + path, "Origin": self.origin})
        try:
            connection.request("POST" if data is not None else "GET", path, body=body, headers=all_headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for raw in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, content.decode("utf-8", "replace")

    def get(self, path, headers=None):
        return self.request(path, headers=headers)

    def post_form(self, path, fields, headers=None):
        _, _, html = self.get(path, headers=headers)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return self.request(path, {**fields, "csrfmiddlewaretoken": token}, headers=headers)

    def login(self, username, password, path="/accounts/login/", headers=None):
        return self.post_form(path, {"username": username, "password": password}, headers=headers)
