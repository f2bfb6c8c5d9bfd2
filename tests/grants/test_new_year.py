"""新年度の準備 in the admin: the year is made from the last one (its 交付基準 copied into an editable form,
its allocations copied), the statistics check names the areas without figures, the roster is published."""

import datetime

import pytest
from django.urls import reverse

from grants import new_year
from grants.models import FiscalYear, GrantRule, SubsidyAllocation
from organizations.models import RegionStatistic

pytestmark = pytest.mark.django_db

NEW_YEAR_URL = reverse("admin:grants_fiscalyear_new_year")


def form_data(**changes):
    """What the new-year form sends when the clerk keeps the copied rule but for `changes`."""
    data = {
        "year": "2027",
        "statistics_reference_date": "2027-04-01",
        "previous_year_edit_until": "2027-04-30",
        "copy_allocations": "on",
        "rule-equal_share": "300000",
        "rule-per_capita": "1100",
        "rule-per_household": "1500",
        "rule-secretariat_cost": "600000",
        "rule-rounding_unit": "1000",
        "rule-change_cap_percent": "",
        "rule-cap_exempt_area_change": "on",
        "rule-merger_keeps_shares": "on",
        "rule-settlement_rule": "lesser_spent",
        "rule-notes": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_new_year_form_comes_filled_with_last_years_rule(client, policy_officer, approved, rule):
    client.force_login(policy_officer)
    page = client.get(NEW_YEAR_URL)
    assert page.status_code == 200
    assert page.context["form"]["year"].value() == 2027
    rule_form = page.context["rule_form"]
    assert [rule_form[name].value() for name in ("equal_share", "per_capita", "per_household")] == [
        300_000,
        1_100,
        1_500,
    ]
    assert "令和8年度から写したもの" in page.text
    assert 'name="rule-fiscal_year"' not in page.text  # the year is the one being made, never chosen


def test_opening_the_year_saves_the_edited_rule_and_copies_the_allocations(client, policy_officer, approved, rule):
    client.force_login(policy_officer)
    response = client.post(NEW_YEAR_URL, form_data(**{"rule-per_capita": "1200", "rule-notes": "人口割を改定"}))
    fiscal_year = FiscalYear.objects.get(year=2027)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:grants_fiscalyear_prepare", args=[fiscal_year.pk])
    new_rule = GrantRule.objects.get(fiscal_year=fiscal_year)
    assert (new_rule.equal_share, new_rule.per_capita, new_rule.secretariat_cost, new_rule.notes) == (
        300_000,
        1_200,
        600_000,
        "人口割を改定",
    )
    assert (new_rule.cap_exempt_area_change, new_rule.merger_keeps_shares, new_rule.settlement_rule) == (
        True,
        True,
        "lesser_spent",
    )
    assert rule.per_capita == GrantRule.objects.get(pk=rule.pk).per_capita == 1_100  # last year's untouched
    assert new_rule.history.get().history_user == policy_officer
    copied = SubsidyAllocation.objects.get(fiscal_year=fiscal_year)
    assert (copied.organization, copied.amount) == (approved, 150_000)
    assert fiscal_year.roster_published_on is None
    assert (fiscal_year.starts_on, fiscal_year.grace_until) == (datetime.date(2027, 4, 1), datetime.date(2027, 4, 30))


def test_opening_without_copying_the_allocations_copies_none_and_they_can_be_copied_later(
    client, policy_officer, approved, rule
):
    client.force_login(policy_officer)
    client.post(NEW_YEAR_URL, form_data(copy_allocations=None))
    fiscal_year = FiscalYear.objects.get(year=2027)
    assert not SubsidyAllocation.objects.filter(fiscal_year=fiscal_year).exists()
    prepare = reverse("admin:grants_fiscalyear_prepare", args=[fiscal_year.pk])
    client.post(prepare, {"step": "allocations"})
    client.post(prepare, {"step": "allocations"})  # twice: the second copies nothing more
    assert SubsidyAllocation.objects.filter(fiscal_year=fiscal_year).count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"year": "2026"}, "year", "令和8年度はすでに作成されています。"),
        ({"previous_year_edit_until": "2028-04-01"}, "previous_year_edit_until", "この年度の末日までの日付"),
        ({"rule-rounding_unit": "0"}, "rounding_unit", "端数処理の単位は1円以上にしてください。"),
        ({"rule-equal_share": "-1"}, "equal_share", "0 以上"),
    ],
)
def test_a_bad_new_year_is_refused_beside_its_field_and_nothing_is_made(
    client, policy_officer, approved, rule, changes, field, message
):
    client.force_login(policy_officer)
    years, rules = FiscalYear.objects.count(), GrantRule.objects.count()
    response = client.post(NEW_YEAR_URL, form_data(**changes))
    assert response.status_code == 200
    form = response.context["rule_form" if field in response.context["rule_form"].fields else "form"]
    assert message in " ".join(form.errors[field])
    assert (FiscalYear.objects.count(), GrantRule.objects.count()) == (years, rules)
    assert response.context["form"]["year"].value() == changes.get("year", "2027")  # nothing typed is lost


