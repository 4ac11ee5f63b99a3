"""A PDF page's lines: glyphs grouped on baselines, page chrome, reading order.

``rag.ingest.pdf`` fills ``Line`` objects from PDFium's glyphs;
``drop_chrome`` removes running headers, footers and page numbers, which
repeat at the same place on most pages; ``reading_order`` reads two-column
pages column by column.  ``rag.ingest.pdf_blocks`` then builds blocks.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

_OPENERS = "“‘（《「『〈【(["
_NO_LINE_START = "，。、；：？！”’）》」』〉】…%,.;:?!)]"
# A page number once spaces are removed and digits masked as "#": 第#页, 第#页共#页, -#-, #/#, #, Page#, iv
_PAGE_NUMBER = re.compile(r"第#[页頁]([,，/]?共#[页頁])?|共#[页頁][,，/]?第#[页頁]|[-—–]#[-—–]|#(/#)?"
                          r"|(page|p\.?)#((of|/)#)?|[ivxlc]+", re.I)
GAP_SPACE = "\u2009"  # stands for a space PDFium inferred from a gap between glyphs


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
        """Drop space glyphs at both ends (Word indents first lines with U+3000 glyphs); settle gap spaces.

        PDFium infers a space (``GAP_SPACE``) from a wide gap between glyphs.
        Between Latin it is a word space; between two CJK characters only
        when the gap is wider than the line's usual spacing by a fifth of
        the font size: justified Chinese lines are spread evenly.
        """
        while self.chars and self.chars[-1].isspace():
            self._drop(-1)
        while self.chars and self.chars[0].isspace():
            self._drop(0)
        gaps = sorted(b - a for a, b in zip(self.rights, self.lefts[1:]))
        usual = gaps[len(gaps) // 2] if gaps else 0.0
        for i in range(len(self.chars) - 2, 0, -1):
            if self.chars[i] == GAP_SPACE and wide(self.chars[i - 1]) and wide(self.chars[i + 1]):
                if self.lefts[i + 1] - self.rights[i - 1] - usual < 0.2 * self.styles[i][0]:
                    self._drop(i)
        return self

    def _drop(self, i: int) -> None:
        del self.chars[i], self.lefts[i], self.rights[i], self.styles[i]

    @property
    def x0(self) -> float:
        return self.lefts[0]

    @property
    def x1(self) -> float:
        return max(self.rights)

    @cached_property
    def text(self) -> str:
        """The glyphs as text, each run of spaces one space."""
        return re.sub(r"\s+", " ", "".join(self.chars)).strip()

    @cached_property
    def style(self) -> tuple[float, str, bool]:
        """Size, font and boldness of most CJK glyphs (of all glyphs when there is no CJK).

        Chinese documents often set digits and Latin in another font, so
        a line's font is judged by its Chinese characters.
        """
        cjk = [s for ch, s in zip(self.chars, self.styles) if wide(ch)]
        return Counter(cjk or [s for ch, s in zip(self.chars, self.styles) if not ch.isspace()]).most_common(1)[0][0]

    @property
    def size(self) -> float:
        return self.style[0]

    def looks_like(self, other: Line) -> bool:
        """Set alike: the same size, font and weight.

        A line of only digits or Latin (a URL, an English title) next to a
        Chinese one is compared by size alone: Chinese documents set Latin
        in a font of its own.
        """
        if abs(self.size - other.size) > 0.05 * self.size:
            return False
        mixed = any(map(wide, self.chars)) != any(map(wide, other.chars))
        return mixed or self.style[1:] == other.style[1:]

    def first_word_width(self) -> float:
        """Width the previous line would have needed to take this line's first unit.

        A unit is one CJK character or one Latin word, with the opening
        punctuation before it and the closing punctuation after it: a
        typesetter may not leave those at a line's end or start (禁则).
        """
        i, n = 0, len(self.chars)
        while i < n - 1 and self.chars[i] in _OPENERS:
            i += 1
        if wide(self.chars[i]):
            i += 1
        while i < n and not self.chars[i].isspace() and not wide(self.chars[i]):
            i += 1
        while i < n and self.chars[i] in _NO_LINE_START:
            i += 1
        return self.rights[i - 1] - self.x0


def wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _chrome_key(line: Line) -> str:
    """Text with numbers masked, so "- 3 -" on page 3 matches "- 4 -" on page 4."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))


def drop_chrome(pages: list[list[Line]]) -> tuple[list[list[Line]], list[str]]:
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


def reading_order(pages: list[list[Line]]) -> list[Line]:
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
