"""Benchmark of the PDF notices (not a test): `make bench-notices` or `.venv/bin/python bench/notices.py`.

Renders N 交付決定通知書 (default 100) one by one, exactly as the admin and export_notices do
(template, glyph check, WeasyPrint), and, interleaved in the same run, a one-page baseline with the
same font and no data, twice:

- plain:  WeasyPrint as it comes, `HTML(string=…).write_pdf()` of one A4 page whose own <style>
          names the same @font-face: what WeasyPrint takes for a document in this font;
- floor:  the same page through the notices' own pipeline (font configuration, parsed stylesheet
          and local-only URL fetcher reused), i.e. the per-document cost the notices cannot go below;
- same:   plain WeasyPrint on the notice itself (the same HTML, its stylesheet inline): what the
          notice's own text and tables cost in WeasyPrint, without the portal's pipeline.

Prints medians of wall-clock and CPU time, the ratios, and the peak memory. No database is needed:
the notices are made from unsaved objects.
"""

import argparse
import datetime
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niimi_portal.settings")
if not os.environ.get("DJANGO_SECRET_KEY"):
    os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from weasyprint import HTML  # noqa: E402

from grants import notice_texts, notices  # noqa: E402
from grants.calculation import calculate_grant  # noqa: E402
from grants.models import DocumentKind, DocumentNumber, FiscalYear, GrantCalculation, GrantDecision, NoticeSettings  # noqa: E402
from organizations.models import Organization  # noqa: E402

RULE = SimpleNamespace(
    equal_share=300_000,
    per_capita=1_100,
    per_household=1_500,
    secretariat_cost=600_000,
    rounding_unit=1_000,
    change_cap_percent=33,
)
SUBSIDIES = ["地域振興会運営補助金", "地域福祉活動推進補助金", "自主防災組織活動補助金"]
PLACES = ["唐松", "熊野", "高尾", "哲西", "神郷", "千屋", "大佐", "本郷", "矢田", "井倉"]

# A real <title>: the notices' pipeline refuses a PDF without one (its title in the viewer's title bar).
PAGE = (
    '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>通知書</title>{style}</head>'
    "<body><p>通知書</p></body></html>"
)
PLAIN_STYLE = (
    '<style>@font-face {{ font-family: "{family}"; src: url("{path}"); }}'
    ' @page {{ size: A4 portrait; margin: 15mm 18mm 13mm 25mm; }} html {{ font-family: "{family}"; }}</style>'
)


# The notice settings as the data migration loads them, with the placeholders filled in (unsaved: no database).
SETTINGS = NoticeSettings(
    effective_from=datetime.date(2019, 4, 1),
    mayor_title="新見市長",
    mayor_name=notice_texts.DEMO_MAYOR_NAME,
    **notice_texts.DEMO_KIND_SETTINGS,
    appeal_text=notice_texts.APPEAL_TEXT,
    contact=notice_texts.CONTACT,
    standard_conditions=notice_texts.STANDARD_CONDITIONS,
)


def sample_entry(i):
    """The register line of a 交付決定通知書, with its decision: what `document_issue` renders."""
    decision = sample_decision(i)
    return DocumentNumber(
        kind=DocumentKind.DECISION,
        number=i + 1,
        text=decision.document_number,
        dated=decision.decided_on,
        organization=decision.organization,
        decision=decision,
    )


def notice_pdf(entry):
    """Exactly what `document_issue` renders (content, template, glyph check, WeasyPrint), without storing it."""
    return notices.render_pdf(notices.document_html(notices.document_content(entry, SETTINGS)))


def sample_decision(i):
    year = FiscalYear(
        year=2026, starts_on=datetime.date(2026, 4, 1), statistics_reference_date=datetime.date(2026, 4, 1)
    )
    organization = Organization(
        name=f"{PLACES[i % len(PLACES)]}地区まちづくり協議会{i + 1}",
        representative_title="会長",
        representative_name="新見 花子",
    )
    breakdown = calculate_grant(
        rule=RULE,
        population=300 + 37 * i,
        households=120 + 15 * i,
        subsidies=[(name, 10_000 * ((i * 7 + k * 13) % 40 + 5)) for k, name in enumerate(SUBSIDIES)],
        previous_base=2_000_000 + 10_000 * i,
    )
    calculation = GrantCalculation(
        organization=organization,
        fiscal_year=year,
        lines=breakdown.as_json(),
        base_amount=breakdown.base_amount,
        subsidy_amount=breakdown.subsidy_amount,
        total=breakdown.total,
    )
    return GrantDecision(
        calculation=calculation,
        organization=organization,
        fiscal_year=year,
        number=i + 1,
        document_number=f"新総政第{i + 1}号",
        decided_on=datetime.date(2026, 5, 1),
        amount=breakdown.total,
        conditions=notice_texts.STANDARD_CONDITIONS,
    )


