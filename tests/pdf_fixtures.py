"""Build PDF forms of reports in tests, so no binary fixture is committed.

``make_pdf`` typesets a title, headings and paragraphs the way Chinese
reports are printed: a larger title, larger section headings, body text
wrapped by width with a two-character first-line indent (or a blank gap
between paragraphs), a running header and a page number on every page.
Lines are broken by this module, not by ReportLab's Paragraph, so the tests
know exactly where breaks fall: never inside a Latin word or number, never
before closing punctuation (禁则).  A space at a break is dropped, as
typesetters do, where a reader can tell it was there: between two Latin
words, or between Chinese and Latin in a text that always spaces them
(2019 年); never between two Chinese characters.

The font is ReportLab's built-in CID font STSong-Light (Adobe-GB1, no font
file needed), which covers Simplified and Traditional characters and whose
text PDFium extracts back exactly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
# "subheading" is a heading set in the body font and size, alone on its line.
SIZES = {"title": 20, "heading": 14, "subheading": 11, "paragraph": 11, "header": 9}
LEADING = 1.6  # line pitch as a multiple of the font size
MARGIN = 72
GUTTER = 24  # between columns
# A Latin word or number stays on one line; every other character is a token.
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.%\-/:'][A-Za-z0-9]+)*%?|\s|.")
_NO_LINE_START = set("，。、；：？！”’）》」』〉】…%,.;:?!)")
_NO_LINE_END = set("“‘（《「『〈【(")

pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _is_latin(token: str) -> bool:
    return token[:1].isascii() and token[:1].isalnum()


def _break_ok(tokens: list[str], i: int) -> bool:
    """May a line end before ``tokens[i]``?"""
    before, after = tokens[i - 1], tokens[i]
    if after in _NO_LINE_START or before in _NO_LINE_END:
        return False
    if before.isspace():
        return False
    if after.isspace():  # dropped at the break: not between two Chinese characters
        return 0 < i < len(tokens) - 1 and (_is_latin(before) or _is_latin(tokens[i + 1]))
    return True


def wrap(text: str, width: float, size: float, indent: float = 0.0) -> list[str]:
    """Greedy line breaking by glyph width, respecting the rules above."""
    tokens = _TOKEN.findall(text)
    lines: list[str] = []
    start, room = 0, width - indent
    while start < len(tokens):
        end, used = start, 0.0
        while end < len(tokens) and used + pdfmetrics.stringWidth(tokens[end], FONT, size) <= room:
            used += pdfmetrics.stringWidth(tokens[end], FONT, size)
            end += 1
        if end < len(tokens):
            cut = end
            while cut > start + 1 and not _break_ok(tokens, cut):
                cut -= 1
            end = cut if cut > start + 1 else max(end, start + 1)
        lines.append("".join(tokens[start:end]).rstrip())
        start = end + 1 if end < len(tokens) and tokens[end].isspace() else end
        room = width
    return lines


class _Pages:
    """A canvas that knows where the next line goes and moves on to the next column or page."""

    def __init__(self, path: Path, header: str | None, page_numbers: bool, number_format: str, columns: int,
                 watermark: str = ""):
        self.c = canvas.Canvas(str(path), pagesize=A4)
        self.watermark = watermark
        self.width, self.height = A4
        self.header, self.page_numbers, self.number_format = header, page_numbers, number_format
        self.columns, self.column = columns, 0
        self.column_width = (self.width - 2 * MARGIN - GUTTER * (columns - 1)) / columns
        self.page = 0
        self._new_page()

    def _new_page(self) -> None:
        if self.page:
            self.c.showPage()
        self.page += 1
        self.y = self.top = self.height - MARGIN
        self.column = 0
        size = SIZES["header"]
        if self.header:
            self.c.setFont(FONT, size)
            self.c.drawCentredString(self.width / 2, self.height - 45, self.header)
            self.c.line(MARGIN, self.height - 50, self.width - MARGIN, self.height - 50)
        if self.page_numbers:
            self.c.setFont(FONT, size)
            self.c.drawCentredString(self.width / 2, 40, self.number_format.format(n=self.page))
        if self.watermark:
            self.c.saveState()
            self.c.setFillGray(0.85)
            self.c.setFont(FONT, 48)
            self.c.translate(self.width / 2, self.height / 2)
            self.c.rotate(45)
            self.c.drawCentredString(0, 0, self.watermark)
            self.c.restoreState()

    def start_columns(self) -> None:
        """Columns begin here (below a full-width title)."""
        self.top = self.y

    def _advance(self, pitch: float) -> None:
        if self.y - pitch >= MARGIN:
            return
        if self.column + 1 < self.columns:
            self.column += 1
            self.y = self.top
        else:
            self._new_page()

    def line(self, text: str, size: float, indent: float = 0.0, centred: bool = False, justify: bool = False) -> None:
        """Draw one line below the previous one, in the next column or page when this one is full.

        ``justify`` spreads the characters to reach the column's right edge,
        as Chinese books and reports are set.
        """
        pitch = size * LEADING
        self._advance(pitch)
        self.y -= pitch
        self.c.setFont(FONT, size)
        if centred:
            self.c.drawCentredString(self.width / 2, self.y, text)
            return
        left = MARGIN + self.column * (self.column_width + GUTTER)
        obj = self.c.beginText(left + indent, self.y)
        obj.setFont(FONT, size)
        if justify and len(text) > 1:
            room = self.column_width - indent - pdfmetrics.stringWidth(text, FONT, size)
            obj.setCharSpace(room / (len(text) - 1))
        obj.textOut(text)
        self.c.drawText(obj)

    def skip(self, points: float) -> None:
        self.y -= points

    def block(self, text: str, size: float, indent: bool, indent_with: str, justify: bool) -> int:
        """Set one heading or paragraph; return the page it starts on."""
        first = 2 * size if indent else 0.0
        lines = wrap(text, self.column_width, size, first)
        if first and indent_with:
            lines[0], first = indent_with * 2 + lines[0], 0.0
        self.line(lines[0], size, first, justify=justify and len(lines) > 1)
        start = self.page
        for i, line in enumerate(lines[1:], 2):
            self.line(line, size, justify=justify and i < len(lines))
        return start


@dataclass
class Layout:
    """Where make_pdf put things: the page count and, per block, its first and last page."""

    pages: int
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def crossing(self) -> list[int]:
        """Indices of the blocks that run over a page break."""
        return [i for i, (a, b) in enumerate(zip(self.starts, self.ends)) if a != b]


def make_pdf(path: Path, title: str, blocks: list[tuple[str, str]], header: str | None = None,
             page_numbers: bool = True, *, indent: bool = True, paragraph_gap: float = 0.0,
             info_title: str | None = None, author: str | None = None,
             number_format: str = "- {n} -", justify: bool = True, columns: int = 1,
             indent_with: str = "", watermark: str = "") -> Layout:
    """Write ``blocks`` (``("heading"|"subheading"|"paragraph", text)``) under ``title``.

    ``indent`` gives paragraphs a two-character first-line indent;
    ``paragraph_gap`` adds that many points between blocks (use it with
    ``indent=False`` for block-style layouts).  ``justify`` sets every
    line of a paragraph but its last flush with the right margin; without
    it lines end ragged, a character short where 禁则 moved one on.
    ``indent_with="\u3000"`` indents by typing two ideographic spaces, as
    Word users do, instead of moving the line.
    ``columns`` sets the body in that many columns under a full-width
    title.  ``watermark`` is drawn diagonally across every page, as on
    "内部资料" copies.  ``info_title``/``author`` go into the PDF info dictionary
    (ReportLab writes "untitled" and "anonymous" otherwise).
    """
    pages = _Pages(path, header, page_numbers, number_format, columns, watermark)
    body = pages.width - 2 * MARGIN
    if info_title is not None:
        pages.c.setTitle(info_title)
    if author is not None:
        pages.c.setAuthor(author)
    if title:
        for text in wrap(title, body, SIZES["title"]):
            pages.line(text, SIZES["title"], centred=True)
        pages.skip(SIZES["title"])
    pages.start_columns()
    layout = Layout(0)
    for kind, text in blocks:
        if kind == "heading":
            pages.skip(SIZES[kind] * 0.5)
        indented = indent and kind == "paragraph"
        layout.starts.append(pages.block(text, SIZES[kind], indented, indent_with, justify))
        layout.ends.append(pages.page)
        pages.skip(paragraph_gap)
    pages.c.save()
    layout.pages = pages.page
    return layout
