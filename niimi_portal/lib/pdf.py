"""PDFs with WeasyPrint, all set in one font: BIZ UD明朝 (Debian package fonts-morisawa-bizud-mincho).

The font is named by its file in each stylesheet's `@font-face` (the stylesheet is a template given
`font_path` and `font_family`), so a PDF never depends on whatever else the server has installed. Pango
would silently borrow a glyph the font lacks from another installed font; callers either refuse such
text before rendering (`check_glyphs`, for the grant notices) or draw 〓 in its place
(`substitute_missing_glyphs`, for printouts of what the public pages already show).

Every PDF is tagged PDF/UA-1 (JIS X 8341-3 covers published PDFs as much as pages): `document` returns a
WeasyPrint document whose `write_pdf` tags by default, so every kind of PDF, however its module calls it,
carries the structure tree (headings, lists, tables with header cells, in the HTML's reading order), the
language of `<html lang>`, the `<title>` shown in the viewer's title bar (DisplayDocTitle) and an XMP
`pdfuaid:part`. What WeasyPrint 70 leaves undone is finished here: header cells get the /Scope of their
`<th scope>`, and running footers (page margins) become artifacts. `check_accessible` refuses HTML that
would make an untitled PDF, one without a language, or an image without alternative text.

Used by the grant notices (grants.notices) and the printable roster and plan summary
(organizations.printouts).
"""

import atexit
import hashlib
import threading
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

from niimi_portal.lib.shared_cache import local, quietly

FONT = Path("/usr/share/fonts/truetype/bizud-mincho/BIZUDMincho-Regular.ttf")
FONT_FAMILY = "BIZUDMincho-Regular"  # also the name pdffonts shows for the embedded subset
GETA = "〓"  # the mark Japanese typesetting puts where a character cannot be set


# WeasyPrint's PDF/UA-1 variant: PDF 1.7 with tags, /Lang from <html lang>, DisplayDocTitle, MarkInfo.
TAGGED = {"pdf_variant": "pdf/ua-1"}
LANGUAGE = "ja"


class PdfFontError(ValueError):
    """The document holds characters the font cannot draw."""


class PdfAccessibilityError(ValueError):
    """The document's HTML would make a PDF a screen reader cannot use properly."""


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


