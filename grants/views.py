import contextlib

from django.shortcuts import render

from grants.calculation import calculate_grant
from grants.estimate import area_estimate
from grants.models import FiscalYear, GrantRule, IntegratedSubsidy
from niimi_portal.lib.page_tags import GRANTS, TEXTS, shows
from organizations.public_forms import GrantEstimateForm


def overview(request):
    """How the 一括交付金 works, this fiscal year's rule, and for an area its organization's grant
    (decided, or estimated exactly as the clerks calculate it) or a 基本額 estimate.

    Every figure comes from the same functions the clerks' calculation uses, so the figures agree.
    """
    shows(request, GRANTS, TEXTS)
    sent = {"area", "region", "population", "households"} & request.GET.keys()
    form = GrantEstimateForm(request.GET if sent else None)

    fiscal_year = FiscalYear.current()
    rule = None
    if fiscal_year is not None:
        with contextlib.suppress(GrantRule.DoesNotExist):  # one rule per year: get() needs no join to order by
            rule = GrantRule.objects.get(fiscal_year=fiscal_year)
    estimate, area_result, candidates = None, None, {}
    if rule is not None and form.is_valid():
        area = form.cleaned_data["area"]
        if form.cleaned_data["candidates"]:
            candidates = {"areas": form.cleaned_data["candidates"], "more": form.cleaned_data["more_candidates"]}
        elif area:
            # One rule for statistics: the fiscal year's reference date, or say plainly they are missing.
            area_result = area_estimate(area=area, fiscal_year=fiscal_year, rule=rule)
        else:
            population, households = form.cleaned_data["population"], form.cleaned_data["households"]
            estimate = {
                "population": population,
                "households": households,
                "breakdown": calculate_grant(rule=rule, population=population, households=households),
            }
    context = {
        "fiscal_year": fiscal_year,
        "rule": rule,
        "estimate": estimate,
        "area_result": area_result,
        "candidates": candidates,
        "form": form,
        "subsidies": IntegratedSubsidy.objects.all(),
    }
    return render(request, "grants/overview.html", context)
