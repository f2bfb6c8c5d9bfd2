"""The admin as the policy division (総合政策課) uses it, in real Chromium: every list, add and change
page, the dashboard and the grant steps pass axe-core's WCAG 2.2 AA rules with no violation, and
speak Japanese as a clerk writes it (no English, amounts with separators, no 2026-05-01 dates)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_login

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Words a clerk writes in Latin letters.
# Names of formats and products a clerk knows by these letters (the admin's buttons show them in capitals).
LATIN_ALLOWED = {"PDF", "CSV", "ZIP", "URL", "Excel", "EXCEL", "ID", "JPEG", "PNG", "Markdown", "HTML"}
# A path or an anchor written in a help text as an example (/faq/, #category-…) is an address, not English; so is
# an e-mail address shown as data (the 事務局's accounts).
ADDRESS = re.compile(r"[\w.+\-]+@[\w.\-]+|[/#][A-Za-z0-9_\-/#]+")
ENGLISH = re.compile(r"[A-Za-z][A-Za-z\-]{2,}")
BARE_NUMBER = re.compile(r"(?<![\d,.])\d{5,}(?![\d,.])")  # 4336000 rather than 4,336,000円
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


@pytest.fixture
def admin_page(browser, demo_live):
    # A clerk's browser runs on Japan time: Django's calendar then shows no time-difference note.
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    browser_login(page, demo_live.url, "seisaku", admin=True)
    yield page
    context.close()


def admin_links(page, selector="a[href^='/admin/']"):
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")


def policy_pages(page, base):
    """Every admin page the dashboard leads to: app lists, lists, add forms, the first object of each
    list, and the workflow and grant pages linked from those."""
    page.goto(base + "/admin/")
    pages = [
        h
        for h in admin_links(page)
        if not h.endswith(("logout/", "password_change/")) and "/notices/" not in h and "?" not in h
    ]
    objects = []
    for href in pages:
        if re.fullmatch(r"/admin/(grants|organizations|staff)/\w+/", href):
            page.goto(base + href)
            first = admin_links(page, "#result_list tbody th a, #result_list tbody td a")
            objects += [first[0]] if first else []
            objects += [h for h in admin_links(page, "#content a[href^='/admin/']") if re.search(r"/\d+/grants/", h)][
                :1
            ]
    for href in objects[:]:
        page.goto(base + href)
        objects += [
            h
            for h in admin_links(page, "#content a[href^='/admin/']")
            if re.search(r"/\d+/(history|report|settle|change-amount|transition)", h)
        ][:2]
    return list(dict.fromkeys(pages + objects + new_year_pages(page, base)))


def new_year_pages(page, base):
    """新年度の準備: the form that opens a year, and a year's checklist and 担当替え screen."""
    page.goto(base + "/admin/grants/fiscalyear/")
    found = admin_links(page, "#content a[href*='/new-year/'], #content a[href$='/prepare/']")
    pages = [h for h in found if h.endswith("/new-year/")][:1] + [h for h in found if h.endswith("/prepare/")][:1]
    for href in pages[1:]:
        page.goto(base + href)
        pages += admin_links(page, "#content a[href$='/rotation/']")[:1]
    return pages


def test_every_admin_page_of_the_policy_division_passes_axe_and_speaks_japanese(admin_page, demo_live, axe):
    """管理画面（総合政策課が使う一覧・追加・変更・交付の各画面）で axe の WCAG 2.2 AA 違反がなく、英語が出ない"""
    page = admin_page
    paths = policy_pages(page, demo_live.url)
    assert len(paths) > 40  # the walk really reached the lists, forms and grant pages
    assert any("/grants/" in p and re.search(r"/\d+/grants/", p) for p in paths)
    assert {"new-year", "prepare", "rotation"} <= {p.rstrip("/").rsplit("/", 1)[-1] for p in paths}
    assert_accessible_japanese(page, demo_live, axe, paths)