def measure(render, wall, cpu):
    started_wall, started_cpu = time.perf_counter(), time.process_time()
    pdf = render()
    wall.append(time.perf_counter() - started_wall)
    cpu.append(time.process_time() - started_cpu)
    return pdf


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def renderers():
    """{name: render(entry) → PDF bytes}: the notice and the baselines it is compared with."""
    floor_page = PAGE.format(style="")
    plain_page = PAGE.format(
        style=PLAIN_STYLE.format(family=notices.NOTICE_FONT_FAMILY, path=notices.NOTICE_FONT.as_uri())
    )
    stylesheet = render_to_string(
        notices.NOTICE_STYLESHEET,
        {"font_path": notices.NOTICE_FONT.as_uri(), "font_family": notices.NOTICE_FONT_FAMILY},
    )

    def same(entry):
        html = notices.document_html(notices.document_content(entry, SETTINGS))
        return HTML(string=html.replace("</head>", f"<style>{stylesheet}</style></head>")).write_pdf()

    return {
        "notice": notice_pdf,
        "same": same,
        # The same notice without the PDF/UA-1 variant: no structure tree, no marked content.
        "untagged": lambda d: notices.pdf_document(
            notices.document_html(notices.document_content(d, SETTINGS))
        ).write_pdf(pdf_variant=None),
        "floor": lambda d: notices.render_pdf(floor_page),
        "plain": lambda d: HTML(string=plain_page).write_pdf(),
    }


def time_renders(renders, decisions):
    """({name: wall seconds…}, {name: CPU seconds…}, {name: PDF sizes…}), the renders interleaved so the
    machine's load weighs on all alike."""
    wall = {name: [] for name in renders}
    cpu = {name: [] for name in renders}
    sizes = {}
    for decision in decisions:
        for name, render in renders.items():
            pdf = measure(lambda r=render, d=decision: r(d), wall[name], cpu[name])
            sizes.setdefault(name, []).append(len(pdf))
    return wall, cpu, sizes


def peak_memory(entry):
    """(the process's peak RSS in MiB, the Python heap's peak in MiB while one notice is rendered)."""
    tracemalloc.start()
    notice_pdf(entry)
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # ru_maxrss is KiB on Linux
    return peak_rss, python_peak / 2**20


def print_figures(count, pages, wall, cpu, sizes, memory):
    median = {name: statistics.median(values) for name, values in wall.items()}
    median_cpu = {name: statistics.median(values) for name, values in cpu.items()}

    def line(label, name):
        return f"  {label}: {ms(median[name])}（CPU {ms(median_cpu[name])}）"

    def ratio(name):
        return f"{median['notice'] / median[name]:.2f} 倍（CPU {median_cpu['notice'] / median_cpu[name]:.2f} 倍）"

    size, untagged_size = (statistics.mean(sizes[name]) / 1024 for name in ("notice", "untagged"))
    print(f"交付決定通知書 {count}件（各 {pages}ページ、タグ付き PDF/UA-1、平均 {size:.0f} KiB）")
    print(line("通知書1件あたり（中央値）", "notice") + f"、合計 {sum(wall['notice']):.1f} 秒")
    print(line("同じ通知書をタグなしで", "untagged") + f"、平均 {untagged_size:.0f} KiB")
    print(f"  比 タグ付き / タグなし: {ratio('untagged')}、大きさ {size / untagged_size:.2f} 倍")
    print(line("基準 plain（素の WeasyPrint で同じフォント・データなしの1ページ）", "plain"))
    print(line("基準 floor（同じ1ページを通知書と同じ仕組みで）", "floor"))
    print(f"  比 通知書 / plain: {ratio('plain')}　目標 1.5 倍以下")
    print(line("基準 same（同じ通知書を素の WeasyPrint で）", "same"))
    print(f"  比 通知書 / floor: {ratio('floor')}")
    print(f"  比 通知書 / same: {ratio('same')}（ポータルの仕組みの上乗せ分）")
    peak_rss, heap = memory
    print(f"  ピークメモリ: プロセス最大 RSS {peak_rss:.0f} MiB、通知書1件の Python ヒープ最大 {heap:.1f} MiB")


def main():
    parser = argparse.ArgumentParser(description="通知書 PDF のベンチマーク")
    parser.add_argument("-n", type=int, default=100, help="通知書の数（既定 100）")
    parser.add_argument("--smoke", action="store_true", help="スモークテスト用の最小の実行（1件、準備1回）")
    args = parser.parse_args()
    count, warm_ups = (1, 1) if args.smoke else (args.n, 3)

    decisions = [sample_entry(i) for i in range(count)]
    renders = renderers()
    for _ in range(warm_ups):  # warm up: font loading, template compilation, caches
        for render in renders.values():
            render(decisions[0])
    wall, cpu, sizes = time_renders(renders, decisions)
    pages = len(notices.pdf_document(notices.document_html(notices.document_content(decisions[-1], SETTINGS))).pages)
    print_figures(count, pages, wall, cpu, sizes, peak_memory(decisions[0]))


if __name__ == "__main__":
    main()
