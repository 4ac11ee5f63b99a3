"""Reader: pick the answer sentence from the top chunks, trim a short span, abstain.

A sentence's score mixes four generic signals:

* lexical: IDF-weighted coverage of the question's character bigrams and
  characters (question words removed); IDF over the candidates, so a subject
  named in every candidate sentence counts for little;
* dense: cosine of question and sentence embeddings (works across languages);
* retrieval: the fused score of the chunk the sentence came from;
* type fit: a number question wants a sentence with a number, and so on.

Confidence comes from the same signals for the chosen sentence, shrunk for
each question noun, name or number the passage lacks; below the threshold the
reader abstains.  ``rag calibrate`` prints the trade-off on the development
set; ``rag eval`` measures the whole pipeline.  The question's terms and what
a passage lacks of them live in ``terms.py``; the short span in ``span.py``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .gloss import gloss_coverage, idf_share
from .index import Index
from .normalize import has_cjk, simple
from .qtype import asks_money, lists_fit, qtype, type_fit, unit_compatible, unit_fits
from .span import short_span
from .terms import content, grams, missing_terms, named_by_deixis
from .types import Answer, Citation, Hit, Passage

ABSTAIN_MESSAGE = "报告中没有找到直接回答这个问题的内容"
TENTATIVE_NOTE = "置信度偏低，请对照原文核实"
ABSENT_SHARE = 0.5


@dataclass(frozen=True)
class ReaderSettings:
    """Reader weights and thresholds.

    ``threshold`` 0.48 refused about 94% of unanswerable Chinese dev questions
    while answering about 96% of answerable ones correctly (``rag calibrate``;
    no unanswerable dev question scored between 0.47 and 0.5).  English
    questions, matched through the dictionary bridge, score lower and get
    their own threshold.  Confidence is multiplied by
    ``miss_penalty`` per strong miss and ``noun_penalty`` per weak one
    (``evidence_misses``), and by ``name_bonus`` when a what/which question
    finds a quoted name in the clause that echoes it.
    """

    candidate_chunks: int = 3
    w_lexical: float = 1.0
    w_dense: float = 1.0
    w_retrieval: float = 0.3
    w_type: float = 0.25
    threshold: float = 0.48
    threshold_latin: float = 0.27
    miss_penalty: float = 0.5
    noun_penalty: float = 0.75
    name_bonus: float = 1.2


@dataclass(frozen=True)
class Query:
    """A question as the reader sees it.

    ``lexical`` is the text for character matching: the question itself, or
    for an English question its dictionary bridge into Chinese terms;
    ``names`` are the corpus names an English question spells in pinyin
    (Wuhan -> 武汉), and ``unknown`` counts those the corpus never mentions;
    ``absent`` are its content words the corpus never mentions even through
    the dictionary (weather, recipe), out of ``words`` content words.
    """

    text: str
    lexical: str
    unknown: int = 0
    names: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    words: int = 0
    groups: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, question: "str | Query") -> "Query":
        return question if isinstance(question, Query) else cls(question, question)

    @property
    def latin(self) -> bool:
        return not has_cjk(self.text)


@dataclass(frozen=True)
class Candidate:
    doc: str
    sentence: int
    paragraph: int
    start: int
    end: int
    retrieval: float


def citation(index: Index, doc_id: str, paragraph: int, start: int, end: int) -> Citation:
    doc = index.docs[doc_id]
    para = doc.paragraph(paragraph)
    return Citation(doc.id, doc.path, doc.title, doc.date, para.section, paragraph, start, end, para.page, doc.origin)


def candidates(index: Index, hits: list[Hit], n: int) -> list[Candidate]:
    """Sentences overlapping the top ``n`` chunks, best chunk first, no repeats."""
    seen, out = set(), []
    for hit in hits[:n]:
        doc = index.docs[hit.chunk.doc]
        for s in doc.sentences:
            if s.paragraph == hit.chunk.paragraph and s.start < hit.chunk.end and s.end > hit.chunk.start:
                if (doc.id, s.id) not in seen:
                    seen.add((doc.id, s.id))
                    out.append(Candidate(doc.id, s.id, s.paragraph, s.start, s.end, hit.score))
    return out


def lexical_coverage(question: str, texts: list[str]) -> np.ndarray:
    """IDF-weighted share of the question's bigrams (+0.3 x characters) in each text."""
    q_chars, q_bi = grams(content(question))
    sets = [grams(simple(t)) for t in texts]
    n = len(texts)
    def idf(g, which):
        df = sum(1 for s in sets if g in s[which])
        return math.log(1 + n / (1 + df)) + 0.1
    w_bi = {g: idf(g, 1) for g in q_bi}
    w_ch = {g: 0.3 * idf(g, 0) for g in q_chars}
    total = sum(w_bi.values()) + sum(w_ch.values())
    if total == 0:
        return np.zeros(n, dtype=np.float32)
    got = [sum(w for g, w in w_bi.items() if g in s[1]) + sum(w for g, w in w_ch.items() if g in s[0]) for s in sets]
    return np.asarray(got, dtype=np.float32) / total


