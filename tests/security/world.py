"""A small, demo-like world for the permission matrix and the fuzz tests: two areas with their
liaisons, meetings with a next step and an attachment, a published case example, a region assigned
without an organization, and a decided grant with a report attachment.

Also `database_state()`: every table's row count and a digest of its content, to prove that a
refused request changed nothing.
"""

import datetime
import hashlib
import io
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone
from model_bakery import baker

from grants import drafts
from grants import services as grant_services
from grants.models import GrantApplication, GrantApplicationAttachment, GrantReportAttachment, GrantRule
from niimi_portal.models import Disclosure
from offices.models import OfficeMember, ProfileEdit
from organizations.models import CaseStudy, Organization, Region, RegionStatistic
from staff.models import Assignment, Meeting, MeetingAttachment, NextStep
from tests.helpers import approve_decision
from tests.staff.conftest import pdf_bytes

# office_member: a person of world.organization's 事務局 (offices.OfficeMember), not staff, not a liaison.
ROLES = ("anonymous", "other_liaison", "assigned_liaison", "policy_officer", "superuser", "office_member")


@dataclass
class World:
    users: dict
    organization: Organization
    other_organization: Organization
    area: Region
    assigned_region: Region
    meeting: Meeting
    region_meeting: Meeting
    other_meeting: Meeting
    attachment: MeetingAttachment
    case: CaseStudy
    fiscal_year: object
    decision: object
    report_attachment: GrantReportAttachment
    application_attachment: object  # the scanned 申請書 of a 交付申請
    document_entry: object  # the decision's line in the 文書番号簿
    issued: object  # its 交付決定通知書, issued and frozen
    draft: object  # a 変更交付決定 drafted (起案), waiting for 決裁
    disclosure: object  # a 本人開示 request, recorded by the superuser
    today: datetime.date
    submission: object = None  # a 交付申請 that 高尾's 事務局 sent from its pages, waiting for the clerk
    office_membership: object = None  # the office_member's place in world.organization's 事務局
    profile_edit: object = None  # a 事務局's proposed edit of its public page, 確認待ち (offices)


def build_world(
    *,
    town,
    area,
    organization,
    other_organization,
    assigned_liaison,
    unassigned_liaison,
    policy_officer,
    superuser,
    current_year,
):
    today = timezone.localdate()
    assigned_region = baker.make(
        Region, kind=Region.Kind.OAZA, name="千屋", name_kana="ちや", slug="chiya", parent=town
    )
    Assignment.objects.create(
        officer=assigned_liaison.liaison_officer, region=assigned_region, fiscal_year=current_year, role="sub"
    )
    meeting = _meeting(organization=organization, author=assigned_liaison, today=today, place="唐松公民館")
    region_meeting = _meeting(region=assigned_region, author=assigned_liaison, today=today, place="千屋集会所")
    other_meeting = _meeting(
        organization=other_organization, author=unassigned_liaison, today=today, place="高尾集会所"
    )
    attachment = MeetingAttachment(
        meeting=meeting,
        original_name="議事録.pdf",
        content_type="application/pdf",
        size=len(pdf_bytes()),
        uploaded_by=assigned_liaison,
    )
    attachment.file.save("attachment.pdf", io.BytesIO(pdf_bytes()), save=False)
    attachment.save()
    case = CaseStudy.objects.create(
        organization=organization,
        title="唐松のワークショップ",
        slug="karamatsu-workshop",
        summary="将来計画を話し合いました。",
        body="地区の将来を話し合いました。",
        is_published=True,
    )
    decision = _decided_grant(organization, area, current_year, policy_officer, today)
    report_attachment = GrantReportAttachment(
        decision=decision, original_name="領収書.pdf", content_type="application/pdf", size=len(pdf_bytes())
    )
    report_attachment.file.save("receipt.pdf", io.BytesIO(pdf_bytes()), save=False)
    report_attachment.save()
    application = GrantApplication.objects.create(
        organization=organization, fiscal_year=current_year, received_on=current_year.starts_on, requested_amount=0
    )
    application_attachment = GrantApplicationAttachment(
        application=application, original_name="申請書.pdf", content_type="application/pdf", size=len(pdf_bytes())
    )
    application_attachment.file.save("application.pdf", io.BytesIO(pdf_bytes()), save=False)
    application_attachment.save()
    _fill_notice_settings()
    # The 交付決定通知書 is numbered and issued on its 決裁 (「番号は決裁の後」): drafted by the clerk, approved
    # by the superuser (who holds every permission).
    issued = approve_decision(decision, by=superuser, drafter=policy_officer)
    draft = drafts.change_draft_submit(
        decision=decision, amount=decision.amount - 1000, reason="事業の一部中止", changed_on=today, by=policy_officer
    )
    disclosure = Disclosure.objects.create(person_name="石井 正男", received_on=today, requested_by=superuser)
    office_user = User.objects.create_user("karamatsu-jimukyoku", email="jimukyoku@karamatsu.example", password="x")
    office_membership = OfficeMember.objects.create(organization=organization, user=office_user, role="事務局長")
    return World(
        users={
            "anonymous": None,
            "other_liaison": unassigned_liaison,
            "assigned_liaison": assigned_liaison,
            "policy_officer": policy_officer,
            "superuser": superuser,
            "office_member": office_user,
        },
        organization=organization,
        other_organization=other_organization,
        area=area,
        assigned_region=assigned_region,
        meeting=meeting,
        region_meeting=region_meeting,
        other_meeting=other_meeting,
        attachment=attachment,
        case=case,
        fiscal_year=current_year,
        decision=decision,
        report_attachment=report_attachment,
        application_attachment=application_attachment,
        document_entry=issued.entry,
        issued=issued,
        draft=draft,
        disclosure=disclosure,
        today=today,
        submission=_sent_submission(other_organization, current_year),
        office_membership=office_membership,
        profile_edit=ProfileEdit.objects.create(organization=organization, events="令和8年12月6日 しめ縄づくり"),
    )


