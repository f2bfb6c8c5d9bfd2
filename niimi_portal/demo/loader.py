"""Load a believable Niimi for demos and benchmarks (`manage.py loaddemo`). Running it again changes nothing."""

import datetime
import io
import random

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw

from grants import drafts, register, services, settlement
from grants.applications import application_for, application_record
from grants.categories import BudgetCategory
from grants.models import (
    FiscalYear,
    GrantCalculation,
    GrantDecision,
    GrantRule,
    IntegratedSubsidy,
    PayeeAccount,
    SubsidyAllocation,
)
from grants.notices import load_demo_notice_settings
from grants.services import decision_decide, grant_calculate_year
from library.models import LibraryDocument
from niimi_portal.demo import data
from niimi_portal.demo.scaler import load_copy
from niimi_portal.lib import two_factor
from niimi_portal.lib.roles import sync_groups
from niimi_portal.lib.wareki import fiscal_year_of
from offices import services as office_services
from offices.kinds import KINDS
from offices.models import OfficeMember, Submission
from organizations import area_summary
from organizations import services as organizations_services
from organizations.models import (
    FAQ,
    AnnualPlan,
    CaseStudy,
    CaseStudyPhoto,
    FAQCategory,
    FuturePlan,
    Notice,
    Organization,
    PageBlock,
    PlannedProject,
    PublicationConsent,
    Region,
    RegionStatistic,
    SitePage,
)
from organizations.page_texts import DEFAULTS as PAGE_TEXTS
from organizations.photos import web_photo
from organizations.site_texts import DRAFTS as SITE_PAGE_DRAFTS
from organizations.site_texts import EXAMPLE_NOTICES
from staff.models import Assignment, LiaisonOfficer, Meeting, NextStep

# Local-only demo logins, printed by `manage.py demo_logins`. Never use them on a real server.
DEMO_PASSWORD = "niimi-demo-2026"  # noqa: S105  # nosec B105
DEMO_USERS = [
    ("admin", "システム管理者", "superuser"),
    ("seisaku", "総合政策課 職員", "policy"),
    ("tanto1", "山田 太郎（地域担当職員）", "liaison"),
    ("tanto2", "佐藤 花子（地域担当職員）", "liaison"),
    ("kumano-jimukyoku", "熊野の将来を考える会 事務局（デモ）", "office"),
    ("karamatsu-jimukyoku", "唐松まちづくり協議会 事務局（デモ）", "office"),
]
# The organizations whose 事務局 the "office" demo logins serve (offices.OfficeMember).
DEMO_OFFICES = {"kumano-jimukyoku": "kumano-mirai", "karamatsu-jimukyoku": "karamatsu-machizukuri"}
# Their second factor (required for the superuser and 総合政策課, niimi_portal.lib.two_factor): one
# authenticator key and fixed backup codes, printed by demo_logins and labelled デモ. Local only, like
# the password; loading the demo again renews the backup codes.
DEMO_TOTP_KEY = "6e69696d692d64656d6f2d746f74702d6b657921"  # hex of "niimi-demo-totp-key!"  # nosec B105
DEMO_BACKUP_CODES = ["demo2fa1", "demo2fa2", "demo2fa3", "demo2fa4", "demo2fa5"]

# The demo's 債権者の口座 (load_payee_accounts): invented codes, beside names that say 架空.
DEMO_BANK_CODE = "9999"
DEMO_BRANCH_CODE = "999"

MEETING_PLACES = ["地区公民館", "ふれあいセンター", "集会所", "小学校の多目的室", "市民センター会議室"]
PROJECTS = [
    ("elderly", "見守り・声かけ訪問"),
    ("community", "ふるさと夏まつり"),
    ("disaster", "防災訓練と防災マップづくり"),
    ("childcare", "子ども食堂"),
    ("traffic", "通学路の見守り"),
]


def load(*, scale=1):
    """The base data set, then `scale - 1` bulk copies of it for benchmarks; each in its own transaction."""
    loader = DemoLoader()
    with transaction.atomic(), area_summary.deferred():
        loader.load_base()
    for copy in range(1, scale):
        with transaction.atomic():
            load_copy(loader, copy)
    if scale > 1:
        area_summary.refresh()  # the copies are bulk inserts, which send no signals
    return loader


def _rounded(amount):
    """An instalment in whole thousands of yen."""
    return int(amount) // 1_000 * 1_000


