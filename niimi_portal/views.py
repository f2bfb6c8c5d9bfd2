import sys

from django.db import DatabaseError, InterfaceError, connection
from django.db.models import Count
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from organizations.models import Organization, Region

DATABASE_ERRORS = (DatabaseError, InterfaceError)


def home(request):
    """What 小規模多機能自治 is, the three stages, and where every area stands."""
    organizations = Organization.objects.published()
    stage_counts = dict(organizations.values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    stages = [
        {"value": value, "label": label, "count": stage_counts.get(value, 0)}
        for value, label in Organization.Stage.choices
    ]
    towns = (
        Region.objects.filter(kind=Region.Kind.FORMER_TOWN)
        .annotate(area_count=Count("children", distinct=True))
        .order_by("name_kana")
    )
    return render(
        request,
        "home.html",
        {
            "stages": stages,
            "towns": towns,
            "approved_count": organizations.approved().count(),
        },
    )


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """500, or 503 when the database is what failed. Rendered without context processors or queries."""
    _, error, _ = sys.exc_info()
    if isinstance(error, DATABASE_ERRORS):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


@require_GET
def healthz(request):
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_ERRORS:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
