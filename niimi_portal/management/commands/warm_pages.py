"""`manage.py warm_pages`: render the public pages into the page cache, after a deploy or an import.

Each page is asked for through the whole middleware stack, as an anonymous visitor on the public
address (https://<the first ALLOWED_HOSTS name>/ unless --host/--http say otherwise), so the page
cache stores it under the very key a resident's request will look up. Pages already cached and
fresh are answered from the cache and cost nothing. Prints a progress line (「12/40 ページ …」) and a
summary; fails when a page does not answer 200.

Each page is asked for with ふりがな too (unless --no-ruby): its rendering stores the readings of the
texts its template shows (headings, explanations, header and footer; niimi_portal/readings.py), so the
first ふりがな page a resident opens after a deploy costs no analysis in any worker.
"""

import argparse
import re
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client, override_settings
from django.urls import reverse

from niimi_portal.context_processors import RUBY_COOKIE
from organizations.models import CaseStudy, Organization
from organizations.public import public_areas

# Lists whose further pages (?page=2…) are warmed too.
PAGINATED = {"organizations:region_list", "organizations:organization_list", "organizations:faq",
             "organizations:case_list", "organizations:liaison_roster", "organizations:schedule"}  # fmt: skip
PAGE_LINK = re.compile(r"[?&;]page=(\d+)")


def public_paths(*, pdfs=False):
    """The public pages' paths: the fixed pages and lists, then every area, organization and case example."""
    named = ["home", "about", "accessibility", "grants:overview", "organizations:open_data", *sorted(PAGINATED)]
    paths = [(name, reverse(name)) for name in named]
    paths += [("organizations:region_detail", a.get_absolute_url()) for a in public_areas().only("slug")]
    organizations = Organization.objects.published().order_by("name_kana", "id").only("slug")
    paths += [("organizations:organization_detail", o.get_absolute_url()) for o in organizations]
    paths += [("organizations:case_detail", c.get_absolute_url()) for c in CaseStudy.objects.public().only("slug")]
    if pdfs:
        paths.append(("organizations:liaison_roster_pdf", reverse("organizations:liaison_roster_pdf")))
        paths += [
            ("organizations:organization_plan_pdf", reverse("organizations:organization_plan_pdf", args=[o.slug]))
            for o in organizations
        ]
    return paths


def default_host():
    names = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith((".", "*"))]
    return names[0] if names else "localhost"


class Command(BaseCommand):
    help = "公開ページを表示用のキャッシュに用意します（配備やデータの取り込みの後に）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="", help="公開のホスト名（既定: ALLOWED_HOSTS の最初の名前）")
        parser.add_argument("--http", action="store_true", help="https ではなく http のページとして用意する")
        parser.add_argument("--pdfs", action="store_true", help="名簿と計画の概要の PDF も用意する（時間がかかります）")
        parser.add_argument(
            "--no-ruby", dest="ruby", action="store_false", help="ふりがな付きのページは用意しない（読みを保存しない）"
        )
        parser.add_argument(
            "--ruby", action="store_true", help=argparse.SUPPRESS
        )  # the default now; kept for old scripts
        parser.set_defaults(ruby=True)

    def handle(self, *args, host="", http=False, pdfs=False, ruby=True, **options):
        if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
            raise CommandError("ページのキャッシュが無効です（PUBLIC_PAGE_CACHE_SECONDS=0）。")
        started = time.monotonic()
        done, failed = visit(
            public_paths(pdfs=pdfs), host=host or default_host(), secure=not http, ruby=ruby, stdout=self.stdout
        )
        seconds = time.monotonic() - started
        self.stdout.write(f"{done} ページを {seconds:.1f} 秒で用意しました（失敗 {len(failed)} 件）。")
        if failed:
            raise CommandError("表示できなかったページ: " + "、".join(failed))


def visit(paths, *, host, secure=True, ruby=True, stdout=None, further_pages=True):
    """Ask for each of `paths` ((URL name, path)), and a paginated list's further pages, as an anonymous
    visitor (and as one who chose ふりがな): (pages asked for, ["path (status)" of those not answering 200])."""
    visitors = [Client(HTTP_HOST=host, raise_request_exception=False)]
    if ruby:
        visitors.append(Client(HTTP_HOST=host, raise_request_exception=False))
        visitors[-1].cookies[RUBY_COOKIE] = "on"
    queue = [(name, path, visitor) for name, path in paths for visitor in visitors]
    failed, done, total = [], 0, len(queue)
    progress = Progress(stdout) if stdout is not None else None
    # The warm-up is this machine's own request: the PDF limit per client address does not apply.
    with override_settings(PDF_RENDERS_PER_MINUTE=10**9):
        while queue:
            name, path, visitor = queue.pop(0)
            response = visitor.get(path, secure=secure)
            done += 1
            if response.status_code != 200:
                failed.append(f"{path} ({response.status_code})")
            elif further_pages and name in PAGINATED and "page=" not in path:
                last = max((int(n) for n in PAGE_LINK.findall(response.content.decode())), default=1)
                more = [(f"{name}#", f"{path}?page={n}", visitor) for n in range(2, last + 1)]
                queue[0:0] = more
                total += len(more)
            if progress is not None:
                progress.show(f"{done}/{total} ページ {path}", last=not queue)
    return done, failed


class Progress:
    """One line rewritten in place on a terminal; on a log, a line every 25 pages and the last one."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.tty = stdout.isatty()
        self.count = 0

    def show(self, text, *, last):
        self.count += 1
        if self.tty:
            self.stdout.write(f"\r\033[K{text}", ending="\n" if last else "")
            self.stdout.flush()
        elif last or self.count % 25 == 1:
            self.stdout.write(text)
