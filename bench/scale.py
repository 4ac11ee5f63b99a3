"""Scale runs: the dense index, BM25 and the whole ask path on a synthetic library.

``python -m bench.scale [--sizes 10000,100000] [--million] [--ask 100000]``
(or ``make bench-scale``, which adds ``--million``) prints a table and writes
``bench/results/scale.json``.  Every part runs in a child process of its
own, so its RSS delta (resident memory after loading the part from disk,
minus before) is not blurred by what an earlier part left behind.

* **dense** at each size, on random unit vectors and, where the benchmark
  indexes are cached (``make eval`` builds them), on real e5 vectors: build
  time, memory, query latency of the exact scan the search does today (every
  chunk scored) and of HNSW at several ``efSearch``, and recall@10 of HNSW
  against exact search; ``depth`` is the recall of the true top 10 among
  the 200 candidates the fusion takes.
* **bm25** at each size: copies of the library's tokenised chunks (10% of
  tokens swapped) indexed by bm25s; build time, memory, query latency.
* **ask** on a library of ~100k chunks written as report files and built by
  ``build_index`` (random document vectors, real query vectors;
  ``bench/synth.py``): warm ``Engine.ask`` and ``search`` alone, flat and HNSW.

>>> p50([0.003, 0.001, 0.002])
2.0
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

from bench import synth
from rag.evaluation.benchmarks import ROOT, cache_dir, model_tag, shared_dir
from rag.index.dense import DenseSettings, approximate_scores, build_dense, exact_scores, search_threads

MODEL = "intfloat/multilingual-e5-small"
EF = (32, 64, 128, 256)
DEPTH = 200
RESULT = ROOT / "bench" / "results" / "scale.json"


def p50(seconds: list[float]) -> float:
    """Median in milliseconds."""
    return round(1000 * statistics.median(seconds), 2)


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(x.split()[1] for x in status.splitlines() if x.startswith("VmRSS"))) / 1024


def timed(fn, inputs, repeat: int = 1) -> list[float]:
    out = []
    for x in inputs:
        t0 = time.perf_counter()
        for _ in range(repeat):
            fn(x)
        out.append((time.perf_counter() - t0) / repeat)
    return out


def real_sources() -> tuple[np.ndarray, np.ndarray] | None:
    """Chunk and sentence vectors of the cached benchmark indexes, and the query vectors (cached)."""
    tag = model_tag(MODEL)
    dirs = [cache_dir() / "bench-index" / f"{s}-{tag}" for s in ("cmrc2018", "drcd")]
    dirs = [d for d in dirs if (d / "chunks.faiss").is_file()]
    if not dirs:
        return None
    chunks = [faiss.read_index(str(d / "chunks.faiss")) for d in dirs]
    base = [c.reconstruct_n(0, c.ntotal) for c in chunks] + [np.load(d / "sentences.npy", allow_pickle=False) for d in dirs]
    qpath = cache_dir() / "scale" / f"queries-{tag}.npy"
    if not qpath.exists():
        from rag.model.embed import load_embedder
        from rag.index import for_embedding

        qpath.parent.mkdir(parents=True, exist_ok=True)
        texts = [for_embedding(q) for q in synth.questions(shared_dir(), 200)]
        np.save(qpath, load_embedder(MODEL).queries(texts), allow_pickle=False)
    return np.vstack(base).astype(np.float32), np.load(qpath, allow_pickle=False)


def dense_inputs(n: int, source: str, queries: int) -> tuple[np.ndarray, np.ndarray]:
    if source == "random":
        return synth.unit_vectors(n, 384, seed=0), synth.unit_vectors(queries, 384, seed=1)
    base, qvecs = real_sources()
    return synth.real_vectors(base, n), qvecs[:queries]


def _load(path: Path) -> tuple[faiss.Index, float]:
    gc.collect()
    before = rss_mb()
    index = faiss.read_index(str(path))
    return index, round(rss_mb() - before, 1)


def dense_part(n: int, source: str, queries: int = 50, kinds: str = "flat+hnsw") -> dict:
    """Flat and/or HNSW on ``n`` vectors: build seconds, RSS delta after loading, latency, recall@10.

    ``kinds`` "flat" or "hnsw" alone splits a long run (1M) so the quick half reports first.
    """
    search_threads()
    vectors, qs = dense_inputs(n, source, queries)
    row, tmp = {"part": "dense", "n": n, "source": source}, Path(tempfile.mkdtemp(dir=cache_dir()))
    truth = build_dense(vectors, DenseSettings(exact_below=n + 1)).search(qs, 10)[1]  # exact top 10
    for kind in kinds.split("+"):
        t0 = time.perf_counter()
        faiss.write_index(build_dense(vectors, DenseSettings(exact_below=n + 1 if kind == "flat" else 0)), str(tmp / kind))
        row[f"{kind}_build_s"] = round(time.perf_counter() - t0, 2)
        row[f"{kind}_file_mb"] = round((tmp / kind).stat().st_size / 2**20, 1)
    del vectors
    for kind in kinds.split("+"):
        index, row[f"{kind}_rss_mb"] = _load(tmp / kind)
        row |= _flat_timings(index, qs) if kind == "flat" else _hnsw_timings(index, qs, truth)
        del index
        (tmp / kind).unlink()
    tmp.rmdir()
    return row


def _flat_timings(flat: faiss.Index, qs: np.ndarray) -> dict:
    """What the exact path costs: every chunk scored (``search.dense_scores``), and a FAISS top 10."""
    return {"flat_all_scores_ms": p50(timed(lambda q: exact_scores(flat, q), qs)),
            "flat_top10_ms": p50(timed(lambda q: flat.search(q.reshape(1, -1), 10), qs))}


def _hnsw_timings(hnsw: faiss.Index, qs: np.ndarray, truth: np.ndarray) -> dict:
    """Latency and recall@10 at each efSearch; ``depth_recall``: the true top 10 among the fusion's 200."""
    row = {}
    for ef in EF:
        hnsw.hnsw.efSearch = ef
        row[f"ef{ef}_ms"] = p50(timed(lambda q: hnsw.search(q.reshape(1, -1), 10), qs))
        row[f"ef{ef}_recall"] = recall(hnsw.search(qs, 10)[1], truth)
    hnsw.hnsw.efSearch = DenseSettings().ef_search
    params = faiss.SearchParametersHNSW()
    params.efSearch = DEPTH  # as approximate_scores asks
    row["depth_recall"] = recall(hnsw.search(qs, DEPTH, params=params)[1], truth)
    lexical = np.random.default_rng(2).random(hnsw.ntotal, dtype=np.float32)  # stands in for BM25's scores
    row["fusion_dense_ms"] = p50(timed(lambda q: approximate_scores(hnsw, q, lexical, DEPTH), qs))
    return row


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of each query's true top 10 found.

    >>> recall(np.array([[1, 2, 9]]), np.array([[1, 2, 3]]))
    0.667
    """
    return round(float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found.tolist(), truth.tolist())])), 3)


def chunk_texts(limit: int | None = None) -> list[str]:
    """The library's source paragraphs cut as the chunker roughly does (240 characters, step 180)."""
    out = [f"{title}\n{text[i:i + 240]}" for title, text in synth.source_paragraphs(shared_dir())
           for i in range(0, max(1, len(text) - 60), 180)]
    return out[:limit]


