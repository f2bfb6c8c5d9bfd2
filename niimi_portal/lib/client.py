"""The address of the person making a request, as the city's reverse proxy saw it.

Behind nginx every request comes from the proxy's own address (`REMOTE_ADDR`), so anything keyed on
it (django-axes' lockout, a per-client throttle) would treat all visitors as one. Each trusted proxy
appends the address it received the request from to `X-Forwarded-For`, so with N trusted proxies in
front of the app the client is the N-th entry from the right; everything left of it was written by the
client and proves nothing. `PORTAL_TRUSTED_PROXY_COUNT` (settings, from the environment) is N: 0, the
default, means no proxy and `REMOTE_ADDR` is the client.

django-ipware counts proxies differently (it expects exactly N+1 entries and answers None when a client
adds its own), so the rule is written out here.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address as a string (`REMOTE_ADDR` when no proxy is trusted or the header is unusable)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "PORTAL_TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not hops:
        return remote
    # Fewer entries than trusted proxies: the request skipped an outer proxy, and every entry is still ours.
    candidate = hops[-count] if len(hops) >= count else hops[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
