from django.db import migrations

from niimi_portal.lib.roles import sync_groups


class Migration(migrations.Migration):
    """総合政策課 records 交付申請, 変更申請, 請求・支払, 返還 and 取消 in the admin."""

    dependencies = [
        ("grants", "0011_grant_year_payments_settlement"),
        ("niimi_portal", "0001_staff_groups"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
