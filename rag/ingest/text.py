"""Plain text and scraped pages (``.txt``): one block per non-empty line.

Offsets index the decoded file; which lines are chrome, header or body is
the layout step's business (``rag.ingest.layout``), the same for every format.

>>> ex = read(None, "标题\\r\\n\\r\\n\\u3000\\u3000第一段。\\n".encode())
>>> [ex.text[b.start:b.end] for b in ex.blocks], ex.origin
(['标题', '第一段。'], 'file')
"""
from __future__ import annotations

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


def _is_fragment(text: str, spans, i: int) -> bool:
    """A tiny line between the halves of a sentence a page capture cut apart.

    Scraped pages break lines at inline markup: ``PM`` / ``2.5`` / ``年平均浓度``,
    ``“双向`` / ``揭榜`` / ``挂帅”``.  The line before such a fragment is long
    and stops mid-sentence.
    """
    from .chrome import has_sentence_end, kind

    a, b = spans[i]
    pa, pb = spans[i - 1]
    line = text[a:b]
    return (b - a <= _FRAGMENT_MAX and pb - pa > _CUT_MIN and text[pb - 1] not in _ENDS
            and not has_sentence_end(line[1:]) and kind(line) in ("short", "body") and kind(text[pa:pb]) in ("body", "numbered", "short"))


def _join_fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    r"""Merge each fragment with the line before it and the line after it.

    >>> t = "累计完成林分优化提升，全省空气质量优良，细颗粒物PM\n2.5\n年平均浓度保持在20微克。\n下一段。"
    >>> [t[a:b] for a, b in _join_fragments(t, line_spans(t))]
    ['累计完成林分优化提升，全省空气质量优良，细颗粒物PM\n2.5\n年平均浓度保持在20微克。', '下一段。']
    """
    out, i = [], 0
    while i < len(spans):
        if out and i + 1 <= len(spans) and _is_fragment(text, [out[-1], spans[i]], 1):
            end = spans[i + 1][1] if i + 1 < len(spans) else spans[i][1]
            out[-1] = (out[-1][0], end)
            i += 2
            continue
        out.append(spans[i])
        i += 1
    return out


def read(path: Path | None, raw: bytes) -> Extracted:
    text, encoding = decode(raw)
    spans = [strip_span(text, a, b) for a, b in line_spans(text)]
    spans = _join_fragments(text, [(a, b) for a, b in spans if b > a])
    return Extracted(text, tuple(Block("paragraph", a, b) for a, b in spans), (), "file", encoding=encoding)
