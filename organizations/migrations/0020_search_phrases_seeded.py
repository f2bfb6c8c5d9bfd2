"""The words residents were seen to type (issue 31), for the policy division to edit in the admin.

The list is the portal's assumption from one review on a phone, not the city's: the division confirms it
and adds what its own enquiries show (検索の言い換え in the admin)."""

from django.db import migrations

from niimi_portal.lib.roles import sync_groups

STOP = ["とは", "って何", "ってなに", "いくら", "はいくら", "について", "を知りたい", "が知りたい"]
# phrase → (page, same meaning)
SYNONYMS = {
    "名簿": ("roster", ""),
    "担当者": ("roster", ""),
    "担当の職員": ("roster", ""),
    "担当職員": ("roster", ""),
    "地域担当職員": ("roster", ""),
    "予定": ("schedule", ""),
    "いつ": ("schedule", ""),
    "日程": ("schedule", ""),
    "問い合わせ": ("contact", ""),
    "問合せ": ("contact", ""),
    "電話番号": ("contact", ""),
    "電話": ("contact", ""),
    "連絡先": ("contact", ""),
    "交付金": ("grants", ""),
    "こうふきん": ("grants", "交付金"),
    "いっかつこうふきん": ("grants", "一括交付金"),
}


def seed(apps, schema_editor):
    SearchPhrase = apps.get_model("organizations", "SearchPhrase")
    for phrase in STOP:
        SearchPhrase.objects.get_or_create(phrase=phrase, defaults={"kind": "stop"})
    for phrase, (target, means) in SYNONYMS.items():
        SearchPhrase.objects.get_or_create(phrase=phrase, defaults={"kind": "synonym", "target": target, "means": means})


class Migration(migrations.Migration):
    dependencies = [("organizations", "0019_search_phrases")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
