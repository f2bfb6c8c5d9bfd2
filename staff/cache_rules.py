"""Which cached public pages a save in this app makes stale: the one place its rules are declared
(niimi_portal/lib/page_tags.py)."""

from niimi_portal.lib.page_tags import AREAS, OPEN_DATA, ROSTER, SCHEDULE, SITE_WIDE, register, tag_of
from organizations.models import Organization
from staff.models import Assignment, LiaisonOfficer, Meeting, MeetingAttachment, NextStep, StageChange

# An officer's name is on the roster, every area's and every organization's page.
register(LiaisonOfficer, tags=SITE_WIDE)
register(
    Assignment,
    tags=lambda a: [
        *([tag_of(model=Organization, pk=a.organization_id)] if a.organization_id else []), ROSTER, AREAS, OPEN_DATA,
    ],
)  # fmt: skip
# A public meeting's date, time and place on 予定 and the calendar feed; its notes are internal records.
register(Meeting, tags=[SCHEDULE])
# Internal records: no public page shows them (a stage, once decided, is saved on the organization).
register(NextStep, tags=())
register(MeetingAttachment, tags=())
register(StageChange, tags=())
