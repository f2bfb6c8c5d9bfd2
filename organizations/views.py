"""Public pages for residents: areas, organizations, FAQ, case examples and the liaison roster.

Nothing here needs a login; what may be shown is decided by `organizations.public`.
"""

from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Case, Prefetch, Q, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from grants.models import FiscalYear
from niimi_portal.search import matching, query_variants
from organizations.models import FAQ, AnnualPlan, Organization, PlannedProject, Region
from organizations.public import (
    areas_with_stage,
    current_fiscal_year_number,
    find_regions,
    latest_statistic,
    prefetch_public_organizations,
    public_areas,
    public_cases,
    public_faqs,
    public_organizations,
    with_former_town,
)
from organizations.public_forms import FAQFilterForm, FiscalYearForm, OrganizationFilterForm, RegionFindForm
from staff.models import Assignment

PER_PAGE = 50


def paginate(request, items):
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def region_list(request):
    """Every area, grouped by 旧町 in よみ order, with the organization working there."""
    areas = public_areas().prefetch_related(prefetch_public_organizations())
    page = paginate(request, areas)
    towns = [(town, list(rows)) for town, rows in groupby(page.object_list, key=lambda a: (a.town_name, a.town_slug))]
    return render(
        request, "organizations/region_list.html", {"page": page, "towns": towns, "find_form": RegionFindForm()}
    )


def stage_labels():
    return dict(Organization.Stage.choices)


def region_detail(request, slug):
    region = get_object_or_404(with_former_town(Region.objects.select_related("parent")), slug=slug)
    organizations = list(
        public_organizations()
        .filter(regions=region)
        .prefetch_related(
            Prefetch("future_plans", to_attr="plans"),
            Prefetch(
                "annual_plans",
                queryset=AnnualPlan.objects.filter(fiscal_year__year=current_fiscal_year_number()),
                to_attr="this_year_plans",
            ),
        )
    )
    assignments = (
        Assignment.objects.current()
        .filter(Q(region=region) | Q(organization__in=[o.id for o in organizations]))
        .select_related("officer", "organization", "region")
        .order_by("role", "officer__name_kana")
    )
    cases = (
        public_cases()
        .filter(Q(regions=region) | Q(organization__in=[o.id for o in organizations]))
        .distinct()
        .select_related("organization")[:5]
    )
    children = None
    if region.kind == Region.Kind.FORMER_TOWN:
        children = paginate(request, areas_with_stage().filter(Q(parent=region) | Q(parent__parent=region)))
        for area in children:
            area.stage_label = stage_labels().get(area.stage)
    return render(
        request,
        "organizations/region_detail.html",
        {
            "region": region,
            "organizations": organizations,
            "established": [o for o in organizations if o.stage == Organization.Stage.ESTABLISHED],
            "forming": [o for o in organizations if o.stage != Organization.Stage.ESTABLISHED],
            "statistic": latest_statistic(region),
            "assignments": assignments,
            "cases": cases,
            "children": children,
            "fiscal_year": current_fiscal_year_number(),
        },
    )


def region_find(request):
    """The find-my-area box: one match goes straight to the area's page, several are listed."""
    form = RegionFindForm(request.GET or None)
    candidates, too_many = [], False
    if form.is_valid():
        found = find_regions(query_variants(form.cleaned_data["q"]), limit=PER_PAGE + 1)
        if len(found) == 1:
            return redirect(found[0])
        candidates, too_many = found[:PER_PAGE], len(found) > PER_PAGE
        if not candidates:
            form.add_error(
                "q", "その名前の地域は見つかりませんでした。別の書き方（ひらがな・漢字）でもお試しください。"
            )
    return render(
        request, "organizations/region_find.html", {"form": form, "candidates": candidates, "too_many": too_many}
    )


def organization_list(request):
    """Published organizations, filterable by stage and approval status."""
    form = OrganizationFilterForm(request.GET or None)
    organizations = public_organizations().prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("name_kana"))
    )
    if form.is_valid():
        if form.cleaned_data.get("stage"):
            organizations = organizations.filter(stage=form.cleaned_data["stage"])
        if form.cleaned_data.get("approval"):
            organizations = organizations.filter(approval_status=form.cleaned_data["approval"])
    page = paginate(request, organizations.order_by("name_kana", "id"))
    return render(
        request,
        "organizations/organization_list.html",
        {"form": form, "page": page, "filters": form.describe() if form.is_bound else ""},
    )


def projects_by_field(annual_plan):
    """This year's projects grouped by 分野, in the order the 分野 are listed."""
    if annual_plan is None:
        return []
    order = {value: i for i, value in enumerate(PlannedProject.Field.values)}
    projects = sorted(annual_plan.projects.all(), key=lambda p: (order.get(p.field, 99), p.order, p.id))
    return [
        {"label": PlannedProject.Field(field).label, "projects": list(rows)}
        for field, rows in groupby(projects, key=lambda p: p.field)
    ]


