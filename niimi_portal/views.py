import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, connection
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from niimi_portal import accessibility
from niimi_portal import search as site_search
from niimi_portal.city_pages import HOME_NOTICES
from niimi_portal.context_processors import CONTRAST_COOKIE, DISPLAY_CHOICES, RUBY_COOKIE, TEXT_SIZE_COOKIE
from niimi_portal.lib.demo_mode import portal_facts
from niimi_portal.lib.page_tags import HOME, NOTICES, SEARCH, TEXTS, shows
from organizations.models import Notice, Organization
from organizations.public import areas_by_town, public_organizations
from organizations.public_forms import QueryForm, RegionFindForm


def where_areas_stand():
    """Per 旧市町 (in the city's order): how many areas, and how many at each stage or not started.
    An area is counted once, at its lowest level above 行政区 (大佐 is its three 大字)."""
    return areas_by_town()


DATABASE_ERRORS = (DatabaseError, InterfaceError)


def home(request):
    """What 小規模多機能自治 is, the three stages, and where every area stands."""
    shows(request, HOME, TEXTS, NOTICES)

    rows = list(organization_tallies())
    tallies = {stage: (count, approved) for stage, count, approved, _ in rows}
    stages = [
        {"value": value, "label": label, "count": tallies.get(value, (0, 0))[0]}
        for value, label in Organization.Stage.choices
    ]
    context = {
        "stages": stages,
        "towns": where_areas_stand(),
        "approved_count": sum(approved for _, approved in tallies.values()),
        # Invented organizations among those counted: the count says so in demo mode (issue 31).
        "demo_count": sum(demo for *_, demo in rows),
        "find_form": RegionFindForm(),
        "notices": Notice.objects.published()[:HOME_NOTICES],
    }
    return render(request, "home.html", context)


def organization_tallies():
    """Per stage, how many published organizations there are, how many of them are approved (認可) and how many
    are invented demo rows (`is_demo`)."""
    approved = Count("id", filter=Q(approval_status=Organization.ApprovalStatus.APPROVED))
    demo = Count("id", filter=Q(is_demo=True))
    return (
        public_organizations().values_list("stage").annotate(count=Count("id"), approved=approved, demo=demo).order_by()
    )


def about(request):
    shows(request, TEXTS)
    return render(request, "about.html")


def search(request):
    """Areas, organizations, FAQ and case examples matching ?q=, grouped by kind; ?kind= pages one group."""
    shows(request, SEARCH)
    form = QueryForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    kind = request.GET.get("kind") if request.GET.get("kind") in site_search.KINDS else None

    results, page = site_search.results(query, kind=kind, page_number=request.GET.get("page"))
    context = {
        "results": results,
        "page": page,
        "total": sum(r["count"] for r in results),
        "form": form,
        "query": query,
        "kind": kind,
        "kind_label": site_search.KINDS.get(kind, ""),
        "popular": site_search.POPULAR,
    }
    return render(request, "search.html", context)


def accessibility_policy(request):
    shows(request, TEXTS)
    return render(
        request,
        "accessibility.html",
        {"report": accessibility.latest_report(), "target": accessibility.TARGET},
    )


def display_settings(request):
    """文字サイズ, 背景色 and ふりがな: remembered in a cookie, then back to the page the visitor came from.

    A plain GET form sends here, so the switch needs no JavaScript."""
    target = request.GET.get("next", "")
    # A path on this site only; HttpResponseRedirect, not redirect(), which would take "0" for a view name.
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    if not (safe and target.startswith("/")):
        target = "/"
    response = HttpResponseRedirect(target)
    for param, cookie in (("text", TEXT_SIZE_COOKIE), ("contrast", CONTRAST_COOKIE), ("ruby", RUBY_COOKIE)):
        value = request.GET.get(param)
        if value in DISPLAY_CHOICES[cookie]:
            response.set_cookie(cookie, value, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """500, or 503 when the database is what failed. Rendered without context processors or queries."""
    _, error, _ = sys.exc_info()
    if isinstance(error, DATABASE_ERRORS):
        response = HttpResponse(loader.get_template("503.html").render({"portal": portal_facts()}), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render({"portal": portal_facts()}))


@require_GET
def baseline(request):
    """The load benchmark's yardstick: a fixed short answer through the same middleware, no template, no query.
    Answers only where the BENCHMARK_BASELINE setting allows it (the benchmarks, development): 404 in production."""
    if not settings.BENCHMARK_BASELINE:
        raise Http404
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


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
