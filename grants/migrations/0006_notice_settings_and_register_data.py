"""The notice settings' starting texts (placeholders for the mayor's name and the article numbers: the
city fills them in before the first document), and the one default series of 総合政策課 for every kind,
with the numbers already given to decisions, settlements and approvals entered in the register."""

import datetime
import re

from django.db import migrations

from grants import notice_texts
from niimi_portal.lib.roles import sync_groups

KINDS = ["approval", "return", "decision", "change", "settlement", "revocation", "refund"]
FORMAT = "新総政第{番号}号"


def fiscal_year_of(day):
    return day.year if day.month >= 4 else day.year - 1


def load(apps, schema_editor):
    NoticeSettings = apps.get_model("grants", "NoticeSettings")
    DocumentSeries = apps.get_model("grants", "DocumentSeries")
    DocumentSeriesKind = apps.get_model("grants", "DocumentSeriesKind")
    DocumentNumber = apps.get_model("grants", "DocumentNumber")
    GrantDecision = apps.get_model("grants", "GrantDecision")
    Organization = apps.get_model("organizations", "Organization")
    NoticeSettings.objects.get_or_create(
        effective_from=datetime.date(2019, 4, 1),
        defaults={
            "mayor_title": "新見市長",
            "mayor_name": "",
            "legal_basis": notice_texts.LEGAL_BASIS,
            "approval_basis": notice_texts.APPROVAL_BASIS,
            "appeal_text": notice_texts.APPEAL_TEXT,
            "contact": notice_texts.CONTACT,
            "standard_conditions": notice_texts.STANDARD_CONDITIONS,
        },
    )
    series, _ = DocumentSeries.objects.get_or_create(
        number_format=FORMAT, defaults={"section": "総合政策課", "name": "総合政策課 文書番号"}
    )
    for kind in KINDS:
        DocumentSeriesKind.objects.get_or_create(kind=kind, defaults={"series": series})
    seen = set()

    def enter(text, kind, day, subject, organization_id, decision_id=None):
        match = re.fullmatch(r"新総政第(\d+)号", text or "")
        period = fiscal_year_of(day)
        if not match or (period, text) in seen:
            return  # a number outside the series, or one already given to another document (a collision of the old numbering)
        seen.add((period, text))
        DocumentNumber.objects.create(
            series=series, period=period, number=int(match[1]), text=text, kind=kind, dated=day,
            subject=subject[:200], organization_id=organization_id, decision_id=decision_id,
        )

    for decision in GrantDecision.objects.select_related("organization").order_by("decided_on", "number"):
        enter(decision.document_number, "decision", decision.decided_on, f"交付決定 {decision.organization.name}",
              decision.organization_id, decision.pk)
        if decision.settled_on:
            enter(decision.settlement_document_number, "settlement", decision.settled_on,
                  f"交付額確定 {decision.organization.name}", decision.organization_id, decision.pk)
    for organization in Organization.objects.exclude(approval_number="").exclude(approved_on=None):
        enter(organization.approval_number, "approval", organization.approved_on, f"認可 {organization.name}",
              organization.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0005_document_register_settings_issued_documents"),
        ("organizations", "0003_approval_workflow_history"),
        ("niimi_portal", "0001_staff_groups"),
    ]

    # 総合政策課 gets the new models' permissions (the register and issued documents: never delete).
    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
