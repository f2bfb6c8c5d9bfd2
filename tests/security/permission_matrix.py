"""Who may open which page: one row per URL pattern, the expected answer to a GET for each role.

`tests/security/test_permission_matrix.py` walks every URL pattern of the URL conf and fails for a
pattern with no row here, naming it: a new page cannot ship before someone decides who may see it.
The Django admin's stock pages (lists, add/change/delete/history forms) are left to the admin's own
permission system; the views our code adds to the admin have rows here like any other page.

A row gives, for each role, the status of a GET (`OK`, `FORBIDDEN`, `NOT_FOUND`, …) or a redirect
(`LOGIN`: to the staff login; `ADMIN_LOGIN`: to the admin's login; `ADMIN`: into the admin), and the
URL's arguments, built from the `World` of `tests/security/world.py`. Rows marked `object_level`
act on one area's records: the liaison of another area must be refused there, for GET and POST,
without any change to the database. `post` gives the form data such a POST sends (a valid
submission, so that only the permission check can stop it).
"""

from dataclasses import dataclass

from niimi_portal.opendata import DATASETS
from tests.security.world import ROLES

OK = 200
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405


@dataclass(frozen=True)
class Redirect:
    to: str  # the start of the Location header
    status: int = 302

    def __str__(self):
        return f"302→{self.to}"


LOGIN = Redirect("/accounts/login/?next=")
ADMIN_LOGIN = Redirect("/admin/login/?next=")
ADMIN = Redirect("/admin/")
HOME = Redirect("/")
OFFICE = Redirect("/office/")  # the 事務局's pages
TWO_FACTOR_SETUP = Redirect("/accounts/two-factor/")

REFUSALS = (FORBIDDEN, NOT_FOUND, LOGIN, ADMIN_LOGIN)


@dataclass(frozen=True)
class Row:
    expect: dict  # role → status or Redirect
    kwargs: tuple = ({},)  # each a dict, or a function World → dict; the URL is checked once per entry
    object_level: bool = False
    post: object = None  # function World → form data for the object-level POST

    def __post_init__(self):
        assert set(self.expect) == set(ROLES), f"a row must name every role: {ROLES}"


def row(anonymous, other_liaison, assigned_liaison, policy_officer, superuser, office_member, **options):
    """The answers in the order of ROLES; `office_member` is a person of world.organization's 事務局."""
    expect = dict(
        zip(ROLES, (anonymous, other_liaison, assigned_liaison, policy_officer, superuser, office_member), strict=True)
    )
    return Row(expect=expect, **options)


def everyone(status, **options):
    return row(*[status] * len(ROLES), **options)


def meeting_data(world, **changes):
    """What a liaison types into the meeting form: a held workshop today, one next step."""
    return {
        "kind": "workshop",
        "status": "held",
        "date": world.today.isoformat(),
        "start_time": "19:00",
        "end_time": "20:30",
        "place": "公民館",
        "attendees": "10",
        "summary": "メモ",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-description": "次の会議の準備",
        "steps-0-owner": "事務局",
        "steps-0-due_date": world.today.isoformat(),
        **changes,
    }


def stage_data(world):
    return {
        "to_stage": "3",
        "changed_on": world.today.isoformat(),
        "evidence_meeting": str(world.meeting.pk),
        "note": "設立総会",
    }


def organization_target(world):
    return {"kind": "organization", "slug": world.organization.slug}


def region_target(world):
    return {"kind": "region", "slug": world.assigned_region.slug}


def organization_slug(world):
    return {"slug": world.organization.slug}


def meeting_pk(world):
    return {"pk": world.meeting.pk}


def region_meeting_pk(world):
    return {"pk": world.region_meeting.pk}


def organization_object(world):
    return {"object_id": world.organization.pk}


def decision_pk(world):
    return {"pk": world.decision.pk}


def sent_submission_pk(world):
    return {"pk": world.submission.pk}


def office_form(world):
    return {"slug": world.organization.slug, "kind": "application"}


