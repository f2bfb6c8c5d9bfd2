"""期限 (grants.deadlines): what is due and not done, derived from the records, overdue first; the page and the
dashboard that list it, the 案内・督促 letters printed from it (read back), and each role's access."""

import datetime
import subprocess

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from grants import deadlines, services, settlement
from grants.models import GrantApplication
from tests.grants.pdf import pdf_info

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def year(current_year):
    """令和8年度 with its 交付申請 due on 令和8年5月15日 (a Friday); the 実績報告 deadline left to the default."""
    current_year.application_due_on = D(2026, 5, 15)
    current_year.save()
    return current_year


@pytest.fixture
def claim(decision):
    """A 概算払 of 500,000円 claimed by 唐松 on 令和8年5月11日, not yet paid."""
    return settlement.payment_claim(decision=decision, claimed_on=D(2026, 5, 11), amount=500_000)


def keys(rows):
    return [(row["deadline"].kind, row["deadline"].organization.name) for row in rows]


def test_the_list_puts_the_overdue_first_then_the_nearest(year, decision, claim, other_approved):
    rows = deadlines.deadline_rows(D(2026, 6, 1))
    assert keys(rows) == [
        ("application", "高尾ふれあい協議会"),  # 5月15日, overdue (唐松, decided, has applied)
        ("claim", "唐松まちづくり協議会"),  # 30 days after 5月11日: 6月10日
        ("report", "唐松まちづくり協議会"),  # 翌年度の4月30日 (the default)
    ]
    application, payment, report = rows
    assert (application["due"], application["when"], application["overdue"]) == ("令和8年5月15日", "17日経過", True)
    assert not application["deadline"].assumed
    assert (payment["due"], payment["when"], payment["deadline"].amount) == ("令和8年6月10日", "あと9日", 500_000)
    assert payment["deadline"].assumed and not payment["deadline"].to_organization
    assert (report["due"], report["deadline"].assumed) == ("令和9年4月30日", True)


def test_what_is_done_leaves_the_list(year, decision, claim, other_approved, policy_officer):
    settlement.payment_pay(payment=claim, paid_on=D(2026, 5, 20))
    GrantApplication.objects.create(
        organization=other_approved, fiscal_year=year, received_on=D(2026, 5, 12), requested_amount=1
    )
    assert keys(deadlines.deadline_rows(D(2026, 6, 1))) == [("report", "唐松まちづくり協議会")]


def test_approved_organizations_without_an_application_are_listed_by_name(year, approved, other_approved):
    assert keys(deadlines.deadline_rows(D(2026, 5, 1))) == [
        ("application", "唐松まちづくり協議会"),  # からまつ before たかお
        ("application", "高尾ふれあい協議会"),
    ]


def test_an_unpaid_refund_is_listed_past_its_due_date_until_paid_back(year, decision, policy_officer):
    settlement.payment_pay(
        payment=settlement.payment_claim(decision=decision, claimed_on=D(2026, 5, 11), amount=400_000),
        paid_on=D(2026, 5, 12),
    )
    settlement.decision_revoke(decision=decision, revoked_on=D(2026, 7, 1), reason="認可の取消し", scope="whole")
    refund = settlement.refund_demand(decision=decision, demanded_on=D(2026, 7, 1), due_on=D(2026, 7, 21))
    (row,) = deadlines.deadline_rows(D(2026, 7, 31))  # a revoked decision owes no 実績報告
    assert (row["deadline"].kind, row["due"], row["when"], row["overdue"]) == (
        "refund",
        "令和8年7月21日",
        "10日経過",
        True,
    )
    assert row["deadline"].amount == 400_000 and "返還金の納付" in row["deadline"].title
    settlement.refund_receive(refund=refund, returned_on=D(2026, 8, 3))
    assert "refund" not in [row["deadline"].kind for row in deadlines.deadline_rows(D(2026, 8, 4))]


def test_the_recorded_report_deadline_replaces_the_default(year, decision):
    year.report_due_on = D(2027, 4, 15)
    year.save()
    (report,) = [d for d in deadlines.open_deadlines(D(2026, 6, 1)) if d.kind == "report"]
    assert (report.due_on, report.assumed) == (D(2027, 4, 15), False)


def test_the_default_deadline_moves_off_a_closed_day():
    assert deadlines.default_due(2028) == D(2028, 5, 1)  # 2028年4月30日 is a Sunday


def test_the_stage_of_a_deadline():
    deadline = deadlines.Deadline(kind="report", key="k", organization=None, title="t", due_on=D(2027, 4, 30))
    assert deadline.stage(D(2027, 4, 22)) is None
    assert deadline.stage(D(2027, 4, 23)) == "before"
    assert deadline.stage(D(2027, 4, 30)) == "on_day"
    assert deadline.stage(D(2027, 5, 1)) == "overdue"


def test_the_list_takes_five_queries(year, decision, claim, other_approved, django_assert_num_queries):
    # the fiscal year, the approved organizations without an application, the decisions without a 実績報告,
    # the unpaid refunds, the unpaid claims
    with django_assert_num_queries(5):
        deadlines.open_deadlines(D(2026, 6, 1))


