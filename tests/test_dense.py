"""The dense index type follows corpus size: exact below a threshold, HNSW above."""
from __future__ import annotations

import hashlib
import json

import faiss
import numpy as np
import pytest

from rag.model.embed import HashEmbedder
from rag.index import IndexProblem, build_index, expected_manifest, for_embedding, load_index
from rag.index.dense import DenseSettings, build_dense, stored_vectors
from rag.search import SearchSettings, dense_scores, fuse, search, top

EMB = HashEmbedder(256)
HNSW = DenseSettings(exact_below=3)  # the tiny corpus has 5 chunks
HNSW_RECORD = {"kind": "hnsw", "m": 32, "ef_construction": 80}
QUESTIONS = ["黄石有几家院士工作站？", "科普大篷车", "学会发展到多少个", "天气"]


def _ids(index, question):
    qvec = EMB.queries([for_embedding(question)])[0]
    return [h.chunk.id for h in search(index, question, qvec, 5)]


def test_shipped_report_uses_exact_search_and_the_same_hits(report_engine):
    index = report_engine.index
    assert index.manifest["dense"] == {"kind": "flat"}
    assert isinstance(index.dense, faiss.IndexFlatIP)
    for q in ("黄石有几家院士工作站？", "科普大篷车行程多少公里", "全市公民具备科学素质的比例"):
        qvec = EMB.queries([for_embedding(q)])[0]
        # The search before this change: a full stable sort of the fused scores.
        fused = fuse(dense_scores(index, qvec), index.lexical.scores(q), SearchSettings().dense_weight)
        assert [h.chunk.id for h in search(index, q, qvec, 8)] == np.argsort(-fused, kind="stable")[:8].tolist()


def test_index_type_follows_size_and_is_recorded(tiny_corpus, tmp_path):
    flat = build_index(tiny_corpus, tmp_path / "a", EMB, dense=DenseSettings(exact_below=6))
    hnsw = build_index(tiny_corpus, tmp_path / "b", EMB, dense=DenseSettings(exact_below=5))
    assert (flat.manifest["dense"], type(flat.dense)) == ({"kind": "flat"}, faiss.IndexFlatIP)
    assert (hnsw.manifest["dense"], type(hnsw.dense)) == (HNSW_RECORD, faiss.IndexHNSWFlat)
    on_disk = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["dense"] == HNSW_RECORD and on_disk["dense_settings"]["exact_below"] == 5


def test_hnsw_round_trip_and_query_time_setting(tiny_corpus, tmp_path):
    build_index(tiny_corpus, tmp_path / "i", EMB, dense=HNSW)
    loaded = load_index(tmp_path / "i", expected_manifest(EMB.id, tiny_corpus, dense=HNSW))
    assert loaded.dense.hnsw.efSearch == 128 and loaded.dense.ntotal == 5
    wider = DenseSettings.resolve(exact_below=3, ef_search=300, env={})
    assert load_index(tmp_path / "i", expected_manifest(EMB.id, tiny_corpus, dense=wider)).dense.hnsw.efSearch == 300


def test_hnsw_over_a_tiny_corpus_gives_the_exact_hits(tiny_corpus, tmp_path):
    flat = build_index(tiny_corpus, tmp_path / "f", EMB, dense=DenseSettings())
    hnsw = build_index(tiny_corpus, tmp_path / "h", EMB, dense=HNSW)
    assert np.array_equal(stored_vectors(flat.dense), stored_vectors(hnsw.dense))
    for q in QUESTIONS:
        assert _ids(hnsw, q) == _ids(flat, q)


def test_a_threshold_crossing_the_size_makes_the_index_stale(tiny_corpus, tmp_path):
    build_index(tiny_corpus, tmp_path / "i", EMB, dense=HNSW)
    with pytest.raises(IndexProblem, match="稠密索引类型已变化") as err:
        load_index(tmp_path / "i", expected_manifest(EMB.id, tiny_corpus, dense=DenseSettings()))
    assert err.value.kind == "stale"
    # A threshold that moves without crossing the size changes nothing.
    load_index(tmp_path / "i", expected_manifest(EMB.id, tiny_corpus, dense=DenseSettings(exact_below=4)))