def organization_detail(request, slug):
    organization = get_object_or_404(
        public_organizations().prefetch_related(
            Prefetch("regions", queryset=with_former_town(Region.objects.all()).order_by("name_kana"))
        ),
        slug=slug,
    )
    year = current_fiscal_year_number()
    plan = organization.future_plans.order_by("-start_year", "-id").first()
    annual_plan = (
        AnnualPlan.objects.filter(organization=organization, fiscal_year__year=year)
        .select_related("fiscal_year")
        .prefetch_related("projects")
        .first()
    )
    assignments = (
        Assignment.objects.current()
        .filter(organization=organization)
        .select_related("officer")
        .order_by("role", "officer__name_kana")
    )
    cases = public_cases().filter(organization=organization).prefetch_related("regions")[:10]
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": organization,
            "plan": plan,
            "annual_plan": annual_plan,
            "fields": projects_by_field(annual_plan),
            "stage_steps": [{"value": v, "label": label, "count": None} for v, label in Organization.Stage.choices],
            "assignments": assignments,
            "cases": cases,
            "fiscal_year": year,
        },
    )


def faq_list(request):
    """The FAQ by category; the filter box narrows it on the server, and in the browser as you type."""
    form = FAQFilterForm(request.GET or None)
    faqs = public_faqs()
    query = ""
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        faqs = faqs.filter(matching(["question", "answer"], query))
    category_order = Case(*(When(category=value, then=i) for i, value in enumerate(FAQ.Category.values)), default=99)
    page = paginate(request, faqs.order_by(category_order, "order", "id"))
    labels = dict(FAQ.Category.choices)
    categories = [
        {"value": value, "label": labels.get(value, value), "faqs": list(rows)}
        for value, rows in groupby(page.object_list, key=lambda f: f.category)
    ]
    # A question's own link leads to the unfiltered page it sits on.
    permalink_base = reverse("organizations:faq") + (f"?page={page.number}" if page.number > 1 and not query else "")
    return render(
        request,
        "organizations/faq.html",
        {"form": form, "page": page, "categories": categories, "query": query, "permalink_base": permalink_base},
    )


def case_list(request):
    cases = public_cases().select_related("organization").prefetch_related("regions")
    return render(request, "organizations/case_list.html", {"page": paginate(request, cases)})


def case_detail(request, slug):
    case = get_object_or_404(public_cases().select_related("organization"), slug=slug)
    return render(
        request,
        "organizations/case_detail.html",
        {"case": case, "regions": case.regions.order_by("name_kana")},
    )


def roster_rows(assignments):
    """One row per organization or area: its 旧町, areas, and main and sub liaison officers."""
    rows = {}
    for assignment in assignments:
        target = assignment.organization or assignment.region
        key = (type(target).__name__, target.pk)
        if key not in rows:
            areas = list(assignment.organization.regions.all()) if assignment.organization else [assignment.region]
            town = areas[0] if areas else None
            rows[key] = {
                "organization": assignment.organization,
                "areas": areas,
                "town_name": town.town_name if town else "",
                "town_kana": town.town_kana if town else "",
                "sort": (town.town_kana if town else "", target.name_kana),
                "main": [],
                "sub": [],
            }
        rows[key]["main" if assignment.role == Assignment.Role.MAIN else "sub"].append(assignment.officer)
    return sorted(rows.values(), key=lambda row: row["sort"])


def liaison_roster(request):
    """地域担当職員名簿 for a chosen fiscal year (the current one by default), by area."""
    years = list(FiscalYear.objects.filter(assignments__isnull=False).distinct().order_by("-year"))
    current = current_fiscal_year_number()
    form = FiscalYearForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_valid() else current
    if not form.is_bound:
        form = FiscalYearForm(initial={"year": year}, years=years)
    areas = with_former_town(Region.objects.all()).order_by("name_kana")
    assignments = (
        Assignment.objects.filter(fiscal_year__year=year)
        .filter(Q(organization__isnull=True) | Q(organization__is_published=True))
        .select_related("officer", "organization")
        .prefetch_related(
            Prefetch("organization__regions", queryset=areas),
            Prefetch("region", queryset=areas),
        )
        .order_by("officer__name_kana")
    )
    page = paginate(request, roster_rows(assignments))
    towns = [(name, list(rows)) for name, rows in groupby(page.object_list, key=lambda r: r["town_name"])]
    return render(
        request,
        "organizations/liaison_roster.html",
        {"form": form, "page": page, "towns": towns, "year": year, "is_current": year == current},
    )
