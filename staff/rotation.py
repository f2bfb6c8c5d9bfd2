"""The April rotation (4月の担当替え): each of last year's assignments is carried over to the new fiscal
year, given to another officer, or ended. The new year's 所属/職名 are typed here, on the assignment,
so a 人事異動 never rewrites a past year's roster."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from staff.models import Assignment, LiaisonOfficer, post_clash_message

CARRY, REASSIGN, END = "carry", "reassign", "end"
ACTIONS = [(CARRY, "引き継ぐ（同じ職員）"), (REASSIGN, "別の職員に替える"), (END, "担当を終える")]


@dataclass
class RotationRow:
    """One of last year's assignments and what the new year already has for it."""

    source: Assignment
    continued_by: Assignment | None = None  # the new year's assignment of the same target and officer
    main_taken_by: Assignment | None = None  # for a 主担当: the new year's 主担当 of the target, if another

    @property
    def pending(self):
        return self.continued_by is None and self.main_taken_by is None and not self.source.ended

    @property
    def key(self):
        return f"a{self.source.pk}"


def _target_key(assignment):
    return (
        ("organization", assignment.organization_id) if assignment.organization_id else ("region", assignment.region_id)
    )


def rotation_rows(*, previous, fiscal_year):
    """Last year's assignments (`previous`) in the roster's order, each with what `fiscal_year` has for it."""
    related = ("officer", "organization", "region")
    new = list(Assignment.objects.filter(fiscal_year=fiscal_year).select_related(*related))
    by_officer = {(*_target_key(a), a.officer_id): a for a in new}
    mains = {_target_key(a): a for a in new if a.role == Assignment.Role.MAIN}
    rows = []
    for source in (
        Assignment.objects.filter(fiscal_year=previous)
        .select_related(*related)
        .order_by("organization__name_kana", "region__name_kana", "role", "officer__name_kana")
    ):
        row = RotationRow(source, continued_by=by_officer.get((*_target_key(source), source.officer_id)))
        if row.continued_by is None and source.role == Assignment.Role.MAIN:
            row.main_taken_by = mains.get(_target_key(source))
        rows.append(row)
    return rows


@dataclass
class RotationOutcome:
    made: list  # the new year's assignments
    ended: list  # last year's assignments marked as ended


@transaction.atomic
def assignments_rotate(*, fiscal_year, decisions):
    """Make the new year's assignments. `decisions`: [{"row": RotationRow, "action", "officer",
    "department", "title"}]; END makes no assignment but marks last year's as ended, so the row is
    decided. A decision the database would refuse (the officer already has that target this year, the
    target has its 主担当) is refused beside the row's officer field and nothing is written."""
    made, errors = [], {}
    for decision in decisions:
        row, action = decision["row"], decision["action"]
        if action == END:
            continue
        officer = row.source.officer if action == CARRY else decision.get("officer")
        if officer is None:
            errors[f"{row.key}-officer"] = ["替える先の職員を選んでください。"]
            continue
        assignment = Assignment(
            officer=officer,
            fiscal_year=fiscal_year,
            organization=row.source.organization,
            region=row.source.region,
            role=row.source.role,
            department=decision.get("department", ""),
            title=decision.get("title", ""),
        )
        try:
            assignment.full_clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(f"{row.key}-{'title' if field == 'title' else 'officer'}", []).extend(messages)
            continue
        made.append(assignment)
    if not errors:
        # Checked together too: two rows may not give one target two 主担当 or one officer a target twice.
        seen, posts = set(), _posts_of(fiscal_year)
        for assignment, decision in zip(made, [d for d in decisions if d["action"] != END], strict=True):
            for key in _clashes(assignment):
                if key in seen:
                    errors[f"{decision['row'].key}-officer"] = [_CLASH_MESSAGES[key[0]]]
                seen.add(key)
            post = posts.setdefault(assignment.officer_id, assignment.post())
            if assignment.post() != post:
                errors[f"{decision['row'].key}-title"] = [post_clash_message(assignment.officer, fiscal_year, post)]
    if errors:
        raise ValidationError(errors)
    for assignment in made:
        assignment.save()
    ended = [decision["row"].source for decision in decisions if decision["action"] == END]
    for source in ended:
        source.ended = True
        source.save(update_fields=["ended"])  # save(), not update(): the change goes into its history
    return RotationOutcome(made=made, ended=ended)


def _posts_of(fiscal_year):
    """{officer id: (所属, 職名)} of the assignments `fiscal_year` already has. The rotation gives an officer
    one 所属・職名 for the year (the roster lists each person once). Assumed, for the city to confirm; a
    mid-year 人事異動 is still entered per assignment in the admin, where no rule holds it back."""
    assignments = Assignment.objects.filter(fiscal_year=fiscal_year).select_related("officer")
    return {assignment.officer_id: assignment.post() for assignment in assignments}


_CLASH_MESSAGES = {
    "main": "この担当先の新年度の主担当を、ほかの行でも決めています。",
    "officer": "この職員には、ほかの行でも同じ担当先を割り当てています。",
}


def _clashes(assignment):
    target = _target_key(assignment)
    keys = [("officer", *target, assignment.officer_id)]
    if assignment.role == Assignment.Role.MAIN:
        keys.append(("main", *target))
    return keys


@transaction.atomic
def officer_add(*, name, name_kana, department, title=""):
    """A newcomer (転入・新規採用の職員) registered from the rotation, so last year's assignments can be given
    to them on the same page. Refused beside the field if the model would refuse it; nothing is written."""
    officer = LiaisonOfficer(name=name.strip(), name_kana=name_kana.strip(), department=department.strip(), title=title)
    officer.full_clean()
    officer.save()
    return officer
