from django.db import migrations

from niimi_portal.lib.roles import sync_groups


class Migration(migrations.Migration):
    """総合政策課 edits the 資料室 in the admin."""

    dependencies = [
        ("library", "0001_library_documents"),
        ("niimi_portal", "0001_staff_groups"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
