from django.db import migrations

from niimi_portal.lib.roles import sync_groups


class Migration(migrations.Migration):
    """総合政策課 works on the 事務局's records in the admin (the proposed page edits, the forms sent), never
    deleting what was sent or proposed (niimi_portal.lib.roles.POLICY_NO_DELETE).

    After every app's latest migration, so that sync_groups sees every model's permissions."""

    dependencies = [
        ("offices", "0002_policy_group_offices"),
        ("niimi_portal", "0004_content_changes"),
        ("organizations", "0028_organization_upcoming_events"),
        ("staff", "0009_one_pending_stage_change_per_organization"),
        ("grants", "0027_numbers_taken_on_kessai"),
        ("library", "0002_sync_groups_for_library"),
        ("outbox", "0002_policy_staff_see_mail"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
