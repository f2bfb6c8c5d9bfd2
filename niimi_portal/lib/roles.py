"""The two staff groups and what each may do. Migrations call `sync_groups` so production has them.

A leaf module: the apps' permissions are named by label strings and read through the migration's
`apps` registry, so every app's migrations may import it without importing another app.
"""

from django.conf import settings
from django.contrib.auth.management import create_permissions

# Policy staff work on everything in the three domain apps through the admin, except deleting
# records that carry money or approvals (those are corrected, never removed: history keeps them).
POLICY_APPS = ("organizations", "staff", "grants", "library", "offices")
POLICY_NO_DELETE = {
    "organizations.organization",
    "organizations.publicationconsent",  # a consent is withdrawn (withdrawn_on), never removed
    "grants.grantcalculation",
    "grants.grantdecision",
    "grants.grantrule",
    "grants.grantreportitem",
    "grants.grantreportattachment",
    "grants.grantapplication",  # a received 交付申請 is a record; decisions refer to it
    "grants.grantapplicationattachment",
    "grants.subsidyallocation",
    "grants.documentnumber",  # the 文書番号簿: a number is voided with a reason, never removed
    "grants.issueddocument",
    "grants.receipt",  # the 受付簿: a 受付番号 once given stays
    "staff.meeting",
    # What a 事務局 sent and the 課 answered (offices): records, kept with their versions.
    "offices.submission",
    "offices.submissionversion",
    "offices.fieldcomment",
    "offices.profileedit",
}
POLICY_EXTRA = ["organizations.approve_organization"]
# Records written only by the portal itself, which policy staff read: 廃棄の記録 (apply_retention).
POLICY_VIEW_ONLY_MODELS = ("niimi_portal.disposal",)
# Kept for the 課's administrators, given to a person by hand (or held by a superuser): reading the access log.
POLICY_NEVER = {
    "organizations.read_access_log",
    # 決裁 is the 決裁権者' alone (their groups below): a clerk of the 課 drafts, and cannot approve.
    "grants.approve_section_chief",
    "grants.approve_director",
    "grants.approve_mayor",
}
# The 決裁権者 by 専決区分 (grants.models.drafts): one group per level, holding that level's permission and
# what the 決裁 list needs to be read. A 課長 is usually in 総合政策課 too; a 部長 or the 市長 only here.
APPROVER_GROUPS = {
    "決裁権者（課長）": "grants.approve_section_chief",
    "決裁権者（部長）": "grants.approve_director",
    "決裁権者（市長）": "grants.approve_mayor",
}
APPROVER_VIEW = ["grants.view_documentdraft", "grants.view_documentnumber", "grants.view_issueddocument"]
# Mail in the outbox: policy staff see it and may queue a given-up message again (再送), but never write
# or delete one (the outbox app sends and purges).
POLICY_VIEW_CHANGE_APPS = ("outbox",)

# Liaison officers never enter the admin; these permissions describe the workspace they use.
LIAISON_PERMISSIONS = [
    "staff.view_meeting",
    "staff.add_meeting",
    "staff.change_meeting",
    "staff.add_meetingattachment",
    "staff.view_meetingattachment",
    "staff.add_nextstep",
    "staff.change_nextstep",
    "staff.add_stagechange",
    "staff.view_stagechange",
]


def _ensure_permissions(apps):
    """Create model permissions now: post_migrate, which normally does it, runs after all migrations."""
    for app_config in apps.get_app_configs():
        missing_module = getattr(app_config, "models_module", None) is None  # historical apps in a migration
        if missing_module:
            app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        if missing_module:
            app_config.models_module = None


def sync_groups(apps, schema_editor=None):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    policy, _ = Group.objects.get_or_create(name=settings.POLICY_GROUP)
    policy_perms = []
    for perm in Permission.objects.filter(content_type__app_label__in=POLICY_APPS).select_related("content_type"):
        model_key = f"{perm.content_type.app_label}.{perm.content_type.model}"
        if perm.codename.startswith("delete_") and model_key.removeprefix("historical") in POLICY_NO_DELETE:
            continue
        if perm.content_type.model.startswith("historical") and not perm.codename.startswith("view_"):
            continue  # history is read-only for everyone
        if f"{perm.content_type.app_label}.{perm.codename}" in POLICY_NEVER:
            continue
        policy_perms.append(perm)
    policy_perms += Permission.objects.filter(
        content_type__app_label__in=POLICY_VIEW_CHANGE_APPS, codename__regex=r"^(view|change)_"
    )
    for model_key in POLICY_VIEW_ONLY_MODELS:
        app_label, model = model_key.split(".")
        policy_perms += Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model, codename__startswith="view_"
        )
    policy.permissions.set(policy_perms + _lookup(Permission, POLICY_EXTRA))

    liaison, _ = Group.objects.get_or_create(name=settings.LIAISON_GROUP)
    liaison.permissions.set(_lookup(Permission, LIAISON_PERMISSIONS))

    if Permission.objects.filter(content_type__app_label="grants", codename="approve_mayor").exists():
        for name, permission in APPROVER_GROUPS.items():
            approver, _ = Group.objects.get_or_create(name=name)
            approver.permissions.set(_lookup(Permission, [permission, *APPROVER_VIEW]))


def _lookup(Permission, dotted_names):
    perms = []
    for dotted in dotted_names:
        app_label, codename = dotted.split(".")
        perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return perms