def bm25_part(n: int, queries: int = 50) -> dict:
    """bm25s over ``n`` chunks: build seconds, RSS delta after loading, query latency."""
    import bm25s

    from rag.index.lexical import BM25_PARAMS, Lexical

    ids, vocab = synth.token_ids(chunk_texts())
    corpus = synth.replicate_ids(ids, len(vocab), n)
    del ids
    row, tmp = {"part": "bm25", "n": n, "postings": sum(len(np.unique(x)) for x in corpus)}, Path(tempfile.mkdtemp(dir=cache_dir()))
    t0 = time.perf_counter()
    retriever = bm25s.BM25(**BM25_PARAMS)
    retriever.index((corpus, vocab), show_progress=False)
    row["build_s"] = round(time.perf_counter() - t0, 2)
    Lexical(retriever).save(tmp)
    del corpus, retriever
    gc.collect()
    before = rss_mb()
    lexical = Lexical.load(tmp)
    row["rss_mb"] = round(rss_mb() - before, 1)
    qs = synth.questions(shared_dir(), queries)
    row["query_ms"] = p50(timed(lexical.scores, qs))
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()
    return row


def ask_part(n: int, queries: int = 100, model: str = MODEL) -> dict:
    """Warm ``ask`` and ``search`` on a ~``n``-chunk library built from report files, flat then HNSW."""
    from bench.scale_ask import ask_run

    return ask_run(n, queries, model)


PARTS = {"dense": dense_part, "bm25": bm25_part, "ask": ask_part}