# Workspace pages: a liaison's own areas; another area's records answer 404 (not even their existence is shown).
WORKSPACE_OBJECT = {"object_level": True}
# The 事務局's pages: one organization's own; anyone else is answered 404, as for another area's records.
OFFICE_OBJECT = {"object_level": True}


def document_entry_pk(world):
    return {"pk": world.document_entry.pk}


def area_file_post(world):
    """An areas file carried from a preview to the save: what a policy officer's browser would send."""
    import base64

    content = "旧市町,学区,大字,行政区,よみ\r\n新見,,勝手な大字,,かって\r\n".encode()
    return {"payload": base64.b64encode(content).decode(), "filename": "areas.csv", "action": "save"}


# Pages our code adds to the admin: staff only (the admin sends everyone else to its login), then
# the view checks the 総合政策課 permission itself.
POLICY_ONLY = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, OK, OK, ADMIN_LOGIN)

MATRIX = {
    # -- public pages ---------------------------------------------------------------------------
    "home": everyone(OK),
    "healthz": everyone(OK),
    "baseline": everyone(OK),
    "about": everyone(OK),
    "search": everyone(OK),
    "accessibility": everyone(OK),
    "display_settings": everyone(HOME),
    "organizations:region_list": everyone(OK),
    "organizations:region_find": everyone(OK),
    "organizations:region_detail": everyone(OK, kwargs=(lambda w: {"slug": w.area.slug},)),
    "organizations:organization_list": everyone(OK),
    "organizations:organization_detail": everyone(OK, kwargs=(organization_slug,)),
    "organizations:faq": everyone(OK),
    "organizations:case_list": everyone(OK),
    "organizations:case_detail": everyone(OK, kwargs=(lambda w: {"slug": w.case.slug},)),
    # A photo is served to everyone while its case is public (tests/organizations/areas/test_case_photos.py); here no
    # photo of that number exists.
    "organizations:case_photo": everyone(NOT_FOUND, kwargs=(lambda w: {"slug": w.case.slug, "pk": 999_999},)),
    "organizations:liaison_roster": everyone(OK),
    "organizations:liaison_roster_pdf": everyone(OK),
    "organizations:organization_plan_pdf": everyone(OK, kwargs=(organization_slug,)),
    "organizations:schedule": everyone(OK),
    "organizations:schedule_ics": everyone(OK),
    "organizations:open_data": everyone(OK),
    "organizations:open_data_file": everyone(
        OK, kwargs=tuple({"slug": slug, "extension": ext} for slug in DATASETS for ext in ("csv", "json"))
    ),
    "grants:overview": everyone(OK),
    "library:list": everyone(OK),
    # the pages every city site has (niimi_portal.city_pages); an unknown or unpublished notice answers 404
    "city:notices": everyone(OK),
    "city:notice": everyone(NOT_FOUND, kwargs=(lambda w: {"pk": 999_999},)),
    "city:privacy": everyone(OK),
    "city:disclaimer": everyone(OK),
    "city:sitemap": everyone(OK),
    "city:sitemap_xml": everyone(OK),
    # an unknown or unpublished document answers 404 to everyone alike
    "library:file": everyone(NOT_FOUND, kwargs=(lambda w: {"pk": 999_999},)),
    # -- django.contrib.auth.urls ---------------------------------------------------------------
    "login": everyone(OK),
    "logout": everyone(NOT_ALLOWED),  # POST only, with the CSRF token
    "password_change": row(LOGIN, OK, OK, OK, OK, OK),
    "password_change_done": row(LOGIN, OK, OK, OK, OK, OK),
    "password_reset": everyone(OK),
    "password_reset_done": everyone(OK),
    "password_reset_confirm": everyone(OK, kwargs=({"uidb64": "MQ", "token": "not-a-valid-token"},)),
    "password_reset_complete": everyone(OK),
    # -- two-factor sign-in (tests/security/test_two_factor.py) ---------------------------------
    # The matrix's clerk and superuser are signed in verified (tests.helpers.Client) and hold a device;
    # a liaison has none, so there is nothing to verify with yet and the setup page is where to go.
    # A 事務局 member may set up a second factor (optional for them, as for a liaison).
    "two_factor_setup": row(LOGIN, OK, OK, OK, OK, OK),
    "two_factor_verify": row(LOGIN, TWO_FACTOR_SETUP, TWO_FACTOR_SETUP, OK, OK, TWO_FACTOR_SETUP),
    # -- the liaison workspace ------------------------------------------------------------------
    # Policy staff and the superuser are not liaisons: their work is in the admin; a 事務局 member's is in /office/
    # (the sign-in lands here, LOGIN_REDIRECT_URL). The workspace refuses a 事務局 member as it refuses the 課.
    "staff:dashboard": row(LOGIN, OK, OK, ADMIN, ADMIN, OFFICE),
    # The 事務局's pages: a person who serves no organization's 事務局 is told so (start) and finds none (404).
    # A member of one organization goes straight to its home. Every office page of one organization answers its
    # own 事務局 only (tests/offices/test_isolation.py walks them all with another organization's ids).
    "offices:start": row(LOGIN, OK, OK, OK, OK, OFFICE),
    "offices:home": row(LOGIN, *[NOT_FOUND] * 4, OK, kwargs=(organization_slug,), **OFFICE_OBJECT),
    "offices:documents": row(LOGIN, *[NOT_FOUND] * 4, OK, kwargs=(organization_slug,), **OFFICE_OBJECT),
    "offices:document_pdf": row(
        LOGIN,
        *[NOT_FOUND] * 4,
        OK,
        kwargs=(lambda w: {"slug": w.organization.slug, "pk": w.issued.pk},),
        **OFFICE_OBJECT,
    ),
    # Its forms (offices.form_views): the same; the draft is saved by POST only (a GET answers 405 to its 事務局).
    "offices:form": row(LOGIN, *[NOT_FOUND] * 4, OK, kwargs=(office_form,), **OFFICE_OBJECT),
    "offices:form_draft": row(LOGIN, *[NOT_FOUND] * 4, NOT_ALLOWED, kwargs=(office_form,)),
    "offices:form_carry_over": row(LOGIN, *[NOT_FOUND] * 4, OK, kwargs=(office_form,), **OFFICE_OBJECT),
    # 高尾's sent form under 唐松's address: not found, even for 唐松's own 事務局.
    "offices:form_done": row(LOGIN, *[NOT_FOUND] * 5, kwargs=(lambda w: {**office_form(w), **sent_submission_pk(w)},)),
    # The invitation's link: a link not made for an account (or already used) is not found, whoever asks.
    "offices:welcome": everyone(NOT_FOUND, kwargs=({"uidb64": "MQ", "token": "not-a-valid-token"},)),
    # The public page's edits and the forms' attachments: members only; the membership check answers 404 before
    # any id is looked at.
    "offices:profile": row(LOGIN, *[NOT_FOUND] * 4, OK, kwargs=(organization_slug,), **OFFICE_OBJECT),
    **{
        # No attachment 1 in the world: not found even for 唐松's 事務局 (the isolation walk uses real ids).
        name: row(
            LOGIN,
            *[NOT_FOUND] * 5,
            kwargs=(lambda w: {"slug": w.organization.slug, "pk": 1},),
        )
        for name in (
            "offices:submission_attachments",
            "offices:attachment_download",
            "offices:attachment_label",
            "offices:attachment_remove",
        )
    },
    "staff:meeting_list": row(LOGIN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "staff:meeting_export": row(LOGIN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "staff:target": row(
        LOGIN,
        NOT_FOUND,
        OK,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
        kwargs=(organization_target, region_target),
        **WORKSPACE_OBJECT,
    ),
    "staff:meeting_create": row(
        LOGIN,
        NOT_FOUND,
        OK,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
        kwargs=(organization_target, region_target),
        post=meeting_data,
        **WORKSPACE_OBJECT,
    ),
    "staff:stage_change": row(
        LOGIN,
        NOT_FOUND,
        OK,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
        kwargs=(organization_slug,),
        post=stage_data,
        **WORKSPACE_OBJECT,
    ),
    "staff:meeting_detail": row(
        LOGIN,
        NOT_FOUND,
        OK,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
        kwargs=(meeting_pk, region_meeting_pk),
        **WORKSPACE_OBJECT,
    ),
    "staff:meeting_edit": row(
        LOGIN,
        NOT_FOUND,
        OK,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
        kwargs=(meeting_pk, region_meeting_pk),
        post=lambda w: meeting_data(w, place="書き換えた場所"),
        **WORKSPACE_OBJECT,
    ),
    "staff:meeting_archive": row(
        LOGIN,
        NOT_FOUND,
        OK,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
        kwargs=(meeting_pk, region_meeting_pk),
        post=lambda w: {},
        **WORKSPACE_OBJECT,
    ),
    # Attachments: the liaisons of the meeting's area and policy staff (who read every record).
    "staff:attachment_download": row(
        LOGIN, NOT_FOUND, OK, OK, OK, NOT_FOUND, kwargs=(lambda w: {"pk": w.attachment.pk},), **WORKSPACE_OBJECT
    ),
    # Removing an attachment: the meeting's author only (policy staff remove theirs in the admin).
    "staff:attachment_remove": row(
        LOGIN,
        NOT_FOUND,
        OK,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
        kwargs=(lambda w: {"pk": w.attachment.pk},),
        post=lambda w: {"reason": "誤って登録したため"},
        **WORKSPACE_OBJECT,
    ),
    # -- views our code adds to the admin -------------------------------------------------------
    "admin:grants_fiscalyear_notices": row(
        *POLICY_ONLY, kwargs=(lambda w: {"pk": w.fiscal_year.pk, "kind": "decision"},), object_level=True
    ),
    "admin:staff_meeting_attachment_remove": row(
        *POLICY_ONLY,
        kwargs=(lambda w: {"pk": w.attachment.meeting_id, "attachment": w.attachment.pk},),
        post=lambda w: {"reason": "誤って登録したため"},
        object_level=True,
    ),
    "admin:organizations_organization_export": row(*POLICY_ONLY),
    # 事務局を招待する, 事務局から外す (offices.admin_members): 総合政策課 only.
    "admin:organizations_organization_invite": row(
        *POLICY_ONLY,
        kwargs=(organization_object,),
        post=lambda w: {"name": "新見 花子", "email": "hanako@example.jp", "role": "会計"},
        object_level=True,
    ),
    "admin:organizations_organization_office_remove": row(
        *POLICY_ONLY,
        kwargs=(lambda w: {"object_id": w.organization.pk, "member_pk": w.office_membership.pk},),
        post=lambda w: {},
        object_level=True,
    ),
    # Areas and 住民基本台帳 figures: import (upload, preview) and export in the same columns.
    # A liaison's POST of a file (or of a previewed payload) changes nothing.
    "admin:organizations_region_import": row(*POLICY_ONLY, post=area_file_post, object_level=True),
    "admin:organizations_region_export": row(
        *POLICY_ONLY, kwargs=({"form": "csv"}, {"form": "xlsx"}), post=lambda w: {}, object_level=True
    ),
    "admin:organizations_regionstatistic_import": row(*POLICY_ONLY, post=area_file_post, object_level=True),
    "admin:organizations_regionstatistic_export": row(
        *POLICY_ONLY, kwargs=({"form": "csv"},), post=lambda w: {}, object_level=True
    ),
    "admin:organizations_organization_submit": row(
        *POLICY_ONLY,
        kwargs=(organization_object,),
        post=lambda w: {"date": w.today.isoformat()},
        object_level=True,
    ),
    "admin:organizations_organization_approve": row(
        *POLICY_ONLY,
        kwargs=(organization_object,),
        post=lambda w: {"number": "新総政第99号", "date": w.today.isoformat()},
        object_level=True,
    ),
    "admin:organizations_organization_return": row(
        *POLICY_ONLY, kwargs=(organization_object,), post=lambda w: {"reason": "書類の不足"}, object_level=True
    ),
    "admin:staff_stagechange_review": row(
        *POLICY_ONLY, post=lambda w: {"kind": "stage", "pk": "0", "action": "accept"}, object_level=True
    ),
    # 公開ページの変更の提案 of a 事務局 (offices.admin_profile): decided like a liaison's proposal.
    "admin:offices_profileedit_review": row(
        *POLICY_ONLY,
        kwargs=(lambda w: {"pk": w.profile_edit.pk},),
        post=lambda w: {"action": "decline", "reason": "日付を確認してください。"},
        object_level=True,
    ),
    "admin:organizations_organization_refuse": row(
        *POLICY_ONLY, kwargs=(organization_object,), post=lambda w: {"reason": "活動区域の重複"}, object_level=True
    ),
    "admin:organizations_organization_revoke": row(
        *POLICY_ONLY,
        kwargs=(organization_object,),
        post=lambda w: {"reason": "活動の停止", "date": w.today.isoformat()},
        object_level=True,
    ),
    # 弁明の機会 before a 認可取消 (issue 29): giving it with its 付与通知書, recording the 弁明 received.
    "admin:organizations_organization_hearing": row(
        *POLICY_ONLY,
        kwargs=(organization_object,),
        post=lambda w: {"facts": "活動の停止のため。", "notified_on": w.today.isoformat()},
        object_level=True,
    ),
    "admin:organizations_organization_hearing_answer": row(
        *POLICY_ONLY,
        kwargs=(organization_object,),
        post=lambda w: {"explained_on": w.today.isoformat(), "explanation": "再開する予定である。"},
        object_level=True,
    ),
    "admin:grants_fiscalyear_grants": row(
        *POLICY_ONLY,
        kwargs=(lambda w: {"pk": w.fiscal_year.pk},),
        post=lambda w: {"step": "calculate"},
        object_level=True,
    ),
    # 報告 (issue 30): the year's grants per organization, on the page and as .xlsx / CSV; read only.
    # 財務会計の連携 (issue 30): the period's 支出負担行為・支出命令・調定・収納 and their GET downloads
    # (tests/grants/test_accounting.py asks for the downloads as each role too).
    "admin:grants_payeeaccount_accounting": row(*POLICY_ONLY, object_level=True),
    "admin:grants_fiscalyear_report": row(
        *POLICY_ONLY, kwargs=(lambda w: {"pk": w.fiscal_year.pk},), object_level=True
    ),
    # 期限 (issue 30): the list, and the 案内・督促 letters printed from it (a GET: nothing is numbered or stored).
    "admin:grants_fiscalyear_deadlines": row(*POLICY_ONLY, object_level=True),
    "admin:grants_fiscalyear_deadline_letters": row(
        *POLICY_ONLY, kwargs=({"kind": "guide"}, {"kind": "demand"}), object_level=True
    ),
    # 新年度の準備 (issue 16): open the next year from this one, its checklist, the April rotation.
    "admin:grants_fiscalyear_new_year": row(
        *POLICY_ONLY,
        post=lambda w: {
            "year": str(w.fiscal_year.year + 1),
            "statistics_reference_date": f"{w.fiscal_year.year + 1}-04-01",
            "rule-equal_share": "300000",
            "rule-per_capita": "1100",
            "rule-per_household": "1500",
            "rule-secretariat_cost": "600000",
            "rule-rounding_unit": "1000",
            "rule-settlement_rule": "lesser_net",
        },
        object_level=True,
    ),
    "admin:grants_fiscalyear_prepare": row(
        *POLICY_ONLY,
        kwargs=(lambda w: {"pk": w.fiscal_year.pk},),
        post=lambda w: {"step": "publish", "published_on": w.today.isoformat()},
        object_level=True,
    ),
    "admin:grants_fiscalyear_rotation": row(
        *POLICY_ONLY, kwargs=(lambda w: {"pk": w.fiscal_year.pk},), post=lambda w: {}, object_level=True
    ),
    # 交付決定, organization by organization (issue 16): the choice, the confirmation, the decision.
    "admin:grants_fiscalyear_decide": row(
        *POLICY_ONLY,
        kwargs=(lambda w: {"pk": w.fiscal_year.pk},),
        post=lambda w: {"step": "review", "decided_on": w.today.isoformat()},
        object_level=True,
    ),
    # The scanned 申請書 of a 交付申請: only 総合政策課.
    "admin:grants_grantapplication_attachment": row(
        *POLICY_ONLY,
        kwargs=(
            lambda w: {"pk": w.application_attachment.application_id, "attachment_pk": w.application_attachment.pk},
        ),
        object_level=True,
    ),
    # 事務局からの提出 (offices.admin_submissions): the clerk's 補正 and 受理 of a form sent from the office pages.
    "admin:offices_submission_correction": row(
        *POLICY_ONLY, kwargs=(sent_submission_pk,), object_level=True, post=lambda w: {"comment__": "補正"}
    ),
    "admin:offices_submission_accept": row(
        *POLICY_ONLY, kwargs=(sent_submission_pk,), object_level=True, post=lambda w: {}
    ),
    "admin:grants_grantdecision_notice": row(
        *POLICY_ONLY, kwargs=(lambda w: {"pk": w.decision.pk, "kind": "decision"},), object_level=True
    ),
    # The 文書番号簿 and the issued documents (issue 17): preview, issue (or reprint as issued), void,
    # the stored PDF, a 再発行 or 写. Issuing (here, a decision's notice, the year's notices) is a POST only:
    # a GET answers the confirmation page or the PDF as issued (tests/grants/test_issue_by_post.py).
    "admin:grants_documentnumber_preview": row(*POLICY_ONLY, kwargs=(document_entry_pk,), object_level=True),
    "admin:grants_documentnumber_issue": row(*POLICY_ONLY, kwargs=(document_entry_pk,), object_level=True),
    "admin:grants_documentnumber_void": row(
        *POLICY_ONLY, kwargs=(document_entry_pk,), post=lambda w: {}, object_level=True
    ),
    "admin:grants_issueddocument_pdf": row(*POLICY_ONLY, kwargs=(lambda w: {"pk": w.issued.pk},), object_level=True),
    "admin:grants_issueddocument_reissue": row(
        *POLICY_ONLY, kwargs=(lambda w: {"pk": w.issued.pk, "copy": "reissue"},), object_level=True
    ),
    # 起案・決裁 (issue 29): a draft's page, its preview marked 「案」, and its steps. A GET to a step shows the
    # draft; the POSTs (決裁・差戻し for the 決裁権者, 再起案 for the 課) are tested in tests/grants/test_drafts.py.
    **{
        f"admin:grants_documentdraft_{step}": row(
            *POLICY_ONLY, kwargs=(lambda w: {"pk": w.draft.pk},), post=lambda w: {"reason": "x"}, object_level=True
        )
        for step in ("decide", "preview", "approve", "reject", "redraft")
    },
    # 本人開示 (issue 32): the ZIP is produced by a POST only, for an administrator (the 課's clerks get 403 on
    # the POST: tests/niimi_portal/test_disclosure.py); a GET answers 405 to a signed-in staff member.
    "admin:niimi_portal_disclosure_zip": row(
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        NOT_ALLOWED,
        NOT_ALLOWED,
        ADMIN_LOGIN,
        kwargs=(lambda w: {"pk": w.disclosure.pk},),
        post=lambda w: {},
        object_level=True,
    ),
    "admin:grants_grantdecision_change_amount": row(
        *POLICY_ONLY,
        kwargs=(decision_pk,),
        post=lambda w: {"amount": "1", "reason": "減額", "changed_on": w.today.isoformat()},
        object_level=True,
    ),
    "admin:grants_grantdecision_report": row(
        *POLICY_ONLY, kwargs=(decision_pk,), post=lambda w: {"reported_on": w.today.isoformat()}, object_level=True
    ),
    "admin:grants_grantdecision_settle": row(
        *POLICY_ONLY,
        kwargs=(decision_pk,),
        post=lambda w: {"settled_amount": "0", "settled_on": w.today.isoformat()},
        object_level=True,
    ),
    # The grant year after the 交付決定 (issue 16): 変更申請, 変更交付決定, 請求, 支払, 精算払の請求, 返還請求,
    # 納付, 交付決定取消 — each a form on one decision, for 総合政策課 only.
    "admin:grants_grantdecision_change_request": row(
        *POLICY_ONLY,
        kwargs=(decision_pk,),
        post=lambda w: {"received_on": w.today.isoformat(), "requested_amount": "1", "reason": "減額"},
        object_level=True,
    ),
    "admin:grants_grantdecision_change_decide": row(
        *POLICY_ONLY,
        kwargs=(decision_pk,),
        post=lambda w: {"amount": "1", "changed_on": w.today.isoformat()},
        object_level=True,
    ),
    "admin:grants_grantdecision_claim": row(
        *POLICY_ONLY,
        kwargs=(decision_pk,),
        post=lambda w: {"claimed_on": w.today.isoformat(), "amount": "1"},
        object_level=True,
    ),
    "admin:grants_grantdecision_pay": row(
        *POLICY_ONLY, kwargs=(decision_pk,), post=lambda w: {"paid_on": w.today.isoformat()}, object_level=True
    ),
    "admin:grants_grantdecision_final_claim": row(
        *POLICY_ONLY, kwargs=(decision_pk,), post=lambda w: {"claimed_on": w.today.isoformat()}, object_level=True
    ),
    "admin:grants_grantdecision_refund": row(
        *POLICY_ONLY,
        kwargs=(decision_pk,),
        post=lambda w: {"demanded_on": w.today.isoformat(), "due_on": w.today.isoformat()},
        object_level=True,
    ),
    "admin:grants_grantdecision_refund_returned": row(
        *POLICY_ONLY, kwargs=(decision_pk,), post=lambda w: {"returned_on": w.today.isoformat()}, object_level=True
    ),
    "admin:grants_grantdecision_revoke": row(
        *POLICY_ONLY,
        kwargs=(decision_pk,),
        post=lambda w: {"scope": "whole", "reason": "認可の取消し", "revoked_on": w.today.isoformat()},
        object_level=True,
    ),
    # django-otp's admin pages showing a TOTP key: hidden from everyone (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    "admin:otp_totp_totpdevice_config": row(
        *POLICY_ONLY[:3], FORBIDDEN, FORBIDDEN, ADMIN_LOGIN, kwargs=({"pk": 1},), object_level=True
    ),
    "admin:otp_totp_totpdevice_qrcode": row(
        *POLICY_ONLY[:3], FORBIDDEN, FORBIDDEN, ADMIN_LOGIN, kwargs=({"pk": 1},), object_level=True
    ),
    "admin:grants_grantdecision_attachment": row(
        *POLICY_ONLY,
        kwargs=(lambda w: {"pk": w.decision.pk, "attachment_pk": w.report_attachment.pk},),
        object_level=True,
    ),
}

# The admin's stock URL names (Django's and django-simple-history's): guarded by the admin itself.
ADMIN_SITE_NAMES = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
    "auth_user_password_change",
}
ADMIN_MODEL_SUFFIXES = ("_changelist", "_add", "_change", "_delete", "_history", "_simple_history")


def is_stock_admin(namespace, name):
    """True for the admin's own pages (unnamed ones are its redirects and catch-all); False for a view
    our code added to the admin, which needs a row."""
    return namespace == "admin" and (name is None or name in ADMIN_SITE_NAMES or name.endswith(ADMIN_MODEL_SUFFIXES))
