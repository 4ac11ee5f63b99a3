"""Turn a PDF's lines into blocks: the layout reasoning behind ``rag.ingest.pdf``.

A PDF has no paragraphs, only glyphs at positions, so everything here is
inferred from geometry.  Running headers, footers and page numbers are
recognised by repeating at the same place on most pages; two-column
pages are read column by column; lines join into a paragraph unless the
layout shows a break (a vertical gap, a first-line indent, a line that
stops short although the next word would have fitted, a change of font);
a paragraph continues over a page or column break when the page ends
mid-sentence.  Headings are blocks set larger, bolder or in another font
than the body, or a short line standing alone without punctuation.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from .base import Block

_SENT_END = "。！？!?；;…"
_CLOSERS = "”’」』）)】》\"'"
_OPENERS = "“‘（《「『〈【(["
_NO_LINE_START = "，。、；：？！”’）》」』〉】…%,.;:?!)]"
_BULLETS = "•●○■□◆◇▪▫‣⁃"
_LIST_MARKER = re.compile(rf"\s*([{_BULLETS}·\-*]|\(?\d{{1,2}}[.)）]|[(（]([一二三四五六七八九十]+|\d{{1,2}})[)）])\s*")
_LATIN_END = ".,;:!?)]\"'%’”"
_NO_HEADING_END = ("，", ",", "：", ":", "、")
_PAGE_NUMBER = re.compile(r"第#[页頁]([,，/]?共#[页頁])?|共#[页頁][,，/]?第#[页頁]|[-—–]#[-—–]|#(/#)?|(page|p\.?)#((of|/)#)?|[ivxlc]+", re.I)
_SOFT_HYPHEN = "\u00ad"
GAP_SPACE = "\u2009"  # stands for a space PDFium inferred from a gap between glyphs
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}]){GAP_SPACE}+(?=[{_CJK}])")
_LARGE = 1.12  # a heading's font is at least this much larger than the body's
_GAP = 0.25  # extra space between lines, in font sizes, that ends a paragraph (6pt at 11pt: 0.55)


@dataclass
class Line:
    """Glyphs on one baseline of one page, left to right, with the style most of them share."""

    page: int
    y: float
    chars: list[str] = field(default_factory=list)
    lefts: list[float] = field(default_factory=list)
    rights: list[float] = field(default_factory=list)
    styles: list[tuple[float, str, bool]] = field(default_factory=list)
    col: str = "single"

    def add(self, char: str, left: float, right: float, style: tuple[float, str, bool]) -> None:
        self.chars.append(char)
        self.lefts.append(left)
        self.rights.append(right)
        self.styles.append(style)

    def continued_by(self, left: float, y: float, size: float) -> bool:
        """Does a glyph at ``left`` on baseline ``y`` carry on this line?

        It must start near where the line ends (a wider gap is a column or
        table gutter) on the same baseline, or slightly off it when smaller
        (a superscript or subscript).
        """
        host, drift = self.styles[0][0], abs(y - self.y)
        if not -size < left - self.rights[-1] < 2.5 * max(size, host):
            return False
        return drift <= 0.3 * size or (size < 0.9 * host and drift < 0.6 * host)

    def strip(self) -> Line:
        """Drop space glyphs at both ends: Word indents first lines with U+3000 glyphs."""
        while self.chars and self.chars[-1].isspace():
            del self.chars[-1], self.lefts[-1], self.rights[-1], self.styles[-1]
        while self.chars and self.chars[0].isspace():
            del self.chars[0], self.lefts[0], self.rights[0], self.styles[0]
        return self

    @property
    def x0(self) -> float:
        return self.lefts[0]

    @property
    def x1(self) -> float:
        return max(self.rights)

    @cached_property
    def text(self) -> str:
        """The glyphs as text; a space PDFium inferred from a gap (``GAP_SPACE``) is kept between Latin only."""
        text = _CJK_GAP.sub("", "".join(self.chars))
        return re.sub(r"\s+", " ", text).strip()

    @cached_property
    def style(self) -> tuple[float, str, bool]:
        """Size, font and boldness of most CJK glyphs (of all glyphs when there is no CJK).

        Chinese documents often set digits and Latin in another font, so
        a line's font is judged by its Chinese characters.
        """
        cjk = [s for ch, s in zip(self.chars, self.styles) if _wide(ch)]
        return Counter(cjk or [s for ch, s in zip(self.chars, self.styles) if not ch.isspace()]).most_common(1)[0][0]

    @property
    def size(self) -> float:
        return self.style[0]

    def first_word_width(self) -> float:
        """Width the previous line would have needed to take this line's first unit.

        A unit is one CJK character or one Latin word, with the opening
        punctuation before it and the closing punctuation after it: a
        typesetter may not leave those at a line's end or start (禁则).
        """
        i, n = 0, len(self.chars)
        while i < n - 1 and self.chars[i] in _OPENERS:
            i += 1
        if _wide(self.chars[i]):
            i += 1
        while i < n and not self.chars[i].isspace() and not _wide(self.chars[i]):
            i += 1
        while i < n and self.chars[i] in _NO_LINE_START:
            i += 1
        return self.rights[i - 1] - self.x0


@dataclass
class _Para:
    """Consecutive lines forming one block; its text is read once the lines are complete."""

    lines: list[Line]
    kind: str = "paragraph"

    @cached_property
    def text(self) -> str:
        out = ""
        for line in self.lines:
            out = _join(out, line.text)
        return out.replace(_SOFT_HYPHEN, "")


@dataclass
class _Style:
    """What body text looks like in this document, measured from its lines."""

    size: float
    font: str
    bold: bool
    pitch: float
    right: dict[str, float]
    left: dict[str, float]
    indents: bool = False


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _join(before: str, after: str) -> str:
    """Join two lines of one paragraph: a space only between two Latin words.

    >>> _join("中文断", "行"), _join("增长到626", "61亿元"), _join("“十四五”", "2025年")
    ('中文断行', '增长到62661亿元', '“十四五”2025年')
    >>> _join("civil", "servants"), _join("Windows.", "The"), _join("manip\u00ad", "ulation")
    ('civil servants', 'Windows. The', 'manipulation')
    """
    if before.endswith(_SOFT_HYPHEN):  # a hyphen PDFium knows to be a line-end word break
        return before[:-1] + after
    if not before or not after:
        return before + after
    a, b = before[-1], after[0]
    word = before.rstrip(_LATIN_END)[-1:] or a  # the letter before closing punctuation decides
    latin = not _wide(word) and (a.isalnum() or a in _LATIN_END) and not _wide(b) and (b.isalnum() or b in "(\"'‘“")
    return before + " " + after if latin and not (a.isdigit() and b.isdigit()) else before + after


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS)[-1:] in _SENT_END


def _chrome_key(line: Line) -> str:
    """Text with numbers masked, so "- 3 -" on page 3 matches "- 4 -" on page 4."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))


