"""Normalised views of the corpus that quotes are matched against.

Each document gives a body view (its paragraphs and the headings between
them) and, when ingestion found header fields in the text, a header view
(the title line, the dateline, the ``来源：`` line).  A view keeps the
document normalised with punctuation (``full``) and without it (``body``,
a decimal point between digits kept); every character still maps to its
original offset, so any span found is cited in the file's own characters.

>>> n = content(normalize("达１５.3%，完成"))
>>> n.text, n.origin
('达15.3%完成', (0, 1, 2, 3, 4, 5, 7, 8))
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..index import Index
from ..text.normalize import Normalized, is_punct, normalize
from ..reader.meta import header_line

DIGITS = "0123456789"
CLAUSE_MARKS = ",;.:!?"  # after normalisation: ，、,；;。.：:！？ (a decimal point excluded)
BREAKS = "，,；;。.：:！？!?"  # clause ends a quote may not skip unmarked (、 only separates list items)


def _decimal(t: str, i: int) -> bool:
    return t[i] == "." and 0 < i < len(t) - 1 and t[i - 1] in DIGITS and t[i + 1] in DIGITS


def numeric(t: str, i: int) -> bool:
    """``t[i]`` is a digit or a decimal point (False off either end)."""
    return 0 <= i < len(t) and (t[i] in DIGITS or _decimal(t, i))


def cuts_number(t: str, a: int, b: int, origin: tuple[int, ...] = ()) -> bool:
    """Does ``t[a:b]`` start or end in the middle of a number?

    With ``origin``, digits that whitespace kept apart in the original
    (``2025-12-17 09:24``) are two numbers, not one.

    >>> cuts_number("达15.3%,完成", 2, 9), cuts_number("达15.3%,完成", 1, 9), cuts_number("达15.3%", 0, 2)
    (True, False, True)
    >>> cuts_number("12-1709:24", 0, 5), cuts_number("12-1709:24", 0, 5, (0, 1, 2, 3, 4, 6, 7, 8, 9, 10))
    (True, False)
    """
    def joined(i: int) -> bool:  # t[i - 1] and t[i] are digits of one number
        return numeric(t, i) and numeric(t, i - 1) and (not origin or origin[i] - origin[i - 1] <= 1)
    return a < b and (joined(a) or joined(b))


def content(n: Normalized) -> Normalized:
    """Drop punctuation but keep a decimal point between digits."""
    keep = [i for i, ch in enumerate(n.text) if _decimal(n.text, i) or not is_punct(ch)]
    return Normalized("".join(n.text[i] for i in keep), tuple(n.origin[i] for i in keep), n.source_len)


def sub(n: Normalized, a: int, b: int) -> Normalized:
    """Normalised characters ``[a, b)`` of ``n``, still mapped to the original."""
    return Normalized(n.text[a:b], n.origin[a:b], n.source_len)


def _slice(n: Normalized, lo: int, hi: int) -> Normalized:
    """Characters of ``n`` whose original offset lies in ``[lo, hi)``."""
    return sub(n, bisect.bisect_left(n.origin, lo), bisect.bisect_left(n.origin, hi))


def _join(parts: list[Normalized]) -> Normalized:
    """Concatenate views of one text (their origins already index it)."""
    return Normalized("".join(p.text for p in parts), tuple(o for p in parts for o in p.origin),
                      parts[0].source_len if parts else 0)


@dataclass(frozen=True)
class DocView:
    """One document's body (or header lines), normalised with and without punctuation."""

    doc_id: str
    full: Normalized
    body: Normalized
    para_ranges: tuple[tuple[int, int], ...]  # paragraph (or header line) -> range in ``body``
    para_grams: tuple[frozenset, ...]
    stops: tuple[int, ...]  # ``body`` offsets where a clause starts, 0 and len(body) included
    breaks: frozenset = frozenset()  # the stops a quote may not skip unmarked (not at 、)

    def clause(self, a: int, b: int) -> tuple[int, int]:
        """The clause bounds around body span ``[a, b)``."""
        return self.stops[bisect.bisect_right(self.stops, a) - 1], self.stops[bisect.bisect_left(self.stops, b)]


def bigrams(text: str) -> frozenset:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def _view(doc_id: str, text: str, full: Normalized, ranges: list[tuple[int, int]]) -> DocView:
    """A view of ``full``, whose blocks (paragraphs, header lines) span ``ranges`` of the original."""
    body = content(full)
    paras = tuple((bisect.bisect_left(body.origin, a), bisect.bisect_left(body.origin, b)) for a, b in ranges)
    marks = [(bisect.bisect_left(body.origin, full.origin[i]), text[full.origin[i]])
             for i, ch in enumerate(full.text) if ch in CLAUSE_MARKS and not _decimal(full.text, i)]
    edges = {a for a, _ in paras} | {0, len(body.text)}
    stops = tuple(sorted({m for m, _ in marks} | edges))
    breaks = frozenset({m for m, ch in marks if ch in BREAKS} | edges)
    grams = tuple(bigrams(body.text[a:b]) for a, b in paras)
    return DocView(doc_id, full, body, paras, grams, stops, breaks)


_VIEWS: dict[int, tuple[Index, list[DocView], list[DocView]]] = {}


def _build(index: Index) -> tuple[list[DocView], list[DocView]]:
    bodies, headers = [], []
    for doc in index.docs.values():
        if not doc.paragraphs:
            continue
        whole = normalize(doc.view)
        spans = [(p.start, p.end) for p in doc.paragraphs]
        bodies.append(_view(doc.id, doc.text, _slice(whole, spans[0][0], spans[-1][1]), spans))
        lines = sorted({header_line(doc.text, a, b) for _, value, a, b in doc.fields
                        if value and 0 <= a < b <= spans[0][0]})
        if lines:
            headers.append(_view(doc.id, doc.text, _join([_slice(whole, a, b) for a, b in lines]), lines))
    return bodies, headers


def views(index: Index, header: bool = False) -> list[DocView]:
    """Body views (or, with ``header``, header views), made once per loaded index (cached by identity)."""
    cached = _VIEWS.get(id(index))
    if not (cached and cached[0] is index):
        _VIEWS.clear()  # one index at a time: a rebuilt index must not keep the old one alive
        cached = _VIEWS[id(index)] = (index, *_build(index))
    return cached[2] if header else cached[1]
