"""The library's front door: open an index (building it if allowed) and ask.

Usage (needs the model and the corpus, so it is shown, not run)::

    engine = Engine.open(Settings.resolve(), rebuild=True)
    engine.ask("黄石有几家院士工作站？").answer.text   # '4家'
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from .reader import Query, ReaderSettings, passages, read
from .reader.bridge import Bridge
from .reader.english_words import as_written
from .text.normalize import chinese_inserts, clean_input, is_english, one_dash, simple
from .reader.meta import AMBIGUOUS_NOTE, header_overlap, holds, kind_words, meta_answer, meta_kind, names_topic
from .index.chunk import ChunkSettings
from .config import Settings
from .model.embed import Embedder, Progress, load_embedder, sim_range
from .text.gloss import absent_words
from .index import Index, IndexProblem, build_index, expected_manifest, for_embedding, load_index
from .index.dense import search_threads
from .search import SearchSettings, search
from .text.terms import question_names
from .types import Answer, Hit, Response


class QuestionError(ValueError):
    """The question cannot be asked as given (empty, too long...)."""


MAX_QUESTION = 500
MAX_TOP_K = 50
ANSWER_CACHE = 1024
# An English question's nearest chunks by its embedding alone (Engine._nearest_text).
CONTEXT_CHUNKS = 10
# A question about "this report" of a library: its best passages must agree on the document,
# else the header it would be answered from is a guess, given this confidence.
META_HITS = 3
AMBIGUOUS = 0.2


@dataclass
class Engine:
    """Ask and verify over one index.

    Safe to call from several threads: the index, the models and the reader
    are read-only after ``open``; the shared caches (``functools.lru_cache``,
    the index's lazily made English glosses, the English bridge, the answers
    of recent questions) are filled idempotently, so two threads racing to
    fill one compute the same value.
    """
    index: Index
    embedder: Embedder
    settings: Settings
    search_settings: SearchSettings = field(default_factory=SearchSettings)
    reader_settings: ReaderSettings = field(default_factory=ReaderSettings)
    top_k: int = 5
    _bridge: Bridge | None = field(default=None, repr=False)

    def __post_init__(self):
        # Answers are a pure function of the index and the question, and the
        # questions people ask repeat: the last ANSWER_CACHE answers are kept
        # (per engine, so a rebuilt index starts empty).
        self._answer = lru_cache(maxsize=ANSWER_CACHE)(self._answer_uncached)
        self._bridge_lock = threading.Lock()
        # An English question's own vector serves twice: to find its nearest
        # passages (the bridge's senses), then in its query vector.
        self._own_vector = lru_cache(maxsize=64)(lambda text: self.embedder.queries([for_embedding(text)])[0])

    @classmethod
    def open(cls, settings: Settings, *, rebuild: bool = False, embedder: Embedder | None = None,
             progress: Progress | None = None, chunking: ChunkSettings = ChunkSettings()) -> "Engine":
        """Load the index; with ``rebuild`` a missing, stale or corrupt one is rebuilt.

        Without ``rebuild`` an unusable index raises IndexProblem with the reason.
        """
        embedder = embedder or load_embedder(settings.model, progress, settings.backend)
        search_threads()
        index = open_index(settings.corpus_dir, settings.index_dir, embedder, rebuild=rebuild,
                           progress=progress, chunking=chunking)
        return cls(index, embedder, settings)

    def ask(self, question: str, top_k: int | None = None) -> Response:
        """Answer one question from the corpus, or abstain with the closest passages."""
        if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= MAX_TOP_K):
            raise QuestionError(f"top_k 应为 1 到 {MAX_TOP_K} 之间的整数，收到的是 {top_k!r}"[:120])
        return self._answer(check_question(question), top_k or self.top_k)

    def _answer_uncached(self, question: str, top_k: int) -> Response:
        trace = self.trace(question, top_k)
        return Response(trace.question, trace.answer, passages(self.index, trace.hits[:top_k]), trace.unmentioned,
                        trace.note)

    def trace(self, question: str, top_k: int | None = None) -> "Trace":
        """Everything behind an answer: hits, the reader's best guess and its confidence.

        Evaluation uses it to score retrieval and the guess even when the reader abstains.
        """
        asked = check_question(question)
        query = self.query(asked)
        qvec, svec = self.query_vectors(query)
        k = max(top_k or self.top_k, self.reader_settings.candidate_chunks)
        hits = search(self.index, query.lexical, svec, k, self.search_settings, query.text if query.latin else None)
        if (meta := self.about_document(query, hits)) is not None:
            shown = meta if meta.confidence >= self.reader_settings.model().threshold else None
            return Trace(asked, hits, shown, meta, meta.confidence, note="" if shown else AMBIGUOUS_NOTE)
        answer, conf, best, note = read(self.index, query, qvec, hits, self.reader_settings, sim_range(self.embedder),
                                        svec)
        return Trace(asked, hits, answer, best, conf, query.unmentioned, note)

    def about_document(self, query: Query | str, hits: list[Hit]) -> Answer | None:
        """A question about the document itself (date, source, author, title), from its header.

        The document is the only one, the one whose title and header name the
        question's names (广东's report for 广东, or Guangdong bridged), or the
        one the question's best passages are all in.  Of several documents
        with none of these (这篇文章的作者是谁 asked of a library), the first
        retrieved is only a guess: it comes with ``AMBIGUOUS`` confidence, below
        the threshold, so the question is refused rather than answered from
        any one document.
        """
        query = query if isinstance(query, Query) else Query(query, query)
        kind = meta_kind(query.text)
        if kind is None or not (hits or len(self.index.docs) == 1):
            return None
        # Retrieved documents first, then the rest: of a library, only the blog posts may have a
        # category, and a question naming no topic may retrieve only the other documents.
        docs = list(dict.fromkeys([h.chunk.doc for h in hits] + list(self.index.docs)))
        # The reports meant: those the question names most, else the one its best passages all come from.
        words = [t for group in query.names for t in group] if query.latin else list(question_names(query.text))
        answers = {d: a for d in docs if (a := meta_answer(self.index.docs[d], kind)) is not None
                   and (kind != "holder" or holds(a.sentence, query.text, words))}
        if not answers:
            return None
        first = next(iter(answers.values()))
        named = {d: header_overlap(self.index.docs[d], words) for d in docs}
        overlap = {d: named[d] + header_overlap(self.index.docs[d], kind_words(query.text)) for d in docs}
        best = max(overlap.values())
        # A question naming no topic (这篇文章的作者是谁) retrieves passages of any document.
        topical = names_topic(query.text)
        top = list(dict.fromkeys(h.chunk.doc for h in hits[:META_HITS])) if topical else []
        meant = [d for d in docs if overlap[d] == best] if best else top
        # Of several that only the document kind picks (two blog posts), the one the passages are in;
        # a tie on names (two reports of one province) stays a guess.
        if best and not max(named.values()):
            meant = [d for d in meant if d in top] or meant
        # Settled when every report meant gives the field, and alike; a question naming no report is
        # also settled when every report that gives the field gives it alike (two posts by one
        # author). Else the value shown would be a guess.
        groups = [meant] if best else ([meant] if len(meant) == 1 else []) + [list(answers)]
        for group in groups:
            given = {simple(answers[d].text) for d in group if d in answers}
            if len(given) == 1 and all(d in answers for d in group):
                return answers[group[0]]
        return replace(first, confidence=AMBIGUOUS)

    def query(self, question: str) -> Query:
        """The question, bridged into Chinese terms when it is written in
        English; Chinese terms it quotes ("rafts (膠筏)") are kept as names
        the passage should hold."""
        if not is_english(question):
            return Query(question, question)
        question = one_dash(question)
        latin, inserts = chinese_inserts(question)
        quoted = tuple((simple(t),) for t in inserts)
        bridge = self.bridge().within(self._nearest_text(latin))
        found, unknown = bridge.names(latin)
        # Latin names the corpus writes as they are (PDIS, the Join platform) are kept
        # as they are, like quoted Chinese terms, not read as dictionary words.
        verbatim = bridge.verbatim(latin)
        segments = as_written(bridge.segments(latin), verbatim)
        absent, words = absent_words(segments, self.index.corpus_glosses(), bridge.corpus)
        held = {t for _, terms in segments for t in terms}
        quoted += tuple((v,) for v in verbatim if v not in held)
        groups = tuple(dict.fromkeys(quoted + tuple(terms for _, terms in segments if terms)))
        lexical = " ".join([t for (t,) in quoted] + [bridge.translate(latin, segments)]).strip()
        names = tuple(dict.fromkeys(quoted + tuple(found) + tuple(t for _, t in segments if set(t) & verbatim.keys())))
        return Query(question, lexical or question, tuple(unknown), names, absent, words, groups)

    def _nearest_text(self, question: str) -> str:
        """The text of the ``CONTEXT_CHUNKS`` chunks nearest the question's own
        embedding: where the bridge looks for the senses its words take here."""
        hits = search(self.index, question, self._own_vector(question), CONTEXT_CHUNKS, SearchSettings(mode="dense"))
        return "\n".join(h.chunk.text for h in hits)

    def query_vectors(self, query: Query) -> tuple[np.ndarray, np.ndarray]:
        """The question's vector for the reader and for retrieval.  An English
        question's is summed with its bridge's (the Chinese terms it translates
        to), then normalised; for retrieval its own part first goes through
        the English map (``reader/english_map.py``).

        The embedder alone ranks the sentence holding an English question's
        answer first for 21% of the development reports' English questions;
        with the bridge's vector added, for 43% (R@5 49% -> 70%).  The map
        moves the gold chunk to the top for 3 more in 100 (hybrid, out of
        fold); the reader keeps the unmapped vector, on whose cosines its
        features were designed (with the mapped one in their place it guessed
        worse), and reads the mapped one's in columns of their own.
        """
        own = self._own_vector(query.text)
        if not query.latin:
            unit = _unit(own)
            return unit, unit
        bridged = self.embedder.queries([for_embedding(query.lexical)])[0] if query.lexical != query.text else 0.0
        english = self.reader_settings.english_map()
        mapped = english.apply(own, self.embedder.id) if english else None
        return _unit(own + bridged), _unit(own + bridged if mapped is None else mapped + bridged)

    def bridge(self) -> Bridge:
        """The English bridge over this corpus, made once (seconds on a report):
        a lock keeps concurrent English questions from each making their own."""
        with self._bridge_lock:
            if self._bridge is None:
                bridge = Bridge("\n".join(d.text for d in self.index.docs.values())).warm()
                self.index.corpus_glosses()  # the English side of the same dictionary, made once too
                self._bridge = bridge
        return self._bridge

    def verify(self, quote: str):
        """Check a quote against the corpus; see rag/verify/ (raises QuoteError)."""
        from .verify import verify  # lazy: the quote checker needs no embedder

        return verify(self.index, quote)

    def check_draft(self, draft: str):
        """Find and check every quotation of a draft; see rag/verify/drafts.py (raises DraftError)."""
        from .verify.drafts import check_draft

        return check_draft(self.index, draft)


@dataclass(frozen=True)
class Trace:
    question: str
    hits: list[Hit]
    answer: Answer | None
    best: Answer | None
    confidence: float
    unmentioned: tuple[str, ...] = ()  # names in the question no report mentions (Ezhou)
    note: str = ""  # why it was refused when no name explains it (which report "this report" is, another report's subject)


def _unit(vec: np.ndarray) -> np.ndarray:
    return (vec / max(float(np.linalg.norm(vec)), 1e-12)).astype(np.float32)


def check_question(question: str) -> str:
    question = clean_input(question).strip()
    if not question:
        raise QuestionError("问题为空，请输入一个问题")
    if len(question) > MAX_QUESTION:
        raise QuestionError(f"问题过长（{len(question)} 字），请控制在 {MAX_QUESTION} 字以内")
    # Emoji, symbols or another script alone (😀, ★★★, ㅋㅋㅋ) match nothing in a report, yet their
    # vectors sit near some sentence: such input is no question, not a question without an answer.
    if not _SEARCHABLE.search(question):
        raise QuestionError("问题中没有可检索的中文、英文或数字，请用中文或英文提问")
    return question


_SEARCHABLE = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def open_index(corpus_dir: Path, index_dir: Path, embedder: Embedder, *, rebuild: bool,
               progress: Progress | None = None, chunking: ChunkSettings = ChunkSettings()) -> Index:
    """Load a usable index or, when allowed, rebuild it (saying why)."""
    expected = expected_manifest(embedder.id, corpus_dir, chunking)
    try:
        # The model id is in the manifest, so the same id means the same dimension.
        return load_index(index_dir, expected)
    except IndexProblem as problem:
        if not rebuild:
            raise
        if progress:
            progress(f"需要重建索引：{problem.reason}")
        return build_index(corpus_dir, index_dir, embedder, chunking, progress)