def _drop_chrome(pages: list[list[Line]]) -> tuple[list[list[Line]], list[str]]:
    """Remove running headers, footers and page numbers; name what was removed.

    A candidate is one of the three outermost lines of a page.  It is
    chrome when the same masked text stands at the same height on at least
    two pages and 40% of them (odd/even headers alternate), or when it
    looks like a page number and is the outermost line of its page.
    """
    edge = [(line, i) for lines in pages for i, line in enumerate(lines) if i < 3 or i >= len(lines) - 3]
    seen = Counter((_chrome_key(line), round(line.y / 3)) for line, _ in edge)
    near = Counter()
    for (key, y), n in seen.items():
        for dy in (-1, 0, 1):
            near[(key, y + dy)] += n
    need = max(2, 0.4 * len(pages))
    chrome, names = set(), {}
    for lines in pages:
        for i, line in enumerate(lines):
            key = _chrome_key(line)
            outer = i == 0 or i == len(lines) - 1
            repeated = (i < 3 or i >= len(lines) - 3) and near[(key, round(line.y / 3))] >= need
            if repeated or (outer and _PAGE_NUMBER.fullmatch(key)):
                chrome.add(id(line))
                names.setdefault(key, _chrome_name(line, key, top=i < len(lines) / 2))
    kept = [[line for line in lines if id(line) not in chrome] for lines in pages]
    return kept, list(dict.fromkeys(names.values()))


def _chrome_name(line: Line, key: str, top: bool) -> str:
    if _PAGE_NUMBER.fullmatch(key):
        return "页码"
    return f"页眉：{line.text}" if top else f"页脚：{line.text}"


