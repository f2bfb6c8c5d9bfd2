"""PDFs with WeasyPrint, all set in one font: BIZ UD明朝 (Debian package fonts-morisawa-bizud-mincho).

The font is named by its file in each stylesheet's `@font-face` (the stylesheet is a template given
`font_path` and `font_family`), so a PDF never depends on whatever else the server has installed. Pango
would silently borrow a glyph the font lacks from another installed font; callers either refuse such
text before rendering (`check_glyphs`, for the grant notices) or draw 〓 in its place
(`substitute_missing_glyphs`, for printouts of what the public pages already show).

Used by the grant notices (grants.notices) and the printable roster and plan summary
(organizations.printouts).
"""

import atexit
import threading
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

FONT = Path("/usr/share/fonts/truetype/bizud-mincho/BIZUDMincho-Regular.ttf")
FONT_FAMILY = "BIZUDMincho-Regular"  # also the name pdffonts shows for the embedded subset
GETA = "〓"  # the mark Japanese typesetting puts where a character cannot be set


class PdfFontError(ValueError):
    """The document holds characters the font cannot draw."""


@lru_cache(maxsize=4)
def font_codepoints(font=FONT):
    from fontTools.ttLib import TTFont

    if not font.exists():
        raise ImproperlyConfigured(
            f"PDF のフォント {font} がありません。Debian パッケージ fonts-morisawa-bizud-mincho を"
            "入れてください（make system-deps）。"
        )
    with TTFont(font, lazy=True) as opened:
        return frozenset(opened.getBestCmap())


class _TextOnly(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def missing_glyphs(html, font=FONT):
    """The characters of the document's text the font lacks, sorted."""
    parser = _TextOnly()
    parser.feed(html)
    codepoints = font_codepoints(font)
    return sorted({ch for ch in "".join(parser.parts) if not ch.isspace() and ord(ch) not in codepoints})


def check_glyphs(html, *, font=FONT, document="PDF"):
    """Raise PdfFontError naming every character of the document's text the font lacks."""
    missing = missing_glyphs(html, font)
    if missing:
        listed = "、".join(f"「{ch}」(U+{ord(ch):04X})" for ch in missing)
        raise PdfFontError(
            f"{document}のフォント（BIZ UD明朝）にない文字があります: {listed}。"
            "組織名などを常用の字体に直してから作成してください。"
        )


def substitute_missing_glyphs(html, font=FONT):
    """The document with 〓 for each character the font lacks.

    Only for HTML whose markup is the project's own templates (all of it in the font) and whose
    stylesheet is passed separately: a character the font lacks can then only be in the text."""
    missing = set(missing_glyphs(html, font))
    return "".join(GETA if ch in missing else ch for ch in html) if missing else html


# -- rendering -------------------------------------------------------------------------------------

_local = threading.local()
# Drop the main thread's WeasyPrint objects before the interpreter tears modules down (their
# destructors need those modules).
atexit.register(_local.__dict__.clear)


def _weasyprint(stylesheet, font):
    """Per thread and stylesheet, made once and reused for every document: the font configuration
    (@font-face loaded once), a URL fetcher that reads local files only (a PDF never reaches the network,
    and no HTTPS context is built per document), and the parsed stylesheet."""
    from weasyprint import CSS, URLFetcher
    from weasyprint.text.fonts import FontConfiguration

    made = _local.__dict__.setdefault("made", {})
    key = (stylesheet, str(font))
    if key not in made:
        font_config = FontConfiguration()
        url_fetcher = URLFetcher(allowed_protocols=("file",), fail_on_errors=True)
        css = render_to_string(stylesheet, {"font_path": font.as_uri(), "font_family": FONT_FAMILY})
        made[key] = (font_config, url_fetcher, CSS(string=css, font_config=font_config, url_fetcher=url_fetcher))
    return made[key]


def document(html, *, stylesheet, font=FONT):
    """The laid-out WeasyPrint document of `html` with the stylesheet template `stylesheet`."""
    from weasyprint import HTML

    font_codepoints(font)  # fail loudly if the font file is missing, before WeasyPrint falls back
    font_config, url_fetcher, parsed = _weasyprint(stylesheet, font)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher).render(
        stylesheets=[parsed], font_config=font_config
    )


def write_pdf(html, *, stylesheet, font=FONT):
    return document(html, stylesheet=stylesheet, font=font).write_pdf()
