"""本人開示: everything the portal holds about one named person, as a ZIP an administrator hands over.

The search runs over the fields niimi_portal/personal_data.py describes as personal (so a new personal field,
once described there, is searched too): text fields containing the name (with or without the space between
family and given name), or the telephone number (hyphens ignored) or e-mail address given; a staff account
whose name matches, and the records that account wrote. Each matching record is one CSV row per personal
field; the files attached to a matching record (scans, attachments, photos, issued PDFs) are copied in.

**前提（要確認）**: what is disclosed, and what is withheld (不開示情報: another person's data on the same page,
for instance), is the city's decision under its 個人情報保護 rules; the ZIP is the material for that decision,
not the answer itself.
"""

import io
import re
import zipfile

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from niimi_portal import personal_data
from niimi_portal.lib.csv_export import csv_text
from niimi_portal.lib.wareki import wareki_date

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
FILE_FIELDS = (models.FileField, models.BinaryField)


def name_variants(name):
    """「石井 正男」 → 石井 正男, 石井正男, 石井　正男 (full-width space): names are typed every way."""
    bare = re.sub(r"[\s\u3000]+", "", name)
    parts = [part for part in re.split(r"[\s\u3000]+", name.strip()) if part]
    variants = {name.strip(), bare}
    if len(parts) > 1:
        variants |= {" ".join(parts), "\u3000".join(parts)}
    return sorted(variant for variant in variants if variant)


def _digits(phone):
    return re.sub(r"\D", "", phone)


def _fields_by_model():
    grouped = {}
    for personal_file in personal_data.FILES:
        for key, label in personal_file.fields.items():
            app_label, model_name, field_name = key.split(".")
            model = apps.get_model(app_label, model_name)
            grouped.setdefault(model, {"file": personal_file.name, "fields": {}})["fields"][field_name] = label
    return grouped


def _matching_users(name):
    User = apps.get_model(settings.AUTH_USER_MODEL)
    query = Q()
    for variant in name_variants(name):
        query |= Q(username=variant)
    parts = [part for part in re.split(r"[\s\u3000]+", name.strip()) if part]
    if len(parts) == 2:
        query |= Q(last_name=parts[0], first_name=parts[1])
    liaison_users = apps.get_model("staff", "LiaisonOfficer").objects.filter(
        name__in=name_variants(name), user__isnull=False
    )
    query |= Q(pk__in=liaison_users.values("user"))
    return list(User.objects.filter(query))


def find(name, *, phone="", email=""):
    """[(file name, model, record, {field label: value})] for every record that names the person."""
    users = _matching_users(name)
    found = []
    for model, spec in _fields_by_model().items():
        query = Q()
        for field_name in spec["fields"]:
            field = model._meta.get_field(field_name)
            if isinstance(field, TEXT_FIELDS):
                for variant in name_variants(name):
                    query |= Q(**{f"{field_name}__icontains": variant})
                if email:
                    query |= Q(**{f"{field_name}__iexact": email})
            if isinstance(field, models.EmailField) and email:
                query |= Q(**{f"{field_name}__iexact": email})
            if field.is_relation and field.related_model._meta.label == settings.AUTH_USER_MODEL and users:
                query |= Q(**{f"{field_name}__in": users})
        if model._meta.label == settings.AUTH_USER_MODEL and users:
            query |= Q(pk__in=[user.pk for user in users])
        records = list(model.objects.filter(query)) if query else []
        if phone and _digits(phone):
            phone_fields = [name for name in spec["fields"] if "phone" in name]
            for record in model.objects.exclude(pk__in=[r.pk for r in records]) if phone_fields else []:
                if any(_digits(str(getattr(record, f) or "")) == _digits(phone) for f in phone_fields):
                    records.append(record)
        for record in records:
            values = {label: getattr(record, field_name) for field_name, label in spec["fields"].items()}
            found.append((spec["file"], model, record, values))
    return found + _attached(found)


def _attached(found):
    """The files attached to a matching record (a meeting's attachments, a case's photos, an application's
    scans), which name the person as much as the record does."""
    specs, seen, extra = _fields_by_model(), {(model, record.pk) for _, model, record, _ in found}, []
    for file_name, model, record, _ in found:
        for relation in model._meta.related_objects:
            child = relation.related_model
            if (
                relation.one_to_many
                and child in specs
                and any(isinstance(field, FILE_FIELDS) for field in child._meta.concrete_fields)
            ):
                for attached in getattr(record, relation.get_accessor_name()).all():
                    if (child, attached.pk) not in seen:
                        seen.add((child, attached.pk))
                        fields = specs[child]["fields"]
                        values = {label: getattr(attached, name) for name, label in fields.items()}
                        extra.append((file_name, child, attached, values))
    return extra


def _cell(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return "（ファイル。files/ に同封）" if value else ""
    if hasattr(value, "name") and hasattr(value, "storage"):  # a stored file
        return f"（ファイル {value.name}。files/ に同封）" if value else ""
    return value


def zip_bytes(disclosure):
    """The ZIP for `disclosure` (a niimi_portal.Disclosure): README, records.csv and the attached files."""
    found = find(disclosure.person_name, phone=disclosure.phone, email=disclosure.email)
    rows, buffer = [], io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, model, record, values in found:
            for label, value in values.items():
                rows.append([file_name, model._meta.verbose_name, record.pk, label, _cell(value)])
            for field in model._meta.concrete_fields:
                stored = getattr(record, field.name)
                if isinstance(field, models.FileField) and stored:
                    with stored.open("rb") as handle:
                        archive.writestr(
                            f"files/{model.__name__}-{record.pk}-{stored.name.rsplit('/', 1)[-1]}", handle.read()
                        )
                elif isinstance(field, models.BinaryField) and stored:
                    archive.writestr(f"files/{model.__name__}-{record.pk}.pdf", bytes(stored))
        archive.writestr("records.csv", csv_text(["個人情報ファイル", "記録の種類", "番号", "項目", "内容"], rows))
        archive.writestr(
            "README.txt",
            "\n".join(
                [
                    f"本人開示の資料: {disclosure.person_name}",
                    f"開示請求の受付日: {wareki_date(disclosure.received_on)}",
                    f"作成日時: {timezone.localtime():%Y-%m-%d %H:%M}",
                    f"見つかった記録: {len(found)}件（records.csv、添付は files/）",
                    "",
                    "この資料は開示の判断のための材料です。ほかの人の情報など、開示しない部分（不開示情報）は",
                    "市の個人情報保護の規程に従って判断してください（前提・要確認）。",
                ]
            ),
        )
    return buffer.getvalue(), len(found)
