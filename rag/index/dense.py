"""The dense index: exact (``IndexFlatIP``) below a corpus size, HNSW above.

Below ``exact_below`` chunks every question is scored against every chunk
vector, as before, so small corpora give exactly the hits they always gave.
Above it a flat scan of all vectors and the fusion over all of them grow
with the corpus, so an HNSW graph (``IndexHNSWFlat``: full fp32 vectors plus
the graph) finds the nearest ``depth`` chunks instead; ``search`` then fuses
over those and BM25's best (see ``approximate_scores``).  The threshold and
parameters come from ``python -m bench.scale`` (docs/scaling.md has the
numbers): recall@10 against exact search on e5 vectors, and latency.

The kind and its build parameters are recorded in the manifest
(``manifest["dense"]``), an index whose recorded kind no longer matches what
the settings choose for its size is stale, and a loaded FAISS file whose type
disagrees with the record is corrupt.

>>> s = DenseSettings(exact_below=1000)
>>> s.plan(999), s.plan(1000)["kind"]
({'kind': 'flat'}, 'hnsw')
>>> DenseSettings.resolve(env={"RAG_EXACT_BELOW": "7", "RAG_EF_SEARCH": "64"}, ef_search=96)
DenseSettings(exact_below=7, m=32, ef_construction=80, ef_search=96)
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass

import faiss
import numpy as np

from .problem import IndexProblem

FLAT = {"kind": "flat"}
_ENV = {"exact_below": "RAG_EXACT_BELOW", "ef_search": "RAG_EF_SEARCH"}


@dataclass(frozen=True)
class DenseSettings:
    """When to leave exact search, and the HNSW parameters (measured in bench/scale.py).

    ``ef_search`` is a query-time setting: changing it needs no rebuild (a
    search for more neighbours than it, as ``search`` asks for its fusion
    depth, widens it to that many).  ``m`` and ``ef_construction`` shape the graph and are
    recorded in the manifest.
    """

    exact_below: int = 50_000  # measured: docs/scaling.md, "The index type follows corpus size"
    m: int = 32
    ef_construction: int = 80
    ef_search: int = 128

    @classmethod
    def resolve(cls, exact_below: int | None = None, ef_search: int | None = None, env=None) -> "DenseSettings":
        """A flag wins, then ``RAG_EXACT_BELOW`` / ``RAG_EF_SEARCH``, then the default."""
        env = os.environ if env is None else env
        flags = {"exact_below": exact_below, "ef_search": ef_search}
        value = {k: flags[k] if flags[k] is not None else env.get(_ENV[k]) for k in _ENV}
        return cls(**{k: int(v) for k, v in value.items() if v is not None})

    def plan(self, n: int) -> dict:
        """What a corpus of ``n`` chunks gets; this dict is ``manifest["dense"]``."""
        if n < self.exact_below:
            return dict(FLAT)
        return {"kind": "hnsw", "m": self.m, "ef_construction": self.ef_construction}

    def to_dict(self) -> dict:
        return asdict(self)


def search_threads(n: int | None = None) -> int:
    """Pin FAISS's OpenMP threads for questions (``RAG_THREADS``, default 1), as torch is pinned.

    One question is too small to share out: on the shared 2-core machine a
    flat scan of 100k chunks took 108 ms with two threads and 47 ms with one.
    """
    n = n or int(os.environ.get("RAG_THREADS", "1"))
    faiss.omp_set_num_threads(n)
    return n


def build_dense(vectors: np.ndarray, settings: DenseSettings) -> faiss.Index:
    """The index ``settings`` plans for these (normalised) vectors, filled (an HNSW graph on every core)."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    plan = settings.plan(len(vectors))
    if plan["kind"] == "flat":
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, plan["m"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = plan["ef_construction"]
        index.hnsw.efSearch = settings.ef_search
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(len(os.sched_getaffinity(0)))
    try:
        index.add(vectors)
    finally:
        faiss.omp_set_num_threads(before)
    return index


def describe(index: faiss.Index) -> dict:
    """The manifest record that matches a loaded FAISS index (its type and graph parameters)."""
    if isinstance(index, faiss.IndexFlatIP):
        return dict(FLAT)
    if isinstance(index, faiss.IndexHNSWFlat) and index.metric_type == faiss.METRIC_INNER_PRODUCT:
        m = index.hnsw.nb_neighbors(1)  # level 0 keeps 2*M neighbours, the levels above M
        return {"kind": "hnsw", "m": int(m), "ef_construction": int(index.hnsw.efConstruction)}
    return {"kind": type(index).__name__}


def check_dense(manifest: dict, index: faiss.Index, settings: DenseSettings) -> None:
    """The FAISS file is the kind the manifest says; set the query-time ``efSearch``.

    Indexes written before the record existed were all flat.
    """
    recorded = manifest.get("dense", FLAT)
    found = describe(index)
    if found != recorded:
        raise IndexProblem("corrupt", f"稠密索引的类型与清单不符（清单 {recorded}，文件 {found}）")
    if found["kind"] == "hnsw":
        index.hnsw.efSearch = settings.ef_search


def dense_stale(found: dict, settings: DenseSettings) -> str | None:
    """Why an index's dense part no longer fits ``settings``, or None.

    >>> dense_stale({"counts": {"chunks": 10}}, DenseSettings())
    >>> dense_stale({"counts": {"chunks": 10}}, DenseSettings(exact_below=5))
    "稠密索引类型已变化（索引：{'kind': 'flat'}，当前：{'kind': 'hnsw', 'm': 32, 'ef_construction': 80}）"
    """
    counts = found.get("counts")
    n = counts.get("chunks") if isinstance(counts, dict) else None
    if not isinstance(n, int):
        return None  # read_manifest reports a malformed manifest
    want, have = settings.plan(n), found.get("dense", FLAT)
    return None if want == have else f"稠密索引类型已变化（索引：{have}，当前：{want}）"


def is_exact(index: faiss.Index) -> bool:
    return isinstance(index, faiss.IndexFlat)


def stored_vectors(index: faiss.Index) -> np.ndarray:
    """The index's fp32 vectors as a read-only numpy view (no copy: 1.5 GB at 1M chunks)."""
    flat = index if isinstance(index, faiss.IndexFlat) else faiss.downcast_index(index.storage)
    if index.ntotal == 0:
        return np.zeros((0, index.d), np.float32)
    view = faiss.rev_swig_ptr(flat.get_xb(), index.ntotal * index.d).reshape(index.ntotal, index.d)
    view.flags.writeable = False
    return view


def exact_scores(index: faiss.Index, qvec: np.ndarray) -> np.ndarray:
    """Inner product of the query with every stored vector, in chunk order.

    FAISS's own kernel, so the scores are bit for bit those of
    ``index.search(q, ntotal)``, without sorting all of them into a heap
    (measured 13 ms against 3 ms over 10,668 vectors; 2.2 s at 1M).
    """
    vectors = stored_vectors(index)
    q = np.ascontiguousarray(qvec.reshape(-1), dtype=np.float32)
    out = np.empty(len(vectors), dtype=np.float32)
    if len(vectors):
        faiss.fvec_inner_products_ny(faiss.swig_ptr(out), faiss.swig_ptr(q), faiss.swig_ptr(vectors), index.d, len(vectors))
    return out


def all_finite(vectors: np.ndarray, block: int = 65536) -> bool:
    """No NaN or infinity, checked a block at a time (a 1M x 384 mask would be 384 MB)."""
    return all(np.isfinite(vectors[i:i + block]).all() for i in range(0, len(vectors), block))


def approximate_scores(index: faiss.Index, qvec: np.ndarray, lexical: np.ndarray, depth: int) -> np.ndarray:
    """Dense scores for every chunk, exact where they can matter, from an HNSW index.

    The candidates are HNSW's ``depth`` nearest chunks and BM25's ``depth``
    best; each gets its exact inner product.  Every other chunk gets the
    lowest score seen (over the candidates and a fixed sample of 1024
    chunks), standing in for the corpus minimum that min-max normalisation
    needs: such a chunk is beaten by ``depth`` candidates on both sides, so
    it can never reach the top ``k <= depth``.
    """
    q = np.ascontiguousarray(qvec.reshape(1, -1), dtype=np.float32)
    n = index.ntotal
    params = faiss.SearchParametersHNSW()
    params.efSearch = max(index.hnsw.efSearch, depth)  # faiss keeps efSearch below k: the tail would be noise
    _, ids = index.search(q, min(depth, n), params=params)
    lex_top = np.argpartition(-lexical, depth)[:depth] if n > depth else np.arange(n)
    cands = np.union1d(ids[0][ids[0] >= 0], lex_top)
    vectors = stored_vectors(index)
    sims = vectors[cands] @ q[0]
    probe = vectors[:: max(1, n // 1024)] @ q[0]
    out = np.full(n, min(float(sims.min()), float(probe.min())), dtype=np.float32)
    out[cands] = sims
    return out
