from django.db import migrations

from niimi_portal.lib.roles import sync_groups


class Migration(migrations.Migration):
    """総合政策課 invites and removes the 事務局's accounts and reviews what they send (POLICY_APPS now names
    offices). After the organizations' latest migration, so that sync_groups sees every model's permissions."""

    dependencies = [
        ("offices", "0001_initial"),
        ("organizations", "0027_notice_delivery"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
