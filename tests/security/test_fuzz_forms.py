"""Every form fuzzed with hypothesis: no input gives a 500, a rejected submission saves nothing, and
whatever a visitor typed comes back escaped.

Each example runs inside a savepoint that is rolled back, so every example starts from the same
`world` (tests/security/world.py). A 500 would surface as the view's exception (the test client
re-raises it) and hypothesis would shrink it to the smallest input. FUZZ_EXAMPLES sets the number
of examples per form (default 60; try FUZZ_EXAMPLES=2000 for a longer hunt).
"""

import os
import urllib.parse
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model_bakery import baker

from niimi_portal.context_processors import DISPLAY_CHOICES
from organizations.models import AnnualPlan, FuturePlan, Organization, PlannedProject, RegionStatistic
from staff.models import Meeting
from tests.helpers import Client
from tests.security.world import database_state, state_changes

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same inputs on every run and in CI; raise FUZZ_EXAMPLES to search further
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Things an attacker or a confused visitor types: markup, SQL, wildcards, control characters.
HTML_PAYLOADS = [
    '<script>alert("xss")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "<a href=\"javascript:alert('x')\">x</a>",
]
SQL_LIKE = [
    "' OR '1'='1",
    "1; DROP TABLE staff_meeting; --",
    "%' UNION SELECT password FROM auth_user --",
    "%",
    "_",
    "\\",
    "唐松' AND 1=1 --",
    "\x00",
    "\u202e\u200b\ufeff",
    "𠮷野家",
    "ｶﾗﾏﾂ",
]
# Just inside and beyond what integer columns hold (PostgreSQL integer, bigint; SQLite's 64 bits).
BEYOND_COLUMNS = ["2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "1" + "0" * 30]
text = st.text(max_size=200)
long_text = st.builds(lambda part, n: part * n, st.text(min_size=1, max_size=4), st.integers(100, 3000))
payload = st.sampled_from(HTML_PAYLOADS)
typed = st.one_of(
    text,
    st.sampled_from(HTML_PAYLOADS + SQL_LIKE),
    st.tuples(text, payload, text).map("".join),
    long_text,
)
numbers = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["", "0", "-1", "1e3", "１２", "٣", " 7 "]),
    st.sampled_from(BEYOND_COLUMNS),
    st.text(max_size=12),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", "0001-01-01", "0001-03-31", "9999-12-31", "2026-02-30", "10000-01-01", "令和8年4月1日"]),
    st.text(max_size=12),
)
times = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), st.sampled_from(["", "24:00", "9:5", "25:61"]), text)


