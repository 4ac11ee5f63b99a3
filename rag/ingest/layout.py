"""From a reader's blocks to a report's parts: header fields, body, dropped chrome.

Every format goes through the same steps, so a scraped page, a PDF and a
Word file of one report come out alike:

1. page chrome (controls, breadcrumbs, footers) is dropped wherever it is;
2. the *head* is the run of blocks before the first body-like one; in it the
   dateline, ``来源：``, ``作者：``, speaker and occasion lines are fields, and
   the title is the last short line before the first of them (or the first
   short line when there is none); the rest of the head is dropped;
3. the *tail* starts at an end-of-article line (相关报道：, 相关链接>>…) in the
   last third of the document; it and trailing lines that are neither
   sentences nor headings are dropped;
4. in the body, a short line without sentence punctuation (or a format's own
   heading) is a section heading; every other block is a paragraph.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import chrome
from ..text.spans import matchable
from .base import Block, Extracted, Field

_HEAD_MAX = 30
_HEADING_MAX = 30
_NUMBERED_MAX = 50  # 二、关于《…规划纲要（草案）》的说明
_TAIL_SHARE = 0.66
_META = ("date", "source", "author", "speaker", "occasion")


@dataclass(frozen=True)
class Laid:
    """The parts of a report, each block's offsets still into ``Extracted.text``."""

    fields: tuple[Field, ...]
    body: tuple[Block, ...]  # kind is "heading" or "paragraph"
    dropped: tuple[str, ...]


def _head_end(lines: list[str], blocks: list[Block]) -> int:
    for i, line in enumerate(lines[:_HEAD_MAX]):
        k = chrome.kind(line)
        if k in ("body", "numbered") or (blocks[i].kind == "heading" and i > 0 and k == "short") \
                or blocks[i].kind == "caption":  # a photo's caption is body, whatever date it gives
            return i
    return min(len(lines), _HEAD_MAX) if len(lines) > _HEAD_MAX else len(lines)


def _field_from(line_kind: str, line: str, block: Block) -> list[Field]:
    """The fields a header line holds, located in the text."""
    values = {
        "date": [("date", chrome.date_value(line))],
        "occasion": [("delivered", chrome.date_value(line)), ("occasion", line)],
        "source": [("source", chrome.source_value(line))],
        "author": [("author", chrome.author_value(line))],
        "speaker": [("author", chrome.author_value(line)), ("speaker", line)],
    }[line_kind]
    if line_kind == "date" and chrome.source_value(line):
        values.append(("source", chrome.source_value(line)))
    out = []
    for name, value in values:
        if value:
            m = chrome.DATE_RE.search(line) if name in ("date", "delivered") else None
            a, b = m.span() if m else (line.find(value), line.find(value) + len(value))
            out.append(Field(name, value, *(block.start + a, block.start + b) if a >= 0 else (-1, -1)))
    return out


def _head(lines, blocks, end, has_title: set[str]) -> tuple[list[Field], list[int], list[int]]:
    """Fields of the head, the indexes it keeps as body, the indexes it drops."""
    fields, kinds = [], [chrome.kind(line) for line in lines[:end]]
    meta = [i for i, k in enumerate(kinds) if k in _META]
    for i in meta:
        fields += _field_from(kinds[i], lines[i], blocks[i])
        if kinds[i] == "source" and not chrome.source_value(lines[i]) and i + 1 < end and kinds[i + 1] == "short":
            fields.append(Field("source", lines[i + 1], blocks[i + 1].start, blocks[i + 1].end))
            kinds[i + 1] = "source"
    short = [i for i, k in enumerate(kinds) if k == "short"]
    if has_title:  # the format named it; a line repeating it is not a section
        short = [i for i in short if lines[i] not in has_title]
        return fields, short, [i for i in range(end) if i not in short and kinds[i] not in _META]
    before = [i for i in short if not meta or i < meta[0]]
    title = before[-1] if before else (short[0] if short else None)
    if title is not None:
        fields.append(Field("title", lines[title], blocks[title].start, blocks[title].end))
    # A short line after the last header line opens the body (a first section
    # heading), unless it carries on an occasion line cut in two.
    body = [i for i in short if meta and i > meta[-1] and kinds[i - 1] != "occasion" and i != title]
    return fields, body, [i for i in range(end) if i != title and i not in body and kinds[i] not in _META]


def _tail_start(lines: list[str], text_len: int, blocks: list[Block], first: int) -> int:
    """Index of the first tail block: an end-of-article line late in the text, then trailing chrome."""
    end = len(lines)
    for i in range(first, len(lines)):
        if chrome.kind(lines[i]) == "end" and blocks[i].start >= _TAIL_SHARE * text_len:
            end = i
            break
    while end > first and chrome.kind(lines[end - 1]) in ("short", "end", "chrome", "date", "source") \
            and blocks[end - 1].kind != "heading" and not _heading_like(lines[end - 1]):
        end -= 1
    return end