def child(part: str, *args) -> dict:
    """Run one part in a fresh interpreter (its own RSS); its JSON is the last line it prints."""
    cmd = [sys.executable, "-m", "bench.scale", "--part", part, *map(str, args)]
    # A fixed mmap threshold: glibc otherwise raises it after a large free and
    # keeps the next large allocation in the heap, hiding it from RSS deltas.
    env = os.environ | {"MALLOC_MMAP_THRESHOLD_": "131072"}
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    if done.returncode:
        return {"part": part, "args": list(args), "error": done.stderr.strip().splitlines()[-1:]}
    # Latencies on a shared machine mean little without how busy it was.
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"loadavg": round(os.getloadavg()[0], 1)}


def plan(sizes: list[int], million: bool, ask: int, sources: list[str]) -> list[tuple]:
    """The child runs, smallest first and the million last, so a long run shows early numbers.

    Real vectors stop at 100k: past the benchmark indexes' own vectors they are noisy copies.
    """
    def size(n):
        dense = [("dense", n, s) for s in sources if s == "random" or n <= 100_000]
        return dense + ([("bm25", n)] if "random" in sources else [])

    runs = [run for n in sizes for run in size(n)] + ([("ask", ask)] if ask else [])
    if million:  # the exact half and BM25 first: the HNSW graph takes most of the hour
        runs += [("dense", 1_000_000, "random", 50, "flat"), ("bm25", 1_000_000), ("dense", 1_000_000, "random", 50, "hnsw")]
    return runs


def table(rows: list[dict]) -> str:
    """The results as markdown tables, one per part."""
    out = ["| dense | n | build flat / HNSW s | RSS flat / HNSW MB | all-scores scan ms | HNSW ef64 / ef128 ms "
           "| recall@10 ef64 / ef128 / depth 200 |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.get("part") == "dense" and "error" not in r:
            g = lambda k: r.get(k, "–")  # noqa: E731 (a split 1M run has one kind a row)
            out.append(f"| {r['source']} | {r['n']:,} | {g('flat_build_s')} / {g('hnsw_build_s')} | {g('flat_rss_mb')} / "
                       f"{g('hnsw_rss_mb')} | {g('flat_all_scores_ms')} | {g('ef64_ms')} / {g('ef128_ms')} | "
                       f"{g('ef64_recall')} / {g('ef128_recall')} / {g('depth_recall')} |")
    out += ["", "| bm25 | n | postings | build s | RSS MB | query p50 ms |", "|---|---|---|---|---|---|"]
    out += [f"| | {r['n']:,} | {r['postings']:,} | {r['build_s']} | {r['rss_mb']} | {r['query_ms']} |"
            for r in rows if r.get("part") == "bm25" and "error" not in r]
    for r in rows:
        if r.get("part") == "ask" and "error" not in r:
            out += ["", f"ask on {r['chunks']:,} chunks ({r['files']} files, {r['sentences']:,} sentences): build "
                    f"{r['build_s']} s, index RSS {r['rss_mb']} MB, query embedding {r['embed_query_ms']} ms", "",
                    "| library | dense | ask p50 ms | search p50 ms |", "|---|---|---|---|",
                    f"| {r['small']['chunks']:,} chunks | flat | {r['small']['ask_ms']} | {r['small']['search_ms']} |"]
            out += [f"| {r['chunks']:,} chunks | {k} | {v['ask_ms']} | {v['search_ms']} |" for k, v in r["kinds"].items()]
    out += [f"\nerror in {r['part']} {r.get('args')}: {r['error']}" for r in rows if "error" in r]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=PARTS, help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default="10000,100000", help="dense and BM25 sizes, comma-separated")
    parser.add_argument("--million", action="store_true", help="add 1M chunks (random vectors; ~30 min, ~8 GB)")
    parser.add_argument("--ask", type=int, default=100_000, help="chunks of the ask-path library (0 skips)")
    parser.add_argument("--sources", default="random,real", help="dense vectors: random, real (benchmark indexes) or both")
    parser.add_argument("--json", type=Path, default=RESULT)
    a = parser.parse_args(argv)
    if a.part:
        print(json.dumps(PARTS[a.part](*[int(x) if x.isdigit() else x for x in a.args]), ensure_ascii=False))
        return 0
    cache_dir().mkdir(parents=True, exist_ok=True)
    sources = [x for x in a.sources.split(",") if x != "real" or real_sources() is not None]
    real = "real" in sources
    rows = []
    for run in plan([int(x) for x in a.sizes.split(",") if x], a.million, a.ask, sources):
        rows.append(child(*run))
        print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr, flush=True)
        synth.dump(a.json, {"model": MODEL, "real_vectors": real, "rows": rows})
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
