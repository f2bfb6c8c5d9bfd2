"""Real headless Chromium (Debian's `chromium` package) driven by Playwright, and axe-core checks.

No browser is downloaded: Playwright launches /usr/bin/chromium. A missing browser fails the
tests (it is installed by `make test`), it never skips them.
"""

import os
import re
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from playwright.sync_api import sync_playwright

from niimi_portal.demo.loader import DEMO_PASSWORD
from niimi_portal.lib import two_factor

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures
# in that same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium が見つかりません ({CHROMIUM})。`make test` が Debian の chromium を導入します。")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        locale="ja-JP", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


def browser_login(page, base, username, *, admin=False):
    """Log in as a demo person through a login form, in a new session (the page's cookies cleared first):
    policy staff through the admin's login, landing on /admin/; a liaison through the staff login, landing
    on their workspace. A person who must give a second factor (policy staff, the superuser) then types
    a backup code on the 確認コードの入力 page, one made for this login (a TOTP code may not be used twice
    within its 30 seconds, and a test logs in more often than that)."""
    page.context.clear_cookies()
    page.goto(base + ("/admin/login/" if admin else "/accounts/login/"))
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    user = User.objects.get(username=username)
    if two_factor.must_verify(user):
        page.wait_for_url(re.compile(re.escape(f"{base}/accounts/two-factor/verify/")))
        page.get_by_label("確認コード").fill(fresh_backup_code(user))
        page.get_by_role("button", name="確認する").click()
    page.wait_for_url(base + ("/admin/" if admin else "/workspace/"))


def fresh_backup_code(user):
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": two_factor.BACKUP_DEVICE_NAME})
    return StaticToken.objects.create(device=device, token=StaticToken.random_token()).token


def axe_violations(axe, page):
    """Run axe-core on the page for the WCAG 2.0/2.1 A and AA rules; return the violations (empty when clean)."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}})
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


@pytest.fixture
def demo_live(transactional_db, live_server):
    """The demo dataset behind a live server, for browser tests."""
    from django.core.management import call_command

    call_command("loaddemo", verbosity=0)
    return live_server
