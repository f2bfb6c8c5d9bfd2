from django.db.models import Count
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from organizations.models import Organization, Region


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
    # No context processors: the database may be the thing that failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
