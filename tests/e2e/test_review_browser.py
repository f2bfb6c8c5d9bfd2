"""The review loop in a real browser: a liaison proposes, the public page waits, the clerk decides,
and a mail arrives at each step (queued, sent by `send_outbox` through an SMTP server the test starts and reads)."""

from django.utils import timezone

from organizations.models import Organization
from staff.models import StageChange
from tests.conftest import POLICY_DIVISION_EMAIL as POLICY_ADDRESS
from tests.e2e.conftest import axe_violations, browser_login
from tests.mail import send_outbox


def propose(page, base, slug, stage_label):
    page.goto(f"{base}/workspace/organizations/{slug}/stage/")
    page.get_by_label(stage_label).check()
    page.get_by_label("変更日").fill(timezone.localdate().isoformat())
    page.get_by_label("根拠となる会議").select_option(index=1)
    page.get_by_role("button", name="提案する").click()
    page.wait_for_url(f"**/workspace/organizations/{slug}/")


def public_stage(page, base, slug):
    page.goto(f"{base}/organizations/{slug}/")
    return page.locator("p.lead").inner_text()


def test_a_proposal_reaches_the_public_only_when_accepted_and_each_step_mails(page, axe, demo_live, inbox):
    base = demo_live.url
    assert "② 地域の将来計画の策定" in public_stage(page, base, "takao-fureai")

    # 1. ③ is the stage of an approved organization: for 高尾 (申請中) it is refused beside the field and
    #    nothing is mailed (issue 31); the liaison proposes ① instead, and the policy division is mailed.
    browser_login(page, base, "tanto1")
    sent = len(inbox.messages)
    page.goto(f"{base}/workspace/organizations/takao-fureai/stage/")
    page.get_by_label("③ 地域運営組織の設立・活動開始").check()
    page.get_by_label("変更日").fill(timezone.localdate().isoformat())
    page.get_by_label("根拠となる会議").select_option(index=1)
    page.get_by_role("button", name="提案する").click()
    page.wait_for_load_state()
    assert "市の認可を受けた組織の段階です" in page.content()
    send_outbox()
    assert len(inbox.messages) == sent and not StageChange.objects.filter(organization__slug="takao-fureai").exists()
    propose(page, base, "takao-fureai", "① 地域での機運づくり")
    assert "総合政策課が確認して反映するまで" in page.content()
    send_outbox()
    assert inbox.messages[-1]["to"] == [POLICY_ADDRESS] and "確認待ち" in inbox.subjects()[-1]
    assert "② 地域の将来計画の策定" in public_stage(page, base, "takao-fureai")
    page.goto(base + "/workspace/")
    assert "確認待ち" in page.locator("#my-proposals").inner_text()

    # 2. The clerk sees it waiting and accepts it (反映).
    browser_login(page, base, "seisaku", admin=True)
    assert "1件" in page.locator("#proposals-waiting").inner_text()
    page.get_by_role("link", name="確認待ちの提案を判断する").click()
    assert axe_violations(axe, page) == []
    change = StageChange.objects.get(organization__slug="takao-fureai", status="pending")
    page.locator(f"#proposal-stage-{change.pk}").locator("..").get_by_role("button", name="反映する").click()
    page.wait_for_load_state()
    send_outbox()
    assert inbox.messages[-1]["to"] == ["tanto1@example.invalid"] and "反映" in inbox.subjects()[-1]
    assert "① 地域での機運づくり" in public_stage(page, base, "takao-fureai")

    # 3. A declined proposal never reaches a public page; the liaison reads why.
    browser_login(page, base, "tanto2")
    propose(page, base, "osa-kurashi", "① 地域での機運づくり")
    send_outbox()
    sent = len(inbox.messages)
    browser_login(page, base, "seisaku", admin=True)
    page.goto(base + "/admin/staff/stagechange/review/")
    change = StageChange.objects.get(organization__slug="osa-kurashi", status="pending")
    page.locator(f"#reason-stage-{change.pk}").fill("根拠の会議で段階を戻す話は出ていません。")
    page.locator(f"#proposal-stage-{change.pk}").locator("..").get_by_role("button", name="見送る").click()
    page.wait_for_load_state()
    assert "確認待ちの提案はありません" in page.content()
    send_outbox()
    assert len(inbox.messages) == sent + 1 and "見送り" in inbox.subjects()[-1]
    assert "根拠の会議で段階を戻す話は出ていません。" in inbox.body()
    assert Organization.objects.get(slug="osa-kurashi").stage == 2
    assert "② 地域の将来計画の策定" in public_stage(page, base, "osa-kurashi")
    browser_login(page, base, "tanto2")
    assert "根拠の会議で段階を戻す話は出ていません。" in page.locator("#my-proposals").inner_text()


def test_the_workspace_and_review_pages_pass_axe_and_fit_320_px(browser, axe, demo_live, inbox):
    base = demo_live.url
    context = browser.new_context(locale="ja-JP", viewport={"width": 320, "height": 640})
    page = context.new_page()
    browser_login(page, base, "tanto1")
    for path in ("/workspace/", "/workspace/organizations/takao-fureai/stage/"):
        page.goto(base + path)
        assert axe_violations(axe, page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    propose(page, base, "takao-fureai", "① 地域での機運づくり")
    browser_login(page, base, "seisaku", admin=True)
    page.goto(base + "/admin/staff/stagechange/review/")
    assert axe_violations(axe, page) == []
    context.close()
