"""Which address a request comes from, with and without trusted proxies (niimi_portal/lib/client.py)."""

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings

from niimi_portal.lib.client import client_address


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored():
    assert client_address(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


@override_settings(PORTAL_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended():
    assert client_address(request_from("127.0.0.1", "203.0.113.9")) == "203.0.113.9"


@override_settings(PORTAL_TRUSTED_PROXY_COUNT=1)
def test_an_address_the_client_wrote_itself_is_not_believed():
    assert client_address(request_from("127.0.0.1", "10.0.0.1, 192.0.2.55, 203.0.113.9")) == "203.0.113.9"


@override_settings(PORTAL_TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_client_is_second_from_the_right():
    assert client_address(request_from("127.0.0.1", "10.0.0.1, 203.0.113.9, 192.168.1.2")) == "203.0.113.9"


@override_settings(PORTAL_TRUSTED_PROXY_COUNT=2)
def test_a_request_that_skipped_the_outer_proxy_uses_the_one_entry_there_is():
    assert client_address(request_from("127.0.0.1", "203.0.113.9")) == "203.0.113.9"


@override_settings(PORTAL_TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize("forwarded", ["", "not-an-address", " , "])
def test_an_unusable_header_falls_back_to_the_connection_address(forwarded):
    assert client_address(request_from("127.0.0.1", forwarded)) == "127.0.0.1"


@override_settings(PORTAL_TRUSTED_PROXY_COUNT=1)
def test_ipv6_clients_are_normalised():
    assert client_address(request_from("::1", "2001:DB8:0:0::1")) == "2001:db8::1"


def test_django_axes_takes_its_address_from_the_same_function():
    assert settings.AXES_CLIENT_IP_CALLABLE == "niimi_portal.lib.client.client_address"
