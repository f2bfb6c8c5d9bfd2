"""The April rotation, end to end: last year's assignments carried over, reassigned or ended on the admin's
担当替え screen; on 1 April the new year's roster and write access are right; a March meeting can still be
logged during the grace period and not after; last year's roster keeps last year's 所属/職名."""

import datetime

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

from grants import new_year
from grants.models import FiscalYear, GrantRule
from niimi_portal.lib.wareki import fiscal_year_label, fiscal_year_of, wareki_date
from niimi_portal.roster import public_roster_year, roster_assignments, roster_rows
from staff.access import LiaisonAccess
from staff.forms import MeetingForm
from staff.models import Assignment, LiaisonOfficer, Meeting
from tests.conftest import _user

pytestmark = pytest.mark.django_db

# The year that starts on the last 1 April (so 1 April and the grace period are behind the real today,
# and a meeting of March is "held", never in the future).
NEW = fiscal_year_of(timezone.localdate())
APRIL_1 = datetime.date(NEW, 4, 1)
MARCH_MEETING = datetime.date(NEW, 3, 20)


@pytest.fixture
def last_year(db):
    year = FiscalYear.for_year(NEW - 1)  # made the old way: its roster public from its first day
    baker.make(GrantRule, fiscal_year=year, equal_share=500_000, per_capita=300, per_household=1_000)
    return year


@pytest.fixture
def people(last_year, organization, other_organization, area):
    """Yamada (総務課 主任) looks after 唐松 and, as 副担当, 高尾; Sato (福祉課) after 高尾; Suzuki joins."""
    yamada_user = _user("yamada", group=settings.LIAISON_GROUP)
    yamada = baker.make(
        LiaisonOfficer, user=yamada_user, name="山田 太郎", name_kana="やまだ たろう", department="総務課", title="主任"
    )
    sato = baker.make(LiaisonOfficer, name="佐藤 花子", name_kana="さとう はなこ", department="福祉課")
    suzuki = baker.make(LiaisonOfficer, name="鈴木 一郎", name_kana="すずき いちろう", department="税務課")
    mains = {
        "karamatsu": Assignment.objects.create(
            officer=yamada, fiscal_year=last_year, organization=organization, role="main"
        ),
        "takao": Assignment.objects.create(
            officer=sato, fiscal_year=last_year, organization=other_organization, role="main"
        ),
        "takao_sub": Assignment.objects.create(
            officer=yamada, fiscal_year=last_year, organization=other_organization, role="sub"
        ),
    }
    return {"yamada_user": yamada_user, "yamada": yamada, "sato": sato, "suzuki": suzuki, **mains}


def open_new_year(policy_officer):
    return new_year.year_open(
        year=NEW,
        statistics_reference_date=APRIL_1,
        previous_year_edit_until=None,  # the default: 4月30日
        rule=GrantRule(equal_share=500_000, per_capita=300, per_household=1_000, secretariat_cost=0),
        copy_allocations=True,
        by=policy_officer,
    )