def test_the_statistics_check_names_the_areas_without_figures_at_the_reference_date(
    client, policy_officer, approved, other_area, current_year
):
    fiscal_year = current_year
    missing = [area.name for area in new_year.statistics_missing(fiscal_year)]
    assert missing == ["高尾"]  # 唐松 has its figures at the reference date (the `approved` fixture)
    RegionStatistic.objects.create(
        region=other_area,
        reference_date=fiscal_year.statistics_reference_date - datetime.timedelta(days=1),
        population=10,
        households=5,
    )
    assert [area.name for area in new_year.statistics_missing(fiscal_year)] == ["高尾"]  # another day's don't count
    client.force_login(policy_officer)
    page = client.get(reverse("admin:grants_fiscalyear_prepare", args=[fiscal_year.pk])).text
    assert "次の1地域は、統計基準日の人口・世帯数が登録されていません。" in page and "<td>高尾</td>" in page
    RegionStatistic.objects.create(
        region=other_area, reference_date=fiscal_year.statistics_reference_date, population=10, households=5
    )
    assert new_year.statistics_missing(fiscal_year) == []
    page = client.get(reverse("admin:grants_fiscalyear_prepare", args=[fiscal_year.pk])).text
    assert "すべての地域の人口・世帯数が登録されています。" in page


def test_the_roster_is_published_from_the_prepare_page_and_not_without_assignments(
    client, policy_officer, approved, rule
):
    client.force_login(policy_officer)
    client.post(NEW_YEAR_URL, form_data())
    fiscal_year = FiscalYear.objects.get(year=2027)
    prepare = reverse("admin:grants_fiscalyear_prepare", args=[fiscal_year.pk])
    refused = client.post(prepare, {"step": "publish", "published_on": "2027-04-01"})
    assert refused.status_code == 200
    assert "令和9年度の担当がまだ登録されていません。" in " ".join(
        refused.context["publish_form"].errors["published_on"]
    )
    fiscal_year.refresh_from_db()
    assert fiscal_year.roster_published_on is None


def test_a_liaison_cannot_open_a_year(client, assigned_liaison):
    client.force_login(assigned_liaison)
    response = client.post(NEW_YEAR_URL, form_data())
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not FiscalYear.objects.filter(year=2027).exists()


def test_staff_without_the_permissions_to_prepare_a_year_are_refused(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get(NEW_YEAR_URL).status_code == 403


def test_a_new_year_carries_last_years_deadlines_one_year_on_moved_to_a_working_day(policy_officer, current_year):
    current_year.application_due_on = datetime.date(2026, 5, 15)  # 金曜日 → 令和9年5月15日は土曜日
    current_year.report_due_on = datetime.date(2027, 4, 30)  # 金曜日 → 令和10年4月30日は日曜日
    current_year.save()
    fiscal_year = new_year.year_open(
        year=2027,
        statistics_reference_date=datetime.date(2027, 4, 1),
        previous_year_edit_until=None,
        rule=GrantRule(equal_share=300_000, per_capita=1_100, per_household=1_500, secretariat_cost=0),
        copy_allocations=False,
        by=policy_officer,
    )
    fiscal_year.refresh_from_db()
    assert fiscal_year.application_due_on == datetime.date(2027, 5, 17)  # the Monday after
    assert fiscal_year.report_due_on == datetime.date(2028, 5, 1)


def test_a_29_february_deadline_carries_to_the_last_day_of_february_or_the_next_working_day():
    assert new_year.one_year_on(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)  # 水曜日
    assert new_year.one_year_on(datetime.date(2026, 2, 28)) == datetime.date(2027, 3, 1)  # 日曜日 → 月曜日


def test_a_year_whose_last_year_left_the_deadlines_blank_keeps_them_blank(current_year):
    assert new_year.carried_due_dates(2027) == {"application_due_on": None, "report_due_on": None}


def test_the_new_year_form_shows_the_carried_deadlines_and_saves_what_the_clerk_leaves(
    client, policy_officer, approved, rule, current_year
):
    current_year.application_due_on = datetime.date(2026, 5, 15)
    current_year.report_due_on = datetime.date(2027, 4, 30)
    current_year.save()
    client.force_login(policy_officer)
    page = client.get(NEW_YEAR_URL)
    form = page.context["form"]
    assert form["application_due_on"].value() == datetime.date(2027, 5, 17)
    assert form["report_due_on"].value() == datetime.date(2028, 5, 1)
    assert "令和8年度の令和8年5月15日の1年後の日（閉庁日なら次の開庁日）を写してあります。" in page.text
    assert "令和8年度の令和9年4月30日の1年後の日" in page.text
    client.post(
        NEW_YEAR_URL,
        form_data(application_due_on="令和9年5月17日", report_due_on="令和10年5月8日"),  # the clerk moved one
    )
    fiscal_year = FiscalYear.objects.get(year=2027)
    assert (fiscal_year.application_due_on, fiscal_year.report_due_on) == (
        datetime.date(2027, 5, 17),
        datetime.date(2028, 5, 8),
    )
