"""The 事務局's 交付申請 on a phone (375 px), with the clerk's 補正 and 受理 in the admin, in a real browser."""

import re

from django.contrib.auth.models import User
from django.utils import timezone

from grants.approval_acts import organization_approve
from grants.categories import BudgetCategory
from grants.models import FiscalYear, GrantApplication, GrantApplicationLine, GrantDecision
from grants.services import grant_calculate_year
from niimi_portal.demo.loader import DEMO_PASSWORD
from offices.models import OfficeMember, Submission
from organizations.models import AnnualPlan, Organization, PlannedProject
from tests.e2e.conftest import axe_violations, browser_login
from tests.helpers import approve_decision
from tests.mail import send_outbox


def last_years_application(organization):
    """高尾's 交付申請 of last year: two projects, balancing (4億 would not fit a phone; these are small)."""
    last = FiscalYear.objects.get(year=FiscalYear.current().year - 1)
    plan, _ = AnnualPlan.objects.get_or_create(organization=organization, fiscal_year=last)
    salon = PlannedProject.objects.create(annual_plan=plan, name="ふれあいサロン", field="elderly", budget=300000)
    drill = PlannedProject.objects.create(annual_plan=plan, name="防災訓練", field="disaster", budget=200000)
    application = GrantApplication.objects.create(
        organization=organization, fiscal_year=last, received_on=last.starts_on, requested_amount=1000000
    )
    for order, (category, project, amount) in enumerate(
        [
            (BudgetCategory.PERSONNEL, None, 400000),
            (BudgetCategory.OPERATING, None, 150000),
            (BudgetCategory.PROJECT, salon, 300000),
            (BudgetCategory.PROJECT, drill, 200000),
            (BudgetCategory.OTHER_INCOME, None, 50000),
        ]
    ):
        GrantApplicationLine.objects.create(
            application=application, category=category, project=project, amount=amount, order=order
        )