def _gutter(lines: list[Line], trial: float | None = None) -> float | None:
    """The x of a gutter between two columns: crossed by at most 10% of lines, with lines on both sides.

    Searched in the middle of the text's width, or only ``trial`` (another
    page's gutter, for pages too short to show their own).
    """
    if not lines or (trial is None and len(lines) < 8):
        return None
    lo, hi = min(line.x0 for line in lines), max(line.x1 for line in lines)
    spans = [(line.x0, line.x1) for line in lines]
    tries = [trial] if trial else range(int(lo + 0.3 * (hi - lo)), int(lo + 0.7 * (hi - lo)), 2)
    crossing, gutter = min(((sum(a < g < b for a, b in spans), g) for g in tries), default=(len(lines), 0))
    left = sum(b <= gutter for _, b in spans)
    return gutter if crossing <= 0.1 * len(lines) and left and len(lines) - left - crossing else None


def _reading_order(pages: list[list[Line]]) -> list[Line]:
    """Top to bottom; on two-column pages, each band's left column before its right one.

    Lines crossing the gutter (titles, full-width figures) separate bands
    that are read in turn.
    """
    gutters = [_gutter(lines) for lines in pages]
    usual = Counter(g for g in gutters if g).most_common(1)
    ordered = []
    for lines, gutter in zip(pages, gutters):
        gutter = gutter or (_gutter(lines, usual[0][0]) if usual else None)
        band = []
        for line in lines + [None]:
            if line is None or gutter is None or line.x0 < gutter < line.x1:
                band.sort(key=lambda item: item.x0 >= gutter)  # stable: top to bottom within a column
                ordered += band + ([line] if line else [])
                band = []
            else:
                line.col = "right" if line.x0 >= gutter else "left"
                band.append(line)
    return ordered


def _measure(lines: list[Line], widths: list[float]) -> _Style:
    """Body style: the commonest line style by characters, its line pitch and column edges.

    A column's right edge is where most of its lines end; with too few
    lines to tell (a one-page note), margins are assumed symmetric.
    """
    weights = Counter()
    for line in lines:
        weights[line.style] += len(line.text)
    size, font, bold = weights.most_common(1)[0][0]
    body = [line for line in lines if line.style == (size, font, bold)]
    steps = Counter(round(a.y - b.y, 1) for a, b in zip(body, body[1:]) if a.page == b.page and 0 < a.y - b.y < 3 * size)
    pitch = steps.most_common(1)[0][0] if steps else 1.2 * size
    right, left = {}, {}
    for col in {line.col for line in body}:
        ends = sorted(line.x1 for line in body if line.col == col)
        starts = sorted(line.x0 for line in body if line.col == col)
        right[col], left[col] = ends[int(0.9 * (len(ends) - 1))], starts[int(0.1 * (len(starts) - 1))]
        if len(ends) < 8 and col == "single":
            right[col] = max(right[col], widths[body[0].page - 1] - starts[0])
    return _Style(size, font, bold, pitch, right, left)


def _uses_indents(lines: list[Line], style: _Style) -> bool:
    """Does this document start paragraphs with a first-line indent?

    Counted on full lines set in from the column edge and followed by a
    line at the edge: a centred short line is not an indent.
    """
    count = 0
    for a, b in zip(lines, lines[1:]):
        edge, right = style.left.get(a.col, a.x0), style.right.get(a.col, a.x1)
        if a.page == b.page and a.style == b.style and a.x0 > edge + 0.8 * a.size and a.x1 >= right - a.size:
            count += b.x0 <= edge + 0.3 * b.size
    return count >= 2


def _pitch(style: _Style, size: float) -> float:
    return style.pitch * size / style.size


def _stops_short(line: Line, following: Line, style: _Style) -> bool:
    """Did ``line`` end early, though the next line's first word would have fit after it?"""
    return style.right.get(line.col, line.x1) - line.x1 > following.first_word_width() + 0.5 * line.size


def _hanging(prev: Line, cur: Line) -> bool:
    """Does ``cur`` line up with the text after ``prev``'s list marker (a hanging indent)?"""
    marker = _LIST_MARKER.match("".join(prev.chars))
    if not marker or marker.end() >= len(prev.chars):
        return False
    return abs(prev.lefts[marker.end()] - cur.x0) < 0.4 * cur.size


def _breaks(prev: Line, cur: Line, style: _Style) -> bool:
    """Does ``cur`` start a new block after ``prev``, just below it in the same column?"""
    if prev.style != cur.style or prev.y - cur.y > _pitch(style, cur.size) + _GAP * cur.size:
        return True
    if cur.size >= _LARGE * style.size:  # titles and headings are often centred: only gaps split them
        return False
    if cur.chars[0] in _BULLETS:
        return True
    indented = cur.x0 > prev.x0 + 0.8 * cur.size and not _hanging(prev, cur)
    return indented or _stops_short(prev, cur, style) or _heading_after(prev, cur, style)