class DemoLoader:
    def __init__(self):
        self.today = timezone.localdate()
        self.rng = random.Random(20261127)  # noqa: S311  # nosec B311

    # -- the base dataset -------------------------------------------------------------------

    def load_base(self):
        self.years = self.load_fiscal_years()
        self.users = self.load_users()
        self.regions = self.load_regions()
        self.organizations = self.load_organizations()
        self.load_plans()
        self.documents = self.load_library()
        self.load_faqs()
        self.load_page_blocks()
        self.load_city_pages()
        self.load_case_studies()
        self.load_grants()
        self.officers = self.load_officers()
        self.load_meetings()
        self.load_grant_decisions()
        self.load_office_members()
        self.load_office_forms()

    def load_fiscal_years(self):
        current = fiscal_year_of(self.today)
        return {"current": FiscalYear.for_year(current), "previous": FiscalYear.for_year(current - 1)}

    def load_users(self):
        users = {}
        sync_groups(django_apps)  # a flushed test database has lost the groups of the data migration
        policy = Group.objects.get(name=settings.POLICY_GROUP)
        liaison = Group.objects.get(name=settings.LIAISON_GROUP)
        for username, name, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": name,
                    "email": f"{username}@example.invalid",
                    "is_staff": role in ("superuser", "policy"),
                    "is_superuser": role == "superuser",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                if role == "policy":
                    user.groups.add(policy)
                elif role == "liaison":
                    user.groups.add(liaison)
            if two_factor.required_for(user):
                self.load_second_factor(user)
            users[username] = user
        return users

    def load_office_members(self):
        """熊野 and 唐松 each with a 事務局 login (デモ); they keep receiving their notices by post (the default),
        so loading the demo queues no mail to the invented addresses."""
        for username, slug in DEMO_OFFICES.items():
            OfficeMember.objects.get_or_create(
                organization=self.organizations[slug],
                user=self.users[username],
                defaults={"role": "事務局長（デモ）", "invited_by": self.users["seisaku"], "joined_at": timezone.now()},
            )

    def load_office_forms(self):
        """デモ: the 事務局 logins have something to do. 熊野 has next year's 交付申請 in progress (a draft partly
        filled from this year's demo 収支予算) and 唐松 has one to answer: sent as version 1 with a 受付番号, then
        sent back by `seisaku` with a 補正 on one budget line.

        Next year's, because both already have this year's 交付申請 on record (load_application_and_decision):
        accepting another for this year would be refused. So next year is registered (as 新年度の準備 does,
        without its rule), and the 交付申請 form serves it once this year's is on record
        (offices.kinds.application_year). Every text invented says デモ; loading again changes nothing."""
        current = self.years["current"]
        following = FiscalYear.for_year(current.year + 1)
        kind = Submission.Kind.APPLICATION
        spec = KINDS[kind]
        by_kumano, by_karamatsu = self.users["kumano-jimukyoku"], self.users["karamatsu-jimukyoku"]
        for slug, user in (("kumano-mirai", by_kumano), ("karamatsu-machizukuri", by_karamatsu)):
            organization = self.organizations[slug]
            if Submission.objects.filter(organization=organization, fiscal_year=following, kind=kind).exists():
                continue
            data = spec.carry_over(organization, following)  # this year's 交付申請, line for line
            if not data:
                continue
            data["project_1_description"] = "（デモ）今年度に続けて、月1回の訪問を行います。"
            submission = office_services.submission_open(
                organization=organization, fiscal_year=following, kind=kind, by=user
            )
            if slug == "kumano-mirai":
                # partly filled: the 事務局 has not yet written its other income nor checked the last project
                last = spec.form_class.rows_in(data)
                for field in ("other_income_amount", "other_income_label", f"project_{last}_amount"):
                    data[field] = ""
                office_services.submission_draft_save(submission=submission, data=data, by=user)
                continue
            form = spec.form(data, submission=submission)
            if not form.is_valid():  # the demo's budget balances; say so if it ever stops
                raise ValueError(f"デモの交付申請が通りません: {form.errors.as_text()}")
            office_services.submission_send(submission=submission, data=data, by=user)
            submission.receipt.subject += "（デモ）"
            submission.receipt.save(update_fields=["subject"])
            office_services.submission_correction_request(
                submission=submission,
                comments={
                    "project_2_amount": "（デモ）夏まつりの事業費が今年度より大きく増えています。内訳を教えてください。"
                },
                by=self.users["seisaku"],
            )

    def load_second_factor(self, user):
        TOTPDevice.objects.update_or_create(
            user=user, name=two_factor.TOTP_DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
        )
        backup, _ = StaticDevice.objects.get_or_create(
            user=user, name=two_factor.BACKUP_DEVICE_NAME, defaults={"confirmed": True}
        )
        backup.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in DEMO_BACKUP_CODES)

    def load_regions(self):
        regions = {}
        for order, (slug, name, kana) in enumerate(data.FORMER_TOWNS, start=1):
            regions[slug] = self._region(slug, Region.Kind.FORMER_TOWN, name, kana, parent=None, order=order)
        for town_slug, areas in data.AREAS.items():
            for slug, kind, name, kana, *parent in areas:
                parent = regions[parent[0] if parent else town_slug]
                regions[slug] = self._region(slug, kind, name, kana, parent=parent, is_demo=True)
        with_children = {region.parent_id for region in regions.values()}
        reference_dates = [
            self.years["previous"].statistics_reference_date,
            self.years["current"].statistics_reference_date,
        ]
        existing = set(RegionStatistic.objects.values_list("region_id", "reference_date"))
        new_stats = []
        for region in regions.values():
            if region.kind == Region.Kind.FORMER_TOWN or region.pk in with_children:
                continue  # a 学区's figures are the sum of its 大字 (organizations.areas)
            rng = random.Random(region.slug)  # noqa: S311  # nosec B311
            population = rng.randint(180, 1600)
            for offset, day in enumerate(reference_dates):
                if (region.id, day) in existing:
                    continue
                pop = population - offset * rng.randint(0, 25)
                new_stats.append(
                    RegionStatistic(
                        region=region,
                        reference_date=day,
                        population=pop,
                        households=pop * 10 // rng.randint(21, 26),
                        source="表示用の仮の数値",
                        is_demo=True,
                    )
                )
        RegionStatistic.objects.bulk_create(new_stats)
        return regions

    def _region(self, slug, kind, name, kana, parent, is_demo=False, order=0):
        region, created = Region.objects.get_or_create(
            slug=slug,
            defaults={
                "kind": kind,
                "name": name,
                "name_kana": kana,
                "parent": parent,
                "is_demo": is_demo,
                "order": order,
            },
        )
        if not created and (region.parent_id != getattr(parent, "pk", None) or region.order != order):
            # A database loaded before the tree: the 大字 move under their 学区, 旧市町 take their order.
            region.parent, region.order = parent, order
            region.save(update_fields=["parent", "order"])
            RegionStatistic.objects.filter(region__children__isnull=False, is_demo=True).delete()
        return region

    def load_organizations(self):
        organizations = {}
        for number, (slug, name, kana, areas, stage, status, predecessor, published) in enumerate(
            data.ORGANIZATIONS, start=1
        ):
            area_names = "・".join(self.regions[a].name for a in areas)
            defaults = {
                "name": name,
                "name_kana": kana,
                "stage": stage,
                "approval_status": status,
                "predecessor": predecessor,
                "is_published": published,
                "is_demo": True,
                "description": f"{area_names}の住民でつくる組織です。",
                "representative_title": "会長",
                "representative_name": [
                    "石井 正男",
                    "藤原 和子",
                    "岡本 修",
                    "池田 明美",
                    "西村 健一",
                    "中村 和夫",
                    "小林 幸子",
                    "森 直樹",
                ][number - 1],
                "contact_phone": f"0867-00-{1000 + number:04d}",
            }
            if status in ("applied", "returned"):
                defaults["applied_on"] = self.today - datetime.timedelta(days=20 * number)
            if status == "approved":
                # デモ: approved in April of last fiscal year (applied a month before), so last year's grant
                # runs from its 交付申請 to its settlement and no decision predates its 認可.
                approved_on = datetime.date(fiscal_year_of(self.today) - 1, 4, 10 + 7 * number)
                defaults["applied_on"] = approved_on - datetime.timedelta(days=30)
                defaults["approval_number"] = f"新総政第{number}号"
                defaults["approved_on"] = approved_on
                defaults["established_on"] = approved_on
            if status == "returned":
                defaults["status_reason"] = "将来計画の目標に、取組の担い手と時期を書き加えてください。"
            organization, created = Organization.objects.get_or_create(slug=slug, defaults=defaults)
            if created:
                organization.regions.set([self.regions[a] for a in areas])
            register.approval_enter(organization)  # the 認可番号 in the 文書番号簿: no decision takes it again
            if slug != data.WITHOUT_CONSENT and not organization.publication_consents.exists():
                self.record_consents(organization)
            organizations[slug] = organization
        return organizations

    def record_consents(self, organization):
        """デモ: the representative consented in writing to their name and the telephone number on the pages."""
        for item in (PublicationConsent.Item.NAME, PublicationConsent.Item.PHONE):
            organizations_services.record_consent(
                organization=organization,
                item=item,
                by=self.users["seisaku"],
                given_by=f"{organization.representative_title} {organization.representative_name}",
                given_on=self.today - datetime.timedelta(days=60),
                method=PublicationConsent.Method.WRITTEN,
                is_demo=True,
            )

    def plan_adopted_on(self, organization):
        """The plan comes before the 認可 (the city's order: ② 将来計画, then ③ 設立・活動開始)."""
        adopted_on = self.today - datetime.timedelta(days=400)
        if organization.approved_on is not None:
            before = organization.approved_on - datetime.timedelta(days=data.PLAN_DAYS_BEFORE_APPROVAL)
            adopted_on = min(adopted_on, before)
        return adopted_on

    def load_plans(self):
        current = self.years["current"]
        for organization in self.organizations.values():
            if organization.stage < Organization.Stage.PLANNING:
                continue
            adopted = organization.approval_status in ("approved", "applied")
            FuturePlan.objects.get_or_create(
                organization=organization,
                defaults={
                    "title": f"{organization.name} 地域の将来計画",
                    "vision": "子どもから高齢者まで、誰もが安心して住み続けられる地域",
                    "issues": "高齢化と担い手不足、移動手段の確保、災害への備え",
                    "goals": "見守りと助け合いの仕組みづくり、世代をこえた交流の場づくり、自主防災の強化",
                    "start_year": current.year - 1,
                    "end_year": current.year + 3,
                    "status": FuturePlan.Status.ADOPTED if adopted else FuturePlan.Status.DRAFT,
                    "adopted_on": self.plan_adopted_on(organization) if adopted else None,
                },
            )
            if organization.is_approved:
                plan, created = AnnualPlan.objects.get_or_create(
                    organization=organization,
                    fiscal_year=current,
                    defaults={"summary": "将来計画の2年目として、見守りと防災に重点を置きます。"},
                )
                if created:
                    PlannedProject.objects.bulk_create(
                        PlannedProject(
                            annual_plan=plan, field=field, name=name, order=i, budget=self.rng.randint(10, 80) * 10_000
                        )
                        for i, (field, name) in enumerate(PROJECTS)
                    )

    def load_library(self):
        documents = {}
        for order, (key, category, title, url, description) in enumerate(data.LIBRARY, start=1):
            documents[key], _ = LibraryDocument.objects.get_or_create(
                title=title,
                defaults={
                    "category": category,
                    "external_url": url or data.CITY_SITE,
                    "description": description
                    + (
                        ""
                        if url
                        else "（リンク先は市のホームページのトップです。個別のアドレスは管理画面で登録します。）"
                    ),
                    "order": order,
                    "is_published": True,
                    # The city's own publications: never labelled デモ (issue 31), even while the link is the
                    # city's top page until a clerk enters the real address.
                    "is_demo": False,
                },
            )
        return documents

    def load_faqs(self):
        for order, (code, name) in enumerate(data.FAQ_CATEGORIES, start=1):
            FAQCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order})
        for order, (number, category, question, answer, published) in enumerate(data.FAQS, start=1):
            FAQ.objects.get_or_create(
                question=question,
                defaults={
                    "number": number,
                    "category_id": category,
                    "answer": answer,
                    "order": order,
                    "is_published": published,
                    "source": self.documents["city-page"] if number else None,
                },
            )

    def load_page_blocks(self):
        """Today's public texts, for the policy division to edit in the admin (kept when already there)."""
        for key, (_, body) in PAGE_TEXTS.items():
            PageBlock.objects.get_or_create(key=key, defaults={"body": body})

    def load_city_pages(self):
        """The portal's drafts of the privacy policy and the 免責事項 and its example お知らせ, published and marked
        as demo rows, so that demo mode labels them the portal's example text, not the city's (kept when there)."""
        for kind, body in SITE_PAGE_DRAFTS.items():
            SitePage.objects.get_or_create(
                kind=kind, defaults={"body": body, "is_published": True, "published_on": self.today, "is_demo": True}
            )
        for days_ago, title, body in EXAMPLE_NOTICES:
            Notice.objects.get_or_create(
                title=title,
                defaults={
                    "body": body,
                    "is_published": True,
                    "published_on": self.today - datetime.timedelta(days=days_ago),
                    "is_demo": True,
                },
            )

    def case_held_on(self, slug, organization, days_ago):
        """A step on the way to the plan is held before the 認可; any other case, days_ago before today."""
        if slug in data.CASES_BEFORE_APPROVAL and organization.approved_on is not None:
            return organization.approved_on - datetime.timedelta(days=data.CASES_BEFORE_APPROVAL[slug])
        return self.today - datetime.timedelta(days=days_ago)

    def load_case_studies(self):
        for slug, org_slug, title, summary, body, days_ago, published in data.CASE_STUDIES:
            organization = self.organizations[org_slug]
            case, created = CaseStudy.objects.get_or_create(
                slug=slug,
                defaults={
                    "organization": organization,
                    "title": title,
                    "summary": summary,
                    "body": body,
                    "held_on": self.case_held_on(slug, organization, days_ago),
                    "is_published": published,
                    # The two events are the city's; their dates and details here are invented.
                    "is_demo": True,
                },
            )
            if created:
                case.regions.set(organization.regions.all())
            if created and slug in data.CASE_PHOTOS:
                self.load_case_photo(case, *data.CASE_PHOTOS[slug])

    def load_case_photo(self, case, alt_text, caption):
        """A drawn stand-in for the city's photo, through the same re-encoding as an upload."""
        image = Image.new("RGB", (1200, 800), (232, 242, 233))
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 560, 1200, 800), fill=(120, 170, 110))  # the ground
        for i, colour in enumerate([(214, 92, 62), (63, 115, 180), (231, 177, 56), (120, 90, 160), (80, 150, 140)]):
            x = 160 + i * 200
            draw.ellipse((x - 45, 330, x + 45, 420), fill=colour)  # people standing round
            draw.rectangle((x - 40, 420, x + 40, 600), fill=colour)
        draw.rectangle((420, 470, 780, 560), fill=(150, 110, 70))  # the table with the notes
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        content, width, height = web_photo(SimpleUploadedFile("demo.png", buffer.getvalue(), content_type="image/png"))
        CaseStudyPhoto.objects.create(
            case=case,
            image=content,
            width=width,
            height=height,
            alt_text=alt_text,
            caption=caption,
            order=1,
            shows_people=True,  # デモ: the people drawn stand for residents who consented in writing
            consent_given_by="（デモ）写っている住民の代表",
            consent_given_on=self.today - datetime.timedelta(days=30),
            consent_method=PublicationConsent.Method.WRITTEN,
        )

    def load_grants(self):
        for key in ("previous", "current"):
            year = self.years[key]
            GrantRule.objects.get_or_create(
                fiscal_year=year,
                defaults={
                    "equal_share": 300_000,
                    "per_capita": 1_000 if key == "previous" else 1_100,
                    "per_household": 1_500,
                    "secretariat_cost": 600_000,
                    "rounding_unit": 1_000,
                    "change_cap_percent": 33,
                    "notes": "実際の交付基準は一括交付金運用マニュアルによります。",
                    "is_demo": True,
                },
            )
        subsidies = [
            IntegratedSubsidy.objects.get_or_create(
                name=name, defaults={"former_department": dept, "order": i, "is_demo": True}
            )[0]
            for i, (name, dept) in enumerate(data.SUBSIDIES)
        ]
        existing = set(SubsidyAllocation.objects.values_list("subsidy_id", "organization_id", "fiscal_year_id"))
        new = []
        for organization in self.organizations.values():
            if not organization.is_approved:
                continue
            for year in self.years.values():
                for subsidy in subsidies:
                    if (subsidy.id, organization.id, year.id) in existing:
                        continue
                    rng = random.Random(f"{organization.slug}{subsidy.name}")  # noqa: S311  # nosec B311
                    new.append(
                        SubsidyAllocation(
                            subsidy=subsidy,
                            organization=organization,
                            fiscal_year=year,
                            amount=rng.randint(5, 40) * 10_000,
                            is_demo=True,
                        )
                    )
        SubsidyAllocation.objects.bulk_create(new)

    def load_grant_decisions(self):
        """算定 and 交付決定 for last and this fiscal year, so the notices can be exported. Running it
        again changes nothing: unchanged calculations are not saved and decided ones are kept."""
        load_demo_notice_settings()  # デモ: the mayor's name and article numbers are invented, marked デモ

        for key in ("previous", "current"):
            year = self.years[key]
            grant_calculate_year(fiscal_year=year, by=self.users["seisaku"])
            # In the order the applications arrived, so the register's numbers follow the dates.
            calculations = GrantCalculation.objects.filter(fiscal_year=year).select_related("organization")
            for calculation in calculations.order_by("organization__approved_on", "organization_id"):
                self.load_application_and_decision(calculation)
        self.load_grant_year()
        self.load_payee_accounts()

    def load_payee_accounts(self):
        """デモ: a 債権者の口座 for each organization with a 交付決定, so the 財務会計 export has accounts to write.
        Every value is invented and says so: an 架空 bank, branch and 名義 (codes 9999 and 999), account numbers
        0000001, 0000002, …; flagged デモ. An account the clerk has already entered is left alone."""
        organizations = Organization.objects.filter(grant_decisions__isnull=False).distinct()
        for number, organization in enumerate(organizations.order_by("name_kana", "pk"), 1):
            PayeeAccount.objects.get_or_create(
                organization=organization,
                defaults={
                    "bank_code": DEMO_BANK_CODE,
                    "bank_name": "デモ銀行（架空）",
                    "branch_code": DEMO_BRANCH_CODE,
                    "branch_name": "デモ支店（架空）",
                    "account_number": f"{number:07d}",
                    "account_holder": "デモ（カクウ）メイギ",
                    "updated_by": self.users["seisaku"],
                    "is_demo": True,
                },
            )

    def load_application_and_decision(self, calculation):
        """デモ: the organization's 交付申請 (received a week after the year began or after its 認可,
        whichever is later) with a balancing 収支予算 from its annual plan, and the 交付決定 two weeks
        later — only in the years the organization was approved, never before its 認可."""
        organization, year = calculation.organization, calculation.fiscal_year
        if organization.approved_on is None or organization.approved_on > year.ends_on:
            return
        application = application_for(organization, year)
        if application is None:
            received_on = max(year.starts_on, organization.approved_on) + datetime.timedelta(days=7)
            if received_on > min(self.today, year.ends_on):
                return
            plan, created = AnnualPlan.objects.get_or_create(
                organization=organization,
                fiscal_year=year,
                defaults={"summary": "見守りと防災に重点を置きます（デモ用の年度計画）。"},
            )
            if created:
                PlannedProject.objects.bulk_create(
                    PlannedProject(annual_plan=plan, field=field, name=name, order=i, budget=(i + 2) * 50_000)
                    for i, (field, name) in enumerate(PROJECTS)
                )
            projects = list(plan.projects.order_by("order", "id"))
            rule = year.grant_rule
            personnel = rule.secretariat_cost
            spent = sum(project.budget for project in projects)
            requested = calculation.total
            operating = max(100_000, requested + 120_000 - personnel - spent)
            other_income = personnel + operating + spent - requested
            budget = [
                (BudgetCategory.PERSONNEL, None, "事務局員の賃金（デモ）", personnel),
                (BudgetCategory.OPERATING, None, "事務所の光熱水費・通信費（デモ）", operating),
                *((BudgetCategory.PROJECT, project, "", project.budget) for project in projects),
                (BudgetCategory.OTHER_INCOME, None, "会費・参加費（デモ）", other_income),
            ]
            application = application_record(
                organization=organization,
                fiscal_year=year,
                received_on=received_on,
                requested_amount=requested,
                budget=budget,
                by=self.users["seisaku"],
                notes="デモ用の交付申請です（金額・日付は架空）。",
                is_demo=True,
            )
        if hasattr(calculation, "decision"):
            return
        decided_on = min(application.received_on + datetime.timedelta(days=14), self.today, year.ends_on)
        if decided_on < application.received_on:
            return
        decision = decision_decide(
            calculation=calculation, decided_on=decided_on, application=application, by=self.users["seisaku"]
        )
        self.approve_document(register.latest_entry(kind=register.DocumentKind.DECISION, decision=decision))

    def approve_document(self, entry):
        """デモ: 起案 by 総合政策課 and 決裁 by the demo's 管理者 of an act's document, which takes its number
        then (「番号は決裁の後」) and is issued. A document already approved is left as it is."""
        draft = drafts.entry_submit(entry=entry, by=self.users["seisaku"])
        if draft.status == draft.Status.SUBMITTED:
            drafts.draft_approve(draft=draft, by=self.users["admin"])

    def load_grant_year(self):
        """デモ: the money of the grant year. Last year's first three decisions run the whole year —
        概算払 in instalments, one 変更申請 and 変更交付決定, 実績報告 by category (事務局人件費, 運営経費,
        事業費, その他の収入), 額の確定 by the rule, then a small 返還, a 精算払, or nothing to settle;
        this year's decisions have their first 概算払. Every amount is invented (the organizations and
        the notice settings are marked デモ). A decision that already has payments is left alone, so
        loading again changes nothing."""
        by = self.users["seisaku"]
        previous, current = self.years["previous"], self.years["current"]
        decisions = list(
            GrantDecision.objects.filter(fiscal_year=previous)
            .select_related("organization", "fiscal_year", "calculation")
            .order_by("organization__name_kana", "organization_id")[:3]
        )
        for index, decision in enumerate(decisions):
            if decision.payments.exists() or decision.status != GrantDecision.Status.DECIDED:
                continue
            self._demo_grant_year(decision, index, previous, current, by, services, settlement)
        for decision in GrantDecision.objects.filter(fiscal_year=current, status=GrantDecision.Status.DECIDED):
            first_day = decision.decided_on + datetime.timedelta(days=7)
            if decision.payments.exists() or first_day + datetime.timedelta(days=14) > self.today:
                continue
            payment = settlement.payment_claim(
                decision=decision, claimed_on=first_day, amount=_rounded(decision.amount * 0.5), by=by
            )
            settlement.payment_pay(payment=payment, paid_on=first_day + datetime.timedelta(days=14), by=by)

    def _demo_grant_year(self, decision, index, previous, current, by, services, settlement):
        day = previous.starts_on
        # 概算払: 60 % in spring; the rest in autumn (not for the second, who asks for the rest at the end).
        first = _rounded(decision.amount * 0.6)
        pay = settlement.payment_pay
        pay(
            payment=settlement.payment_claim(
                decision=decision, claimed_on=decision.decided_on + datetime.timedelta(days=5), amount=first, by=by
            ),
            paid_on=decision.decided_on + datetime.timedelta(days=19),
            by=by,
        )
        if index == 0:
            # 変更申請: the 秋祭り was called off (減額), decided before the second instalment.
            request = settlement.change_request_receive(
                decision=decision,
                received_on=datetime.date(day.year, 9, 1),
                requested_amount=decision.amount - 150_000,
                reason="ふるさと夏まつりを雨天のため中止し、事業費が減るため（デモ）",
                by=by,
            )
            request = settlement.change_request_decide(
                change_request=request, changed_on=datetime.date(day.year, 9, 15), by=by
            )
            self.approve_document(request.entry)
            decision.refresh_from_db()
        if index != 1:
            pay(
                payment=settlement.payment_claim(
                    decision=decision,
                    claimed_on=datetime.date(day.year, 10, 1),
                    amount=decision.amount - first,
                    by=by,
                ),
                paid_on=datetime.date(day.year, 10, 15),
                by=by,
            )
        # 実績報告 (by the categories of the 収支予算): 事務局人件費 as granted, 運営経費, 事業費, その他の収入.
        # The net cost lands a little under (返還 48,000円), over (the unpaid rest is paid as 精算払), or exactly on
        # the decided amount.
        target = {0: decision.amount - 48_000, 1: decision.amount - 20_000, 2: decision.amount}[index]
        income = (95_000, 60_000, 40_000)[index]
        personnel, operating = 600_000, 320_000
        projects = self._previous_plan(decision, previous)
        project_total = target + income - personnel - operating
        spending = {}
        budgets = sum(p.budget for p in projects)
        for i, project in enumerate(projects):
            share = (
                project_total - sum(spending.values())
                if i == len(projects) - 1
                else project_total * project.budget // budgets
            )
            spending[project] = share
        reported_on = current.starts_on + datetime.timedelta(days=9)
        settled_on = current.starts_on + datetime.timedelta(days=24)
        if settled_on + datetime.timedelta(days=10) > self.today:
            return
        services.decision_report(
            decision=decision,
            reported_on=reported_on,
            spending=spending,
            personnel=personnel,
            operating=operating,
            other_income=income,
            by=by,
        )
        services.decision_settle(decision=decision, settled_on=settled_on, by=by)
        self.approve_document(register.latest_entry(kind=register.DocumentKind.SETTLEMENT, decision=decision))
        decision.refresh_from_db()
        after = settled_on + datetime.timedelta(days=3)
        if decision.refund_amount:
            refund = settlement.refund_demand(
                decision=decision, demanded_on=after, due_on=settlement.default_due_date(after), by=by
            )
            self.approve_document(refund.entry)
            settlement.refund_receive(refund=refund, returned_on=after + datetime.timedelta(days=7), by=by)
        elif decision.unpaid_amount:
            payment = settlement.final_payment_claim(decision=decision, claimed_on=after, by=by)
            settlement.payment_pay(payment=payment, paid_on=after + datetime.timedelta(days=7), by=by)

    def _previous_plan(self, decision, previous):
        """Last year's annual plan of the organization (デモ), so its report has projects to name."""
        plan, created = AnnualPlan.objects.get_or_create(
            organization=decision.organization,
            fiscal_year=previous,
            defaults={"summary": "将来計画の1年目として、見守りと夏まつりに取り組みました。（デモ）"},
        )
        if created or not plan.projects.exists():
            PlannedProject.objects.bulk_create(
                PlannedProject(annual_plan=plan, field=field, name=name, order=i, budget=(40 + 10 * i) * 10_000)
                for i, (field, name) in enumerate(PROJECTS[:3])
            )
        return list(plan.projects.order_by("order", "id"))

    def load_officers(self):
        officers = []
        for username, name, kana, department, title in data.OFFICERS:
            user = self.users.get(username) if username else None
            if user is None:
                user, created = User.objects.get_or_create(
                    username=f"officer-{kana.split()[0]}", defaults={"first_name": name}
                )
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                    user.groups.add(Group.objects.get(name=settings.LIAISON_GROUP))
            officer, _ = LiaisonOfficer.objects.get_or_create(
                name=name,
                defaults={
                    "name_kana": kana,
                    "department": department,
                    "title": title,
                    "user": user,
                    # Invented people: never beside the city's real numbers.
                    "phone": "",
                    "is_demo": True,
                },
            )
            officers.append(officer)
        yamada, sato, takahashi, tanaka = officers
        orgs = self.organizations
        plan = {
            "current": [
                (yamada, orgs["kumano-mirai"], None, "main"),
                (yamada, orgs["takao-fureai"], None, "main"),
                (takahashi, orgs["kumano-mirai"], None, "sub"),
                (sato, orgs["karamatsu-machizukuri"], None, "main"),
                (sato, orgs["osa-kurashi"], None, "main"),
                (tanaka, orgs["karamatsu-machizukuri"], None, "sub"),
                (takahashi, orgs["tessei-mirai"], None, "main"),
                (takahashi, orgs["shingo-sato"], None, "main"),
                (tanaka, orgs["tetta-hongo-kai"], None, "main"),
                (tanaka, None, self.regions["chiya"], "main"),
            ],
            "previous": [
                (yamada, orgs["kumano-mirai"], None, "main"),
                (sato, orgs["karamatsu-machizukuri"], None, "main"),
                (sato, orgs["takao-fureai"], None, "main"),
                (takahashi, orgs["osa-kurashi"], None, "main"),
                (tanaka, orgs["tessei-mirai"], None, "main"),
            ],
        }
        for key, rows in plan.items():
            for officer, organization, region, role in rows:
                department, title = (officer.department, officer.title)
                if key == "previous":
                    department, title = data.PREVIOUS_POSTS.get(officer.name, (department, title))
                Assignment.objects.get_or_create(
                    officer=officer,
                    fiscal_year=self.years[key],
                    organization=organization,
                    region=region,
                    defaults={"role": role, "department": department, "title": title},
                )
        return officers

    def load_meetings(self):
        assignments = Assignment.objects.filter(role="main", organization__isnull=False).select_related(
            "officer__user", "organization", "fiscal_year"
        )
        kinds = [
            Meeting.Kind.STUDY,
            Meeting.Kind.WORKSHOP,
            Meeting.Kind.PREPARATORY,
            Meeting.Kind.BOARD,
            Meeting.Kind.CARE,
        ]
        for assignment in assignments:
            organization = assignment.organization
            start = max(assignment.fiscal_year.starts_on, self.today - datetime.timedelta(days=500))
            for i in range(3):
                day = start + datetime.timedelta(days=25 + 45 * i)
                held = day <= self.today
                meeting, created = Meeting.objects.get_or_create(
                    organization=organization,
                    date=day,
                    kind=kinds[(i + organization.id) % len(kinds)],
                    defaults=self._meeting_fields(assignment.officer.user, held, i),
                )
                if created and held:
                    NextStep.objects.create(
                        meeting=meeting,
                        description="次回の話し合いに向けたアンケートの集計",
                        owner="事務局",
                        due_date=day + datetime.timedelta(days=30),
                    )
            # One upcoming public workshop per organization for the calendar.
            Meeting.objects.get_or_create(
                organization=organization,
                date=self.today + datetime.timedelta(days=14 + organization.id),
                kind=Meeting.Kind.WORKSHOP,
                defaults={**self._meeting_fields(assignment.officer.user, False, 0), "is_public": True},
            )

    def _meeting_fields(self, author, held, i):
        return {
            "status": Meeting.Status.HELD if held else Meeting.Status.PLANNED,
            "start_time": datetime.time(19, 0),
            "end_time": datetime.time(20, 30),
            "place": MEETING_PLACES[i % len(MEETING_PLACES)],
            "attendees": 12 + 3 * i if held else None,
            "agenda": "地域の将来計画について",
            "summary": "（デモ）参加者から地域の課題と、続けたい行事について意見が出された。" if held else "",
            "decisions": "次回までに地区ごとのアンケートを行う。" if held else "",
            "author": author,
        }
