from django.conf import settings


def portal(request):
    """The city's configured names and contact desk, for every template."""
    return {"portal": settings.PORTAL}