def _heading_after(prev: Line, cur: Line, style: _Style) -> bool:
    """A sentence ended and ``cur`` is short and bare: a heading, not a paragraph's last line."""
    return _ends_sentence(prev.text) and _bare(cur, cur.text, style)


def _continues(last: Line, cur: Line, style: _Style) -> bool:
    """Does ``cur``, at the top of a new page or column, continue the paragraph ending in ``last``?

    Yes when the style matches, ``last`` ran to the margin, ``cur`` is
    not indented, and either ``last`` stops mid-sentence or the document
    marks paragraphs by indents (so an unindented line cannot start one,
    unless it is a heading).
    """
    if last.style != cur.style or cur.size >= _LARGE * style.size or _stops_short(last, cur, style):
        return False
    if cur.x0 > style.left.get(cur.col, cur.x0) + 0.8 * cur.size:
        return False
    return not _ends_sentence(last.text) or (style.indents and not _heading_after(last, cur, style))


def _paragraphs(lines: list[Line], style: _Style) -> list[_Para]:
    """Group lines in reading order into blocks, across page and column breaks too."""
    paras: list[_Para] = []
    prev: Line | None = None
    for line in lines:
        if prev is None:
            joined = False
        elif prev.page != line.page or line.y > prev.y + 1:
            joined = _continues(prev, line, style)
        else:
            joined = not _breaks(prev, line, style)
        if joined:
            paras[-1].lines.append(line)
        else:
            paras.append(_Para([line]))
        prev = line
    for para in paras:
        para.kind = "heading" if _is_heading(para, style) else "paragraph"
    return paras


def _is_heading(para: _Para, style: _Style) -> bool:
    """Set larger or in another font than the body, or a short line alone without punctuation."""
    text, line = para.text, para.lines[0]
    if len(text) > 60 or len(para.lines) > 3 or re.fullmatch(r"[\d\W_]+", text):
        return False
    if line.size >= _LARGE * style.size:
        return True
    if line.style[1:] != (style.font, style.bold):  # bold, or a Chinese heading face (黑体 among 仿宋)
        return line.style[2] > style.bold or any(_wide(ch) for ch in text)
    return len(para.lines) <= 2 and _bare(para.lines[-1], text, style)


def _bare(line: Line, text: str, style: _Style) -> bool:
    """A short line (ending a short ``text``) without sentence punctuation: a heading's shape.

    Up to two lines, for a heading wrapped in a narrow column; a comma
    anywhere makes it a sentence.
    """
    short = style.right.get(line.col, line.x1) - line.x1 > 2 * line.size
    return (short and len(text) <= 40 and not text.endswith((".", *_NO_HEADING_END))
            and not any(ch in _SENT_END or ch in "，," for ch in text))


def _assemble(paras: list[_Para], style: _Style) -> tuple[str, tuple[Block, ...]]:
    """The extracted text (one block a line) and blocks indexing it; heading levels by size."""
    sizes = sorted({p.lines[0].size for p in paras if p.kind == "heading" and p.lines[0].size > style.size}, reverse=True)
    parts, blocks, pos = [], [], 0
    for para in paras:
        text = para.text
        if not text:
            continue
        size = para.lines[0].size
        level = (sizes.index(size) + 1 if size in sizes else len(sizes) + 1) if para.kind == "heading" else 0
        blocks.append(Block(para.kind, pos, pos + len(text), para.lines[0].page, level))
        parts.append(text)
        pos += len(text) + 1
    return "\n".join(parts), tuple(blocks)


def layout(pages: list[list[Line]], widths: list[float]) -> tuple[str, tuple[Block, ...], list[str]]:
    """The body text (one block a line), its blocks, and what was dropped as page chrome.

    ``pages`` holds each page's lines top to bottom; ``widths`` the page
    widths.  The text is empty when every line was chrome.
    """
    pages, chrome = _drop_chrome(pages)
    lines = _reading_order(pages)
    if not lines:
        return "", (), chrome
    style = _measure(lines, widths)
    style.indents = _uses_indents(lines, style)
    text, blocks = _assemble(_paragraphs(lines, style), style)
    return text, blocks, chrome
