"""The whole ask path on a synthetic library of report files (``bench.scale --ask N``).

The library is written once under ``.cache/scale/`` (``bench/synth.py``),
built from scratch by ``build_index`` with random document vectors and real
query vectors, loaded again to measure its resident memory, then asked the
benchmark questions warm: ``Engine.ask`` (query embedding, retrieval, reader)
and ``search`` alone with the query vector precomputed, first with the exact
flat index and then with an HNSW index over the same vectors.
"""
from __future__ import annotations

import gc
import shutil
import time

from bench import synth
from bench.scale import MODEL, p50, rss_mb, timed
from rag.benchmarks import cache_dir, shared_dir
from rag.config import Settings
from rag.embed import load_embedder
from rag.engine import Engine
from rag.index import build_index, for_embedding, load_index
from rag.index.dense import DenseSettings, build_dense, search_threads, stored_vectors
from rag.search import search

WARMUP = 5


def library(n: int):
    """The corpus folder of about ``n`` chunks (written once) and a fresh index path."""
    root = cache_dir() / "scale" / f"library-{n}"
    corpus = root / "corpus"
    if not corpus.is_dir():
        synth.write_library(corpus.with_name("corpus.tmp"), synth.source_paragraphs(shared_dir()), n)
        corpus.with_name("corpus.tmp").rename(corpus)
    shutil.rmtree(root / "index", ignore_errors=True)
    return corpus, root / "index"


def ask_run(n: int, queries: int = 100, model: str = MODEL) -> dict:
    search_threads()
    corpus, index_dir = library(n)
    real = load_embedder(model)
    embedder = synth.RandomDocuments(real)
    flat = DenseSettings(exact_below=10 * n + 1)
    t0 = time.perf_counter()
    built = build_index(corpus, index_dir, embedder, dense=flat)
    row = {"part": "ask", "build_s": round(time.perf_counter() - t0, 1), "files": len(built.docs),
           "chunks": len(built.chunks), "sentences": len(built.sentence_vectors)}
    del built
    gc.collect()
    before = rss_mb()
    index = load_index(index_dir)
    row["rss_mb"] = round(rss_mb() - before, 1)
    engine = Engine(index, embedder, Settings(corpus, index_dir, model))
    qs = synth.questions(shared_dir(), queries)
    qvecs = real.queries([for_embedding(q) for q in qs])
    k = max(engine.top_k, engine.reader_settings.candidate_chunks)
    row["kinds"] = {}
    for kind in ("flat", "hnsw"):
        if kind == "hnsw":
            t0 = time.perf_counter()
            index.dense = build_dense(stored_vectors(index.dense), DenseSettings(exact_below=0))
            row["hnsw_build_s"] = round(time.perf_counter() - t0, 1)
        for q in qs[:WARMUP]:
            engine.ask(q)
        row["kinds"][kind] = {"ask_ms": p50(timed(engine.ask, qs)),
                              "search_ms": p50(timed(lambda i: search(index, qs[i], qvecs[i], k, engine.search_settings),
                                                     range(len(qs))))}
    row["embed_query_ms"] = p50(timed(lambda q: real.queries([q]), qs[:30]))
    return row