def assert_accessible_japanese(page, demo_live, axe, paths):
    """Each page answers 200, has no axe WCAG 2.2 AA violation, no English, no bare number, no ISO date."""
    violations, english, numbers, dates = {}, {}, {}, {}
    for path in paths:
        response = page.goto(demo_live.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        page.wait_for_timeout(100)  # the autocomplete boxes are drawn after load, then named
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
        found = [f"{v['id']}: {[n['target'] for n in v['nodes']][:2]}" for v in results.response["violations"]]
        if found:
            violations[path] = found
        text = page.inner_text("#content")
        if words := sorted(set(ENGLISH.findall(ADDRESS.sub("", text))) - LATIN_ALLOWED):
            english[path] = words
        if bare := BARE_NUMBER.findall(text):
            numbers[path] = bare[:3]
        if iso := ISO_DATE.findall(text):
            dates[path] = iso[:3]
    assert violations == {}
    assert english == {}
    assert numbers == {}
    assert dates == {}


GRANT_YEAR_STEPS = re.compile(
    r"/\d+/(change-request|change-decide|claim|pay|final-claim|refund|refund-returned|revoke|report|settle)/$"
)


def test_the_grant_year_pages_pass_axe_and_speak_japanese(admin_page, demo_live, axe):
    """一括交付金の年度の各画面（変更申請・変更交付決定・請求・支払・精算払の請求・返還請求・納付・交付決定取消）と、
    支払・返還の記録がある交付決定の画面で axe の違反がなく、英語が出ない"""
    page = admin_page
    page.goto(demo_live.url + "/admin/grants/grantdecision/")
    decisions = list(dict.fromkeys(admin_links(page, "#result_list tbody th a")))
    assert len(decisions) >= 4  # this year's and last year's (settled, with payments and a refund)
    paths = list(decisions)
    for href in decisions:
        page.goto(demo_live.url + href)
        paths += [h for h in admin_links(page, "#content a[href^='/admin/']") if GRANT_YEAR_STEPS.search(h)]
    steps = {GRANT_YEAR_STEPS.search(p)[1] for p in paths if GRANT_YEAR_STEPS.search(p)}
    assert {"change-request", "claim", "revoke"} <= steps
    # Every step's form, also those the first decision does not offer a link to yet (empty choices).
    first = decisions[0].removesuffix("change/")
    for step in ("change-decide", "pay", "final-claim", "refund", "refund-returned"):
        paths.append(f"{first}{step}/")
    paths = list(dict.fromkeys(paths))
    assert_accessible_japanese(page, demo_live, axe, paths)


def test_django_strings_read_as_a_clerk_writes_them(admin_page, demo_live):
    """「- Select an option -」「Filter by」「変更する 地域運営組織 を選択」「8 地域運営組織」が出ない"""
    page = admin_page
    page.goto(demo_live.url + "/admin/organizations/organization/")
    body = page.inner_text("body")
    assert "地域運営組織の一覧" in body
    assert "変更する" not in body
    assert re.search(r"地域運営組織 \d+件", page.inner_text(".paginator"))
    page.goto(demo_live.url + "/admin/grants/grantrule/add/")
    assert "Select" not in page.inner_text("body")
    assert page.locator("option", has_text="（選んでください）").count() > 0
    page.goto(demo_live.url + "/admin/staff/meeting/")
    body = page.inner_text("body")
    assert "Filter by" not in body and "officer-" not in body


def test_dashboard_leads_to_the_grant_steps_and_the_notices_in_one_click(admin_page, demo_live, axe):
    """ダッシュボードの一括交付金から、算定・交付決定の画面と通知書の印刷へ1回で進める。印刷の画面は発行する
    文書を示す確認画面（GET では何も発行しない）で、そのボタン（POST）で決裁に回り（起案）、決裁の一覧に進む。
    発行済みなら発行したとおりに PDF をダウンロードする"""
    page = admin_page
    grants = page.locator("#grant-status").locator("xpath=..")
    step = grants.get_by_role("link", name=re.compile("算定・交付決定"))
    notice = grants.get_by_role("link", name=re.compile("交付決定通知書を印刷する"))
    expect(notice).to_be_visible()
    confirm = notice.get_attribute("href")
    assert_accessible_japanese(page, demo_live, axe, [confirm])
    expect(page.locator("#content")).to_contain_text("発行の確認")
    submit = page.get_by_role("button", name="決裁に回す（起案）")
    if submit.count():
        submit.click()
        expect(page.locator("#content")).to_contain_text("の決裁待ち")  # the 決裁 list, what waits for whom
        expect(page.locator(".messagelist")).to_contain_text("決裁に回しました")
    else:  # every notice issued already: the page downloads them as issued
        with page.expect_download() as download:
            page.get_by_role("link", name="発行したとおりにダウンロード（PDF）").click()
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(4) == b"%PDF"
    page.goto(demo_live.url + "/admin/")
    step.click()
    expect(page.locator("#grant-review")).to_be_visible()
    amounts = page.locator("#grant-review td.yen").all_inner_texts()
    assert amounts and any(re.search(r"\d,\d{3}円", a) for a in amounts)
    assert not any(BARE_NUMBER.search(a) or "-" in a for a in amounts)  # separators, and △ for a decrease


def test_people_are_shown_by_name_and_dates_in_wareki_with_the_weekday(admin_page, demo_live):
    """決定者・記録者は氏名で、日付は和暦と曜日で表示する"""
    page = admin_page
    page.goto(demo_live.url + "/admin/grants/grantdecision/")
    page.locator("#result_list tbody th a").first.click()
    decided_by = page.locator(".field-decided_by .readonly").inner_text()
    assert decided_by and decided_by != "seisaku"
    decided_on = page.locator(".field-decided_on .readonly").inner_text()
    assert re.fullmatch(r"令和\d+年\d+月\d+日（[月火水木金土日]）", decided_on)
    page.goto(demo_live.url + "/admin/staff/meeting/")
    authors = page.locator("#result_list td.field-author").all_inner_texts()
    assert authors and not any(a.startswith(("officer-", "tanto")) for a in authors)


def page_problems(page, axe):
    """axe's WCAG 2.2 AA violations, English words, bare numbers and ISO dates on the page."""
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    text = page.inner_text("#content")
    return {
        "violations": [f"{v['id']}: {[n['target'] for n in v['nodes']][:2]}" for v in results.response["violations"]],
        "english": sorted(set(ENGLISH.findall(ADDRESS.sub("", text))) - LATIN_ALLOWED),
        "numbers": BARE_NUMBER.findall(text),
        "dates": ISO_DATE.findall(text),
    }


NO_PROBLEMS = {"violations": [], "english": [], "numbers": [], "dates": []}


def test_deciding_one_organization_with_its_application_and_a_confirmation(admin_page, demo_live, axe):
    """交付決定は組織を選び、交付申請と文書番号を確かめる確認画面を経て決定する（axe・英語なし）"""
    from grants.models import DocumentDraft, DocumentNumber, FiscalYear, GrantDecision

    year = FiscalYear.current()
    decision = GrantDecision.objects.filter(fiscal_year=year).order_by("organization__name_kana").first()
    name = decision.organization.name
    DocumentNumber.objects.filter(decision=decision).update(decision=None)  # the number stays in the register
    DocumentDraft.objects.filter(decision=decision).update(decision=None)  # so does its 決裁 (the demo's)
    decision.delete()
    page = admin_page
    page.goto(f"{demo_live.url}/admin/grants/fiscalyear/{year.pk}/grants/")
    assert page_problems(page, axe) == NO_PROBLEMS
    page.get_by_role("link", name="交付決定する組織を選ぶ").click()
    expect(page.locator("#decide-choose")).to_contain_text(name)
    expect(page.locator("#decide-choose")).to_contain_text("受付")
    assert page_problems(page, axe) == NO_PROBLEMS
    page.get_by_label(f"{name}を交付決定する").check()
    page.get_by_role("button", name="確認する").click()
    expect(page.locator("#decide-confirm")).to_contain_text(name)
    number = page.locator("#decide-confirm .decide-number").inner_text()
    assert number == "決裁待ち（番号は決裁の後）"  # 「番号は決裁の後」: the notice is numbered on its 決裁
    assert page_problems(page, axe) == NO_PROBLEMS
    page.get_by_role("button", name=re.compile("交付を決定する")).click()
    expect(page.locator(".messagelist")).to_contain_text(f"1組織の交付を決定しました（{number}）")
    page.goto(f"{demo_live.url}/admin/grants/grantapplication/")
    page.locator("#result_list tbody th a").first.click()
    expect(page.locator(".field-requirements")).to_contain_text("受付日に認可されている")
    assert page_problems(page, axe) == NO_PROBLEMS


def test_the_suggested_due_date_follows_the_request_date_off_closed_days(admin_page, demo_live):
    """返還請求の画面: 返還請求日を変えると、書き換えていない納付期限の案が20日後の開庁日に変わる（11/3 文化の日、
    日曜日、年末年始を避ける）。書き換えた納付期限はそのまま"""
    page = admin_page
    page.goto(demo_live.url + "/admin/grants/grantdecision/")
    first = admin_links(page, "#result_list tbody th a")[0].removesuffix("change/")
    page.goto(f"{demo_live.url}{first}refund/")
    demanded, due = page.locator("#id_demanded_on"), page.locator("#id_due_on")
    for typed, expected in [("2026-10-14", "2026-11-04"), ("2026-11-16", "2026-12-07"), ("2026-12-09", "2027-01-04")]:
        demanded.fill(typed)
        expect(due).to_have_value(expected)
    due.fill("2027-01-08")
    demanded.fill("2026-10-14")
    expect(due).to_have_value("2027-01-08")
