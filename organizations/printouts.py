"""Printouts for a community hall's noticeboard: the liaison roster of a fiscal year and an organization's
plan summary, as A4 PDFs through the portal's shared WeasyPrint set-up (niimi_portal.lib.pdf: BIZ UD明朝 only,
named by its file).

They print what the public pages show, from the same data the views gather. A character the font lacks
(an emoji typed into a plan, say) is printed as 〓: a resident's download should not fail over it, and no
glyph is borrowed from another font.
"""

import re
from itertools import groupby

from django.template.loader import render_to_string
from django.utils import timezone

from niimi_portal.lib import pdf
from niimi_portal.lib.demo_mode import portal_facts
from niimi_portal.lib.wareki import fiscal_year_label, wareki_date

STYLESHEET = "organizations/print/print.css"


def _html(template, context):
    html = render_to_string(
        template, {**context, "portal": portal_facts(), "printed_on": wareki_date(timezone.localdate())}
    )
    return pdf.substitute_missing_glyphs(html)


def _roster_html(year, rows):
    towns = [(name, list(group)) for name, group in groupby(rows, key=lambda r: r["town_name"])]
    return _html("organizations/print/roster.html", {"year": year, "towns": towns})


def roster_pdf(*, year, rows):
    """The roster of `year`: `rows` as niimi_portal.roster.roster_rows makes them, grouped by 旧市町."""
    return pdf.write_pdf(_roster_html(year, rows), stylesheet=STYLESHEET)


def roster_pdf_size(*, year, rows):
    """The size in bytes of `roster_pdf(year=year, rows=rows)`, for the link to it (see pdf.pdf_size)."""
    return pdf.pdf_size(_roster_html(year, rows), stylesheet=STYLESHEET)


def roster_filename(year):
    return f"地域担当職員名簿_{fiscal_year_label(year)}.pdf"


def plan_pdf(summary):
    """An organization's plan summary: `summary` as niimi_portal.public_views.organization_plan makes it."""
    return pdf.write_pdf(_html("organizations/print/plan.html", summary), stylesheet=STYLESHEET)


def plan_pdf_size(summary):
    """The size in bytes of `plan_pdf(summary)`, for the link to it (see pdf.pdf_size)."""
    return pdf.pdf_size(_html("organizations/print/plan.html", summary), stylesheet=STYLESHEET)


def plan_filename(organization):
    safe_name = re.sub(r'[\\/:*?"<>|\s]+', "_", organization.name)
    return f"{safe_name}_計画の概要.pdf"
