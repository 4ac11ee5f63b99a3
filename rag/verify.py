"""Quote verification: is a pasted quote in the corpus, where, and what changed.

``verify(index, quote)`` returns a Verdict; ``Verdict.to_dict()`` is the JSON
of ``rag verify --json`` and of the app's ``/verify`` endpoint::

    {"quote": str, "verdict": "exact" | "near" | "altered" | "not_found",
     "match": null | {"text": str, "similarity": float, "closest": bool,
                      "citation": {"doc", "path", "title", "date", "section",
                                   "paragraph", "start", "end"},
                      "diff": [{"op": "equal" | "replace" | "insert" | "delete",
                                "quote": str, "source": str}],
                      "changes": [{"kind": "number" | "negation" | "name" | "wording",
                                   "quote": str, "source": str}]}}

* ``exact``: the quote is in the corpus once width, punctuation variants,
  whitespace and Traditional script are normalised;
* ``near``: only punctuation, particles (的/了/之/地/得/着) or a ``…``/``……``
  elision differ;
* ``altered``: a clearly matching span exists but content differs; every
  fact-bearing difference is listed in ``changes``;
* ``not_found``: nothing close enough; ``match`` is the closest span with
  ``"closest": true``, or null.

``match.text == file_text[start:end]``.  ``diff`` tiles the quote and the
source span in their ORIGINAL characters and reads as edits that turn the
source into the quote: ``insert`` = words only the quote has, ``delete`` =
source words the quote leaves out (an elision is a ``replace`` of the
skipped text by ``……``).  Example (``altered``)::

    quote  2024年,黄石市公民具备科学素质比例达25.3%
    diff   equal "2024年,…比例达" · replace "2"/"1" · equal "5.3%"
    change {"kind": "number", "quote": "25.3%", "source": "15.3%"}

Matching ignores punctuation but keeps a decimal point between digits, so
15.3% never matches 153%.  Thresholds were calibrated on
``eval/quotes_report.jsonl`` (see tests/test_verify.py).  This module finds
the span and gives the verdict; ``rag.quote_diff`` computes ``diff`` and
``changes``.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from . import quote_diff
from .answer import citation
from .index import Index
from .normalize import Normalized, is_punct, normalize
from .quote_diff import KINDS, Change, DiffOp
from .types import Citation

__all__ = ["KINDS", "LABELS", "Change", "DiffOp", "Match", "QuoteError", "Verdict", "check_quote",
           "format_verdict", "verify"]

MIN_CHARS = 4           # fewer meaningful characters cannot be told apart from chance
MAX_QUOTE = 2000
CANDIDATES = 4          # paragraphs aligned in full, ranked by shared character bigrams
# Calibrated on eval/quotes_report.jsonl: altered quotes scored 0.81-0.98 and
# fabrications 0.22-0.50 content similarity, so the cut sits in the gap; the
# verbatim-run guard (altered >= 0.44, fabricated <= 0.33) rejects scattered hits.
ALTERED_SIM = 0.65
ALTERED_RUN = 0.25
LABELS = {"exact": "原文一致", "near": "基本一致", "altered": "与原文不符", "not_found": "未找到"}


class QuoteError(ValueError):
    """The quote cannot be checked as given (empty, too short, too long)."""


@dataclass(frozen=True)
class Match:
    text: str
    similarity: float
    citation: Citation
    diff: tuple[DiffOp, ...]
    changes: tuple[Change, ...]
    closest: bool = False

    def to_dict(self) -> dict:
        out = {"text": self.text, "similarity": round(self.similarity, 4), "citation": self.citation.to_dict(),
               "diff": [d.to_dict() for d in self.diff], "changes": [c.to_dict() for c in self.changes]}
        return out | ({"closest": True} if self.closest else {})


@dataclass(frozen=True)
class Verdict:
    quote: str
    verdict: str
    match: Match | None

    @property
    def label(self) -> str:
        return LABELS[self.verdict]

    def to_dict(self) -> dict:
        return {"quote": self.quote, "verdict": self.verdict, "match": self.match.to_dict() if self.match else None}


# --- normalised views -------------------------------------------------------

def content(n: Normalized) -> Normalized:
    """Drop punctuation but keep a decimal point between digits.

    >>> content(normalize("达１５.3%，完成")).text
    '达15.3%完成'
    """
    t, keep = n.text, []
    for i, ch in enumerate(t):
        decimal = ch == "." and 0 < i < len(t) - 1 and t[i - 1].isdigit() and t[i + 1].isdigit()
        if decimal or not is_punct(ch):
            keep.append(i)
    return Normalized("".join(t[i] for i in keep), tuple(n.origin[i] for i in keep), n.source_len)


def _sub(n: Normalized, a: int, b: int) -> Normalized:
    """Normalised characters ``[a, b)`` of ``n``, still mapped to the original."""
    return Normalized(n.text[a:b], n.origin[a:b], n.source_len)


def _slice(n: Normalized, lo: int, hi: int) -> Normalized:
    """Characters of ``n`` whose original offset lies in ``[lo, hi)``."""
    return _sub(n, bisect.bisect_left(n.origin, lo), bisect.bisect_left(n.origin, hi))


@dataclass(frozen=True)
class _DocView:
    """One document's body, normalised with and without punctuation."""

    doc_id: str
    full: Normalized
    body: Normalized
    para_ranges: tuple[tuple[int, int], ...]  # paragraph -> range in ``body``
    para_grams: tuple[frozenset, ...]


