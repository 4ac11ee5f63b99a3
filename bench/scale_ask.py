"""The whole ask path on a synthetic library of report files (``bench.scale --ask N``).

The library is written once under ``.cache/scale/`` (``bench/synth.py``),
built by ``build_index`` with random document vectors and real query vectors
(kept for the next run: its build time is then read from the manifest),
loaded again to measure its resident memory, then asked the benchmark
questions warm: ``Engine.ask`` (query embedding, retrieval, reader) and
``search`` alone with the query vector precomputed, first with the exact flat
index and then with an HNSW graph over the same vectors; the chunk vectors are
swapped for real e5 ones (``chunk_vectors``) when the benchmark index is cached.  The same questions
over a library of a fiftieth the size give the baseline in the same run: the
reader's cost depends on the questions, not on the corpus, so the difference
is what scale adds.
"""
from __future__ import annotations

import gc
import time
from pathlib import Path

import faiss
import numpy as np

from bench import synth
from bench.scale import MODEL, p50, rss_mb, timed
from rag.evaluation.benchmarks import cache_dir, shared_dir
from rag.config import Settings
from rag.model.embed import load_embedder
from rag.engine import Engine
from rag.index import IndexProblem, build_index, for_embedding, load_index
from rag.index.dense import DenseSettings, build_dense, search_threads, stored_vectors
from rag.search import search

WARMUP = 5


def library(n: int, embedder) -> tuple[Path, float]:
    """The library of about ``n`` chunks, written and indexed (flat) once; its folder and build seconds."""
    root = cache_dir() / "scale" / f"library-{n}"
    corpus = root / "corpus"
    if not corpus.is_dir():
        synth.write_library(corpus.with_name("corpus.tmp"), synth.source_paragraphs(shared_dir()), n)
        corpus.with_name("corpus.tmp").rename(corpus)
    seconds = root / "build.seconds"  # the whole build_index call (the manifest's figure stops before writing)
    try:
        load_index(root / "index")
        return root, float(seconds.read_text())
    except (IndexProblem, OSError, ValueError):
        t0 = time.perf_counter()
        build_index(corpus, root / "index", embedder, dense=DenseSettings(exact_below=10 * n + 1))
        seconds.write_text(str(round(time.perf_counter() - t0, 1)))
        return root, float(seconds.read_text())


def hnsw_of(root: Path, vectors, tag: str) -> tuple[faiss.Index, float]:
    """The HNSW graph over ``vectors`` (cached beside the library) and its build seconds."""
    path = root / f"hnsw-{tag}.faiss"
    if path.exists():
        return faiss.read_index(str(path)), float(path.with_suffix(".seconds").read_text())
    t0 = time.perf_counter()
    graph = build_dense(vectors, DenseSettings(exact_below=0))
    seconds = round(time.perf_counter() - t0, 1)
    faiss.write_index(graph, str(path))
    path.with_suffix(".seconds").write_text(str(seconds))
    return graph, seconds


def chunk_vectors(index) -> tuple[np.ndarray, str]:
    """Real e5 vectors for the chunks where the benchmark index is cached (copies with noise past
    its count), else the library's random ones: HNSW walks a random cloud several times slower."""
    from bench.scale import real_sources

    real = real_sources()
    if real is None:
        return stored_vectors(index.dense), "random"
    return synth.real_vectors(real[0], index.dense.ntotal), "real"


def measure(engine: Engine, qs: list[str], qvecs) -> dict:
    """Warm p50 of the ask path and of ``search`` alone.

    ``Engine.trace`` is ``ask`` without its answer cache: the same questions
    are asked of every library and index kind, and a cached answer would
    time nothing (HNSW after flat showed 0.0 ms).
    """
    k = max(engine.top_k, engine.reader_settings.candidate_chunks)
    for q in qs[:WARMUP]:
        engine.trace(q)
    ask = timed(engine.trace, qs)
    only = timed(lambda i: search(engine.index, qs[i], qvecs[i], k, engine.search_settings), range(len(qs)))
    return {"ask_ms": p50(ask), "search_ms": p50(only)}


def ask_run(n: int, queries: int = 100, model: str = MODEL) -> dict:
    search_threads()
    real = load_embedder(model)
    embedder = synth.RandomDocuments(real)
    qs = synth.questions(shared_dir(), queries)
    qvecs = real.queries([for_embedding(q) for q in qs])
    small, _ = library(max(300, n // 50), embedder)
    index = load_index(small / "index")
    row = {"part": "ask", "small": {"chunks": len(index.chunks)} | measure(Engine(index, embedder, Settings(
        small / "corpus", small / "index", model)), qs, qvecs)}
    del index
    root, row["build_s"] = library(n, embedder)
    gc.collect()
    before = rss_mb()
    index = load_index(root / "index")
    row["rss_mb"] = round(rss_mb() - before, 1)
    row |= {"files": len(index.docs), "chunks": len(index.chunks), "sentences": len(index.sentence_vectors)}
    engine = Engine(index, embedder, Settings(root / "corpus", root / "index", model))
    vectors, row["chunk_vectors"] = chunk_vectors(index)
    index.dense = build_dense(vectors, DenseSettings(exact_below=len(vectors) + 1))
    row["kinds"] = {"flat": measure(engine, qs, qvecs)}
    index.dense, row["hnsw_build_s"] = hnsw_of(root, vectors, row["chunk_vectors"])
    row["kinds"]["hnsw"] = measure(engine, qs, qvecs)
    row["embed_query_ms"] = p50(timed(lambda q: real.queries([q]), qs[:30]))
    return row
