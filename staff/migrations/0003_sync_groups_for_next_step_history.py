from django.db import migrations

from niimi_portal.lib.roles import sync_groups


class Migration(migrations.Migration):
    """Policy staff may read the new next-step history in the admin (history is read-only for everyone)."""

    dependencies = [
        ("staff", "0002_next_step_history"),
        ("niimi_portal", "0001_staff_groups"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
