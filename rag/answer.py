"""Reader: pick the answer sentence from the top chunks, trim a short span, abstain.

A sentence's score mixes four generic signals:

* lexical: IDF-weighted coverage of the question's character bigrams and
  characters (question words removed); IDF over the candidates, so a subject
  named in every candidate sentence counts for little;
* dense: cosine of question and sentence embeddings (works across languages);
* retrieval: the fused score of the chunk the sentence came from;
* type fit: a number question wants a sentence with a number, and so on.

Confidence comes from the same signals for the chosen sentence; below the
threshold the reader abstains.  Weights and threshold are calibrated with
``rag eval`` on development sets, never on single questions.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .index import Index
from .normalize import has_cjk, simple
from .qtype import QUESTION_WORDS, candidate_spans, has_fit, qtype
from .types import Answer, Citation, Hit, Passage

ABSTAIN_MESSAGE = "报告中没有找到直接回答这个问题的内容"


@dataclass(frozen=True)
class ReaderSettings:
    candidate_chunks: int = 3
    w_lexical: float = 1.0
    w_dense: float = 1.0
    w_retrieval: float = 0.3
    w_type: float = 0.25
    threshold: float = 0.5
    threshold_latin: float = 0.80


@dataclass(frozen=True)
class Candidate:
    doc: str
    sentence: int
    paragraph: int
    start: int
    end: int
    retrieval: float


def content(question: str) -> str:
    """The question without question words and function characters.

    >>> content("黄石市有几家院士工作站？")
    '黄石市院士工作站?'
    """
    return QUESTION_WORDS.sub("", simple(question))


def _grams(text: str) -> tuple[set[str], set[str]]:
    chars = [c for c in text if has_cjk(c) or c.isalnum()]
    joined = "".join(chars)
    return set(chars), {joined[i:i + 2] for i in range(len(joined) - 1)}


def citation(index: Index, doc_id: str, paragraph: int, start: int, end: int) -> Citation:
    doc = index.docs[doc_id]
    para = doc.paragraph(paragraph)
    return Citation(doc.id, doc.path, doc.title, doc.date, para.section, paragraph, start, end)


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
    q_chars, q_bi = _grams(content(question))
    sets = [_grams(simple(t)) for t in texts]
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


def score_candidates(index: Index, question: str, qvec: np.ndarray, cands: list[Candidate],
                     settings: ReaderSettings) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Score every candidate sentence; return scores and the signals behind them."""
    texts = [index.docs[c.doc].text[c.start:c.end] for c in cands]
    kind = qtype(question)
    signals = {
        "lexical": lexical_coverage(question, texts) if has_cjk(question) else np.zeros(len(cands), np.float32),
        "dense": np.asarray([float(index.sentence_vector(c.doc, c.sentence) @ qvec) for c in cands], np.float32),
        "retrieval": np.asarray([c.retrieval for c in cands], np.float32),
        "type": np.asarray([float(has_fit(kind, t)) for t in texts], np.float32),
    }
    s = settings
    score = (s.w_lexical * signals["lexical"] + s.w_dense * signals["dense"]
             + s.w_retrieval * signals["retrieval"] + s.w_type * signals["type"])
    return score, signals


def confidence(signals: dict[str, np.ndarray], i: int, latin: bool) -> float:
    """How sure the reader is that sentence ``i`` answers: a 0..1 number.

    Cross-lingual questions have no lexical evidence, so they rest on the
    dense cosine alone (e5 cosines of related texts sit around 0.8-0.9).
    """
    dense = float(signals["dense"][i])
    if latin:
        return max(0.0, min(1.0, (dense - 0.70) / 0.25))
    lex = float(signals["lexical"][i])
    return max(0.0, min(1.0, 0.75 * lex + 0.25 * max(0.0, (dense - 0.75) / 0.2)))


def short_span(question: str, sentence: str) -> tuple[int, int] | None:
    """The candidate span nearest the words the question shares with the sentence."""
    spans = candidate_spans(qtype(question), sentence)
    q = simple(question)
    spans = [sp for sp in spans if simple(sentence[sp[0]:sp[1]]) not in q]
    if not spans:
        return None
    _, q_bi = _grams(content(question))
    norm = sentence
    hits = [i for i in range(len(norm) - 1) if simple(norm[i:i + 2]) in q_bi]
    if not hits:
        return spans[0]
    def distance(sp):
        return min(min(abs(h - sp[0]), abs(h - sp[1])) for h in hits)
    return min(spans, key=distance)


def read(index: Index, question: str, qvec: np.ndarray, hits: list[Hit],
         settings: ReaderSettings = ReaderSettings()) -> tuple[Answer | None, float, Answer | None]:
    """Best answer or None (abstain), its confidence, and the best guess either way."""
    cands = candidates(index, hits, settings.candidate_chunks)
    if not cands:
        return None, 0.0, None
    score, signals = score_candidates(index, question, qvec, cands, settings)
    i = int(np.argmax(score))
    latin = not has_cjk(question)
    conf = confidence(signals, i, latin)
    best = _make_answer(index, question, cands[i], conf)
    threshold = settings.threshold_latin if latin else settings.threshold
    return (best if conf >= threshold else None), conf, best


def _make_answer(index: Index, question: str, cand: Candidate, conf: float) -> Answer:
    doc = index.docs[cand.doc]
    sentence = doc.text[cand.start:cand.end]
    span = short_span(question, sentence)
    a, b = (cand.start + span[0], cand.start + span[1]) if span else (cand.start, cand.end)
    return Answer(doc.text[a:b], sentence, conf, citation(index, cand.doc, cand.paragraph, cand.start, cand.end), a, b)


def passages(index: Index, hits: list[Hit]) -> tuple[Passage, ...]:
    """The supporting passages: each hit's chunk text with its citation."""
    return tuple(Passage(h.chunk.text, h.score, citation(index, h.chunk.doc, h.chunk.paragraph, h.chunk.start, h.chunk.end))
                 for h in hits)