def _sent_submission(organization, fiscal_year):
    from offices.models import Submission
    from offices.services import submission_open, submission_send

    submission = submission_open(organization=organization, fiscal_year=fiscal_year, kind=Submission.Kind.APPLICATION)
    submission_send(submission=submission, data={"requested_amount": "1"})
    return submission


def _fill_notice_settings():
    """The notice settings in force with every placeholder filled in, so a notice can be issued."""
    from grants import notice_texts
    from grants.models import NoticeSettings

    NoticeSettings.objects.update_or_create(
        effective_from=datetime.date(2019, 4, 1),
        defaults={
            "mayor_title": "新見市長",
            "mayor_name": "新見 太郎",
            **notice_texts.DEMO_KIND_SETTINGS,
            "appeal_text": notice_texts.APPEAL_TEXT,
            "contact": notice_texts.CONTACT,
            "standard_conditions": notice_texts.STANDARD_CONDITIONS,
        },
    )


def _meeting(*, author, today, place, organization=None, region=None):
    meeting = Meeting.objects.create(
        organization=organization,
        region=region,
        kind=Meeting.Kind.WORKSHOP,
        status=Meeting.Status.HELD,
        date=today,
        start_time=datetime.time(19),
        end_time=datetime.time(20, 30),
        place=place,
        attendees=12,
        summary="内部の話し合いのメモ",
        author=author,
    )
    NextStep.objects.create(meeting=meeting, description="アンケートの集計", owner="事務局", due_date=today)
    return meeting


def _decided_grant(organization, area, fiscal_year, by, today):
    """`organization` approved, its grant calculated and decided today (services do the work)."""
    Organization.objects.filter(pk=organization.pk).update(
        approval_status=Organization.ApprovalStatus.APPROVED,
        approval_number="新総政第1号",
        approved_on=fiscal_year.starts_on,
        representative_name="石井 正男",
    )
    RegionStatistic.objects.create(
        region=area, reference_date=fiscal_year.statistics_reference_date, population=1_234, households=517
    )
    GrantRule.objects.create(
        fiscal_year=fiscal_year,
        equal_share=300_000,
        per_capita=1_100,
        per_household=1_500,
        secretariat_cost=600_000,
        rounding_unit=1_000,
    )
    grant_services.grant_calculate_year(fiscal_year=fiscal_year, by=by)
    (decision,) = grant_services.decisions_decide_year(fiscal_year=fiscal_year, decided_on=today, by=by)
    organization.refresh_from_db()
    return decision


def database_state():
    """{table: (row count, digest of every row)} for every table of the database."""
    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (table names come from introspection)
            rows = sorted(repr(row) for row in cursor.fetchall())
            state[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16])
    return state


def state_changes(before, after):
    """The tables whose rows differ, as 'table: 3 → 4 rows' lines (empty when nothing changed)."""
    return [
        f"{table}: {before.get(table, (0,))[0]} → {after.get(table, (0,))[0]} rows"
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    ]
