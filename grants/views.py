from django.shortcuts import render

from grants.calculation import calculate_grant
from grants.models import FiscalYear, GrantRule, IntegratedSubsidy
from organizations.public import latest_statistic
from organizations.public_forms import GrantEstimateForm


def overview(request):
    """How the 一括交付金 works, this fiscal year's rule, and an estimate of an area's base amount.

    The estimate calls the same `calculate_grant` the clerks' calculation uses, so the figures agree.
    """
    fiscal_year = FiscalYear.current()
    rule = GrantRule.objects.filter(fiscal_year=fiscal_year).first() if fiscal_year else None
    sent = {"area", "region", "population", "households"} & request.GET.keys()
    form = GrantEstimateForm(request.GET if sent else None)
    estimate, candidates = None, {}
    if rule is not None and form.is_valid():
        area = form.cleaned_data["area"]
        statistic = latest_statistic(area, on=fiscal_year.statistics_reference_date) if area else None
        if form.cleaned_data["candidates"]:
            candidates = {"areas": form.cleaned_data["candidates"], "more": form.cleaned_data["more_candidates"]}
        elif area and statistic is None:
            form.add_error(
                "area", "この地域の人口・世帯数はまだ登録されていません。人口と世帯数を入力して試算してください。"
            )
        else:
            population = statistic.population if statistic else form.cleaned_data["population"]
            households = statistic.households if statistic else form.cleaned_data["households"]
            estimate = {
                "area": area,
                "statistic": statistic,
                "population": population,
                "households": households,
                "breakdown": calculate_grant(rule=rule, population=population, households=households),
            }
    return render(
        request,
        "grants/overview.html",
        {
            "fiscal_year": fiscal_year,
            "rule": rule,
            "subsidies": IntegratedSubsidy.objects.all(),
            "form": form,
            "estimate": estimate,
            "candidates": candidates,
        },
    )
