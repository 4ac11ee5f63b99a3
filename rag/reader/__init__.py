"""The reader: from retrieved passages to an answer sentence and a short span, or a refusal.

1. candidates: the sentences of the top chunks (``candidates.py``);
2. features: coverage, embedding similarity, retrieval rank, type fit and
   evidence misses of each (``features.py``, ``evidence.py``);
3. a learned sentence model picks the best; a learned question model turns
   its features into a calibrated probability that the answer is right
   (``model.py``, fitted by ``rag train`` on CMRC2018 and DRCD dev and the
   development reports); below the threshold the reader refuses;
4. the short span inside the sentence (``span.py``).

Questions about the document itself (date, source, author) are answered
from its header (``meta.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..index import Index
from ..types import Answer, Hit, confidence_level as level
from .candidates import Candidate, Query, candidates, citation, passages
from .english_map import EnglishMap, load_map, map_path
from .evidence import make_answer, names_nobody, other_subject
from .features import QUESTION, query_vector, question_features, sentence_features
from .model import MODEL_PATH, ReaderModel, load_model

ABSTAIN_MESSAGE = "报告中没有找到直接回答这个问题的内容"
TENTATIVE_NOTE = "置信度偏低，请对照原文核实"

__all__ = ["ABSTAIN_MESSAGE", "TENTATIVE_NOTE", "Candidate", "Query", "ReaderSettings", "Reading", "candidates",
           "citation", "level", "other_note", "passages", "read", "reading", "tentative", "unmentioned_note"]


@dataclass(frozen=True)
class ReaderSettings:
    """How many chunks give candidates, and the model (None: the shipped one).

    ``fold`` picks the model fitted without that fold of the training data:
    evaluation scores a training question with the model that never saw its article.
    """

    candidate_chunks: int = 5
    model_path: str | None = None
    fold: int | None = None
    english_path: str | None = None  # the English map (None: the one beside the model)

    def model(self) -> ReaderModel:
        return load_model(self.model_path or str(MODEL_PATH), self.fold)

    def english_file(self) -> Path:
        return Path(self.english_path or map_path(self.model_path or MODEL_PATH))

    def english_map(self) -> EnglishMap | None:
        return load_map(str(self.english_file()), self.fold)


@dataclass(frozen=True)
class Reading:
    """What the reader saw of one question: candidates, their features and ranker scores."""

    query: Query
    cands: list[Candidate]
    X: np.ndarray
    scores: np.ndarray
    best: int
    q: np.ndarray
    confidence: float


def reading(index: Index, query: Query, qvec: np.ndarray, hits: list[Hit],
            settings: ReaderSettings = ReaderSettings(), sims: tuple[float, float] = (0.75, 0.95),
            mapped: np.ndarray | None = None) -> Reading | None:
    """Features and model outputs for one question; None when nothing was retrieved
    (``mapped``: an English question's vector through the English map)."""
    cands = candidates(index, hits, settings.candidate_chunks)
    if not cands:
        return None
    model = settings.model()
    X = sentence_features(index, query, qvec, cands, sims, mapped)
    scores = model.sentence.predict(X)
    best = int(np.argmax(scores))
    q = question_features(query_vector(query), X, scores, best)
    return Reading(query, cands, X, scores, best, q, float(model.question.predict(q[None, :])[0]))


def read(index: Index, question: "str | Query", qvec: np.ndarray, hits: list[Hit],
         settings: ReaderSettings = ReaderSettings(), sims: tuple[float, float] = (0.75, 0.95),
         mapped: np.ndarray | None = None) -> tuple[Answer | None, float, Answer | None, str]:
    """Best answer or None (refusal), its confidence, the best guess either way, and why it
    was refused when the reason is another report's subject (``other_note``).

    ``sims`` is the embedder's range of cosines between related texts
    (``embed.sim_range``): cosines are rescaled by it, so a model fitted with
    e5 reads the similarities of another embedder on the same scale.
    """
    query = Query.of(question)
    r = reading(index, query, qvec, hits, settings, sims, mapped)
    if r is None:
        return None, 0.0, None, ""
    best = make_answer(index, query, r.cands[r.best], r.confidence)
    margin = float(r.q[QUESTION.index("rule_margin")])
    # A place or person the dictionary knows but no report mentions (Ezhou in
    # a Huangshi report): the question is about something else.  Too rare in
    # the training data (2 of 5,700 questions) for the model to learn it.
    # Nor a role's holder asked of a sentence naming no one (evidence.names_nobody), nor
    # what another report is about asked of one that never says it (广东 of a Sichuan report:
    # 97 of 5,263 development questions, none a right best guess).
    other = other_subject(index, query, r.cands[r.best])
    answers = (settings.model().answers(r.confidence, margin) and not query.unknown
               and not names_nobody(query, best.sentence) and not other)
    return (best if answers else None), r.confidence, best, other_note(other, best.citation.title) if other else ""


def tentative(question: str, confidence: float, settings: ReaderSettings = ReaderSettings()) -> bool:
    """An answer given with confidence only just above the threshold; the interfaces add ``TENTATIVE_NOTE``."""
    return confidence < settings.model().threshold + 0.1


def other_note(name: str, title: str) -> str:
    """Why a question about what another report covers was refused.

    >>> other_note("广东", "2026年四川省人民政府工作报告")
    '问题问的是广东，最接近的段落出自《2026年四川省人民政府工作报告》，那篇报告没有提到广东'
    """
    return f"问题问的是{name}，最接近的段落出自《{title}》，那篇报告没有提到{name}"


def unmentioned_note(names: tuple[str, ...]) -> str:
    """Why a question was refused when it names what no report mentions.

    >>> unmentioned_note(("Ezhou",)), unmentioned_note(())
    ('问题提到的 Ezhou 在报告中没有出现', '')
    """
    return f"问题提到的 {'、'.join(names)} 在报告中没有出现" if names else ""