def _bigrams(text: str) -> frozenset:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


_VIEWS: dict[int, tuple[Index, list[_DocView]]] = {}


def _views(index: Index) -> list[_DocView]:
    """Normalise every document once per loaded index (cached by identity)."""
    cached = _VIEWS.get(id(index))
    if cached and cached[0] is index:
        return cached[1]
    views = []
    for doc in index.docs.values():
        if not doc.paragraphs:
            continue
        full = _slice(normalize(doc.text), doc.paragraphs[0].start, doc.paragraphs[-1].end)
        body = content(full)
        ranges = tuple((bisect.bisect_left(body.origin, p.start), bisect.bisect_left(body.origin, p.end))
                       for p in doc.paragraphs)
        views.append(_DocView(doc.id, full, body, ranges, tuple(_bigrams(body.text[a:b]) for a, b in ranges)))
    _VIEWS.clear()  # one index at a time: a rebuilt index must not keep the old one alive
    _VIEWS[id(index)] = (index, views)
    return views


# --- the quote ----------------------------------------------------------------

def _segments(quote: str) -> list[Normalized]:
    """Content characters of the quote, split at each ``…`` elision mark.

    >>> [s.text for s in _segments("深入实施“党建强会”行动……实现全覆盖")]
    ['深入实施党建强会行动', '实现全覆盖']
    """
    full = normalize(quote)
    cuts = [-1] + [i for i, ch in enumerate(full.text) if ch == "…"] + [len(full.text)]
    segs = []
    for a, b in zip(cuts, cuts[1:]):
        seg = content(_sub(full, a + 1, b))
        if len(seg.text) >= 2:  # a lone character next to an elision is part of it
            segs.append(seg)
    return segs


def check_quote(quote: str) -> str:
    """Reject quotes too short or too long to check, in Chinese.

    >>> check_quote("好")
    Traceback (most recent call last):
    ...
    rag.verify.QuoteError: 引文太短（有效字符少于 4 个），无法核查，请粘贴完整的一句话
    """
    quote = (quote or "").strip()
    if not quote:
        raise QuoteError("引文为空，请粘贴要核查的原话")
    if len(quote) > MAX_QUOTE:
        raise QuoteError(f"引文过长（{len(quote)} 字），请控制在 {MAX_QUOTE} 字以内")
    if len(content(normalize(quote)).text) < MIN_CHARS:
        raise QuoteError(f"引文太短（有效字符少于 {MIN_CHARS} 个），无法核查，请粘贴完整的一句话")
    return quote