def _rewrite(index_dir, dense=None, faiss_index=None):
    m = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    if faiss_index is not None:
        faiss.write_index(faiss_index, str(index_dir / "chunks.faiss"))
        m["artefacts"]["chunks.faiss"] = hashlib.sha256((index_dir / "chunks.faiss").read_bytes()).hexdigest()
    if dense is not None:
        m["dense"] = dense
    (index_dir / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")


def test_a_faiss_file_of_another_kind_than_recorded_is_corrupt(tiny_corpus, tmp_path):
    index = build_index(tiny_corpus, tmp_path / "i", EMB, dense=HNSW)
    _rewrite(tmp_path / "i", faiss_index=build_dense(stored_vectors(index.dense), DenseSettings()))
    with pytest.raises(IndexProblem, match="稠密索引的类型与清单不符") as err:
        load_index(tmp_path / "i")
    assert err.value.kind == "corrupt"


def test_a_manifest_claiming_hnsw_over_a_flat_file_is_corrupt(tiny_corpus, tmp_path):
    build_index(tiny_corpus, tmp_path / "i", EMB)
    _rewrite(tmp_path / "i", dense=HNSW_RECORD)
    with pytest.raises(IndexProblem, match="稠密索引的类型与清单不符"):
        load_index(tmp_path / "i")


def test_an_index_from_before_the_record_loads_as_flat(tiny_corpus, tmp_path):
    build_index(tiny_corpus, tmp_path / "i", EMB)
    m = json.loads((tmp_path / "i" / "manifest.json").read_text(encoding="utf-8"))
    del m["dense"], m["dense_settings"]
    (tmp_path / "i" / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    assert load_index(tmp_path / "i", expected_manifest(EMB.id, tiny_corpus)).manifest["counts"]["chunks"] == 5


def test_nan_vectors_in_an_hnsw_index_are_refused(tiny_corpus, tmp_path):
    index = build_index(tiny_corpus, tmp_path / "i", EMB, dense=HNSW)
    bad = np.array(stored_vectors(index.dense))
    bad[2, 7] = np.nan
    _rewrite(tmp_path / "i", faiss_index=build_dense(bad, HNSW))
    with pytest.raises(IndexProblem, match="非数值"):
        load_index(tmp_path / "i")


def test_top_is_the_stable_sort_prefix():
    rng = np.random.default_rng(0)
    for _ in range(50):
        scores = rng.integers(0, 6, size=int(rng.integers(1, 40))).astype(np.float32)
        for k in (1, 3, 10, 50):
            assert top(scores, k).tolist() == np.argsort(-scores, kind="stable")[:k].tolist()


def test_settings_come_from_flag_then_environment_then_default():
    env = {"RAG_EXACT_BELOW": "5000", "RAG_EF_SEARCH": "64"}
    assert DenseSettings.resolve(env=env) == DenseSettings(exact_below=5000, ef_search=64)
    assert DenseSettings.resolve(exact_below=10, env=env) == DenseSettings(exact_below=10, ef_search=64)
    assert DenseSettings.resolve(env={}) == DenseSettings()


def test_a_rebuild_over_an_hnsw_index_reuses_its_vectors(tiny_corpus, tmp_path):
    first = build_index(tiny_corpus, tmp_path / "i", EMB, dense=HNSW)
    messages = []
    again = build_index(tiny_corpus, tmp_path / "i", EMB, dense=HNSW, progress=messages.append)
    assert "向量化文本块：新 0 个，沿用 5 个" in messages
    assert np.array_equal(stored_vectors(first.dense), stored_vectors(again.dense))


def test_exact_scores_are_faiss_own_bit_for_bit():
    from rag.index.dense import exact_scores

    rng = np.random.default_rng(3)
    x = rng.standard_normal((500, 384), dtype=np.float32)
    index = build_dense(x / np.linalg.norm(x, axis=1, keepdims=True), DenseSettings())
    for q in rng.standard_normal((5, 384), dtype=np.float32):
        sims, ids = index.search(q.reshape(1, -1), 500)
        want = np.zeros(500, np.float32)
        want[ids[0]] = sims[0]
        assert np.array_equal(exact_scores(index, q), want)
