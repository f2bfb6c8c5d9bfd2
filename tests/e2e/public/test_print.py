"""The liaison roster printed to A4: a real PDF from Chromium, read back with poppler."""

import datetime
import re
import subprocess

from niimi_portal.lib.wareki import fiscal_year_label, fiscal_year_of
from tests.e2e.public.conftest import goto


def test_liaison_roster_prints_cleanly_on_a4(page, demo_live, tmp_path):
    """地域担当職員名簿がA4用紙にきれいに印刷できる（メニュー等は印刷されない）"""
    goto(page, demo_live, "/liaisons/")
    pdf = tmp_path / "roster.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+59\d\.\d+ x 84\d\.\d+ pts \(A4\)", info), info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    year = fiscal_year_of(datetime.date.today())
    expected_text = (
        "地域担当職員名簿",
        fiscal_year_label(year),
        "山田 太郎",
        "熊野の将来を考える会",
        "主担当",
        "0867-72-6143",
    )
    for expected in expected_text:
        assert expected in text, expected
    for hidden in ("職員ログイン", "文字サイズ", "本文へ移動", "表示する", "ブラウザの印刷機能"):
        assert hidden not in text, hidden
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages <= 2
    # Nothing cut off at the right edge: every line of text fits inside the A4 width.
    width = page.evaluate("document.documentElement.scrollWidth")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1000})  # 190 mm of printable width at 96 dpi
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
