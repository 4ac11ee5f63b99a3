"""Where a quote lies in the corpus: verbatim, reordered, or fuzzy placement.

``rag.verify.verdict`` asks this module three questions (``rag.verify.splice``
a fourth: verbatim pieces with text skipped between them):

* ``find_exact(views, quote)``: a verbatim occurrence (after normalisation)
  that neither starts nor ends inside a number;
* ``best(views, segs)``: the best fuzzy placement of the quote's segments;
* ``reordered(views, quote)``: a paragraph holding every clause of the quote
  verbatim and side by side, in another order.

Fuzzy spans are offsets into a document's ``body``: its characters without
punctuation (a decimal point between digits is kept), each mapped back to
the original file.  A span never stops inside a number.  In the body
``比例达15.3%位居`` the quote ``5.3%位居`` occurs at 4..10 but starts inside
15.3%, so ``snap`` widens it to 3..10 and the differ reports 5.3% → 15.3%.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from ..text.normalize import Normalized, is_punct, normalize
from ..text.spans import NUMBER_PATTERN
from .words import words
from .views import DocView, _decimal, bigrams, content, cuts_number, numeric, sub

CANDIDATES = 4          # paragraphs aligned in full, ranked by shared character bigrams
_NUMBER_RE = re.compile(NUMBER_PATTERN)


# --- the quote ----------------------------------------------------------------

def _pieces(quote: str, cut) -> list[Normalized]:
    """Content characters of the quote between the normalised positions where ``cut`` holds."""
    full = normalize(quote)
    cuts = [-1] + [i for i in range(len(full.text)) if cut(full, i)] + [len(full.text)]
    return [content(sub(full, a + 1, b)) for a, b in zip(cuts, cuts[1:])]


def segments(quote: str) -> list[Normalized]:
    """Content characters of the quote, split at each ``…`` elision mark.

    >>> [s.text for s in segments("深入实施“党建强会”行动……实现全覆盖")]
    ['深入实施党建强会行动', '实现全覆盖']
    """
    # a lone character next to an elision is part of it
    return [s for s in _pieces(quote, lambda f, i: f.text[i] == "…") if len(s.text) >= 2]


def clauses(quote: str) -> list[str]:
    """Content of each clause: split at ，,；;。 and elisions (not at 、 or a decimal point).

    >>> clauses("专家工作站77家,院士工作站4家。")
    ['专家工作站77家', '院士工作站4家']
    """
    def cut(f: Normalized, i: int) -> bool:
        return f.text[i] == "…" or (f.text[i] in ",;." and quote[f.origin[i]] != "、" and not _decimal(f.text, i))
    return [s.text for s in _pieces(quote, cut) if s.text]


def find_exact(views: list[DocView], quote: str):
    """``(view, normalised span, quote core range)`` of a verbatim occurrence.

    An occurrence that starts or ends inside a number is no occurrence:
    ``5.3%`` is not verbatim in ``15.3%``.
    """
    q = normalize(quote)
    keep = [i for i, ch in enumerate(q.text) if not is_punct(ch)]
    tries = [(0, len(q.text))] + ([(keep[0], keep[-1] + 1)] if keep else [])
    for qa, qb in tries:  # the quote as pasted, then without its outer quotation marks
        for v in views:
            i = occurrence(v.full.text, q.text[qa:qb], 0, len(v.full.text), v.full.origin)
            if i is not None:
                return v, (i, i + qb - qa), q.to_original(qa, qb)
    return None


def occurrence(text: str, needle: str, lo: int, hi: int, origin: tuple[int, ...] = ()) -> int | None:
    """First start of ``needle`` in ``text[lo:hi]`` that does not cut a number."""
    i = text.find(needle, lo, hi)
    while i >= 0 and cuts_number(text, i, i + len(needle), origin):
        i = text.find(needle, i + 1, hi)
    return i if i >= 0 and needle else None


def reordered(views: list[DocView], quote: str):
    """``(view, body span)`` of a paragraph that holds every clause verbatim, side by side.

    A quote whose clauses are all true, just in another order
    (``专家工作站77家,院士工作站4家`` for ``院士工作站4家,专家工作站77家``),
    states no false fact.  The clauses must tile the span: a clause of the
    source left out between them is an omission, not another order.
    """
    parts = clauses(quote)
    if len(parts) < 2:
        return None
    for v in views:
        for lo, hi in v.para_ranges:
            found = [occurrence(v.body.text, p, lo, hi) for p in parts]
            if None in found:
                continue
            spans = sorted((i, i + len(p)) for i, p in zip(found, parts))
            if all(a == b for (_, a), (b, _) in zip(spans, spans[1:])):
                return v, (spans[0][0], spans[-1][1])
    return None


# --- fuzzy placement -------------------------------------------------------------

def _trim(blocks: list) -> list:
    """Drop 1-2 character matches stranded at either edge of an alignment.

    A global alignment of a padded window may pair a quote's last 的 with a
    far-away 的; such a block is not evidence of where the quote lies.
    """
    def stranded(edge, inner, after):
        gap_src = inner.dest_start - edge.dest_end if after else edge.dest_start - inner.dest_end
        gap_q = inner.src_start - edge.src_end if after else edge.src_start - inner.src_end
        return edge.dest_end - edge.dest_start <= 2 and gap_src - gap_q > 2
    while len(blocks) > 1 and stranded(blocks[0], blocks[1], True):
        blocks = blocks[1:]
    while len(blocks) > 1 and stranded(blocks[-1], blocks[-2], False):
        blocks = blocks[:-1]
    return blocks


def _place(seg: str, v: DocView, lo: int, hi: int, rightmost: bool = False) -> tuple[int, int]:
    """Best span of ``body[lo:hi]`` for ``seg``: verbatim first, else fuzzy.

    Unmatched quote characters at either edge are paired with the adjacent
    source characters (a substitution beats an insertion): 鄂州市 quoted for
    黄石市 reports 鄂州→黄石, not an inserted 鄂州.  The pairing stops at a
    clause boundary: words a quote adds before 被中科协评为… are an
    insertion, not a rewrite of the previous clause.
    """
    region = v.body.text[lo:hi]
    i = region.rfind(seg) if rightmost else region.find(seg)
    if i >= 0 or not region:
        return (lo + i, lo + i + len(seg)) if i >= 0 else (lo, lo)
    w0, w1 = 0, len(region)
    if len(seg) <= len(region):
        r = fuzz.partial_ratio_alignment(seg, region)
        pad = 2 + len(seg) // 4
        w0, w1 = max(0, r.dest_start - pad), min(len(region), r.dest_end + pad)
    blocks = _trim([op for op in Levenshtein.opcodes(seg, region[w0:w1]) if op.tag == "equal"])
    if not blocks:
        return lo + w0, lo + w0
    first, last = blocks[0], blocks[-1]
    a0, b0 = lo + w0 + first.dest_start, lo + w0 + last.dest_end
    a = a0 - min(first.src_start, first.dest_start)
    b = b0 + min(len(seg) - last.src_end, (w1 - w0) - last.dest_end)
    return max(a, v.clause(a0, a0)[0]), min(b, v.clause(b0, b0)[1])


def _align(segs: list[Normalized], v: DocView, lo: int, hi: int) -> list[tuple[int, int]]:
    """Place the longest segment, then the others in order around it."""
    anchor = max(range(len(segs)), key=lambda i: len(segs[i].text))
    spans: list[tuple[int, int]] = [(0, 0)] * len(segs)
    spans[anchor] = _place(segs[anchor].text, v, lo, hi)
    for i in range(anchor - 1, -1, -1):
        spans[i] = _place(segs[i].text, v, lo, spans[i + 1][0], rightmost=True)
    for i in range(anchor + 1, len(segs)):
        spans[i] = _place(segs[i].text, v, spans[i - 1][1], hi)
    return spans


def _score(segs: list[Normalized], text: str, spans) -> tuple[float, float]:
    """Content similarity over the segments and longest verbatim run share."""
    q = "".join(s.text for s in segs)
    src = "".join(text[a:b] for a, b in spans)
    runs = [op.src_end - op.src_start for s, (a, b) in zip(segs, spans)
            for op in Levenshtein.opcodes(s.text, text[a:b]) if op.tag == "equal"]
    return Indel.normalized_similarity(q, src), max(runs, default=0) / max(1, len(q))


def _candidates(views: list[DocView], segs: list[Normalized]):
    """Regions (a paragraph and its neighbours) sharing most bigrams with the quote."""
    grams = frozenset().union(*(bigrams(s.text) for s in segs))
    scored = [(len(grams & g), -k, v, p) for k, v in enumerate(views) for p, g in enumerate(v.para_grams)]
    scored = sorted((s for s in scored if s[0] > 0), key=lambda s: (s[0], s[1], -s[3]), reverse=True)
    for _, _, v, p in scored[:CANDIDATES]:
        last = len(v.para_ranges) - 1
        yield v, v.para_ranges[max(0, p - 1)][0], v.para_ranges[min(last, p + 1)][1]


def best(views: list[DocView], segs: list[Normalized]):
    """``((similarity, run), view, spans)`` of the best candidate region, or None."""
    found = None
    for v, lo, hi in _candidates(views, segs):
        spans = _align(segs, v, lo, hi)
        score = _score(segs, v.body.text, spans)
        if found is None or score > found[0]:
            found = (score, v, spans)
    if found is None:
        return None
    _, v, spans = found
    spans = [snap(s.text, v, span) for s, span in zip(segs, spans)]
    return _score(segs, v.body.text, spans), v, spans  # the score of the span reported


def snap(seg: str, v: DocView, span: tuple[int, int]) -> tuple[int, int]:
    """Widen an edge that cuts a number, or a mismatched edge that cuts a word.

    A quote ``2万米`` placed on ``2万公`` ends mid-word: widen to ``2万公里``
    so the change reads 2万米 → 2万公里.  An edge inside ``15.3%`` widens to
    the whole number with its unit.
    """
    a, b = span
    if a >= b:
        return span
    t, (lo, hi) = v.body.text, v.clause(a, b)
    if numeric(t, a) and numeric(t, a - 1):
        while a > lo and numeric(t, a - 1):
            a -= 1
    elif seg[0] != t[a]:
        a = min([a] + [w0 + lo for w0, w1 in words(t[lo:hi]) if w0 + lo < a < w1 + lo])
    if numeric(t, b - 1) and numeric(t, b):
        start = b - 1
        while start > lo and numeric(t, start - 1):
            start -= 1
        b = max(b, _NUMBER_RE.match(t, start, hi).end())
    elif seg[-1] != t[b - 1]:
        b = max([b] + [w1 + lo for w0, w1 in words(t[lo:hi]) if w0 + lo < b < w1 + lo])
    return a, b
