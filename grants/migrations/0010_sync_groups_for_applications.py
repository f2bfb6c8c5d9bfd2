from django.db import migrations

from niimi_portal.roles import sync_groups


class Migration(migrations.Migration):
    """総合政策課 records 交付申請 in the admin."""

    dependencies = [
        ("grants", "0009_grant_applications_and_cap_settings"),
        ("niimi_portal", "0001_staff_groups"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
