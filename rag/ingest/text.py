"""Plain text and scraped pages (``.txt``): one block per non-empty line.

Offsets index the decoded file; which lines are chrome, header or body is
the layout step's business (``rag.ingest.layout``), the same for every format.

>>> ex = read(None, "标题\\r\\n\\r\\n\\u3000\\u3000第一段。\\n".encode())
>>> [ex.text[b.start:b.end] for b in ex.blocks], ex.origin
(['标题', '第一段。'], 'file')
"""
from __future__ import annotations

import re
from pathlib import Path

from .base import Block, Extracted
from .decode import decode

SUFFIXES = (".txt", ".text")
SPACE = " \t\u00a0\u3000\ufeff\u200b\u200c\u200d\u2060"


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past leading/trailing whitespace (NBSP, U+3000, BOM, zero-width too)."""
    while start < end and (text[start].isspace() or text[start] in SPACE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in SPACE):
        end -= 1
    return start, end


def line_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line, without its line break (``\\r\\n``, ``\\n``, ``\\r``...)."""
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


_FRAGMENT_MAX = 12
_CUT_MIN = 20
_ENDS = "。！？!?；;：:…”’」』)）"
_GOES_ON = "，。：；、）”,:;)"


def _is_fragment(text: str, prev: tuple[int, int], cur: tuple[int, int], nxt: tuple[int, int] | None) -> bool:
    """A tiny line between the halves of a sentence a page capture cut apart.

    Scraped pages break lines at inline markup: ``PM`` / ``2.5`` / ``年平均浓度``,
    ``“双向`` / ``揭榜`` / ``挂帅”``, ``…发展的`` / ``主要目标`` / ``是：…``.  The
    line before such a fragment stops mid-sentence and is long, or the line
    after it goes on with punctuation.
    """
    from .chrome import has_sentence_end, kind

    line, before = text[cur[0]:cur[1]], text[prev[0]:prev[1]]
    if cur[1] - cur[0] > _FRAGMENT_MAX or before[-1] in _ENDS or has_sentence_end(line[1:]):
        return False
    if kind(line) not in ("short", "body") or kind(before) not in ("body", "numbered", "short"):
        return False
    goes_on = nxt is not None and any(ch in _GOES_ON for ch in text[nxt[0]:nxt[0] + 2])
    return len(before) > _CUT_MIN or goes_on


def _join_fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    r"""Merge each fragment with the line before it and the line after it.

    >>> t = "累计完成林分优化提升，全省空气质量优良，细颗粒物PM\n2.5\n年平均浓度保持在20微克。\n下一段。"
    >>> [t[a:b] for a, b in _join_fragments(t, line_spans(t))]
    ['累计完成林分优化提升，全省空气质量优良，细颗粒物PM\n2.5\n年平均浓度保持在20微克。', '下一段。']
    """
    out, i = [], 0
    while i < len(spans):
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        if out and _is_fragment(text, out[-1], spans[i], nxt):
            out[-1] = (out[-1][0], (nxt or spans[i])[1])
            i += 2
            continue
        out.append(spans[i])
        i += 1
    return out


# Only a closed block whose opening tag starts a line: a report may mention <script> in its text.
_CODE_RE = re.compile(r"^[ \t]*<(script|style)\b[^>\n]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL | re.MULTILINE)
_TAGS_ONLY_RE = re.compile(r"^(?:\s*<[/!]?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\u4e00-\u9fff]*)?/?>)+\s*$")


def _markup(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    r"""Drop lines inside ``<script>``/``<style>`` and lines of bare tags: a page saved as text.

    Their ``;`` and ``{}`` would otherwise end sentences and their words reach the index.
    A line with body text around an inline script is kept whole: nothing of the report is lost.

    >>> t = "正文。\n<script>\nvar a = 1; go();\n</script>\n<div class=\"x\">\n结尾。"
    >>> [t[a:b] for a, b in _markup(t, line_spans(t))]
    ['正文。', '结尾。']
    >>> u = "通报\n攻击者注入<script>标签实施攻击。\n<AI发展报告>\n第二段。"
    >>> [u[a:b] for a, b in _markup(u, line_spans(u))]
    ['通报', '攻击者注入<script>标签实施攻击。', '<AI发展报告>', '第二段。']
    """
    code = [m.span() for m in _CODE_RE.finditer(text)]
    return [(a, b) for a, b in spans
            if not _TAGS_ONLY_RE.match(text[a:b]) and not any(s <= a and b <= e for s, e in code)]


def read(path: Path | None, raw: bytes) -> Extracted:
    text, encoding = decode(raw)
    spans = [strip_span(text, a, b) for a, b in line_spans(text)]
    spans = _join_fragments(text, _markup(text, [(a, b) for a, b in spans if b > a]))
    return Extracted(text, tuple(Block("paragraph", a, b) for a, b in spans), (), "file", encoding=encoding)
