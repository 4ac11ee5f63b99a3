"""The verdict on one quote: is it in the corpus, where, and what changed.

``verify(index, quote)`` returns a Verdict; ``Verdict.to_dict()`` is the JSON
of ``rag verify --json`` and of the app's ``/verify`` endpoint (README,
「引文核查」).  The verdicts:

* ``exact``: the quote is in the corpus once width, punctuation variants,
  whitespace and Traditional script are normalised, and it neither starts
  nor ends inside a number (``5.3%`` cut from ``15.3%`` is ``altered``).
  The body, the title line and the dateline/``来源：`` line count; a quote
  running across paragraphs is cited paragraph by paragraph (``pieces``);
* ``near``: only punctuation, particles (的/了/之/地/得/着), a ``…``/``……``
  elision or the form of a number (三十三个/33个) differ; or every clause
  is verbatim and side by side in one paragraph, in another order: no
  fact is false;
* ``altered``: a clearly matching span exists but content differs; every
  fact-bearing difference is in ``changes``, including text left out
  without an elision mark (kind ``omission``) and pieces of the report
  joined that it holds apart (a splice: each piece cited on its own);
* ``not_found``: nothing close enough, and no citation is offered.

Every verdict says why in one Chinese sentence (``explanation``).  For any
match ``match.text == file_text[start:end]`` and each piece's ``text`` is
the file's text at its own citation.  ``diff`` tiles quote and cited span
in their ORIGINAL characters and reads as the edits that turn the source
into the quote::

    quote  2024年,黄石市公民具备科学素质比例达25.3%
    diff   equal "2024年,…比例达" · replace "2"/"1" · equal "5.3%"
    change {"kind": "number", "quote": "25.3%", "source": "15.3%"}

Thresholds were calibrated on ``eval/quotes_report.jsonl`` (see
tests/test_verify.py).  ``locate`` and ``splice`` find the span,
``diff`` computes ``diff`` and ``changes``, ``explain`` words the verdict.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from rapidfuzz.distance import Indel

from ..index import Index
from ..text.normalize import Normalized, clean_input, is_punct, normalize
from ..reader.candidates import citation
from ..reader.meta import HEADER_SECTION
from ..types import Citation
from . import diff as quote_diff
from .diff import Change, DiffOp
from .explain import explain
from .locate import best, find_exact, reordered, segments
from .splice import Tiling, tile
from .views import BREAKS, DocView, content, sub, views

MIN_CHARS = 4           # fewer meaningful characters cannot be told apart from chance
MAX_QUOTE = 2000
# Calibrated on eval/quotes_report.jsonl: altered quotes scored 0.81-0.98 and
# fabrications 0.22-0.50 content similarity, so the cut sits in the gap; the
# verbatim-run guard (altered >= 0.44, fabricated <= 0.33) rejects scattered hits.
ALTERED_SIM = 0.65
ALTERED_RUN = 0.25
LABELS = {"exact": "原文一致", "near": "基本一致", "altered": "与原文不符", "not_found": "未找到"}


class QuoteError(ValueError):
    """The quote cannot be checked as given (empty, too short, too long)."""


@dataclass(frozen=True)
class Piece:
    """One stretch of the source the quote uses, within one paragraph (or the header)."""

    text: str
    citation: Citation

    def to_dict(self) -> dict:
        return {"text": self.text, "citation": self.citation.to_dict()}


@dataclass(frozen=True)
class Match:
    text: str
    similarity: float
    citation: Citation
    diff: tuple[DiffOp, ...]
    changes: tuple[Change, ...]
    pieces: tuple[Piece, ...] = ()

    def to_dict(self) -> dict:
        return {"text": self.text, "similarity": round(self.similarity, 4), "citation": self.citation.to_dict(),
                "pieces": [p.to_dict() for p in self.pieces], "diff": [d.to_dict() for d in self.diff],
                "changes": [c.to_dict() for c in self.changes]}


@dataclass(frozen=True)
class Verdict:
    quote: str
    verdict: str
    match: Match | None
    explanation: str = ""

    @property
    def label(self) -> str:
        return LABELS[self.verdict]

    def to_dict(self) -> dict:
        return {"quote": self.quote, "verdict": self.verdict, "explanation": self.explanation,
                "match": self.match.to_dict() if self.match else None}


def _verdict(quote: str, kind: str, match: Match | None, how: str = "") -> Verdict:
    return Verdict(quote, kind, match, explain(kind, match, how))


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def check_quote(quote: str, min_chars: int = MIN_CHARS) -> str:
    """Reject quotes too short or too long to check, in Chinese.

    >>> check_quote("好")
    Traceback (most recent call last):
    ...
    rag.verify.verdict.QuoteError: 引文太短（有效字符少于 4 个），无法核查，请粘贴完整的一句话
    """
    quote = clean_input(quote).strip()
    if not quote:
        raise QuoteError("引文为空，请粘贴要核查的原话")
    if len(quote) > MAX_QUOTE:
        raise QuoteError(f"引文过长（{len(quote)} 字），请控制在 {MAX_QUOTE} 字以内")
    if len(content(normalize(quote)).text) < min_chars:
        raise QuoteError(f"引文太短（有效字符少于 {min_chars} 个），无法核查，请粘贴完整的一句话")
    return quote


# --- where: citations and pieces -------------------------------------------------------

def _cite(index: Index, doc_id: str, start: int, end: int) -> Citation:
    """The paragraph holding ``start``; a span before the body is the header (paragraph 0)."""
    doc = index.docs[doc_id]
    paras = doc.paragraphs
    if end <= paras[0].start:
        return Citation(doc.id, doc.path, doc.title, doc.date, HEADER_SECTION, 0, start, end, 0, doc.origin)
    number = next((p.number for p in paras if p.end > start), paras[-1].number)
    return citation(index, doc_id, number, start, end)


def _pieces(index: Index, doc_id: str, ranges) -> tuple[Piece, ...]:
    """Each source range split at paragraph edges, trimmed; punctuation-only bits dropped.

    A quote running from one paragraph into the next is cited in both.  A
    piece neither starts with a clause mark nor ends with a comma: the
    marks around a cut belong to no piece.
    """
    doc = index.docs[doc_id]
    edges = sorted({x for p in doc.paragraphs for x in (p.start, p.end)})
    out = []
    for start, stop in ranges:
        inner = [x for x in edges if start < x < stop]
        for a, b in zip([start, *inner], [*inner, stop]):
            while a < b and (doc.text[a].isspace() or doc.text[a] in BREAKS + "、"):
                a += 1
            while b > a and (doc.text[b - 1].isspace() or doc.text[b - 1] in "，,；;、：:"):
                b -= 1
            if any(not (ch.isspace() or is_punct(ch)) for ch in doc.text[a:b]):
                out.append(Piece(doc.text[a:b], _cite(index, doc_id, a, b)))
    return tuple(out)


# --- the fuzzy match ----------------------------------------------------------------------

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


def _paragraph(v: DocView, a: int) -> tuple[int, int]:
    """Body range of the paragraph holding body offset ``a`` (a heading joins the next)."""
    return next((r for r in v.para_ranges if r[1] > a), v.para_ranges[-1])


def _changes(v: DocView, segs: list[Normalized], spans, quote: str, text: str) -> list[Change]:
    """Fact changes of every segment; the paragraph around each span tells framing words."""
    out = []
    for seg, (a, b) in zip(segs, spans):
        lo, hi = _paragraph(v, a)
        src, before, after = sub(v.body, a, b), v.body.text[lo:a], v.body.text[b:hi]
        cuts = frozenset(x - a for x in v.breaks if a <= x <= b)
        out += quote_diff.changes(seg, src, quote, text, before=before, after=after, cuts=cuts)
    return out


def _match(index: Index, v: DocView, quote: str, segs, spans, sim: float, changes) -> Match:
    """The cited span, with ``diff`` over the quote segments and their body spans."""
    text = index.docs[v.doc_id].text
    q_ranges = [(s.origin[0], s.origin[-1] + 1) for s in segs]
    # an empty span past the last character sits at the end of the body, not of the file
    body = replace(v.body, source_len=v.full.origin[-1] + 1)
    s_ranges = [body.to_original(a, b) for a, b in spans]
    widened = [_widen(quote, q, v.full, s) for q, s in zip(q_ranges, s_ranges)]
    q_ranges, s_ranges = [w[0] for w in widened], [w[1] for w in widened]
    start, stop = s_ranges[0][0], max(s_ranges[-1][1], s_ranges[0][0])
    return Match(text[start:stop], sim, _cite(index, v.doc_id, start, stop),
                 tuple(quote_diff.diff(quote, text, q_ranges, s_ranges)), tuple(changes),
                 _pieces(index, v.doc_id, s_ranges))


def _fuzzy(index: Index, views: list[DocView], quote: str) -> Verdict:
    """Judge a quote that is not verbatim: near, altered or not_found."""
    segs = segments(quote)
    found = best(views, segs)
    if found is None:
        return _verdict(quote, "not_found", None)
    (sim, run), v, spans = found
    changes = _changes(v, segs, spans, quote, index.docs[v.doc_id].text)
    if changes and (moved := reordered(views, quote)):
        return _reordered(index, quote, *moved)
    if changes and not (sim >= ALTERED_SIM and run >= ALTERED_RUN):
        return _verdict(quote, "not_found", None)  # edits this many are noise, not facts
    return _verdict(quote, "altered" if changes else "near", _match(index, v, quote, segs, spans, sim, changes))


def _whole(index: Index, quote: str, v: DocView, span: tuple[int, int], changes=()) -> Match:
    """A match whose diff is one ``replace`` of the whole span: the quote's order is not the source's.

    A character diff of two orders would mark true numbers as edits.
    """
    whole = content(normalize(quote))
    sim = Indel.normalized_similarity(whole.text, v.body.text[span[0]:span[1]])
    m = _match(index, v, quote, [whole], [span], sim, changes)
    q0, q1 = whole.origin[0], whole.origin[-1] + 1
    return replace(m, diff=(DiffOp("replace", quote[q0:q1], m.text),))


def _reordered(index: Index, quote: str, v: DocView, span: tuple[int, int]) -> Verdict:
    """``near``: every clause is verbatim in one paragraph, side by side, in another order."""
    return _verdict(quote, "near", _whole(index, quote, v, span), "reordered")


def _spliced(index: Index, quote: str, t: Tiling) -> Verdict:
    """``altered``: verbatim pieces with source text left out between them, unmarked."""
    text = index.docs[t.view.doc_id].text
    body = t.view.body
    dropped = tuple(Change("omission", "", text[slice(*body.to_original(a, b))]) for a, b in t.gaps)
    if t.in_order:
        m = _match(index, t.view, quote, list(t.segs), list(t.spans), 1.0, dropped)
    else:
        m = _whole(index, quote, t.view, (min(a for a, _ in t.spans), max(b for _, b in t.spans)), dropped)
        ranges = [body.to_original(a, b) for a, b in t.spans]
        m = replace(m, pieces=_pieces(index, t.view.doc_id, ranges))
    return _verdict(quote, "altered", replace(m, similarity=_share(t)), "splice")


def _share(t: Tiling) -> float:
    """How much of the cited stretch the quote keeps: its pieces against pieces and gaps."""
    kept = sum(b - a for a, b in t.spans)
    return kept / (kept + sum(b - a for a, b in t.gaps))


def _exact(index: Index, quote: str, found) -> Verdict:
    v, (a, b), (qa, qb) = found
    start, stop = v.full.to_original(a, b)
    text = index.docs[v.doc_id].text
    diff = (DiffOp("equal", quote[qa:qb], text[start:stop]),)
    match = Match(text[start:stop], 1.0, _cite(index, v.doc_id, start, stop), diff, (),
                  _pieces(index, v.doc_id, [(start, stop)]))
    return _verdict(quote, "exact", match)


def verify(index: Index, quote: str) -> Verdict:
    """Check one quote against every document of the index.

    >>> verify(engine.index, "专家工作站87家").match.changes  # doctest: +SKIP
    (Change(kind='number', quote='87家', source='77家'),)
    """
    quote = check_quote(quote)
    verdict = _verify(index, quote)
    bare = _TAG.sub("", quote).strip()
    if bare != quote and len(content(normalize(bare)).text) >= MIN_CHARS:
        # markup pasted from a web page or an editor (<b>, <span class="x">) is no part of what
        # was said, unless the report itself holds it: the better reading of the two stands
        plain = _verify(index, bare)
        if _RANK.index(plain.verdict) < _RANK.index(verdict.verdict):
            return plain
    return verdict


_RANK = ("exact", "near", "altered", "not_found")


def _verify(index: Index, quote: str) -> Verdict:
    bodies = views(index)
    found = find_exact(bodies, quote) or find_exact(views(index, header=True), quote)
    if found is not None:
        return _exact(index, quote, found)
    spliced = tile(bodies, quote)
    if spliced is not None and not spliced.gaps:  # verbatim prose on both sides of a heading
        return _verdict(quote, "near", _match(index, spliced.view, quote, spliced.segs, spliced.spans, 1.0, ()))
    if spliced is not None:
        return _spliced(index, quote, spliced)
    return _fuzzy(index, bodies, quote)
