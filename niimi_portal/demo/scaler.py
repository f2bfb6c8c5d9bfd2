"""`loaddemo --scale N`: bulk copies of the demo areas, organizations, meetings and FAQ for benchmarks."""

from niimi_portal.demo import data
from organizations.models import FAQ, Organization, Region, RegionStatistic
from staff.models import Meeting


def load_copy(loader, copy):
    """Copy `copy` (1 … N-1) of the areas, organizations, meetings and FAQ, with bulk inserts."""
    suffix = f"-x{copy}"
    if Organization.objects.filter(slug=f"kumano-mirai{suffix}").exists():
        return
    base_regions = [r for r in loader.regions.values() if r.kind != Region.Kind.FORMER_TOWN]
    new_regions = _copy_regions(base_regions, copy, suffix)
    _copy_statistics(new_regions, copy, loader.years["current"].statistics_reference_date)
    by_base = {base.slug: new for base, new in zip(base_regions, new_regions, strict=True)}
    base_orgs = list(loader.organizations.values())
    new_orgs = _copy_organizations(base_orgs, by_base, copy, suffix)
    _copy_meetings(base_orgs, new_orgs)
    _copy_faqs(copy)


def _copy_regions(base_regions, copy, suffix):
    """The copies of `base_regions`, each under the copy of its parent when that is copied too."""
    new_regions = Region.objects.bulk_create(
        Region(
            slug=f"{r.slug}{suffix}",
            kind=r.kind,
            name=f"{r.name}{copy}",
            name_kana=f"{r.name_kana}{copy}",
            parent_id=r.parent_id,
            is_demo=True,
        )
        for r in base_regions
    )
    copied = {base.pk: new for base, new in zip(base_regions, new_regions, strict=True)}
    moved = [new for new in new_regions if new.parent_id in copied]
    for new in moved:  # a copied 大字 sits under the copy of its 学区
        new.parent_id = copied[new.parent_id].pk
    Region.objects.bulk_update(moved, ["parent"])
    return new_regions


def _copy_statistics(new_regions, copy, day):
    """Demo figures on `day` for the copied areas with no area under them."""
    with_children = {new.parent_id for new in new_regions}
    RegionStatistic.objects.bulk_create(
        RegionStatistic(
            region=r,
            reference_date=day,
            population=300 + copy % 500,
            households=130 + copy % 200,
            source="表示用の仮の数値",
            is_demo=True,
        )
        for r in new_regions
        if r.pk not in with_children
    )


def _copy_organizations(base_orgs, by_base, copy, suffix):
    """The copies of `base_orgs`, each with the copies of its areas (`by_base`: base slug → copied area)."""
    new_orgs = Organization.objects.bulk_create(
        Organization(
            slug=f"{o.slug}{suffix}",
            name=f"{o.name}（第{copy}複製）",
            name_kana=f"{o.name_kana}{copy}",
            stage=o.stage,
            approval_status=o.approval_status,
            approval_number=f"{o.approval_number}-{copy}" if o.approval_number else "",  # numbers are unique
            approved_on=o.approved_on,
            applied_on=o.applied_on,
            predecessor=o.predecessor,
            representative_title=o.representative_title,
            representative_name=o.representative_name,
            contact_phone=o.contact_phone,
            description=o.description,
            is_published=o.is_published,
            is_demo=True,
        )
        for o in base_orgs
    )
    Through = Organization.regions.through
    links = []
    for base, new in zip(base_orgs, new_orgs, strict=True):
        links += [Through(organization_id=new.id, region_id=by_base[r.slug].id) for r in base.regions.all()]
    Through.objects.bulk_create(links)
    return new_orgs


def _copy_meetings(base_orgs, new_orgs):
    """The meetings of `base_orgs`, each for the copy of its organization."""
    org_by_base = {base.id: new for base, new in zip(base_orgs, new_orgs, strict=True)}
    meetings = list(Meeting.objects.filter(organization__in=base_orgs))
    Meeting.objects.bulk_create(
        Meeting(
            organization=org_by_base[m.organization_id],
            kind=m.kind,
            status=m.status,
            date=m.date,
            start_time=m.start_time,
            end_time=m.end_time,
            place=m.place,
            attendees=m.attendees,
            agenda=m.agenda,
            summary=m.summary,
            decisions=m.decisions,
            is_public=m.is_public,
            author_id=m.author_id,
        )
        for m in meetings
    )


def _copy_faqs(copy):
    """The demo FAQ again, its questions marked with the copy's number, ordered after the ones before."""
    faqs = list(FAQ.objects.filter(question__in=[q for _, _, q, _, _ in data.FAQS]))
    FAQ.objects.bulk_create(
        FAQ(
            category_id=f.category_id,
            question=f"{f.question}（{copy}）",
            answer=f.answer,
            order=f.order + 100 * copy,
            is_published=f.is_published,
        )
        for f in faqs
    )
