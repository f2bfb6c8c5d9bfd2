"""Which cached public pages a save in this app makes stale: the one place its rules are declared
(niimi_portal/lib/page_tags.py)."""

from niimi_portal.lib.page_tags import (
    AREAS,
    CASES,
    FAQ_PAGE,
    GRANTS,
    HOME,
    NOTICES,
    OPEN_DATA,
    ORGANIZATIONS,
    ROSTER,
    SCHEDULE,
    SEARCH,
    SITE_PAGES,
    SITE_WIDE,
    STAGE_TEXTS,
    TEXTS,
    register,
    tag_of,
)
from organizations.models import (
    FAQ,
    AccessLog,
    AnnualPlan,
    CaseStudy,
    CaseStudyPhoto,
    FAQCategory,
    FuturePlan,
    Notice,
    Organization,
    PageBlock,
    PlannedProject,
    PublicationConsent,
    Region,
    RegionSlugRedirect,
    RegionStatistic,
    SearchPhrase,
    SitePage,
)


def organization_tag(pk):
    return [tag_of(model=Organization, pk=pk)] if pk else []


# An area's name and place in the tree are on nearly every page (organizations, roster, search…).
register(Region, tags=SITE_WIDE)
# An old address only ever answers with a redirect, which is never stored.
register(RegionSlugRedirect, tags=())
register(AccessLog, tags=())  # never shown on a public page; written on every protected read
register(RegionStatistic, tags=[AREAS, HOME, GRANTS, OPEN_DATA])
# Its name, stage and areas: its page and every list, count and table that names it (the Organization.regions
# links follow the same rule).
register(
    Organization,
    tags=lambda o: [
        *organization_tag(o.pk), ORGANIZATIONS, AREAS, HOME, SEARCH, CASES, ROSTER, SCHEDULE, GRANTS, OPEN_DATA,
    ],
)  # fmt: skip
# A consent given or withdrawn: the organization's page and printout and the open data show its contact.
register(PublicationConsent, tags=lambda consent: [*organization_tag(consent.organization_id), OPEN_DATA])
register(FuturePlan, tags=lambda plan: [*organization_tag(plan.organization_id), AREAS, OPEN_DATA])
register(AnnualPlan, tags=lambda plan: [*organization_tag(plan.organization_id), AREAS, GRANTS, OPEN_DATA])
register(
    PlannedProject, tags=lambda project: [*organization_tag(project.annual_plan.organization_id), GRANTS, OPEN_DATA]
)
register(FAQCategory, tags=[FAQ_PAGE, SEARCH])
register(FAQ, tags=[FAQ_PAGE, SEARCH])
register(CaseStudy, tags=lambda case: [tag_of(case), *organization_tag(case.organization_id), CASES, AREAS, SEARCH])
register(CaseStudyPhoto, tags=lambda photo: [tag_of(model=CaseStudy, pk=photo.case_id), CASES])

STAGE_BLOCKS = ("stage_1", "stage_2", "stage_3")  # templates/includes/stage_diagram.html


def page_block_tags(block):
    """The home page, the 仕組み, 一括交付金 and accessibility pages; the 段階の説明 also every organization's page."""
    return [TEXTS, STAGE_TEXTS] if block.key in STAGE_BLOCKS else [TEXTS]


register(PageBlock, tags=page_block_tags)
# The policy division's search words change only what the search page finds.
register(SearchPhrase, tags=[SEARCH])
# お知らせ: the home page's list, the お知らせ page, the sitemap and its own page (unpublishing one makes each of
# them stale, so it vanishes from every cached page at once).
register(Notice, tags=lambda notice: [tag_of(notice), NOTICES])
# プライバシーポリシー, 免責事項: their own pages and the sitemap (the footer links to them whatever their state).
register(SitePage, tags=[SITE_PAGES])
