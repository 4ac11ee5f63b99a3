"""Turn a PDF's lines into blocks: paragraphs and headings rebuilt from layout.

A PDF has no paragraphs, only lines of glyphs at positions, so they are
inferred from geometry measured on the document itself (body font, line
pitch, column edges).  Lines join into a paragraph unless the layout
shows a break: a vertical gap, a first-line indent, a line that stops
short although the next word would have fitted, a change of font.  A
paragraph continues over a page or column break when the page ends
mid-sentence, or ends full in a document that marks paragraphs by
indents.  Headings are blocks set larger, bolder or in another font than
the body, or a short line standing alone without punctuation.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from .base import Block
from .pdf_lines import Line, drop_chrome, reading_order, wide

_SENT_END = "。！？!?；;…"
_CLOSERS = "”’」』）)】》\"'"
_BULLETS = "•●○■□◆◇▪▫‣⁃"
_LIST_MARKER = re.compile(rf"\s*([{_BULLETS}·\-*]|\(?\d{{1,2}}[.)）]|[(（]([一二三四五六七八九十]+|\d{{1,2}})[)）])\s*")
_LATIN_END = ".,;:!?)]\"'%’”"
_NO_HEADING_END = ("，", ",", "：", ":", "、")
_SOFT_HYPHEN = "\u00ad"
_LARGE = 1.12  # a heading's font is at least this much larger than the body's
_GAP = 0.25  # extra space between lines, in font sizes, that ends a paragraph (6pt at 11pt: 0.55)


@dataclass
class _Para:
    """Consecutive lines forming one block; its text is read once the lines are complete."""

    lines: list[Line]
    pangu: bool = False
    kind: str = "paragraph"

    @cached_property
    def text(self) -> str:
        out = ""
        for line in self.lines:
            out = _join(out, line.text, self.pangu)
        return out.replace(_SOFT_HYPHEN, "-")


@dataclass
class _Style:
    """What body text looks like in this document, measured from its lines."""

    size: float
    font: str
    bold: bool
    pitch: float
    right: dict[str, float]
    left: dict[str, float]
    indent: float | None = None
    pangu: bool = False


def _join(before: str, after: str, pangu: bool = False) -> str:
    r"""Join two lines of one paragraph: a space only between two Latin words.

    >>> _join("中文断", "行"), _join("增长到626", "61亿元"), _join("“十四五”", "2025年")
    ('中文断行', '增长到62661亿元', '“十四五”2025年')

    A hyphen PDFium marks as a line-end word break goes only between Latin
    letters: in 中国-北欧 it is a dash.

    >>> _join("civil", "servants"), _join("Windows.", "The"), _join("manip\u00ad", "ulation")
    ('civil servants', 'Windows. The', 'manipulation')
    >>> _join("中国\u00ad", "北欧")
    '中国-北欧'

    In a document that spaces Chinese from Latin and digits (``pangu``),
    such a space at a line break was lost to the break and comes back.

    >>> _join("会议在", "2019 年召开", pangu=True), _join("会议在", "2019 年召开")
    ('会议在 2019 年召开', '会议在2019 年召开')
    """
    if before.endswith(_SOFT_HYPHEN):
        word = before[-2:-1].isascii() and before[-2:-1].isalpha() and after[:1].islower()
        return before[:-1] + ("" if word else "-") + after
    if not before or not after:
        return before + after
    a, b = before[-1], after[0]
    if pangu and {_kind(a), _kind(b)} == {"han", "latin"}:
        return before + " " + after
    word = before.rstrip(_LATIN_END)[-1:] or a  # the letter before closing punctuation decides
    latin = not wide(word) and (a.isalnum() or a in _LATIN_END) and not wide(b) and (b.isalnum() or b in "(\"'‘“")
    return before + " " + after if latin and not (a.isdigit() and b.isdigit()) else before + after


def _kind(ch: str) -> str:
    return "han" if "\u3400" <= ch <= "\u9fff" else "latin" if ch.isascii() and ch.isalnum() else ""


def _pangu(lines: list[Line]) -> bool:
    """Does the text put a space between Chinese and Latin or digits (2019 年), nearly always?"""
    text = "\n".join(line.text for line in lines)
    spaced = len(re.findall(r"[\u3400-\u9fff] [A-Za-z0-9]|[A-Za-z0-9] [\u3400-\u9fff]", text))
    tight = len(re.findall(r"[\u3400-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u3400-\u9fff]", text))
    return spaced >= 3 and spaced > 4 * tight


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS)[-1:] in _SENT_END


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


def _indent(lines: list[Line], style: _Style) -> float | None:
    """The first-line indent this document starts paragraphs with, if it uses one.

    Measured on full lines set in from the column edge and followed by a
    line at the edge (a centred short line is not an indent).
    """
    found = Counter()
    for a, b in zip(lines, lines[1:]):
        edge, right = style.left.get(a.col, a.x0), style.right.get(a.col, a.x1)
        if a.page == b.page and a.looks_like(b) and a.x0 > edge + 0.8 * a.size and a.x1 >= right - a.size:
            found[round(a.x0 - edge)] += b.x0 <= edge + 0.3 * b.size
    indent, count = found.most_common(1)[0] if found else (0, 0)
    return indent if count >= 2 else None


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
    if not prev.looks_like(cur) or prev.y - cur.y > _pitch(style, cur.size) + _GAP * cur.size:
        return True
    if cur.size >= _LARGE * style.size:  # titles and headings are often centred: only gaps split them
        return False
    if cur.chars[0] in _BULLETS or _opens(prev, cur, style):
        return True
    indented = cur.x0 > prev.x0 + 0.8 * cur.size and not _hanging(prev, cur)
    return indented or _stops_short(prev, cur, style) or _heading_after(prev, cur, style)


def _opens(prev: Line, cur: Line, style: _Style) -> bool:
    """Are ``prev`` and ``cur`` both set in by the document's paragraph indent (one-line paragraphs)?"""
    if style.indent is None:
        return False
    at = style.left.get(cur.col, cur.x0) + style.indent
    return abs(cur.x0 - at) < 0.3 * cur.size and abs(prev.x0 - at) < 0.3 * cur.size


def _heading_after(prev: Line, cur: Line, style: _Style) -> bool:
    """A sentence ended and ``cur`` is short and bare: a heading, not a paragraph's last line."""
    return _ends_sentence(prev.text) and _bare(cur, cur.text, style)


def _continues(last: Line, cur: Line, style: _Style) -> bool:
    """Does ``cur``, at the top of a new page or column, continue the paragraph ending in ``last``?

    Yes when the style matches (a heading may wrap over a column break
    too), ``last`` ran to the margin, ``cur`` is
    not indented, and either ``last`` stops mid-sentence or the document
    marks paragraphs by indents (so an unindented line cannot start one,
    unless it is a heading).
    """
    if not last.looks_like(cur) or _stops_short(last, cur, style):
        return False
    if cur.x0 > style.left.get(cur.col, cur.x0) + 0.8 * cur.size:
        return False
    indents = style.indent is not None
    return not _ends_sentence(last.text) or (indents and not _heading_after(last, cur, style))


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
            paras.append(_Para([line], style.pangu))
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
        return line.style[2] > style.bold or any(wide(ch) for ch in text)
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
    pages, chrome = drop_chrome(pages)
    lines = reading_order(pages)
    if not lines:
        return "", (), chrome
    style = _measure(lines, widths)
    style.indent, style.pangu = _indent(lines, style), _pangu(lines)
    text, blocks = _assemble(_paragraphs(lines, style), style)
    return text, blocks, chrome