def test_the_april_rotation(client, policy_officer, people, organization, other_organization):
    fiscal_year = open_new_year(policy_officer)
    yamada, user = people["yamada"], people["yamada_user"]

    # The 担当替え screen: 唐松 carried over with Yamada's new 所属/職名 (a 人事異動), 高尾's 主担当 given to
    # Suzuki, Yamada's 副担当 of 高尾 ended.
    client.force_login(policy_officer)
    url = reverse("admin:grants_fiscalyear_rotation", args=[fiscal_year.pk])
    page = client.get(url)
    assert page.status_code == 200 and "まだ決めていない担当（3件）" in page.text
    karamatsu, takao, takao_sub = (f"a{people[k].pk}" for k in ("karamatsu", "takao", "takao_sub"))
    response = client.post(
        url,
        {
            f"{karamatsu}-action": "carry",
            f"{karamatsu}-department": "地域福祉課",
            f"{karamatsu}-title": "主査",
            f"{takao}-action": "reassign",
            f"{takao}-officer": people["suzuki"].pk,
            f"{takao_sub}-action": "end",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    new = {(a.target.name, a.role): a for a in Assignment.objects.filter(fiscal_year=fiscal_year)}
    assert set(new) == {("唐松まちづくり協議会", "main"), ("高尾ふれあい協議会", "main")}
    assert (new["唐松まちづくり協議会", "main"].officer, new["唐松まちづくり協議会", "main"].department) == (
        yamada,
        "地域福祉課",
    )
    assert new["高尾ふれあい協議会", "main"].officer == people["suzuki"]
    assert new["高尾ふれあい協議会", "main"].department == "税務課"  # left blank: Suzuki's current 所属
    # The personnel change reaches the officer's current 所属 later (in the admin); the roster never reads it.
    LiaisonOfficer.objects.filter(pk=yamada.pk).update(department="地域福祉課", title="主査")

    # 1 April, roster not yet published: residents still see last year's roster, not an empty page.
    assert public_roster_year(today=APRIL_1) == NEW - 1
    rows = roster_rows(roster_assignments(NEW - 1, today=APRIL_1))
    karamatsu_row = next(r for r in rows if r["organization"] == organization)
    assert [(a.officer.name, a.department, a.title) for a in karamatsu_row["main"]] == [("山田 太郎", "総務課", "主任")]
    assert not roster_rows(roster_assignments(NEW, today=APRIL_1))
    client.logout()
    listed = client.get(reverse("organizations:liaison_roster")).text
    assert "新しい年度の名簿は準備中です" in listed and "総務課 主任" in listed

    # Published on 1 April: the new year's roster with the new 所属/職名 …
    new_year.roster_publish(fiscal_year=fiscal_year, published_on=APRIL_1)
    assert public_roster_year(today=APRIL_1) == NEW
    rows = roster_rows(roster_assignments(NEW, today=APRIL_1))
    assert {(r["organization"].name, a.officer.name, a.department, a.title) for r in rows for a in r["main"]} == {
        ("唐松まちづくり協議会", "山田 太郎", "地域福祉課", "主査"),
        ("高尾ふれあい協議会", "鈴木 一郎", "税務課", ""),
    }
    # … and last year's roster still shows last year's 所属/職名, whatever the officer's are now.
    old = roster_rows(roster_assignments(NEW - 1, today=APRIL_1))
    assert {(a.officer.name, a.department, a.title) for r in old for a in r["main"] + r["sub"]} == {
        ("山田 太郎", "総務課", "主任"),
        ("佐藤 花子", "福祉課", ""),
    }
    page = client.get(reverse("organizations:liaison_roster"), {"year": NEW - 1}).text
    assert "総務課 主任" in page and "地域福祉課" not in page

    # Write access on 1 April: 唐松 (this year) yes; 高尾 (last year only) yes, in the grace period.
    access = LiaisonAccess(user, today=APRIL_1)
    assert [a.target for a in access.current_assignments()] == [organization]
    assert access.can_write_target(organization)
    assert access.can_write_target(other_organization)
    assert [a.target for a in access.grace_assignments()] == [organization, other_organization]

    # A March meeting of 高尾 written up on 30 April is taken; on 1 May it is refused beside the date.
    assert_meeting_form(user, other_organization, today=datetime.date(NEW, 4, 30), valid=True)
    refused = assert_meeting_form(user, other_organization, today=datetime.date(NEW, 5, 1), valid=False)
    assert "過去の年度のため" in refused["date"][0] and "4月30日" in refused["date"][0]
    # The form for 高尾 opens on the last day 高尾 may take: 31 March (today would be refused).
    assert LiaisonAccess(user, today=APRIL_1).default_meeting_date(other_organization) == datetime.date(NEW, 3, 31)
    assert LiaisonAccess(user, today=APRIL_1).default_meeting_date(organization) == APRIL_1
    after = LiaisonAccess(user, today=datetime.date(NEW, 5, 1))
    assert not after.can_write_target(other_organization) and after.can_write_target(organization)
    # 唐松 is still Yamada's: a March meeting of it is refused after the grace period too.
    assert_meeting_form(user, organization, today=datetime.date(NEW, 5, 1), valid=False)


def assert_meeting_form(user, target, *, today, valid):
    access = LiaisonAccess(user, today=today)
    data = {"kind": "workshop", "status": "held", "date": MARCH_MEETING.isoformat(), "place": "公民館"}
    form = MeetingForm(data, instance=Meeting(author=user), access=access, target=target)
    assert form.is_valid() is valid, form.errors
    if valid:
        meeting = form.save(commit=False)
        meeting.save()
        assert meeting.date == MARCH_MEETING and meeting.target == target
    return form.errors


def test_a_clerk_set_grace_period_is_the_one_that_counts(policy_officer, people, other_organization):
    fiscal_year = open_new_year(policy_officer)
    FiscalYear.objects.filter(pk=fiscal_year.pk).update(previous_year_edit_until=datetime.date(NEW, 4, 10))
    user = people["yamada_user"]
    assert LiaisonAccess(user, today=datetime.date(NEW, 4, 10)).date_error(other_organization, MARCH_MEETING) is None
    late = LiaisonAccess(user, today=datetime.date(NEW, 4, 11)).date_error(other_organization, MARCH_MEETING)
    assert "4月10日" in late


def test_with_no_new_year_set_up_the_grace_period_is_april(people, other_organization):
    """The city has not made the new year yet: last year stays writable until 4月30日 all the same."""
    user = people["yamada_user"]
    assert LiaisonAccess(user, today=datetime.date(NEW, 4, 30)).can_write_target(other_organization)
    assert not LiaisonAccess(user, today=datetime.date(NEW, 5, 1)).can_write_target(other_organization)


def test_the_dashboard_names_the_grace_period(client, rf, people, last_year, other_organization):
    """During the grace period the liaison's page says until when last year's meetings may be logged, with
    a link to log one for each of last year's targets; after it, nothing."""
    user = people["yamada_user"]
    for today, shown in [(datetime.date(NEW, 4, 30), True), (datetime.date(NEW, 5, 1), False)]:
        access = LiaisonAccess(user, today=today)
        request = rf.get("/workspace/")
        request.user = user
        page = render_to_string(
            "staff/dashboard.html",
            {"access": access, "rows": [], "past": access.past_assignments(), "grace": access.grace_assignments()},
            request=request,
        )
        assert ('id="grace-period"' in page) is shown
        link = reverse("staff:meeting_create", kwargs={"kind": "organization", "slug": other_organization.slug})
        assert fiscal_year_label(NEW - 1) in page  # the past year's targets are listed either way
        until = f"{wareki_date(datetime.date(NEW, 4, 30))}まで記録・変更できます"
        assert (link in page) is shown and (until in page) is shown
    client.force_login(user)
    assert client.get(reverse("staff:dashboard")).status_code == 200


def test_a_rotation_giving_a_target_two_main_liaisons_is_refused_beside_the_row(
    client, policy_officer, people, other_organization
):
    fiscal_year = open_new_year(policy_officer)
    Assignment.objects.create(
        officer=people["suzuki"], fiscal_year=fiscal_year, organization=other_organization, role="sub"
    )
    client.force_login(policy_officer)
    url = reverse("admin:grants_fiscalyear_rotation", args=[fiscal_year.pk])
    karamatsu, takao = f"a{people['karamatsu'].pk}", f"a{people['takao'].pk}"
    response = client.post(
        url,
        {
            f"{karamatsu}-action": "carry",
            f"{takao}-action": "reassign",
            f"{takao}-officer": people["suzuki"].pk,  # already 高尾's 副担当 this year
            f"a{people['takao_sub'].pk}-action": "reassign",  # no officer chosen
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "この職員はこの年度すでにこの組織の担当です。" in errors[f"{takao}-officer"]
    assert "替える先の職員を選んでください。" in errors[f"a{people['takao_sub'].pk}-officer"]
    assert 'id="id_' + takao + '-officer_error"' in response.text
    # Nothing was written, not even the valid row.
    assert Assignment.objects.filter(fiscal_year=fiscal_year).count() == 1


def test_ending_an_assignment_is_recorded_and_leaves_the_undecided_list(client, policy_officer, people):
    """「担当を終える」 used to make nothing at all: «0件登録しました» and the row stayed undecided for good."""
    fiscal_year = open_new_year(policy_officer)
    client.force_login(policy_officer)
    url = reverse("admin:grants_fiscalyear_rotation", args=[fiscal_year.pk])
    karamatsu, takao, takao_sub = (f"a{people[k].pk}" for k in ("karamatsu", "takao", "takao_sub"))
    data = {f"{karamatsu}-action": "carry", f"{takao}-action": "carry", f"{takao_sub}-action": "end"}
    page = client.post(url, data, follow=True).text
    assert "担当を2件登録し、1件を終えました" in page
    assert "まだ決めていない担当" not in page and "すべて決めてあります" in page
    assert "決めてある担当（3件）" in page and "担当を終えました" in page
    people["takao_sub"].refresh_from_db()
    assert people["takao_sub"].ended is True
    assert Assignment.objects.filter(fiscal_year=fiscal_year).count() == 2


def test_only_ending_assignments_says_so(client, policy_officer, people):
    fiscal_year = open_new_year(policy_officer)
    client.force_login(policy_officer)
    url = reverse("admin:grants_fiscalyear_rotation", args=[fiscal_year.pk])
    data = {f"a{people[k].pk}-action": "end" for k in ("karamatsu", "takao", "takao_sub")}
    page = client.post(url, data, follow=True).text
    assert "3件を終えました" in page and "0件登録しました" not in page
    assert "すべて決めてあります" in page


def test_one_officer_has_one_title_in_a_year(client, policy_officer, people):
    """Yamada kept 唐松 as 主任 and took 高尾 as 主査 in the same rotation: one person, two titles in one
    year's roster. Refused beside the second row's 職名, and nothing is written."""
    fiscal_year = open_new_year(policy_officer)
    client.force_login(policy_officer)
    url = reverse("admin:grants_fiscalyear_rotation", args=[fiscal_year.pk])
    karamatsu, takao, takao_sub = (f"a{people[k].pk}" for k in ("karamatsu", "takao", "takao_sub"))
    data = {
        f"{karamatsu}-action": "carry",
        f"{karamatsu}-department": "地域福祉課",
        f"{karamatsu}-title": "主任",
        f"{takao}-action": "carry",
        f"{takao_sub}-action": "carry",
        f"{takao_sub}-department": "地域福祉課",
        f"{takao_sub}-title": "主査",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "山田 太郎の令和" in response.context["form"].errors[f"{takao_sub}-title"][0]
    assert not Assignment.objects.filter(fiscal_year=fiscal_year).exists()
    # The same 所属・職名 on both rows is taken.
    data[f"{takao_sub}-title"] = "主任"
    assert client.post(url, data).status_code == 302
    titles = Assignment.objects.filter(officer=people["yamada"], fiscal_year=fiscal_year).values_list(
        "title", flat=True
    )
    assert sorted(titles) == ["主任", "主任"]


def test_a_newcomer_is_registered_from_the_rotation_and_the_table_keeps_what_was_chosen(client, policy_officer, people):
    fiscal_year = open_new_year(policy_officer)
    client.force_login(policy_officer)
    url = reverse("admin:grants_fiscalyear_rotation", args=[fiscal_year.pk])
    karamatsu, takao = (f"a{people[k].pk}" for k in ("karamatsu", "takao"))
    chosen = {f"{karamatsu}-action": "carry", f"{karamatsu}-title": "主査", f"{takao}-action": "reassign"}
    newcomer = {
        "newcomer-name": "高橋 次郎",
        "newcomer-name_kana": "たかはし じろう",
        "newcomer-department": "地域振興課",
        "newcomer-title": "主事",
    }
    page = client.post(url, {**chosen, **newcomer, "step": "newcomer"})
    assert page.status_code == 200
    takahashi = LiaisonOfficer.objects.get(name="高橋 次郎")
    assert (takahashi.department, takahashi.title, takahashi.is_active) == ("地域振興課", "主事", True)
    assert "職員「高橋 次郎」を登録しました" in page.text
    form = page.context["form"]
    assert form[f"{karamatsu}-title"].value() == "主査" and form[f"{takao}-action"].value() == "reassign"
    assert takahashi in form.fields[f"{takao}-officer"].queryset  # offered as the one to reassign to
    assert not Assignment.objects.filter(fiscal_year=fiscal_year).exists()  # the table saved nothing

    # Then the table's own button gives 高尾 to the newcomer.
    takao_sub = f"a{people['takao_sub'].pk}"
    response = client.post(url, {**chosen, f"{takao}-officer": takahashi.pk, f"{takao_sub}-action": "end"})
    assert response.status_code == 302, response.context["form"].errors
    assert (
        Assignment.objects.get(fiscal_year=fiscal_year, organization=people["takao"].organization, role="main").officer
        == takahashi
    )


def test_a_newcomer_missing_a_field_is_refused_beside_it_and_a_typed_one_is_never_dropped(
    client, policy_officer, people
):
    fiscal_year = open_new_year(policy_officer)
    client.force_login(policy_officer)
    url = reverse("admin:grants_fiscalyear_rotation", args=[fiscal_year.pk])
    page = client.post(url, {"newcomer-name": "高橋 次郎", "step": "newcomer"})
    assert page.context["newcomer"].errors.keys() == {"name_kana", "department"}
    assert not LiaisonOfficer.objects.filter(name="高橋 次郎").exists()
    # Typed, then the table's button pressed instead: refused, nothing saved, the newcomer still there.
    karamatsu = f"a{people['karamatsu'].pk}"
    page = client.post(url, {f"{karamatsu}-action": "carry", "newcomer-name": "高橋 次郎"})
    assert page.status_code == 200 and "先に「この職員を登録する」を押してください" in page.text
    assert page.context["newcomer"]["name"].value() == "高橋 次郎"
    assert not Assignment.objects.filter(fiscal_year=fiscal_year).exists()


def test_only_a_clerk_who_may_add_officers_registers_a_newcomer(client, policy_officer, people):
    from django.contrib.auth.models import Permission

    fiscal_year = open_new_year(policy_officer)
    policy_officer.groups.first().permissions.remove(Permission.objects.get(codename="add_liaisonofficer"))
    policy_officer.user_permissions.remove(Permission.objects.get(codename="add_liaisonofficer"))
    client.force_login(policy_officer)
    url = reverse("admin:grants_fiscalyear_rotation", args=[fiscal_year.pk])
    assert "新しく来た職員" not in client.get(url).text
    post = client.post(
        url,
        {
            "newcomer-name": "高橋 次郎",
            "newcomer-name_kana": "たかはし",
            "newcomer-department": "課",
            "step": "newcomer",
        },
    )
    assert post.status_code == 403 and not LiaisonOfficer.objects.filter(name="高橋 次郎").exists()