def office_login(page, base, next_url):
    page.context.clear_cookies()
    page.goto(base + next_url)
    page.get_by_label("ユーザー名").fill("takao-jimu")
    page.get_by_label("パスワード").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(base + next_url)


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_office_sends_an_application_the_clerk_asks_for_a_correction_accepts_and_decides_it(
    phone_page, axe, demo_live, inbox
):
    """…and once the 交付決定通知書 is approved (決裁), it is in the 事務局's documents and a mail (through a real
    SMTP server) says so, without the PDF."""
    base, page = demo_live.url, phone_page
    takao = Organization.objects.get(slug="takao-fureai")
    assert not GrantApplication.objects.filter(organization=takao, fiscal_year=FiscalYear.current()).exists()
    last_years_application(takao)
    clerk = User.objects.get(username="seisaku")
    organization_approve(organization=takao, by=clerk, date=timezone.localdate(), number="新総政第999号")
    grant_calculate_year(fiscal_year=FiscalYear.current(), by=clerk)
    takao.notice_delivery = Organization.NoticeDelivery.ONLINE  # 高尾 takes its notices on the portal
    takao.save(update_fields=["notice_delivery"])
    user = User.objects.create_user("takao-jimu", password=DEMO_PASSWORD, email="jimu@takao.example")
    OfficeMember.objects.create(organization=takao, user=user)
    form_url = "/office/takao-fureai/forms/application/"

    office_login(page, base, form_url)
    assert fits(page)
    assert axe_violations(axe, page) == []
    page.get_by_role("button", name="昨年度の内容を引き継ぐ").click()
    page.wait_for_url(base + form_url)
    assert page.get_by_label("事業1の事業名").input_value() == "ふれあいサロン"
    assert page.get_by_label("交付申請額（円）").input_value() == "1000000"

    page.get_by_label("運営経費（円）").fill("１６０，０００")  # 全角 and a separator, as a phone may type it
    page.get_by_role("button", name="提出する").click()
    refusal = page.get_by_text(re.compile("収支予算の収支が均衡していません。支出 1,060,000円"))
    refusal.wait_for()
    assert fits(page)
    assert page.get_by_label("運営経費（円）").input_value() == "１６０，０００"  # nothing typed is lost
    page.get_by_label("その他の収入（円）").fill("60000")
    page.get_by_role("button", name="提出する").click()
    page.get_by_text("受付番号").first.wait_for()
    submission = Submission.objects.get(organization=takao, kind="application")
    assert submission.status == Submission.Status.SENT and str(submission.receipt) in page.content()

    browser_login(page, base, "seisaku", admin=True)
    page.goto(f"{base}/admin/offices/submission/{submission.pk}/correction/")
    page.get_by_label("事業2の内容").fill("防災訓練の内容を書いてください。")
    page.get_by_role("button", name="補正を依頼する").click()
    page.wait_for_url(f"**/admin/offices/submission/{submission.pk}/change/")

    office_login(page, base, form_url)
    assert "防災訓練の内容を書いてください。" in page.content()
    assert fits(page)
    page.get_by_label("事業2の内容").fill("地区の避難訓練と炊き出し")
    page.get_by_role("button", name="提出する").click()
    page.get_by_text("第2版").first.wait_for()

    browser_login(page, base, "seisaku", admin=True)
    page.goto(f"{base}/admin/offices/submission/{submission.pk}/change/")
    assert "地区の避難訓練と炊き出し" in page.content()
    page.get_by_role("button", name="受理して登録する").click()
    page.wait_for_url(re.compile(r".*/admin/grants/grantapplication/\d+/change/"))
    application = GrantApplication.objects.get(organization=takao, fiscal_year=FiscalYear.current())
    assert application.receipt == submission.receipt
    assert sorted(line.amount for line in application.lines.all()) == [60000, 160000, 200000, 300000, 400000]

    # The clerk decides it through the admin's own step (高尾 was approved and its grant calculated above).
    year = FiscalYear.current()
    page.set_viewport_size({"width": 1280, "height": 900})  # the decision table is read at a desk
    page.goto(f"{base}/admin/grants/fiscalyear/{year.pk}/decide/")
    page.get_by_label("高尾ふれあい協議会を交付決定する").check()
    page.get_by_role("button", name="確認する").click()
    page.get_by_role("button", name=re.compile("交付を決定する")).click()
    page.get_by_text("1組織の交付を決定しました").wait_for()
    decision = GrantDecision.objects.get(organization=takao, fiscal_year=year)
    assert decision.application == application

    # 決裁 gives the notice its number and issues it (the 決裁 screens have their own browser tests).
    document = approve_decision(decision)
    send_outbox()
    mails = [m for m in inbox.messages if m["to"] == ["jimu@takao.example"]]
    delivered = [m["message"] for m in mails if "新しい文書" in str(m["message"]["Subject"])]
    assert len(delivered) == 1
    assert "/office/takao-fureai/documents/" in delivered[0].get_body(preferencelist=("plain",)).get_content()
    assert not any(part.get_content_type() == "application/pdf" for part in delivered[0].walk())

    page.set_viewport_size({"width": 375, "height": 740})
    office_login(page, base, "/office/takao-fureai/documents/")
    assert decision.document_number and decision.document_number in page.content()
    assert fits(page)
    assert axe_violations(axe, page) == []
    link = page.locator(f"a[href$='/documents/{document.pk}/pdf/']")
    assert link.count() == 1
    pdf = page.request.get(base + link.get_attribute("href"))  # with the page's own sign-in
    assert pdf.ok and pdf.body()[:4] == b"%PDF"


def test_the_draft_is_saved_as_they_type_and_what_was_typed_after_a_time_out_comes_back(phone_page, demo_live):
    base, page = demo_live.url, phone_page
    takao = Organization.objects.get(slug="takao-fureai")
    user = User.objects.create_user("takao-jimu", password=DEMO_PASSWORD)
    OfficeMember.objects.create(organization=takao, user=user)
    form_url = "/office/takao-fureai/forms/application/"

    office_login(page, base, form_url)
    page.get_by_label("交付申請額（円）").fill("1234567")
    page.locator("#draft-status").get_by_text(re.compile(r"下書きを保存しました（\d\d:\d\d）")).wait_for()
    assert Submission.objects.get(organization=takao).data["requested_amount"] == "1234567"

    page.context.clear_cookies()  # the sign-in has expired
    page.get_by_label("その他の収入の内訳").fill("会費")
    page.locator("#draft-status").get_by_text(re.compile("もう一度ログインしてください")).wait_for()
    assert Submission.objects.get(organization=takao).data.get("other_income_label", "") == ""

    office_login(page, base, form_url)  # signing in again, on the same phone
    page.locator("#draft-status").get_by_text(re.compile("下書きを保存しました")).wait_for()
    assert page.get_by_label("その他の収入の内訳").input_value() == "会費"
    data = Submission.objects.get(organization=takao).data
    assert (data["requested_amount"], data["other_income_label"]) == ("1234567", "会費")
