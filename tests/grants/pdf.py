"""Read PDFs back with poppler (pdftotext, pdffonts, pdfinfo) and look inside the embedded fonts."""

import io
import re
import subprocess
import zlib

from fontTools.ttLib import TTFont


def pdf_text(pdf):
    """The text in reading order (tables row by row), every run of white space made one space."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return re.sub(r"\s+", " ", text)


def pdf_fonts(pdf):
    """pdffonts' table: [{"name", "type", "emb", "sub", "uni"}, …]."""
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    fonts = []
    for line in out.splitlines()[2:]:
        name, rest = line[:37].strip(), line[37:].split()
        # type may be two words ("CID TrueType"); the last five columns are fixed.
        emb, sub, uni = rest[-5:-2]
        fonts.append({"name": name, "type": " ".join(rest[:-6]), "emb": emb, "sub": sub, "uni": uni})
    return fonts


def pdf_info(pdf):
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return {
        key.strip(): value.strip() for key, value in (line.split(":", 1) for line in out.splitlines() if ":" in line)
    }


def embedded_font_programs(pdf):
    """Every TrueType font program embedded in the PDF, opened with fontTools."""
    fonts = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        raw = pdf[match.end() : pdf.find(b"endstream", match.end())]
        try:
            data = zlib.decompressobj().decompress(raw)
        except zlib.error:
            continue
        if data[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
            fonts.append(TTFont(io.BytesIO(data)))
    return fonts


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def pdf_words(pdf):
    """Every word with its box, from `pdftotext -bbox` (a word ends where the text has a visible gap):
    [{"text", "x0", "y0", "x1", "y1", "page"}, …] in reading order, pages numbered from 1."""
    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    words = []
    for page, html in enumerate(out.split("<page ")[1:], 1):
        for x0, y0, x1, y1, text in WORD.findall(html):
            text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
            words.append(
                {"text": text, "x0": float(x0), "y0": float(y0), "x1": float(x1), "y1": float(y1), "page": page}
            )
    return words