def choice_or_junk(values):
    return st.one_of(st.sampled_from(list(values)), st.sampled_from(["", "0", "-1", "999"]), text)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def logged_in(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def html_payloads_in(values):
    return [p for p in HTML_PAYLOADS if any(p in v for v in values if isinstance(v, str))]


def assert_escaped(response, values):
    """No markup a visitor typed comes back as markup."""
    page = response.content.decode()
    for markup in html_payloads_in(values):
        assert markup not in page, f"unescaped input in the page: {markup!r}"


class Count:
    """How many examples hypothesis ran, printed at the end of each fuzz test."""

    def __init__(self, label):
        self.label, self.n = label, 0

    def __call__(self):
        self.n += 1

    def report(self):
        print(f"\nfuzz {self.label}: {self.n} examples")
        assert self.n >= min(EXAMPLES, 20)


def check_get(client, url, params, *, allowed=(200,)):
    """A GET form: any answer in `allowed`, nothing written, typed markup escaped."""
    before = database_state()
    response = client.get(url, params)
    assert response.status_code in allowed, (response.status_code, params)
    assert state_changes(before, database_state()) == []
    assert_escaped(response, params.values())
    return response


def check_post(client, url, data, *, saved_status=302):
    """A POST form: saved (a redirect) or refused (the form again, 200) with nothing written."""
    before = database_state()
    response = client.post(url, data)
    assert response.status_code in (200, saved_status), (response.status_code, data)
    if response.status_code == 200:
        assert state_changes(before, database_state()) == [], data
        assert_escaped(response, data.values())
    return response


# -- public forms ---------------------------------------------------------------------------------


def test_search_takes_any_text_and_shows_it_escaped(world, capsys):
    count, client = Count("search"), Client()

    @FUZZ
    @given(q=typed, kind=choice_or_junk(["regions", "organizations", "faq", "cases"]), page=numbers)
    def run(q, kind, page):
        count()
        response = check_get(client, "/search/", {"q": q, "kind": kind, "page": page})
        shown = q.strip()
        if shown and len(shown) <= 50 and "\x00" not in shown and html_payloads_in([shown]):
            assert escape(shown) in response.content.decode()

    run()
    with capsys.disabled():
        count.report()


def test_search_survives_raw_bytes_in_the_query_string(world, capsys):
    count, client = Count("search (raw query bytes)"), Client()

    @FUZZ
    @given(raw=st.binary(max_size=300))
    def run(raw):
        count()
        response = client.get("/search/?q=" + urllib.parse.quote_from_bytes(raw))
        assert response.status_code == 200

    run()
    with capsys.disabled():
        count.report()


def test_find_my_area_takes_any_text(world, capsys):
    count, client = Count("find my area"), Client()

    @FUZZ
    @given(q=st.one_of(typed, st.sampled_from(["唐松", "からまつ", "カラマツ", "高尾", "た", "　"])))
    def run(q):
        count()
        check_get(client, reverse("organizations:region_find"), {"q": q}, allowed=(200, 302))

    run()
    with capsys.disabled():
        count.report()


def test_the_other_public_filters_take_any_text(world, capsys):
    count, client = Count("FAQ, organization list and roster filters"), Client()

    @FUZZ
    @given(q=typed, stage=numbers, approval=typed, year=numbers, page=numbers)
    def run(q, stage, approval, year, page):
        count()
        check_get(client, reverse("organizations:faq"), {"q": q, "page": page})
        check_get(client, reverse("organizations:organization_list"), {"stage": stage, "approval": approval})
        check_get(client, reverse("organizations:liaison_roster"), {"year": year, "page": page})

    run()
    with capsys.disabled():
        count.report()


def test_the_grant_estimate_takes_any_input(world, capsys):
    count, client = Count("grant estimate"), Client()
    slugs = [world.area.slug, world.assigned_region.slug, "takao", "no-such-area"]

    @FUZZ
    @given(
        form=st.sampled_from(["area", "region", "counts", "both"]),
        region=st.one_of(st.sampled_from(slugs), typed),
        area=st.one_of(st.sampled_from([world.area.name, "しんごう", "ア", ""]), typed),
        population=numbers,
        households=numbers,
    )
    def run(form, region, area, population, households):
        count()
        params = {"area": {"area": area}, "region": {"region": region}, "both": {"region": region}}.get(form, {})
        if form in ("both", "counts"):
            params.update(population=population, households=households)
        check_get(client, reverse("grants:overview"), params)

    run()
    with capsys.disabled():
        count.report()


def test_the_display_switch_only_sets_known_values_and_stays_on_the_site(world, capsys):
    count, client = Count("display switch"), Client()
    nexts = st.one_of(
        typed,
        st.sampled_from(
            ["/faq/", "//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]
        ),
        st.sampled_from(["\n/faq/", "/faq/\r\nSet-Cookie: x=1", "\x00", "///evil.example", " //evil.example"]),
    )

    @FUZZ
    @given(text_size=choice_or_junk(["standard", "large"]), contrast=choice_or_junk(["standard", "high"]), nxt=nexts)
    def run(text_size, contrast, nxt):
        count()
        client.cookies.clear()
        response = check_get(
            client, reverse("display_settings"), {"text": text_size, "contrast": contrast, "next": nxt}, allowed=(302,)
        )
        assert url_has_allowed_host_and_scheme(response["Location"], allowed_hosts={"testserver"})
        assert "\n" not in response["Location"] and "\r" not in response["Location"]
        for name, morsel in response.cookies.items():
            assert morsel.value in DISPLAY_CHOICES[name]

    run()
    with capsys.disabled():
        count.report()


# -- the liaison workspace ----------------------------------------------------------------------


def test_the_meeting_form_and_its_next_steps_take_any_input(world, capsys):
    count = Count("workspace meeting form + next steps")
    url = reverse("staff:meeting_create", kwargs={"kind": "organization", "slug": world.organization.slug})
    today = world.today.isoformat()
    total_forms = st.one_of(st.integers(-2, 4).map(str), st.sampled_from(["", "x", "1001", "99999999999"]))

    @FUZZ
    @given(
        kind=choice_or_junk(Meeting.Kind.values),
        status=choice_or_junk(Meeting.Status.values),
        date=st.one_of(st.just(today), dates),
        start=times,
        end=times,
        place=typed,
        attendees=st.lists(numbers, min_size=5, max_size=5),
        texts=st.lists(typed, min_size=4, max_size=4),
        total=total_forms,
        initial=st.sampled_from(["0", "1", "-1", "x"]),
        step=st.tuples(typed, typed, st.one_of(st.just(today), dates), st.sampled_from(["", "on", "x"])),
        propose=st.sampled_from(["", "on"]),
        case=st.lists(typed, min_size=3, max_size=3),
    )
    def run(kind, status, date, start, end, place, attendees, texts, total, initial, step, propose, case):
        count()
        data = {
            "kind": kind,
            "status": status,
            "date": date,
            "start_time": start,
            "end_time": end,
            "place": place,
            **dict(zip(["attendees", *[f"attendees_{p}" for p in ("residents", "council", "coordinator", "city")]],
                       attendees, strict=True)),
            **dict(zip(["other_organizations", "agenda", "summary", "decisions"], texts, strict=True)),
            "steps-TOTAL_FORMS": total,
            "steps-INITIAL_FORMS": initial,
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000",
            **dict(zip(["steps-0-description", "steps-0-owner", "steps-0-due_date", "steps-0-is_done"], step,
                       strict=True)),
            "propose_case": propose,
            **dict(zip(["case_title", "case_summary", "case_body"], case, strict=True)),
        }  # fmt: skip
        with rolled_back():
            meetings = Meeting.objects.count()
            response = check_post(logged_in(world.users["assigned_liaison"]), url, data)
            if response.status_code == 302:
                assert Meeting.objects.count() == meetings + 1

    run()
    with capsys.disabled():
        count.report()


def test_the_stage_change_form_takes_any_input(world, capsys):
    count = Count("workspace stage change")
    url = reverse("staff:stage_change", kwargs={"slug": world.organization.slug})
    pks = [world.meeting.pk, world.other_meeting.pk, world.region_meeting.pk]

    @FUZZ
    @given(
        to_stage=choice_or_junk([str(v) for v in Organization.Stage.values]),
        changed_on=st.one_of(st.just(world.today.isoformat()), dates),
        evidence=st.one_of(st.sampled_from([str(pk) for pk in pks]), numbers),
        note=typed,
    )
    def run(to_stage, changed_on, evidence, note):
        count()
        data = {"to_stage": to_stage, "changed_on": changed_on, "evidence_meeting": evidence, "note": note}
        with rolled_back():
            check_post(logged_in(world.users["assigned_liaison"]), url, data)

    run()
    with capsys.disabled():
        count.report()


# -- the admin's custom views ---------------------------------------------------------------------


def test_the_approval_confirmation_forms_take_any_input(world, capsys):
    count = Count("admin approvals (submit/approve/return/revoke)")
    org = world.other_organization
    Organization.objects.filter(pk=org.pk).update(representative_name="高尾 一郎")
    baker.make(FuturePlan, organization=org, status=FuturePlan.Status.ADOPTED, start_year=2025, end_year=2029)
    statuses = Organization.ApprovalStatus.values

    @FUZZ
    @given(
        name=st.sampled_from(["submit", "approve", "return", "revoke"]),
        status=st.sampled_from(statuses),
        date=st.one_of(st.just(world.today.isoformat()), dates),
        number=st.one_of(st.sampled_from(["新総政第1号", "新総政第2号"]), typed),
        reason=st.one_of(st.just("書類の不足"), typed),
    )
    def run(name, status, date, number, reason):
        count()
        url = reverse(f"admin:organizations_organization_{name}", args=[org.pk])
        with rolled_back():
            was_approved = status in ("approved", "revoked")
            Organization.objects.filter(pk=org.pk).update(
                approval_status=status,
                applied_on=world.fiscal_year.starts_on,
                approval_number="新総政第2号" if was_approved else "",
                approved_on=world.fiscal_year.starts_on if was_approved else None,
            )
            check_post(
                logged_in(world.users["policy_officer"]), url, {"date": date, "number": number, "reason": reason}
            )

    run()
    with capsys.disabled():
        count.report()


@pytest.fixture
def projects(world):
    plan = AnnualPlan.objects.create(organization=world.organization, fiscal_year=world.fiscal_year)
    return [
        PlannedProject.objects.create(annual_plan=plan, field="elderly", name="見守り訪問", budget=800_000, order=1),
        PlannedProject.objects.create(annual_plan=plan, field="disaster", name="防災訓練", budget=500_000, order=2),
    ]


def test_the_grant_step_forms_take_any_input(world, projects, capsys):
    from grants import services

    count = Count("admin grant steps (change amount, report, settle)")
    decision = world.decision
    amounts = st.one_of(
        st.sampled_from(["0", "1", str(decision.amount), str(decision.amount + 1)]),
        st.sampled_from(BEYOND_COLUMNS),
        numbers,
    )
    step_dates = st.one_of(st.just(world.today.isoformat()), dates)

    @FUZZ
    @given(
        step=st.sampled_from(["change_amount", "report", "settle"]),
        amount=amounts,
        spent=st.lists(amounts, min_size=2, max_size=2),
        reason=st.one_of(st.just("減額"), typed),
        day=step_dates,
    )
    def run(step, amount, spent, reason, day):
        count()
        url = reverse(f"admin:grants_grantdecision_{step}", args=[decision.pk])
        data = {
            "amount": amount,
            "reason": reason,
            "changed_on": day,
            "reported_on": day,
            "settled_amount": amount,
            "settled_on": day,
            **{f"project_{p.pk}": value for p, value in zip(projects, spent, strict=True)},
        }
        with rolled_back():
            if step == "settle":  # the report first, so that the settlement is open
                services.decision_report(
                    decision=decision, reported_on=world.today, spending=dict.fromkeys(projects, 400_000)
                )
            check_post(logged_in(world.users["policy_officer"]), url, data)

    run()
    with capsys.disabled():
        count.report()


def test_the_decide_year_form_takes_any_input(world, capsys):
    from grants import services

    count = Count("admin grant decision of the year")
    other = world.other_organization
    Organization.objects.filter(pk=other.pk).update(
        approval_status=Organization.ApprovalStatus.APPROVED, approval_number="新総政第2号", approved_on=world.today
    )
    RegionStatistic.objects.create(
        region=other.regions.get(),
        reference_date=world.fiscal_year.statistics_reference_date,
        population=400,
        households=180,
    )
    services.grant_calculate_year(fiscal_year=world.fiscal_year, by=world.users["policy_officer"])
    url = reverse("admin:grants_fiscalyear_grants", args=[world.fiscal_year.pk])

    @FUZZ
    @given(decided_on=st.one_of(st.just(world.today.isoformat()), dates), step=st.sampled_from(["", "decide", "x"]))
    def run(decided_on, step):
        count()
        with rolled_back():
            check_post(logged_in(world.users["policy_officer"]), url, {"decided_on": decided_on, "step": step})

    run()
    with capsys.disabled():
        count.report()
