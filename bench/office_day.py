#!/usr/bin/env python
"""An office day in one minute: residents read the public pages while the staff save, one edit every 10 s.

Against a running portal (`--url`, with the page cache's X-Page-Cache header on), with the same database
and cache as it (DATABASE_URL, CACHE_URL): resident threads ask for public pages at a steady rate, half of
them the fixed pages and lists, half a random area, organization or case example page; meanwhile this
process makes an edit every `--edit-every` seconds through the services and the ORM, as the admin and the
workspace do: a liaison logs a public meeting, a clerk fixes a FAQ, edits an organization's description or
a case example. The detail pages are a sample (`--detail-pages`, 300: the areas and organizations
residents look at in that minute), asked for once before the clock starts, as `manage.py warm_pages`
does after a deploy for all of them. Prints how many answers came from the page cache. `--site-wide`
also makes every page stale on each edit, as before issue 20, to compare.

Run by `make bench` (bench/load.py); alone:
`DATABASE_URL=… CACHE_URL=… python bench/office_day.py --url http://127.0.0.1:8000`.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niimi_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.utils import timezone  # noqa: E402

from niimi_portal.lib import page_tags  # noqa: E402
from niimi_portal.lib.history import record_change  # noqa: E402
from niimi_portal.management.commands.warm_pages import public_paths  # noqa: E402
from organizations.models import FAQ, CaseStudy, Organization  # noqa: E402
from staff import services as staff_services  # noqa: E402
from staff.forms import NextStepFormSet  # noqa: E402
from staff.models import Meeting  # noqa: E402


def edits(rng):
    """The edits of the day, each a (description, function) through the services or the ORM."""
    clerk = User.objects.filter(is_superuser=False, is_staff=True).order_by("id").first() or User.objects.first()
    organizations = list(Organization.objects.published().order_by("id"))
    faqs = list(FAQ.objects.published().order_by("id"))
    cases = list(CaseStudy.objects.public().order_by("id"))

    def meeting():
        organization = rng.choice(organizations)
        new = Meeting(
            organization=organization, kind=Meeting.Kind.choices[0][0], place=f"{organization.name} 集会所",
            date=timezone.localdate() + datetime.timedelta(days=rng.randint(1, 30)), is_public=rng.random() < 0.5,
            agenda="地域の行事の打合せ",
        )  # fmt: skip
        steps = NextStepFormSet(instance=new, data={"next_steps-TOTAL_FORMS": "0", "next_steps-INITIAL_FORMS": "0"})
        steps.is_valid()
        staff_services.meeting_save(meeting=new, next_steps=steps, attachments=[], by=clerk, reason="会議の記録")
        return f"会議の記録（{organization.name}）"

    def faq():
        item = rng.choice(faqs)
        item.answer = item.answer.rstrip("　") + ("　" if not item.answer.endswith("　") else "")
        record_change(item, by=clerk, reason="誤字の修正")
        item.save()
        return f"FAQ の修正（{item.pk}）"

    def organization():
        item = rng.choice(organizations)
        record_change(item, by=clerk, reason="紹介文の修正")
        item.save()
        return f"組織の修正（{item.name}）"

    def case():
        item = rng.choice(cases)
        record_change(item, by=clerk, reason="事例の修正")
        item.save()
        return f"事例の修正（{item.title[:12]}）"

    kinds = [meeting, meeting, faq, organization, case]
    return [kind for kind in kinds if kind is not case or cases]


HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}


def get(url):
    with urllib.request.urlopen(urllib.request.Request(url, headers=HEADERS), timeout=30) as response:
        response.read()
        return response.headers.get("X-Page-Cache", "none")


def resident(base, fixed, detail, rng, stop, rate, results, lock):
    next_at = time.monotonic()
    while not stop.is_set():
        path = rng.choice(fixed if rng.random() < 0.5 or not detail else detail)
        started = time.monotonic()
        try:
            how = get(base + path)
        except urllib.error.HTTPError as error:
            how = f"status {error.code}"
        except OSError:
            how = "error"
        with lock:
            results.append((how, time.monotonic() - started))
        next_at += 1 / rate
        time.sleep(max(0.0, next_at - time.monotonic()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the portal, e.g. http://127.0.0.1:8000")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--edit-every", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4, help="resident threads")
    parser.add_argument("--rate", type=float, default=5, help="requests per second per resident thread")
    parser.add_argument("--site-wide", action="store_true", help="also make every page stale on each edit")
    parser.add_argument("--detail-pages", type=int, default=300, help="area, organization and case pages visited")
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    paths = public_paths()
    fixed = [path for name, path in paths if not name.endswith(("_detail", "_pdf"))]
    detail = [path for name, path in paths if name.endswith("_detail")]
    detail = rng.sample(detail, min(args.detail_pages, len(detail)))
    for path in [*fixed, *detail]:  # warmed, as warm_pages does after a deploy
        get(args.url + path)
    day = edits(rng)
    stop, lock, results = threading.Event(), threading.Lock(), []
    threads = [
        threading.Thread(
            target=resident,
            args=(args.url, fixed, detail, random.Random(args.seed + n), stop, args.rate, results, lock),
        )
        for n in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    started, made = time.monotonic(), []
    try:
        while time.monotonic() - started < args.seconds:
            time.sleep(max(0.0, started + (len(made) + 1) * args.edit_every - time.monotonic()))
            if time.monotonic() - started >= args.seconds:
                break
            made.append(rng.choice(day)())
            if args.site_wide:
                page_tags.renew_every_page()
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    report(results, made, args)


def report(results, made, args):
    counts = {}
    for how, _ in results:
        counts[how] = counts.get(how, 0) + 1
    cached = counts.get("hit", 0) + counts.get("miss", 0)
    share = counts.get("hit", 0) / cached if cached else 0.0
    times = {how: [s * 1000 for h, s in results if h == how] for how in ("hit", "miss")}
    median = {how: statistics.median(v) if v else float("nan") for how, v in times.items()}
    mode = "every page stale on each edit (as before)" if args.site_wide else "pages stale by what changed"
    print(f"office day ({mode}): {len(results)} requests in {args.seconds} s, {len(made)} edits "
          f"({'; '.join(made[:3])}{' …' if len(made) > 3 else ''})")  # fmt: skip
    print(f"  hits {counts.get('hit', 0)}, misses {counts.get('miss', 0)}, other {len(results) - cached} "
          f"({', '.join(f'{k} {v}' for k, v in counts.items() if k not in ('hit', 'miss')) or 'none'}); "
          f"median hit {median['hit']:.1f} ms, miss {median['miss']:.1f} ms")  # fmt: skip
    print(f"  HIT SHARE {share * 100:.1f}%")


if __name__ == "__main__":
    main()
