"""Join the pieces a reader pulled out of a file into offset-indexed text.

Word and HTML readers produce their text rather than index the file, so both
need the same step: lay the pieces out one per line and remember where each
one stands.  Keeping it in one place keeps the offsets rule identical for the
two formats: ``text[block.start:block.end]`` is the piece with surrounding
whitespace (ideographic and no-break spaces, zero-width marks) removed.

>>> text, blocks = join_pieces([("heading", 1, "\\u3000一、总体要求 "), ("paragraph", 0, ""), ("paragraph", 0, "正文。\\n第二行。")])
>>> [(b.kind, text[b.start:b.end]) for b in blocks]
[('heading', '一、总体要求'), ('paragraph', '正文。'), ('paragraph', '第二行。')]
>>> field_at(text, "title", "总体要求")
Field(name='title', value='总体要求', start=2, end=6)
"""
from __future__ import annotations

import re

from .base import Block, Field

_EDGE_SPACE = re.compile(r"^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$")


def clean(text: str) -> str:
    """``text`` without surrounding whitespace, including U+3000 and zero-width marks."""
    return _EDGE_SPACE.sub("", text)


def join_pieces(pieces: list[tuple[str, int, str]]) -> tuple[str, tuple[Block, ...]]:
    """Text and blocks from ``(kind, level, text)`` pieces in reading order.

    A piece with line breaks (``<br>``, a Word soft return) becomes one block
    per line, because a block must not span a newline of the joined text;
    empty lines are skipped.
    """
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for kind, level, raw in pieces:
        for line in raw.splitlines():
            line = clean(line)
            if not line:
                continue
            if parts:
                parts.append("\n")
                pos += 1
            blocks.append(Block(kind, pos, pos + len(line), 0, level))
            parts.append(line)
            pos += len(line)
    return "".join(parts), tuple(blocks)


def field_at(text: str, name: str, value: str) -> Field:
    """A Field located at the first literal occurrence of ``value``, else at -1."""
    start = text.find(value) if value else -1
    return Field(name, value, start, start + len(value) if start >= 0 else -1)