class _ImagesWithoutAlt(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img" and not (attrs.get("alt") or "").strip():
            self.found.append(attrs.get("src") or "img")


def images_without_alt(html):
    """The src of every <img> with no alternative text (only parsed when the HTML has an image at all)."""
    if "<img" not in html:
        return []
    parser = _ImagesWithoutAlt()
    parser.feed(html)
    return parser.found


def check_accessible(html, metadata):
    """Raise PdfAccessibilityError unless the document declares <html lang="ja">, has a <title> and gives
    every <img> an alt text: the tagged PDF's /Lang, its title in the viewer's title bar, each /Figure's /Alt.
    `metadata` is what WeasyPrint read from the HTML (lang, title), so the HTML is not parsed twice.

    (WeasyPrint only logs these; a PDF must not go out without them. Decorative images cannot be marked as
    artifacts in PDF/UA-1 with WeasyPrint, so every image needs words: a 印影 says whose seal it is.)"""
    problems = []
    if metadata.lang != LANGUAGE:
        problems.append(f'<html lang="{LANGUAGE}"> がありません')
    if not (metadata.title or "").strip():
        problems.append("<title> が空です")
    if missing := images_without_alt(html):
        problems.append("代替テキスト（alt）のない画像があります: " + "、".join(missing))
    if problems:
        raise PdfAccessibilityError("PDF の HTML: " + "。".join(problems) + "。")


def missing_glyphs(html, font=FONT):
    """The characters of the document's text the font lacks, sorted."""
    codepoints = font_codepoints(font)
    if all(ord(ch) in codepoints or ch.isspace() for ch in set(html)):
        return []  # the font has every character of the whole document, markup and all: no need to parse it
    parser = _TextOnly()
    parser.feed(html)
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


@lru_cache(maxsize=1)
def _tagged_document_class():
    from weasyprint import Document

    class TaggedDocument(Document):
        """A WeasyPrint document that writes tagged PDF/UA-1 unless told otherwise (the benchmark's
        untagged baseline passes pdf_variant=None). `copy` keeps the class, so combined PDFs are tagged too."""

        def write_pdf(self, target=None, zoom=1, finisher=None, **options):
            options = {**TAGGED, **options}
            if options.get("pdf_variant") or options.get("pdf_tags"):
                finisher = _finishing_tags(finisher)
            return super().write_pdf(target, zoom, finisher, **options)

    return TaggedDocument


def _finishing_tags(then=None):
    """A WeasyPrint finisher (run on the PDF's objects before they are written) for what WeasyPrint 70's
    tagging leaves undone; then the caller's own finisher, if any. The tagged-PDF tests read both back."""

    def finish(document, pdf):
        if "StructTreeRoot" in pdf.catalog:
            _scope_header_cells(pdf)
            _page_furniture_as_artifacts(pdf)
        if then is not None:
            then(document, pdf)

    return finish


def _scope_header_cells(pdf):
    """Write each header cell's /Scope, read from the PDF's own structure tree: /Row for a header that a data
    cell of its own row names in /Headers (WeasyPrint names row headers that way for <th scope="row">), /Column
    for any other. WeasyPrint 70 writes no /Scope, and readers and checkers that go by /Scope then see headers
    they cannot place. Only the written PDF objects are read, not WeasyPrint's layout boxes."""
    objects = pdf.objects
    for row in objects:
        if not (isinstance(row, dict) and row.get("S") == "/TR"):
            continue
        cells = [objects[_object_number(kid)] for kid in row["K"] if _is_reference(kid)]
        named = {
            header.data for cell in cells if cell.get("S") == "/TD" for header in cell.get("A", {}).get("Headers", ())
        }
        for cell in cells:
            if cell.get("S") == "/TH":
                identifier = cell.get("ID")  # WeasyPrint gives every header cell an ID, and its cells an /A
                cell["A"]["Scope"] = "/Row" if identifier is not None and identifier.data in named else "/Column"


def _is_reference(kid):
    return isinstance(kid, bytes) and kid.endswith(b" R")


def _object_number(reference):
    return int(bytes(reference).split()[0])  # b"12 0 R"


def _page_furniture_as_artifacts(pdf):
    """Mark the text of the page margins (running footers such as the site's name and "1 / 2") as artifacts,
    as PDF/UA-1 wants of page furniture. WeasyPrint 70 marks it as content with an MCID but hangs its
    structure elements on no place in the tree, so it is neither read nor an artifact."""
    objects = pdf.objects
    root = objects[_object_number(pdf.catalog["StructTreeRoot"])]
    in_tree, to_visit = set(), [_object_number(kid) for kid in root["K"]]
    while to_visit:
        number = to_visit.pop()
        if number not in in_tree:
            in_tree.add(number)
            kids = objects[number].get("K", ()) if isinstance(objects[number], dict) else ()
            to_visit += [_object_number(kid) for kid in kids if _is_reference(kid)]
    nums = objects[_object_number(root["ParentTree"])]["Nums"]
    pages = [objects[number] for number in pdf.pages["Kids"][::3]]
    for page, elements in zip(pages, nums[1 : 2 * len(pages) : 2], strict=True):
        outside = {mcid for mcid, element in enumerate(elements) if _object_number(element) not in in_tree}
        if not outside:
            continue
        for mcid in outside:
            elements[mcid] = "null"
        stream = objects[_object_number(page["Contents"])]
        operations = []
        for item in stream.stream:  # … /Span <</MCID 7>> BDC … becomes … /Artifact BMC …
            if item == b"BDC" and isinstance(operations[-1], dict) and operations[-1].get("MCID") in outside:
                operations[-2:] = ["/Artifact", b"BMC"]
            else:
                operations.append(item)
        stream.stream = operations


def document(html, *, stylesheet, font=FONT):
    """The laid-out WeasyPrint document of `html` with the stylesheet template `stylesheet`; its
    `write_pdf()` makes a tagged PDF (PDF/UA-1)."""
    from weasyprint import HTML

    font_codepoints(font)  # fail loudly if the font file is missing, before WeasyPrint falls back
    font_config, url_fetcher, parsed = _weasyprint(stylesheet, font)
    laid_out = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher).render(
        stylesheets=[parsed], font_config=font_config
    )
    check_accessible(html, laid_out.metadata)
    return _tagged_document_class()(
        laid_out.pages,
        laid_out.metadata,
        laid_out.url_fetcher,
        laid_out.font_config,
        laid_out.color_profiles,
        laid_out.output_intent,
    )


def write_pdf(html, *, stylesheet, font=FONT):
    """The tagged PDF (PDF/UA-1) of `html`, as bytes; its size is remembered for `pdf_size`."""
    content = document(html, stylesheet=stylesheet, font=font).write_pdf()
    key = _size_key(html, stylesheet, font)
    local.set(key, len(content), SIZE_SECONDS)
    quietly("set", key, len(content), SIZE_SECONDS)
    return content


# -- sizes, for the links to a PDF ("（PDF、120KB）") -----------------------------------------------

SIZE_SECONDS = 7 * 24 * 60 * 60


@lru_cache(maxsize=8)
def _stylesheet_digest(stylesheet, font):
    css = render_to_string(stylesheet, {"font_path": font.as_uri(), "font_family": FONT_FAMILY})
    return hashlib.sha256(css.encode()).hexdigest()


def _size_key(html, stylesheet, font):
    """A key for the very PDF `write_pdf` makes of this HTML: the HTML, the stylesheet's text, the font and
    the PDF options. Another document, or the same after a change of data or stylesheet, has another key."""
    made_of = "\0".join([html, stylesheet, _stylesheet_digest(stylesheet, font), str(font), repr(TAGGED)])
    return f"portal:pdf-size:{hashlib.sha256(made_of.encode()).hexdigest()}"


def pdf_size(html, *, stylesheet, font=FONT):
    """The size in bytes of the PDF `write_pdf` makes of `html`, for the link that offers it.

    Remembered (in the cache, by content) whenever that PDF is made, by a download or an earlier call; only
    a document never made before is made here, once. A page that links a PDF thus pays for rendering its
    HTML (milliseconds), not for a PDF, on each view, and the size is the real one, never an estimate."""
    key = _size_key(html, stylesheet, font)
    size = quietly("get", key, default=None)
    if size is None:
        size = local.get(key)  # the shared cache may not answer; a size never goes stale (keyed by content)
    return size if size is not None else len(write_pdf(html, stylesheet=stylesheet, font=font))
