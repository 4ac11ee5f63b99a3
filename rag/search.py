"""Hybrid retrieval: BM25 and dense scores, min-max normalised, weighted sum.

On CMRC2018 dev the weighted sum beat reciprocal-rank fusion and either
retriever alone (baselines in ../shared/benchmarks/BASELINES.md); ``bench/``
and ``rag eval`` measure it here.  An English question reaches BM25 through
its dictionary bridge into Chinese terms, blended with the English glosses of
each chunk (``gloss_weight``); a question with neither is ranked by dense alone.

Above ``DenseSettings.exact_below`` chunks the dense side is an HNSW graph:
the fusion then runs over its nearest chunks and BM25's best, each with its
exact inner product (``index.dense.approximate_scores``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .text.gloss import coverage
from .index import Index
from .index.dense import approximate_scores, exact_scores, is_exact
from .text.normalize import has_cjk
from .types import Hit


@dataclass(frozen=True)
class SearchSettings:
    """Fusion weights.  English questions once leaned on the lexical side
    (bridged terms plus gloss coverage): e5-small's cross-lingual cosines
    alone ranked the gold chunk first less often (R@1 60 of 86 at dense 0.5,
    gloss 0.3; 70 at 0.3 and 0.7).  Since an English question's vector is
    summed with its bridge's (``Engine.query_vectors``), equal weights find
    the gold chunk in the top 5 for 98 of the development reports' 120
    English questions (93 at 0.3) and 128 of the shipped report's 136 (130).
    With the report vocabulary (``data/report_terms.u8``) the bridged BM25
    earns an equal share with the glosses: R@1 278 -> 286 of the
    development reports' 444 English questions, 91 -> 94 of ``qa_report2``'s
    119 (gloss weight 0.7 -> 0.5; 0.3: 285, 95)."""

    dense_weight: float = 0.5
    dense_weight_latin: float = 0.5
    gloss_weight: float = 0.5
    mode: str = "hybrid"  # hybrid | dense | bm25
    depth: int = 200  # approximate (HNSW) indexes: candidates fused from each side


def minmax(x: np.ndarray) -> np.ndarray:
    """Scale to [0, 1]; a constant vector becomes zeros.

    >>> minmax(np.array([1.0, 3.0, 2.0])).tolist()
    [0.0, 1.0, 0.5]
    """
    if x.size == 0 or float(x.max()) - float(x.min()) < 1e-9:
        return np.zeros_like(x, dtype=np.float32)
    lo, hi = float(x.min()), float(x.max())
    return ((x - lo) / (hi - lo)).astype(np.float32)


def dense_scores(index: Index, qvec: np.ndarray) -> np.ndarray:
    """Inner product of the query with every chunk (exact, flat index)."""
    return exact_scores(index.dense, qvec)


def top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` highest scores, exactly as ``np.argsort(-scores, kind="stable")[:k]``
    (ties in index order), without sorting all of them: at 1M chunks a full
    sort alone costs ~100 ms.

    >>> top(np.array([0.5, 0.9, 0.5, 0.1, 0.9]), 3).tolist()
    [1, 4, 0]
    """
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")[:k]
    neg = -scores
    kth = np.partition(neg, k - 1)[k - 1]
    tied = np.flatnonzero(neg <= kth)  # every score at least the k-th, ties included, in index order
    return tied[np.argsort(neg[tied], kind="stable")][:k]


def fuse(dense: np.ndarray, lexical: np.ndarray, weight: float) -> np.ndarray:
    """``weight * minmax(dense) + (1 - weight) * minmax(lexical)``."""
    return weight * minmax(dense) + (1.0 - weight) * minmax(lexical)


def search(index: Index, question: str, qvec: np.ndarray, k: int = 5,
           settings: SearchSettings = SearchSettings(), english: str | None = None) -> list[Hit]:
    """Top ``k`` chunks for a question whose embedding is ``qvec``; ``english``
    is the original text of a question that ``question`` bridges into Chinese."""
    lexical = index.lexical.scores(question)
    if english and settings.gloss_weight:
        # An English question: BM25 over its bridged Chinese terms, blended
        # with how well each chunk's English glosses cover it (gloss.py).
        cov = coverage(english, index.chunk_glosses())
        lexical = (1 - settings.gloss_weight) * minmax(lexical) + settings.gloss_weight * minmax(cov)
    if is_exact(index.dense):
        dense = dense_scores(index, qvec)
    else:
        dense = approximate_scores(index.dense, qvec, lexical, max(settings.depth, k))
    weight = {"dense": 1.0, "bm25": 0.0}.get(settings.mode, settings.dense_weight_latin if english else settings.dense_weight)
    if settings.mode == "hybrid" and (not has_cjk(question) or not lexical.any()):
        weight = 1.0
    fused = fuse(dense, lexical, weight)
    order = top(fused, k)
    return [Hit(index.chunks[i], float(fused[i]), float(dense[i]), float(lexical[i])) for i in order]
