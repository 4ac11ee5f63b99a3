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
  whitespace and Traditional script are normalised, and it neither starts
  nor ends inside a number (``5.3%`` cut from ``15.3%`` is ``altered``,
  with the change 5.3% → 15.3%);
* ``near``: only punctuation, particles (的/了/之/地/得/着), a ``…``/``……``
  elision or the form of a number (三十三个/33个) differ; or every clause
  of the quote (split at ，,；;。) is verbatim in one paragraph but in
  another order (``专家工作站77家,院士工作站4家``; ``diff`` is then one
  ``replace`` of the whole span): no fact is false;
* ``altered``: a clearly matching span exists but content differs; every
  fact-bearing difference is listed in ``changes``;
* ``not_found``: nothing close enough; ``match`` is the closest span with
  ``"closest": true``, or null.

Words a quote adds at its edge that the paragraph has just before (or
after) the span, like the sentence's subject, are framing, not changes:
``黄石市科协被中科协评为…`` is ``near`` when the source reads ``黄石科协被
科技部…表彰…;被中科协评为…``; an added negation is always a change.

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
the verdict; ``rag.quote_locate`` finds the span and ``rag.quote_diff``
computes ``diff`` and ``changes``.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from rapidfuzz.distance import Indel

from . import diff as quote_diff
from ..reader.candidates import citation
from ..index import Index
from ..normalize import Normalized, clean_input, is_punct, normalize
from .diff import KINDS, Change, DiffOp
from .locate import DocView, best, content, find_exact, reordered, segments, sub
from .locate import views as doc_views
from ..types import Citation

__all__ = ["KINDS", "LABELS", "Change", "DiffOp", "Match", "QuoteError", "Verdict", "check_quote",
           "format_verdict", "verify"]

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


# --- the quote ----------------------------------------------------------------

def check_quote(quote: str) -> str:
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
    if len(content(normalize(quote)).text) < MIN_CHARS:
        raise QuoteError(f"引文太短（有效字符少于 {MIN_CHARS} 个），无法核查，请粘贴完整的一句话")
    return quote


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


def _paragraph(v: DocView, a: int) -> tuple[int, int]:
    """Body range of the paragraph holding body offset ``a`` (a heading joins the next)."""
    return next((r for r in v.para_ranges if r[1] > a), v.para_ranges[-1])


def _changes(v: DocView, segs: list[Normalized], spans, quote: str, text: str) -> list[Change]:
    """Fact changes of every segment; the paragraph around each span tells framing words."""
    out = []
    for seg, (a, b) in zip(segs, spans):
        lo, hi = _paragraph(v, a)
        src, before, after = sub(v.body, a, b), v.body.text[lo:a], v.body.text[b:hi]
        out += quote_diff.changes(seg, src, quote, text, before=before, after=after)
    return out


def _match(index: Index, v: DocView, quote: str, segs, spans, sim: float, changes, closest: bool) -> Match:
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
                 tuple(quote_diff.diff(quote, text, q_ranges, s_ranges)), tuple(changes), closest)


def _fuzzy(index: Index, views: list[DocView], quote: str) -> Verdict:
    """Judge a quote that is not verbatim: near, altered or not_found."""
    segs = segments(quote)
    found = best(views, segs)
    if found is None:
        return Verdict(quote, "not_found", None)
    (sim, run), v, spans = found
    changes = _changes(v, segs, spans, quote, index.docs[v.doc_id].text)
    if changes and (moved := reordered(views, quote)):
        return _reordered(index, quote, *moved)
    verdict = "near" if not changes else "altered" if sim >= ALTERED_SIM and run >= ALTERED_RUN else "not_found"
    closest = verdict == "not_found"  # its edits are noise, not facts to report
    return Verdict(quote, verdict, _match(index, v, quote, segs, spans, sim, () if closest else changes, closest))


def _reordered(index: Index, quote: str, v: DocView, span: tuple[int, int]) -> Verdict:
    """``near``: every clause is verbatim in one paragraph, only their order differs.

    The diff is one ``replace``: a character diff of two orders would mark
    true numbers as edits.
    """
    whole = content(normalize(quote))
    sim = Indel.normalized_similarity(whole.text, v.body.text[span[0]:span[1]])
    m = _match(index, v, quote, [whole], [span], sim, (), False)
    q0, q1 = whole.origin[0], whole.origin[-1] + 1
    return Verdict(quote, "near", replace(m, diff=(DiffOp("replace", quote[q0:q1], m.text),)))


def verify(index: Index, quote: str) -> Verdict:
    """Check one quote against every document of the index.

    >>> verify(engine.index, "专家工作站87家").match.changes  # doctest: +SKIP
    (Change(kind='number', quote='87家', source='77家'),)
    """
    quote = check_quote(quote)
    views = doc_views(index)
    found = find_exact(views, quote)
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
