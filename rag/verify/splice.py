"""Verbatim pieces that the source holds apart: an unmarked omission or a splice.

A quote that leaves a clause out without marking it (no ``……``), or that
joins two places of a report, reads as verbatim pieces with source text
between them.  ``tile`` covers the quote's content with the longest
verbatim pieces it can find, in one document::

    source  全市275所学校配备科学副校长，科学教师队伍壮大至2800多人，青少年科学教育基础不断夯实。
    quote   全市275所学校配备科学副校长，青少年科学教育基础不断夯实。
    pieces  全市275所学校配备科学副校长 | 青少年科学教育基础不断夯实
    gap     科学教师队伍壮大至2800多人

A join skips text only where the cut is clean: the quote has a clause mark
there (，；。：！？), or the skipped source text is whole clauses.  A word
left out inside a clause (``脱贫攻坚等`` for ``脱贫攻坚、文明创建等``) is
not a tiling: the differ reports it as a change of wording.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..text.normalize import Normalized
from .locate import occurrence, segments
from .views import BREAKS, DocView, sub

MIN_PIECE = 4    # content characters: shorter runs occur anywhere by chance
MAX_PIECES = 6   # more pieces than this is a rewrite, not a cut
ANCHORS = 8      # places of the first piece tried


@dataclass(frozen=True)
class Tiling:
    """Pieces of the quote (content, mapped to the quote) and the body span of each."""

    view: DocView
    segs: tuple[Normalized, ...]
    spans: tuple[tuple[int, int], ...]
    gaps: tuple[tuple[int, int], ...]  # body spans skipped without a mark, in source order

    @property
    def in_order(self) -> bool:
        return all(a[1] <= b[0] for a, b in zip(self.spans, self.spans[1:]))


@lru_cache(maxsize=4096)  # each anchor of ``tile`` asks again from the same place of the quote
def _longest(text: str, seg: str, i: int) -> int:
    """Length of the longest prefix of ``seg[i:]`` that ``text`` holds (0 below MIN_PIECE).

    A prefix may not end inside a number (``全市2`` of ``全市275所``), so
    grow over the raw text first, then step back to a whole number.

    >>> _longest("全市275所学校", "全市275所学生", 0), _longest("全市275所学校", "全市27万", 0)
    (7, 0)
    """
    n = 0
    while i + n < len(seg) and seg[i:i + n + 1] in text:
        n += 1
    while n >= MIN_PIECE and occurrence(text, seg[i:i + n], 0, len(text)) is None:
        n -= 1
    return n if n >= MIN_PIECE else 0


def _starts(text: str, needle: str) -> list[int]:
    """Every place of ``needle`` in ``text`` that does not cut a number."""
    out, i = [], occurrence(text, needle, 0, len(text))
    while i is not None:
        out.append(i)
        i = occurrence(text, needle, i + 1, len(text))
    return out


def _place(text: str, needle: str, after: int) -> int:
    """The occurrence nearest after ``after``, else the last one before it."""
    i = occurrence(text, needle, after, len(text))
    return _starts(text, needle)[-1] if i is None else i


def _marked(seg: Normalized, quote: str, k: int) -> bool:
    """Does the quote have a clause mark between content characters ``k - 1`` and ``k``?"""
    return any(ch in BREAKS for ch in quote[seg.origin[k - 1] + 1:seg.origin[k]])


def _clean(v: DocView, seg: Normalized, quote: str, k: int, end: int, start: int) -> bool:
    """A join the quote may make: contiguous in the source, or a clean cut."""
    return end == start or _marked(seg, quote, k) or (end in v.breaks and start in v.breaks)


def _settle(v: DocView, seg: Normalized, quote: str, prev: list, piece: list) -> None:
    """Move the join left to a clean cut when the next piece reads on backwards.

    The longest first piece may swallow the first characters of the next
    one (``副校长科学`` | ``教育…``); the cut the quote marks is the true one.
    """
    for e in range(0, prev[2] - prev[1] - MIN_PIECE + 1):
        k, end, start = prev[2] - e, prev[4] - e, piece[3] - e
        if e and (start < 0 or v.body.text[start] != seg.text[k]):
            return
        if _clean(v, seg, quote, k, end, start):
            prev[2], prev[4], piece[1], piece[3] = k, end, k, start
            return


def _greedy(v: DocView, segs: list[Normalized], quote: str, first: tuple[int, int]):
    """Pieces ``[segment, qa, qb, a, b]`` from the first piece's place, or None."""
    text, pieces = v.body.text, [[0, 0, first[1] - first[0], *first]]
    for s, seg in enumerate(segs):
        i = pieces[-1][2] if pieces[-1][0] == s else 0
        while i < len(seg.text):
            n = _longest(text, seg.text, i)
            if not n or len(pieces) == MAX_PIECES:
                return None
            a = _place(text, seg.text[i:i + n], pieces[-1][4])
            piece = [s, i, i + n, a, a + n]
            if i:  # a join inside the segment, not at an elision
                _settle(v, seg, quote, pieces[-1], piece)
                if not _clean(v, seg, quote, piece[1], pieces[-1][4], piece[3]):
                    return None
            pieces.append(piece)
            i = piece[2]
    return pieces


def _prose(v: DocView, a: int, b: int) -> bool:
    """Does body ``[a, b)`` hold paragraph text?  A heading between paragraphs is not prose."""
    return any(lo < b and a < hi for lo, hi in v.para_ranges)


def _gaps(v: DocView, pieces: list) -> tuple[tuple[int, int], ...]:
    """Source prose between the pieces that no elision mark accounts for."""
    if all(p[4] <= q[3] for p, q in zip(pieces, pieces[1:])):
        joins = [(p[4], q[3]) for p, q in zip(pieces, pieces[1:]) if q[1]]
    else:
        spans = sorted((p[3], p[4]) for p in pieces)
        joins = [(a[1], b[0]) for a, b in zip(spans, spans[1:])]
    return tuple((a, b) for a, b in joins if a < b and _prose(v, a, b))


def _skips(pieces: list) -> bool:
    """In order, with something (a heading) between two pieces the quote joins."""
    return all(p[4] <= q[3] for p, q in zip(pieces, pieces[1:])) and any(
        p[4] < q[3] for p, q in zip(pieces, pieces[1:]) if q[1])


def tile(views: list[DocView], quote: str) -> Tiling | None:
    """The fewest verbatim pieces that cover the quote with text skipped unmarked, or None.

    None when the quote is one verbatim run, or its pieces sit side by side
    (another order of true clauses), or any piece or cut is not clean.  A
    tiling without ``gaps`` skips only a heading between two paragraphs.
    """
    segs = segments(quote)
    found = None
    for v in views if segs else []:
        text, head = v.body.text, segs[0].text
        n = _longest(text, head, 0)
        for a in _starts(text, head[:n])[:ANCHORS] if n else []:
            pieces = _greedy(v, segs, quote, (a, a + n))
            gaps = _gaps(v, pieces) if pieces else ()
            if (gaps or (pieces and _skips(pieces))) and (
                    found is None or (len(pieces), sum(b - a for a, b in gaps)) < found[0]):
                found = ((len(pieces), sum(b - a for a, b in gaps)), v, pieces, gaps)
    if found is None:
        return None
    _, v, pieces, gaps = found
    return Tiling(v, tuple(sub(segs[s], qa, qb) for s, qa, qb, _, _ in pieces),
                  tuple((a, b) for *_, a, b in pieces), gaps)
