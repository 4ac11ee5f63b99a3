"""The English map: fitted deterministically, stored as plain arrays, applied only to English
questions' retrieval vectors and only to vectors of the embedder it was fitted with."""
from __future__ import annotations

import numpy as np

from rag.evaluation.english_fit import _rank1
from rag.reader.english_map import EnglishMap, fit_map, load_map, save_maps


def _shifted():
    """Eight questions whose own vectors lean towards the chunk after their gold one."""
    chunks = np.eye(8, dtype=np.float32)
    own = np.array([0.6 * chunks[i] + chunks[(i + 1) % 8] for i in range(8)], np.float32)
    own /= np.linalg.norm(own, axis=1, keepdims=True)
    return own, chunks, [[i] for i in range(8)], np.ones((8, 8), bool)


def test_a_fitted_map_ranks_the_gold_chunks_first_and_is_the_same_every_time():
    own, chunks, gold, same = _shifted()
    first = fit_map(own, np.zeros_like(own), chunks, gold, same, "e5@onnx")
    again = fit_map(own, np.zeros_like(own), chunks, gold, same, "e5@onnx")
    assert _rank1(own, chunks, gold, same) == 0
    assert _rank1(first.apply(own, "e5@onnx"), chunks, gold, same) == 8
    assert first.U.tobytes() == again.U.tobytes() and first.W.tobytes() == again.W.tobytes()


def test_maps_round_trip_through_their_file_by_fold(tmp_path):
    rng = np.random.default_rng(0)
    maps = {key: EnglishMap(rng.random((4, 2), np.float32), rng.random((2, 4), np.float32), "e5@onnx")
            for key in ("final", "fold0")}
    path = tmp_path / "m.english.npz"
    save_maps(path, maps, {"rank": 2})
    for fold, key in ((None, "final"), (0, "fold0")):
        back = load_map(str(path), fold)
        assert back.embedder == "e5@onnx"
        np.testing.assert_array_equal(back.U, maps[key].U)
        np.testing.assert_array_equal(back.W, maps[key].W)
    assert load_map(str(tmp_path / "none.npz")) is None


def test_only_english_questions_retrieval_vectors_of_the_maps_own_embedder_are_mapped(report_engine, tmp_path):
    from dataclasses import replace

    from rag.index import for_embedding

    dim = report_engine.embedder.dim
    U, W = np.eye(dim, 1, dtype=np.float32), np.eye(1, dim, k=1, dtype=np.float32)  # adds v[0] to v[1]
    unit = lambda v: v / np.linalg.norm(v)  # noqa: E731
    for embedder, mapped in ((report_engine.embedder.id, True), ("another-model@onnx", False)):
        path = tmp_path / f"{mapped}.english.npz"
        save_maps(path, {"final": EnglishMap(U, W, embedder)}, {})
        engine = replace(report_engine, reader_settings=replace(report_engine.reader_settings, english_path=str(path)))
        q = engine.query("How many academician workstations are there in Huangshi?")
        own, bridged = engine.embedder.queries([for_embedding(q.text), for_embedding(q.lexical)])
        want = own.copy()
        want[1] += own[0] if mapped else 0.0
        reading, searching = engine.query_vectors(q)
        np.testing.assert_allclose(reading, unit(own + bridged), atol=1e-6)  # the reader's is never mapped
        np.testing.assert_allclose(searching, unit(want + bridged), atol=1e-6)
        zh = engine.query("黄石有几家院士工作站")
        for vec in engine.query_vectors(zh):
            np.testing.assert_allclose(vec, unit(engine.embedder.queries([zh.text])[0]), atol=1e-6)


def test_the_shipped_reader_has_the_map_it_was_trained_with():
    import hashlib

    from rag.reader.english_map import map_path
    from rag.reader.model import MODEL_PATH, load_model

    info, path = load_model().info, map_path(MODEL_PATH)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == info["english_map"]["sha256"]
    assert path.stat().st_size < 1_000_000
    for fold in (None, *range(info["fold_count"])):
        assert load_map(str(path), fold).embedder == info["embedder"]
    found = info["english_map"]["sentence_dense_rank1_out_of_fold"]
    assert found["after"] > found["before"]


def test_maps_are_fitted_per_fold_on_english_questions_only(report_engine, tmp_path):
    from rag.evaluation.benchmarks import load_report_items
    from rag.evaluation.english_fit import fit_english_maps
    from conftest import ROOT

    items = load_report_items(ROOT / "eval" / "qa_report.jsonl", report_engine)
    english = [i for i in items if i.lang == "en" and i.answers]
    path = tmp_path / "m.english.npz"
    report = fit_english_maps(report_engine, items, [k % 2 for k in range(len(items))], 2, path)
    assert 0 < report["questions"] <= len(english) and path.is_file()
    assert load_map(str(path), 1).embedder == report_engine.embedder.id
    chinese = [i for i in items if i.lang != "en"]
    assert fit_english_maps(report_engine, chinese, [0] * len(chinese), 2, tmp_path / "none.npz") is None
    assert not (tmp_path / "none.npz").exists()


def test_a_folds_map_never_sees_that_folds_questions(report_engine, tmp_path):
    """Leaving out fold 0's questions altogether changes no map but the final one."""
    from rag.evaluation.benchmarks import load_report_items
    from rag.evaluation.english_fit import fit_english_maps
    from conftest import ROOT

    items = [i for i in load_report_items(ROOT / "eval" / "qa_report.jsonl", report_engine) if i.lang == "en"][:40]
    folds = [k % 2 for k in range(len(items))]
    fit_english_maps(report_engine, items, folds, 2, tmp_path / "all.npz")
    rest = [(i, f) for i, f in zip(items, folds) if f == 1]
    fit_english_maps(report_engine, [i for i, _ in rest], [f for _, f in rest], 2, tmp_path / "rest.npz")
    parts = lambda name, fold: [getattr(load_map(str(tmp_path / name), fold), p).tobytes() for p in "UW"]  # noqa: E731
    assert parts("all.npz", 0) == parts("rest.npz", 0)
    assert parts("all.npz", 1) != parts("rest.npz", 1)  # fitted on fold 0's questions, and on none
