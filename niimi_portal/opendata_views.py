"""オープンデータ's pages: the list of datasets and each dataset's CSV and JSON files.

The datasets read organizations, staff and grants (niimi_portal.opendata), so their pages live in the
site package; niimi_portal/urls.py keeps their URL names in the `organizations` namespace as before.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from niimi_portal import opendata
from niimi_portal.lib.page_tags import OPEN_DATA, shows
from niimi_portal.lib.wareki import current_fiscal_year
from niimi_portal.roster import public_roster_year


def open_data(request):
    """オープンデータ: each dataset with its columns, the standard it follows, and its CSV and JSON files."""
    shows(request, OPEN_DATA)
    datasets = [
        {"dataset": dataset, "years": opendata.years_with_data(dataset), "columns": dataset.all_columns()}
        for dataset in opendata.DATASETS.values()
    ]
    return render(
        request,
        "organizations/open_data.html",
        {
            "datasets": datasets,
            "current_year": current_fiscal_year(),
            "today": timezone.localdate(),
            "license_name": opendata.LICENSE_NAME,
            "license_url": opendata.LICENSE_URL,
            "local_government_code": opendata.local_government_code(),
            "local_government_name": opendata.local_government_name(),
            "feed_url": reverse("organizations:schedule_ics"),
        },
    )


def open_data_file(request, slug, extension):
    """One dataset as CSV (UTF-8 with a BOM) or JSON; a yearly one for ?year= (this fiscal year by default)."""
    shows(request, OPEN_DATA)
    dataset = opendata.DATASETS.get(slug)
    if dataset is None:
        raise Http404("そのデータセットはありません。")
    year = None
    if dataset.yearly:
        year, years = current_fiscal_year(), None
        if dataset is opendata.LIAISONS:
            # The roster's default year: the current one once published, else the latest published one.
            years = opendata.years_with_data(dataset)
            year = public_roster_year(years=years)
        if "year" in request.GET:
            asked = request.GET["year"]
            if years is None:
                years = opendata.years_with_data(dataset)
            if not asked.isdigit() or int(asked) not in {year, *years}:
                raise Http404("その年度のデータはありません。")
            year = int(asked)
    options = {"year": year, "absolute_url": request.build_absolute_uri}
    if extension == "csv":
        response = HttpResponse(opendata.as_csv(dataset, **options), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, dataset.filename(year, "csv"))
    else:
        page_url = request.build_absolute_uri(reverse("organizations:open_data"))
        response = HttpResponse(
            opendata.as_json(dataset, page_url=page_url, **options), content_type="application/json"
        )
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    response["Link"] = f'<{opendata.LICENSE_URL}>; rel="license"'
    return response