# --- locating -----------------------------------------------------------------

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


def _place(seg: str, text: str, lo: int, hi: int, rightmost: bool = False) -> tuple[int, int]:
    """Best span of ``text[lo:hi]`` for ``seg``: verbatim first, else fuzzy.

    Unmatched quote characters at either edge are paired with the adjacent
    source characters (a substitution beats an insertion): 鄂州市 quoted for
    黄石市 reports 鄂州→黄石, not an inserted 鄂州.
    """
    region = text[lo:hi]
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
    a = w0 + first.dest_start - min(first.src_start, first.dest_start)
    b = w0 + last.dest_end + min(len(seg) - last.src_end, (w1 - w0) - last.dest_end)
    return lo + a, lo + b


def _align(segs: list[Normalized], text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Place the longest segment, then the others in order around it."""
    anchor = max(range(len(segs)), key=lambda i: len(segs[i].text))
    spans: list[tuple[int, int]] = [(0, 0)] * len(segs)
    spans[anchor] = _place(segs[anchor].text, text, lo, hi)
    for i in range(anchor - 1, -1, -1):
        spans[i] = _place(segs[i].text, text, lo, spans[i + 1][0], rightmost=True)
    for i in range(anchor + 1, len(segs)):
        spans[i] = _place(segs[i].text, text, spans[i - 1][1], hi)
    return spans


def _score(segs: list[Normalized], text: str, spans) -> tuple[float, float]:
    """Content similarity over the segments and longest verbatim run share."""
    q = "".join(s.text for s in segs)
    src = "".join(text[a:b] for a, b in spans)
    runs = [op.src_end - op.src_start for s, (a, b) in zip(segs, spans)
            for op in Levenshtein.opcodes(s.text, text[a:b]) if op.tag == "equal"]
    return Indel.normalized_similarity(q, src), max(runs, default=0) / max(1, len(q))


def _candidates(views: list[_DocView], segs: list[Normalized]):
    """Regions (a paragraph and its neighbours) sharing most bigrams with the quote."""
    grams = frozenset().union(*(_bigrams(s.text) for s in segs))
    scored = [(len(grams & g), -k, v, p) for k, v in enumerate(views) for p, g in enumerate(v.para_grams)]
    scored = sorted((s for s in scored if s[0] > 0), key=lambda s: (s[0], s[1], -s[3]), reverse=True)
    for _, _, v, p in scored[:CANDIDATES]:
        last = len(v.para_ranges) - 1
        yield v, v.para_ranges[max(0, p - 1)][0], v.para_ranges[min(last, p + 1)][1]


def _find_exact(views: list[_DocView], quote: str):
    """``(view, normalised span, quote core range)`` of a verbatim occurrence."""
    q = normalize(quote)
    keep = [i for i, ch in enumerate(q.text) if not is_punct(ch)]
    tries = [(0, len(q.text))] + ([(keep[0], keep[-1] + 1)] if keep else [])
    for qa, qb in tries:  # the quote as pasted, then without its outer quotation marks
        for v in views:
            i = v.full.text.find(q.text[qa:qb])
            if i >= 0:
                return v, (i, i + qb - qa), q.to_original(qa, qb)
    return None


# --- the verdict --------------------------------------------------------------------

def _widen(quote: str, q: tuple[int, int], full: Normalized, s: tuple[int, int]):
    """Take in punctuation that quote and source share just outside the match.

    Matching skips punctuation, so without this a quote ending in ”或） would
    be cited without it.
    """
    qn = normalize(quote)
    qi, qj = bisect.bisect_left(qn.origin, q[0]), bisect.bisect_left(qn.origin, q[1])
    si, sj = bisect.bisect_left(full.origin, s[0]), bisect.bisect_left(full.origin, s[1])
    while qi > 0 and si > 0 and qn.text[qi - 1] == full.text[si - 1] and is_punct(qn.text[qi - 1]):
        qi, si = qi - 1, si - 1
    while qj < len(qn.text) and sj < len(full.text) and qn.text[qj] == full.text[sj] and is_punct(qn.text[qj]):
        qj, sj = qj + 1, sj + 1
    return qn.to_original(qi, qj), full.to_original(si, sj)


def _cite(index: Index, doc_id: str, start: int, end: int) -> Citation:
    paras = index.docs[doc_id].paragraphs
    number = next((p.number for p in paras if p.end > start), paras[-1].number)
    return citation(index, doc_id, number, start, end)


def _best(views: list[_DocView], segs: list[Normalized]):
    """``((similarity, run), view, spans)`` of the best candidate region, or None."""
    best = None
    for v, lo, hi in _candidates(views, segs):
        spans = _align(segs, v.body.text, lo, hi)
        score = _score(segs, v.body.text, spans)
        if best is None or score > best[0]:
            best = (score, v, spans)
    return best


def _fuzzy(index: Index, views: list[_DocView], quote: str) -> Verdict:
    """Judge a quote that is not verbatim: near, altered or not_found."""
    segs = _segments(quote)
    best = _best(views, segs)
    if best is None:
        return Verdict(quote, "not_found", None)
    (sim, run), v, spans = best
    text = index.docs[v.doc_id].text
    q_ranges = [(s.origin[0], s.origin[-1] + 1) for s in segs]
    # an empty span past the last character sits at the end of the body, not of the file
    body = replace(v.body, source_len=v.full.origin[-1] + 1)
    s_ranges = [body.to_original(a, b) for a, b in spans]
    widened = [_widen(quote, q, v.full, s) for q, s in zip(q_ranges, s_ranges)]
    q_ranges, s_ranges = [w[0] for w in widened], [w[1] for w in widened]
    changes = [c for seg, (a, b) in zip(segs, spans) for c in quote_diff.changes(seg, _sub(v.body, a, b), quote, text)]
    verdict = "near" if not changes else "altered" if sim >= ALTERED_SIM and run >= ALTERED_RUN else "not_found"
    closest = verdict == "not_found"  # its edits are noise, not facts to report
    start, stop = s_ranges[0][0], max(s_ranges[-1][1], s_ranges[0][0])
    match = Match(text[start:stop], sim, _cite(index, v.doc_id, start, stop),
                  tuple(quote_diff.diff(quote, text, q_ranges, s_ranges)), () if closest else tuple(changes), closest)
    return Verdict(quote, verdict, match)


def verify(index: Index, quote: str) -> Verdict:
    """Check one quote against every document of the index.

    >>> verify(engine.index, "专家工作站87家").match.changes  # doctest: +SKIP
    (Change(kind='number', quote='87家', source='77家'),)
    """
    quote = check_quote(quote)
    views = _views(index)
    found = _find_exact(views, quote)
    if found is None:
        return _fuzzy(index, views, quote)
    v, (a, b), (qa, qb) = found
    start, stop = v.full.to_original(a, b)
    text = index.docs[v.doc_id].text
    diff = (DiffOp("equal", quote[qa:qb], text[start:stop]),)
    return Verdict(quote, "exact", Match(text[start:stop], 1.0, _cite(index, v.doc_id, start, stop), diff, ()))


def format_verdict(v: Verdict) -> str:
    """Human-readable verdict for the CLI.

    >>> print(format_verdict(Verdict("某某引文", "not_found", None)))
    结论：未找到（not_found）
    报告中没有与这段引文足够接近的内容。
    """
    lines = [f"结论：{v.label}（{v.verdict}）"]
    m = v.match
    if m is None:
        return "\n".join(lines + ["报告中没有与这段引文足够接近的内容。"])
    if m.closest:
        lines.append("报告中没有与这段引文足够接近的内容；最接近的原文（仅供参考）：")
    lines += [f"原文：{m.text}", f"出处：{m.citation.label()}", f"相似度：{m.similarity:.2f}"]
    lines += [f"  · {KINDS[c.kind]}：{c.describe()}" for c in m.changes]
    return "\n".join(lines)