def term_coverage(groups: tuple[tuple[str, ...], ...], texts: list[str]) -> np.ndarray:
    """IDF-weighted share of the groups (one per English phrase: its
    alternative Chinese terms) that each text holds a term of."""
    plain = [simple(t) for t in texts]
    return idf_share([[any(simple(t) in p for t in g) for g in groups] for p in plain])


def score_candidates(index: Index, question: "str | Query", qvec: np.ndarray, cands: list[Candidate],
                     settings: ReaderSettings) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Score every candidate sentence; return scores and the signals behind them."""
    query = Query.of(question)
    texts = [index.docs[c.doc].view[c.start:c.end] for c in cands]
    kind = qtype(query.text)
    if query.latin:
        # The bridge's Chinese terms, or the sentence's English glosses, whichever matches better.
        lexical = np.maximum(term_coverage(query.groups, texts), gloss_coverage(query.text, texts))
    else:
        lexical = lexical_coverage(query.lexical, texts)
    signals = {
        "lexical": lexical,
        "dense": np.asarray([float(index.sentence_vector(c.doc, c.sentence) @ qvec) for c in cands], np.float32),
        "retrieval": np.asarray([c.retrieval for c in cands], np.float32),
        "type": np.asarray([type_fit(query.text, kind, t) for t in texts], np.float32),
    }
    s = settings
    score = (s.w_lexical * signals["lexical"] + s.w_dense * signals["dense"]
             + s.w_retrieval * signals["retrieval"] + s.w_type * signals["type"])
    return score, signals


def confidence(signals: dict[str, np.ndarray], i: int, latin: bool, sim_range: tuple[float, float]) -> float:
    """How sure the reader is that sentence ``i`` answers: a 0..1 number.

    Cosines are rescaled by the embedder's ``sim_range`` (e5's cosines of
    related texts sit between 0.75 and 0.95; other models spread differently).
    English questions match through their dictionary bridge, whose noisier
    coverage gets its own threshold.
    """
    lo, hi = sim_range
    dense = max(0.0, min(1.0, (float(signals["dense"][i]) - lo) / (hi - lo)))
    return 0.5 * float(signals["lexical"][i]) + 0.5 * dense



def read(index: Index, question: "str | Query", qvec: np.ndarray, hits: list[Hit],
         settings: ReaderSettings = ReaderSettings(),
         sim_range: tuple[float, float] = (0.75, 0.95)) -> tuple[Answer | None, float, Answer | None]:
    """Best answer or None (abstain), its confidence, and the best guess either way."""
    query = Query.of(question)
    cands = candidates(index, hits, settings.candidate_chunks)
    if not cands:
        return None, 0.0, None
    score, signals = score_candidates(index, query, qvec, cands, settings)
    i = int(np.argmax(score))
    conf = min(1.0, confidence(signals, i, query.latin, sim_range) * _evidence_factor(index, query, cands[i], settings))
    best = _make_answer(index, query, cands[i], conf)
    threshold = settings.threshold_latin if query.latin else settings.threshold
    return (best if conf >= threshold else None), conf, best


def _evidence_factor(index: Index, query: Query, cand: Candidate, settings: ReaderSettings) -> float:
    """Shrink confidence for each question term, and for an asked-for type, the passage lacks."""
    strong, weak = evidence_misses(index, query, cand)
    factor = settings.miss_penalty ** strong * settings.noun_penalty ** weak
    if not query.latin and qtype(query.text) == "name" and _names_slot(index, query, cand):
        factor *= settings.name_bonus
    return factor


def _names_slot(index: Index, query: Query, cand: Candidate) -> bool:
    """A what/which question meets a quoted name in the clause that echoes it."""
    doc = index.docs[cand.doc]
    return short_span(query.text, doc.view[cand.start:cand.end], query.lexical, doc.title, strict=True) is not None


def evidence_misses(index: Index, query: Query, cand: Candidate) -> tuple[int, int]:
    """(strong, weak) counts of what the passage lacks: names, numbers, the
    asked-for type and the list a which-ones question wants are strong;
    common nouns and a unit that only stands in for the asked one are weak."""
    doc = index.docs[cand.doc]
    para = doc.paragraph(cand.paragraph)
    context = " ".join((doc.title, para.section, doc.view[para.start:para.end]))
    question = query.text
    strong, weak = missing_terms(question, context)
    strong = [w for w in strong if not named_by_deixis(w, context, doc.view)]
    absent_names = [n for n in query.names if n not in simple(context)]
    # A name the corpus never mentions at all is more than missing from this paragraph.
    misses = len(strong) + 2 * query.unknown + len(absent_names)
    kind = qtype(question)
    sentence = doc.view[cand.start:cand.end]
    # The sentence must hold a number/date/name that the question does not already say.
    if kind in ("number", "date", "person") and short_span(question, sentence, query.lexical, doc.title, strict=True) is None:
        misses += 1
    elif (kind == "number" or asks_money(question)) and not unit_fits(question, sentence):
        misses += 1
    elif kind == "number" and not unit_compatible(question, sentence):
        weak.append("unit")
    if not lists_fit(question, sentence):
        misses += 1
    if query.words and len(query.absent) >= ABSENT_SHARE * query.words:
        misses += len(query.absent)  # most of what is asked is nowhere in the corpus
    return misses, len(weak)


def _make_answer(index: Index, query: Query, cand: Candidate, conf: float) -> Answer:
    doc = index.docs[cand.doc]
    span = short_span(query.text, doc.view[cand.start:cand.end], query.lexical, doc.title)
    a, b = (cand.start + span[0], cand.start + span[1]) if span else (cand.start, cand.end)
    return Answer(doc.text[a:b], doc.text[cand.start:cand.end], conf, citation(index, cand.doc, cand.paragraph, cand.start, cand.end), a, b)


def passages(index: Index, hits: list[Hit]) -> tuple[Passage, ...]:
    """The supporting passages: each hit's chunk text with its citation."""
    return tuple(Passage(h.chunk.text, h.score, citation(index, h.chunk.doc, h.chunk.paragraph, h.chunk.start, h.chunk.end))
                 for h in hits)


def tentative(question: str, confidence: float, settings: ReaderSettings = ReaderSettings()) -> bool:
    """An answer given with confidence only just above the threshold; the
    interfaces add ``TENTATIVE_NOTE`` to it.

    >>> tentative("黄石有几家院士工作站？", 0.55), tentative("黄石有几家院士工作站？", 0.9)
    (True, False)
    """
    threshold = settings.threshold if has_cjk(question) else settings.threshold_latin
    return confidence < threshold + 0.1