# -- the page and the dashboard ---------------------------------------------------------------------------


@pytest.fixture
def on_june_first(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: D(2026, 6, 1))


def test_the_page_lists_the_deadlines_in_japanese(clerk, year, decision, claim, other_approved, on_june_first):
    html = clerk.get(reverse("admin:grants_fiscalyear_deadlines")).content.decode()
    assert "令和8年6月1日現在" in html
    assert html.index("高尾ふれあい協議会") < html.index("令和8年6月10日") < html.index("令和9年4月30日")
    assert "期限後 17日経過" in html and "あと9日" in html and "既定の期限・要確認" in html
    assert "500,000円" in html


def test_the_dashboard_shows_what_is_overdue_or_near_and_links_to_the_whole_list(
    clerk, year, decision, claim, other_approved
):
    from niimi_portal import dashboard

    data = dashboard.policy_dashboard(D(2026, 6, 1), deadlines=True)
    assert keys(data["deadlines"]) == [
        ("application", "高尾ふれあい協議会"),
        ("claim", "唐松まちづくり協議会"),
    ]  # the 実績報告 of next April is more than 30 days away
    html = clerk.get(reverse("admin:index")).content.decode()
    assert 'id="deadline-list"' in html and reverse("admin:grants_fiscalyear_deadlines") in html


@pytest.fixture
def staff_without_permission(db):
    return User.objects.create_user("staff-only", password="x", is_staff=True)


def page_url(name):
    if name == "deadlines":
        return reverse("admin:grants_fiscalyear_deadlines")
    return reverse("admin:grants_fiscalyear_deadline_letters", args=[name])


@pytest.mark.parametrize("name", ["deadlines", "guide", "demand"])
def test_the_anonymous_are_sent_to_the_login(client, name, db):
    response = client.get(page_url(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("name", ["deadlines", "guide", "demand"])
@pytest.mark.parametrize(("who", "status"), [("assigned_liaison", 302), ("staff_without_permission", 403)])
def test_only_the_division_sees_the_deadlines_and_prints_the_letters(client, request, who, status, name):
    client.force_login(request.getfixturevalue(who))
    response = client.get(page_url(name))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("admin:login"))  # liaisons are not admin staff


def test_the_dashboard_hides_the_deadlines_from_staff_without_the_permission(client, staff_without_permission):
    from django.contrib.auth.models import Permission

    staff_without_permission.user_permissions.add(Permission.objects.get(codename="view_organization"))
    client.force_login(staff_without_permission)
    html = client.get(reverse("admin:index")).content.decode()
    assert "旧市町ごとの地域の段階" in html and 'id="deadline-list"' not in html


# -- the 案内 and 督促 letters, one PDF ---------------------------------------------------------------------


def page_texts(pdf):
    count = int(pdf_info(pdf)["Pages"])
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), "-", "-"], input=pdf, capture_output=True, check=True
        )
        .stdout.decode()
        .translate({ord(space): None for space in " \n\u3000"})
        for n in range(1, count + 1)
    ]


def test_the_demand_letters_are_one_page_per_organization_with_names_and_dates(
    clerk, year, approved, other_approved, notice_settings, monkeypatch
):
    monkeypatch.setattr(services, "today", lambda: D(2026, 5, 20))
    response = clerk.get(page_url("demand"))
    assert response["Content-Type"] == "application/pdf"
    karamatsu, takao = page_texts(response.content)
    for text, name in ((karamatsu, "唐松まちづくり協議会"), (takao, "高尾ふれあい協議会")):
        assert name in text
        assert "（督促）" in text and "事務連絡" in text and "令和8年5月20日" in text
        assert "令和8年度交付申請書の提出" in text and "期限令和8年5月15日（5日経過）" in text
        assert "教示" not in text  # not a 処分 here (要確認 for a 返還金)
        assert "担当" in text
    assert "会長石井正男様" in karamatsu
    assert "高尾" not in karamatsu and "唐松" not in takao


def test_the_guide_letters_list_what_is_not_yet_due(clerk, year, decision, claim, other_approved, on_june_first):
    response = clerk.get(page_url("guide"))
    (karamatsu,) = page_texts(response.content)
    assert "（案内）" in karamatsu and "唐松まちづくり協議会" in karamatsu
    assert "令和8年度実績報告書の提出" in karamatsu and "期限令和9年4月30日" in karamatsu
    assert "支払" not in karamatsu  # the 課's own deadline (the claim of 5月11日) is not the organization's


def test_no_letter_to_print_is_said_on_the_page(clerk, year, on_june_first):
    response = clerk.get(page_url("demand"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "督促の文書を送る組織はありません（令和8年6月1日現在）。" in response.content.decode()


def test_the_year_list_links_to_the_deadlines_and_the_year_form_takes_its_deadlines(clerk, year):
    html = clerk.get(reverse("admin:grants_fiscalyear_changelist")).content.decode()
    assert reverse("admin:grants_fiscalyear_deadlines") in html
    form = clerk.get(reverse("admin:grants_fiscalyear_change", args=[year.pk])).content.decode()
    assert "交付申請の提出期限" in form and "実績報告の提出期限" in form and "要確認" in form
