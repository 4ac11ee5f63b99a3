"""The scale bench runs end to end on tiny sizes, so it cannot rot."""
from __future__ import annotations

import pytest

from bench import scale, synth
from rag.evaluation.benchmarks import shared_dir

needs_shared = pytest.mark.skipif(not (shared_dir() / "benchmarks").is_dir(), reason="benchmark data not present")


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RAG_CACHE", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()


def test_dense_part_on_random_vectors():
    row = scale.dense_part(2000, "random", queries=5)
    assert row["n"] == 2000 and row["flat_file_mb"] == 2.9
    assert 0.0 <= row["ef128_recall"] <= row["depth_recall"] <= 1.0 and row["ef256_recall"] >= row["ef32_recall"]
    assert "| random | 2,000 |" in scale.table([row])
    half = scale.dense_part(1000, "random", queries=3, kinds="flat")
    assert "hnsw_build_s" not in half and "| random | 1,000 | 0." in scale.table([half])


@needs_shared
def test_bm25_and_ask_parts_on_a_tiny_library():
    bm25 = scale.bm25_part(1500, queries=3)
    assert bm25["n"] == 1500 and bm25["postings"] > 1500 * 50
    ask = scale.ask_part(300, 3, "hash-384")
    assert ask["chunks"] >= 300 and set(ask["kinds"]) == {"flat", "hnsw"}
    assert "ask on" in scale.table([bm25, ask])


def test_perturbed_copies_and_the_library_plan():
    assert synth.perturb("甲有3家。乙有12人。", 0) == "甲有3家。乙有12人。"
    assert synth.estimated_chunks("字" * 240) == 1 and synth.estimated_chunks("字" * 600) == 3
    assert scale.plan([10], million=True, ask=5, sources=["random", "real"]) == [
        ("dense", 10, "random"), ("dense", 10, "real"), ("bm25", 10), ("ask", 5),
        ("dense", 1_000_000, "random", 50, "flat"), ("bm25", 1_000_000), ("dense", 1_000_000, "random", 50, "hnsw")]
    assert scale.plan([10], million=False, ask=0, sources=["real"]) == [("dense", 10, "real")]