def _heading_like(line: str) -> bool:
    """A short line without sentence punctuation that does not lead into what follows."""
    if chrome.has_sentence_end(line) or line.endswith((",", "，", ":", "：", "、")):
        return False
    k = chrome.kind(line)
    return (k == "short" and len(line) <= _HEADING_MAX) or (k == "numbered" and len(line) <= _NUMBERED_MAX)


def lay_out(ex: Extracted) -> Laid:
    """Split an extracted file into header fields, body blocks and dropped lines.

    >>> text = "打印\\n标题\\n来源：某报\\n第一段。\\n小节\\n第二段。\\n相关报道："
    >>> spans, at = [], 0
    >>> for line in text.split("\\n"):
    ...     spans.append(Block("paragraph", at, at + len(line))); at += len(line) + 1
    >>> laid = lay_out(Extracted(text, tuple(spans), (), "file"))
    >>> [(f.name, f.value) for f in laid.fields]
    [('source', '某报'), ('title', '标题')]
    >>> [(b.kind, text[b.start:b.end]) for b in laid.body]
    [('paragraph', '第一段。'), ('heading', '小节'), ('paragraph', '第二段。')]
    >>> laid.dropped
    ('打印', '相关报道：')
    """
    blocks = [b for b in ex.blocks if b.end > b.start]
    lines = [ex.text[b.start:b.end] for b in blocks]
    dropped = [line for line in lines if chrome.kind(line) == "chrome"]
    keep = [i for i, line in enumerate(lines) if chrome.kind(line) != "chrome"]
    blocks, lines = [blocks[i] for i in keep], [lines[i] for i in keep]
    has_title = {f.value for f in ex.fields if f.name == "title" and f.value}
    head = _head_end(lines, blocks)
    fields, kept, gone = _head(lines, blocks, head, has_title)  # gone: head lines that are not fields
    tail = _tail_start(lines, len(ex.text), blocks, head)
    body = [Block(_body_kind(blocks[i], lines[i]), blocks[i].start, blocks[i].end, blocks[i].page, blocks[i].level)
            for i in kept + list(range(head, tail))]
    while body and body[-1].kind == "heading":  # a heading nothing follows: a signature, a footer
        tail -= 1
        body.pop()
    fields += _editor(lines, blocks, tail)
    return Laid(tuple(ex.fields) + tuple(fields), tuple(body),
                tuple(ex.dropped) + tuple(dropped + [lines[i] for i in gone] + lines[tail:]))


def _editor(lines: list[str], blocks: list[Block], tail: int) -> list[Field]:
    """The responsible editor a page's footer names (责任编辑：李莎莎, or the name on the next line).

    >>> lines = ["正文。", "责任编辑：", "李莎莎", "扫一扫在手机打开当前页"]
    >>> blocks = [Block("paragraph", 0, 3), Block("paragraph", 4, 9), Block("paragraph", 10, 13), Block("paragraph", 14, 25)]
    >>> _editor(lines, blocks, 1)
    [Field(name='editor', value='李莎莎', start=10, end=13)]
    >>> [_editor([x], [Block("paragraph", 0, len(x))], 0)[0].value for x in ["【纠错】【責任編輯：王萌】", "（责编：杨虞波罗、初梓瑞）", "责任编辑：李莎莎 校对：王五"]]
    ['王萌', '杨虞波罗、初梓瑞', '李莎莎']
    >>> [_editor(["责任编辑：", x], [Block("paragraph", 0, 5), Block("paragraph", 6, 6 + len(x))], 0) for x in ("相关阅读", "四川日报", "审核")]
    [[], [], []]
    """
    for i in range(tail, len(lines)):
        m = chrome.EDITOR_RE.search(matchable(lines[i]))
        if not m:
            continue
        if m.group(1):
            return [Field("editor", lines[i][m.start(1):m.end(1)], blocks[i].start + m.start(1), blocks[i].start + m.end(1))]
        if i + 1 < len(lines) and _names_someone(lines[i + 1]):
            return [Field("editor", lines[i + 1], blocks[i + 1].start, blocks[i + 1].end)]
    return []


def _names_someone(line: str) -> bool:
    """A line that is only a name: two to four characters starting with a surname, or a name with ·."""
    from ..text.persons import SURNAMES

    return bool(chrome.NAME_LINE.fullmatch(line)) and ("·" in line or matchable(line)[0] in SURNAMES) \
        and chrome.kind(line) not in ("end", "chrome", "source")


def _body_kind(block: Block, line: str) -> str:
    if block.kind == "caption":  # a figure's caption is short, but no heading
        return "paragraph"
    return "heading" if block.kind == "heading" or _heading_like(line) else "paragraph"
