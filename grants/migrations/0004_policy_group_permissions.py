from django.db import migrations

from niimi_portal.lib.roles import sync_groups


class Migration(migrations.Migration):
    """Give 総合政策課 the new permission (decide_grant) and the report models' permissions."""

    dependencies = [
        ("grants", "0003_decision_lifecycle"),
        ("niimi_portal", "0001_staff_groups"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
