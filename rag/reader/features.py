"""Features of candidate sentences and of a question's best guess, for the learned reader.

Every feature is generic (no word of any report or question set): how much
of the question a sentence and its neighbours cover, how close their
embeddings are, where retrieval ranked its chunk, whether the sentence holds
what the question type asks for, and what it lacks (``evidence.py``).
Values relative to the best candidate let one model serve questions whose
absolute scores differ.  ``SENTENCE`` and ``QUESTION`` name the columns;
the model file records them, so a model is never applied to other columns.
"""
from __future__ import annotations

import math
import re

import numpy as np

from ..text.gloss import gloss_coverage
from ..index import Index, passage_text
from ..text.normalize import simple
from ..text.persons import asks_holder
from ..text.qtype import qtype
from ..text.spans import has_fit
from .counts import type_fit
from .span import short_span
from ..text.terms import content
from .candidates import Candidate, Query, introduced
from .evidence import evidence_misses, lexical_coverage, names_slot, term_coverage
from .fits import names_agent

KINDS = ("number", "date", "person", "name", "other")
SENTENCE = ("lexical", "lexical_gap", "dense", "dense_gap", "retrieval", "chunk_rank", "chunk_dense", "type_fit",
            "strong", "weak", "slot", "has_span", "prev_lexical", "next_lexical", "para_lexical", "longest_run",
            "log_len", "first_in_para", "latin", "latin_lexical", "latin_dense", "has_any_type", "left_context",
            "right_context", "trigrams", "lexical_rank", "dense_rank", "blend", "scoped_lexical", "latin_mapped",
            "latin_mapped_gap", "misfit", "unnamed")
_WH = re.compile(r"[什甚]么|谁|哪[一个些里儿位年天家所种项条次]?|多少|几[个家名位项次年月日天岁所]?|何[时地处种人]?|怎样|怎么|如何|为什么|为何")
_NOT_CONTEXT = re.compile(r"[\s\W_]+")
QUESTION = ("score", "margin", "share", "strong", "weak", "lexical", "dense", "top_dense", "top_dense_gap",
            "latin", "absent_share", "unknown", "n_cands", "longest_run", "has_span", "left_context", "right_context",
            "trigrams", "rule_margin", "scoped_lexical", "retrieval", "latin_mapped", "latin_mapped_gap",
            "latin_mapped_top", "misfit", "unnamed") + tuple(f"q_{k}" for k in KINDS)
# An English question's scores run lower (its words reach the passage through the
# dictionary bridge): these columns let the model weigh them on their own scale.
LATIN_SCALED = ("score", "margin", "lexical", "dense", "top_dense", "rule_margin")
_LATIN_AT = tuple(QUESTION.index(name) for name in LATIN_SCALED)
QUESTION += tuple(f"latin_{name}" for name in LATIN_SCALED)
# The hand-made reader this model replaced, kept as one feature of the question
# model: its confidence (coverage and cosine, halved per strong miss, shrunk a
# quarter per weak one) less its threshold (0.48 Chinese, 0.27 English).
RULE = {"strong": 0.5, "weak": 0.75, "slot": 1.2, "threshold": 0.48, "threshold_latin": 0.27}


