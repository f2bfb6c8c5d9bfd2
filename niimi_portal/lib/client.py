"""The address of the client a request came from, in one place.

Today the address the connection came from (`REMOTE_ADDR`). Behind the city's reverse proxy that is
the proxy's own address; the deployment work reads the client's address from `X-Forwarded-For` with a
configured number of trusted proxies, here, so every caller (the PDF throttle, …) follows.
"""


def client_address(request):
    return request.META.get("REMOTE_ADDR", "")
