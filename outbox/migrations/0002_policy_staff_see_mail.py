from django.db import migrations

from niimi_portal.lib.roles import sync_groups


class Migration(migrations.Migration):
    """総合政策課 sees the outbox and may resend a given-up message (view and change, no add or delete).

    After every app's latest migration, so that sync_groups sees every model's permissions."""

    dependencies = [
        ("outbox", "0001_outbox_messages"),
        ("niimi_portal", "0001_staff_groups"),
        ("organizations", "0017_proposal_status_and_demo_flag"),
        ("staff", "0007_stored_uploads_proposals_and_demo_flag"),
        ("grants", "0013_stored_uploads_and_demo_flag"),
        ("library", "0002_sync_groups_for_library"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