def _coverage(query: Query, texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros(0, np.float32)
    if query.latin:
        return np.maximum(term_coverage(query.groups, texts), gloss_coverage(query.text, texts))
    return lexical_coverage(query.lexical, texts)


def longest_run(question: str, sentence: str) -> float:
    """Longest run of the question's content characters found verbatim in the sentence, as a share.

    >>> round(longest_run("院士工作站有多少家", "全市建成院士工作站4家"), 2)
    0.83
    """
    q, s = simple(content(question)), simple(sentence)
    best = 0
    for i in range(len(q)):
        j = i + best + 1
        while j <= len(q) and q[i:j] in s:
            best, j = j - i, j + 1
    return best / len(q) if q else 0.0


def wh_context(question: str) -> tuple[str, str]:
    """The words just before and just after the question word: the answer stands between their echoes.

    >>> wh_context("战国无双3的发行商是谁？"), wh_context("黄石有多少家院士工作站")
    (('的发行商', ''), ('黄石', '家院士工'))
    """
    q = simple(question)
    m = _WH.search(q)
    if not m:
        return "", ""
    left = _NOT_CONTEXT.sub("", q[:m.start()]).rstrip("是为的了在有")[-4:]
    return left, _NOT_CONTEXT.sub("", q[m.end():])[:4]


def _context_match(context: str, sentence: str, suffix: bool) -> float:
    """Share of the context (its end when ``suffix``, else its start) found verbatim in the sentence."""
    for k in range(len(context), 0, -1):
        if (context[-k:] if suffix else context[:k]) in sentence:
            return k / len(context)
    return 0.0


def _trigram_share(question: str, sentence: str) -> float:
    q = simple(content(question))
    grams3 = {q[i:i + 3] for i in range(len(q) - 2)}
    return sum(g in sentence for g in grams3) / len(grams3) if grams3 else 0.0


def _rank(values: np.ndarray) -> np.ndarray:
    """1 for the best value, 1/2 for the second..."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return 1.0 / (1.0 + ranks)


def _neighbours(index: Index, cands: list[Candidate], query: Query):
    """Coverage of the sentence before, after, and of the whole paragraph."""
    before, after, paras = [], [], []
    for c in cands:
        doc = index.docs[c.doc]
        sents, para = doc.sentences, doc.paragraph(c.paragraph)
        # the sentence before in the paragraph, or the lead-in line that introduces it
        prev = sents[c.sentence - 1] if c.sentence > 0 else None
        if prev is not None and prev.paragraph != c.paragraph and introduced(doc, prev) != [sents[c.sentence]]:
            prev = None
        nxt = sents[c.sentence + 1] if c.sentence + 1 < len(sents) and sents[c.sentence + 1].paragraph == c.paragraph else None
        before.append(doc.view[prev.start:prev.end] if prev else "")
        after.append(doc.view[nxt.start:nxt.end] if nxt else "")
        paras.append(doc.view[para.start:para.end])
    return _coverage(query, before), _coverage(query, after), _coverage(query, paras)


def _cosines(index: Index, cands: list[Candidate], vec: np.ndarray, sims: tuple[float, float]) -> np.ndarray:
    lo, hi = sims
    return np.asarray([(float(index.sentence_vector(c.doc, c.sentence) @ vec) - lo) / (hi - lo) for c in cands],
                      np.float32)


def sentence_features(index: Index, query: Query, qvec: np.ndarray, cands: list[Candidate],
                      sims: tuple[float, float] = (0.75, 0.95), mapped: np.ndarray | None = None) -> np.ndarray:
    """One row per candidate, columns ``SENTENCE``; cosines rescaled by ``sims`` (low, high).

    ``mapped`` is an English question's vector through the English map
    (``english_map.py``, fitted to find its answer's sentence): its cosines
    are columns of their own, zero for a Chinese question.
    """
    texts = [index.docs[c.doc].view[c.start:c.end] for c in cands]
    kind = qtype(query.text)
    lex = _coverage(query, texts)
    # A sentence with the title and section that scope it, as the index reads
    # a chunk: a report names its subject (广东, 2026年) there, not in each sentence.
    lex_scoped = _coverage(query, [passage_text(index.docs[c.doc], c.paragraph, t) for c, t in zip(cands, texts)])
    lo, hi = sims
    dense = _cosines(index, cands, qvec, sims)
    mapped_dense = dense if mapped is None else _cosines(index, cands, mapped, sims)
    prev, nxt, para = _neighbours(index, cands, query)
    left, right = ("", "") if query.latin else wh_context(query.text)
    lex_rank, dense_rank = _rank(lex), _rank(dense)
    rows = []
    for i, (c, t) in enumerate(zip(cands, texts)):
        doc = index.docs[c.doc]
        strong, weak, misfit = evidence_misses(index, query, c)
        latin = float(query.latin)
        first = c.sentence == 0 or doc.sentences[c.sentence - 1].paragraph != c.paragraph
        fit = type_fit(query.simplified, kind, t)
        named = short_span(query.simplified, t, query.lexical, doc.title, strict=True) is not None
        rows.append([lex[i], lex[i] - lex.max(), dense[i], dense[i] - dense.max(), c.retrieval, 1.0 / (1 + c.rank),
                     (c.dense - lo) / (hi - lo), fit, strong, weak,
                     float(kind == "name" and not query.latin and names_slot(index, query, c)),
                     float(named),
                     prev[i], nxt[i], para[i], longest_run(query.lexical, t),
                     math.log(1 + len(t)), float(first), latin, latin * lex[i], latin * dense[i],
                     float(any(has_fit(k, t) for k in ("number", "date"))),
                     _context_match(left, simple(t), True) if left else 0.0,
                     _context_match(right, simple(t), False) if right else 0.0,
                     _trigram_share(query.lexical, simple(t)), lex_rank[i], dense_rank[i],
                     lex[i] + dense[i] + 0.3 * c.retrieval + 0.25 * fit, lex_scoped[i],
                     latin * mapped_dense[i], latin * (mapped_dense[i] - mapped_dense.max()), misfit,
                     _unnamed(query, kind, named, t)])
    return np.asarray(rows, np.float32).reshape(len(cands), len(SENTENCE))


def _unnamed(query: Query, kind: str, named: bool, text: str) -> float:
    """1.0 when a who-question's sentence names no one, nor (unless a role's holder
    is asked: 会长是谁) a group, office or role the question does not name.

    Its own column, not a misfit: names alone failed the gold sentence of 91 of
    126 development who-questions, so the models weigh it apart.  An English
    question names its bodies through its bridged terms.
    """
    if kind != "person" or named:
        return 0.0
    asked = query.lexical if query.latin else query.simplified
    return float(asks_holder(query.simplified) or not names_agent(asked, simple(text)))


def rule_margin(x: np.ndarray, col: dict[str, int]) -> float:
    """The replaced hand-made confidence of a candidate, less that reader's threshold.

    >>> col = {n: i for i, n in enumerate(SENTENCE)}
    >>> x = np.zeros(len(SENTENCE)); x[col["lexical"]], x[col["dense"]], x[col["strong"]] = 0.8, 0.6, 1
    >>> round(rule_margin(x, col), 3)
    -0.13
    """
    base = 0.5 * x[col["lexical"]] + 0.5 * min(1.0, max(0.0, float(x[col["dense"]])))
    conf = base * RULE["strong"] ** x[col["strong"]] * RULE["weak"] ** x[col["weak"]]
    conf = min(1.0, conf * (RULE["slot"] if x[col["slot"]] else 1.0))
    return float(conf - (RULE["threshold_latin"] if x[col["latin"]] else RULE["threshold"]))


def query_vector(query: Query) -> np.ndarray:
    """What the question model needs of a question itself: script, absent words, unknown names, type."""
    absent = len(query.absent) / query.words if query.words else 0.0
    kind = qtype(query.text)
    return np.asarray([float(query.latin), absent, float(query.unknown)] + [float(kind == k) for k in KINDS],
                      np.float32)


def question_features(info: np.ndarray, X: np.ndarray, scores: np.ndarray, best: int) -> np.ndarray:
    """The row for a question's best candidate ``best`` (ranker ``scores``), columns ``QUESTION``.

    ``info`` is ``query_vector(query)``; ``share`` is the best candidate's
    softmax share of the scores: how clearly the ranker preferred it.
    """
    col = {name: i for i, name in enumerate(SENTENCE)}
    second = float(np.sort(scores)[-2]) if len(scores) > 1 else float(scores[best]) - 5.0
    weights = np.exp(scores - scores.max())
    top_dense = float(X[:, col["chunk_dense"]].max())
    x = X[best]
    row = [float(scores[best]), float(scores[best]) - second, float(weights[best] / weights.sum()),
           x[col["strong"]], x[col["weak"]], x[col["lexical"]], x[col["dense"]], top_dense,
           x[col["dense"]] - top_dense, info[0], info[1], info[2], math.log(1 + len(scores)),
           x[col["longest_run"]], x[col["has_span"]], x[col["left_context"]], x[col["right_context"]],
           x[col["trigrams"]], rule_margin(x, col), x[col["scoped_lexical"]], x[col["retrieval"]],
           x[col["latin_mapped"]], x[col["latin_mapped_gap"]], float(X[:, col["latin_mapped"]].max()),
           x[col["misfit"]], x[col["unnamed"]]]
    row += list(info[3:])
    return np.asarray(row + [info[0] * row[i] for i in _LATIN_AT], np.float32)
