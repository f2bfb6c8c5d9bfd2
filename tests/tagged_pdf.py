"""Read a tagged PDF back with pikepdf as a screen reader would: the catalog's /Lang, /ViewerPreferences and
/MarkInfo, the title in the document information and the XMP metadata, and the structure tree with the text
of each element (the marked content of the page streams, decoded through the font's ToUnicode map)."""

import io
import re
from collections import Counter
from dataclasses import dataclass, field

import pikepdf

from tests.helpers import squash

BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
BFRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


@dataclass
class Element:
    tag: str  # "H1", "Table", "TH" … without the slash
    attributes: dict  # /A, e.g. {"/O": "/Table", "/Headers": […]}
    id: str | None = None
    alt: str | None = None  # a Figure's alternative text
    children: list = field(default_factory=list)  # Elements and marked-content texts (str), in order

    @property
    def text(self):
        return "".join(child if isinstance(child, str) else child.text for child in self.children)

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    def find_all(self, *tags):
        return [element for element in self.walk() if element.tag in tags]


@dataclass
class TaggedPdf:
    lang: str | None
    display_doc_title: bool
    marked: bool
    title: str | None  # the document information's /Title
    xmp_title: str | None
    pdfua_part: str | None
    tree: Element | None  # the /Document element, or None when the PDF is untagged
    artifacts: str = ""  # the text marked as artifacts (running footers), all pages
    unmarked: str = ""  # text neither tagged nor an artifact, all pages: PDF/UA-1 allows none
    unreached: list = field(default_factory=list)  # marked text whose MCID the tree never reaches
    syntax_problems: list = field(default_factory=list)  # what QPDF finds wrong in the file itself

    @property
    def headings(self):
        return [(e.tag, e.text) for e in self.tree.find_all("H1", "H2", "H3", "H4", "H5", "H6")]

    def tables(self):
        """Each table as rows of (tag, text) cells."""
        return [
            [[(cell.tag, cell.text) for cell in row.find_all("TH", "TD")] for row in table.find_all("TR")]
            for table in self.tree.find_all("Table")
        ]

    def cell_headers(self):
        """Each data cell's text with the texts of the header cells its /Headers name, table by table."""
        tables = []
        for table in self.tree.find_all("Table"):
            headers = {cell.id: cell.text for cell in table.find_all("TH")}
            tables.append(
                [
                    (cell.text, [headers[str(key)] for key in cell.attributes.get("/Headers", [])])
                    for cell in table.find_all("TD")
                ]
            )
        return tables


def _unicode_map(font):
    """The font's ToUnicode CMap as {code: text}, for the 2-byte codes of an Identity-H font."""
    cmap = font.ToUnicode.read_bytes()
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in BFCHAR.findall(block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, text in BFRANGE.findall(block):
            start = int.from_bytes(bytes.fromhex(text.decode()), "big")
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def _decode(data, mapping):
    data = bytes(data)
    return "".join(mapping.get(int.from_bytes(data[i : i + 2], "big"), "\ufffd") for i in range(0, len(data), 2))


@dataclass
class PageText:
    by_mcid: dict  # {MCID: text} shown inside each marked-content sequence with an MCID
    artifacts: str  # shown inside /Artifact sequences (page furniture a reader skips)
    unmarked: str  # shown outside any marked content: neither tagged nor an artifact


def _marked_texts(page):
    maps = {name: _unicode_map(font) for name, font in page.Resources.Font.items()}
    text, stack, mapping = PageText({}, "", ""), [], {}
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BDC":
            properties = operands[1]
            has_mcid = isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties
            stack.append(int(properties.MCID) if has_mcid else str(operands[0]))
        elif op == "BMC":
            stack.append(str(operands[0]))
        elif op == "EMC":
            stack.pop()
        elif op == "Tf":
            mapping = maps[str(operands[0])]
        elif op in ("Tj", "TJ"):
            parts = operands[0] if op == "TJ" else [operands[0]]
            shown = "".join(_decode(part, mapping) for part in parts if isinstance(part, pikepdf.String))
            mcids = [entry for entry in stack if isinstance(entry, int)]
            if "/Artifact" in stack:
                text.artifacts += shown
            elif mcids:
                text.by_mcid[mcids[-1]] = text.by_mcid.get(mcids[-1], "") + shown
            else:
                text.unmarked += shown
    return text


def _element(node, pages, texts, reached):
    attributes = node.get("/A")
    element = Element(
        str(node.S)[1:],
        dict(attributes.items()) if isinstance(attributes, pikepdf.Dictionary) else {},
        str(node.ID) if "/ID" in node else None,
        str(node.Alt) if "/Alt" in node else None,
    )
    kids = node.get("/K")
    if kids is None:
        return element
    page = node.get("/Pg")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            reached.add((pages[page.objgen], kid))
            element.children.append(texts[pages[page.objgen]].by_mcid.get(kid, ""))
        elif kid.get("/Type") == "/StructElem" or "/S" in kid:
            element.children.append(_element(kid, pages, texts, reached))
        elif kid.get("/Type") == "/MCR":
            reached.add((pages[kid.Pg.objgen], int(kid.MCID)))
            element.children.append(texts[pages[kid.Pg.objgen]].by_mcid.get(int(kid.MCID), ""))
    return element


def read_tagged(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        preferences = root.get("/ViewerPreferences", {})
        mark_info = root.get("/MarkInfo", {})
        info_title = document.docinfo.get("/Title")
        with document.open_metadata() as xmp:
            xmp_title = xmp.get("dc:title")
            pdfua_part = xmp.get("pdfuaid:part")
        tree, texts, reached = None, [], set()
        if "/StructTreeRoot" in root:
            pages = {page.obj.objgen: i for i, page in enumerate(document.pages)}
            texts = [_marked_texts(page) for page in document.pages]
            (top,) = root.StructTreeRoot.K
            tree = _element(top, pages, texts, reached)
        return TaggedPdf(
            lang=str(root.Lang) if "/Lang" in root else None,
            display_doc_title=bool(preferences.get("/DisplayDocTitle", False)),
            marked=bool(mark_info.get("/Marked", False)),
            title=str(info_title) if info_title is not None else None,
            xmp_title=xmp_title,
            pdfua_part=pdfua_part,
            tree=tree,
            artifacts="".join(text.artifacts for text in texts),
            unmarked="".join(text.unmarked for text in texts),
            syntax_problems=[str(problem) for problem in document.check_pdf_syntax()],
            unreached=[
                text.by_mcid[mcid]
                for page, text in enumerate(texts)
                for mcid in sorted(text.by_mcid)
                if (page, mcid) not in reached
            ],
        )


def text_outside_the_tree(pdf, tagged, shown):
    """What pdftotext reads (`shown`) that the structure tree does not hold, and the reverse, as sorted
    characters: the tree must hold every word on the page except the running footer (page margin boxes)."""
    on_page, in_tree = Counter(squash(shown)), Counter(squash(tagged.tree.text))
    return "".join(sorted((on_page - in_tree).elements())), "".join(sorted((in_tree - on_page).elements()))


def assert_in_order(text, phrases):
    """Each phrase appears in `text` (white space ignored) after the previous one."""
    text, position = squash(text), 0
    for phrase in phrases:
        found = text.find(squash(phrase), position)
        assert found >= 0, f"{phrase!r} is missing or out of order in {text!r}"
        position = found + len(squash(phrase))
