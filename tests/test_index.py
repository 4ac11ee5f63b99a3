"""Index folder: build, manifest, stale and corrupt detection, atomic writes."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from rag.index.chunk import ChunkSettings
from rag.model.embed import HashEmbedder
from rag.engine import open_index
from rag.index import IndexProblem, build_index, expected_manifest, load_index
from rag.index.lexical import BM25_PARAMS, Lexical, tokenize

EMB = HashEmbedder(256)


@pytest.fixture
def built(tiny_corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(tiny_corpus, index_dir, EMB)
    return tiny_corpus, index_dir


def test_manifest_records_everything(built):
    corpus, index_dir = built
    m = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert m["format"] == 4 and m["model"] == "hash-256" and m["dim"] == 256
    assert m["chunking"]["size"] == ChunkSettings().size
    assert set(m["corpus"]) == {"alpha.txt", "beta.md", "alpha.txt.meta.json"}
    assert m["counts"] == {"documents": 2, "chunks": 5, "sentences": 11}
    assert not any(p.suffix == ".pkl" for p in index_dir.rglob("*"))
    assert not list(index_dir.parent.glob(".index.tmp-*"))


def test_npy_files_load_without_pickle(built):
    _, index_dir = built
    for path in index_dir.rglob("*.npy"):
        np.load(path, allow_pickle=False)


def test_fresh_index_loads(built):
    corpus, index_dir = built
    index = load_index(index_dir, expected_manifest(EMB.id, corpus))
    assert [c.id for c in index.chunks] == [0, 1, 2, 3, 4]
    assert index.docs["alpha"].text[index.chunks[1].start:index.chunks[1].end] == index.chunks[1].text


@pytest.mark.parametrize("change, reason", [
    (lambda c: (c / "beta.md").write_text("# 新\n\n新内容。\n", encoding="utf-8"), "语料文件"),
    (lambda c: (c / "gamma.txt").write_text("标题\n\n又一段新的内容。\n", encoding="utf-8"), "语料文件"),
    (lambda c: (c / "alpha.txt").unlink(), "语料文件"),
])
def test_corpus_change_makes_index_stale(built, change, reason):
    corpus, index_dir = built
    change(corpus)
    with pytest.raises(IndexProblem) as err:
        load_index(index_dir, expected_manifest(EMB.id, corpus))
    assert err.value.kind == "stale" and reason in err.value.reason


def test_model_or_settings_change_makes_index_stale(built):
    corpus, index_dir = built
    with pytest.raises(IndexProblem, match="嵌入模型"):
        load_index(index_dir, expected_manifest("other-model", corpus))
    with pytest.raises(IndexProblem, match="切分设置"):
        load_index(index_dir, expected_manifest(EMB.id, corpus, ChunkSettings(size=100)))


@pytest.mark.parametrize("damage", [
    lambda d: (d / "manifest.json").write_text("{not json", encoding="utf-8"),
    lambda d: (d / "chunks.faiss").write_bytes(b"garbage"),
    lambda d: (d / "sentences.npy").unlink(),
    lambda d: (d / "bm25" / "vocab.index.json").write_text("{}", encoding="utf-8"),
    lambda d: (d / "chunks.jsonl").write_text("[0, \"alpha\", 1, 0, 5]\n", encoding="utf-8"),
])
def test_corrupt_index_is_refused(built, damage):
    corpus, index_dir = built
    damage(index_dir)
    with pytest.raises(IndexProblem) as err:
        load_index(index_dir, expected_manifest(EMB.id, corpus))
    assert err.value.kind == "corrupt"


def test_missing_index(tmp_path, tiny_corpus):
    with pytest.raises(IndexProblem) as err:
        load_index(tmp_path / "nope", expected_manifest(EMB.id, tiny_corpus))
    assert err.value.kind == "missing"


def test_open_index_rebuilds_stale_and_reports_why(built):
    corpus, index_dir = built
    (corpus / "beta.md").write_text("# 新报告\n\n全新的段落内容。\n", encoding="utf-8")
    messages = []
    index = open_index(corpus, index_dir, EMB, rebuild=True, progress=messages.append)
    assert any("需要重建索引" in m for m in messages)
    assert index.manifest["counts"]["documents"] == 2
    assert "全新的段落内容" in index.docs["beta"].text
    load_index(index_dir, expected_manifest(EMB.id, corpus))  # fresh now


def _bm25_reference(docs: list[list[str]], query: list[str], k1: float, b: float) -> list[float]:
    """Lucene BM25 written out from the formula, for comparison with bm25s.

    Lucene (since 8.0) drops the constant ``k1 + 1`` numerator; ranking is the same.
    """
    n = len(docs)
    avgdl = sum(len(d) for d in docs) / n
    scores = []
    for d in docs:
        s = 0.0
        for t in set(query):
            df = sum(1 for x in docs if t in x)
            if df == 0:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = d.count(t)
            s += idf * tf / (tf + k1 * (1 - b + b * len(d) / avgdl))
        scores.append(s)
    return scores


def test_bm25_matches_reference_formula():
    texts = ["院士工作站12家", "专家工作站30家,院士来访", "科普大篷车行程5000公里", "学会发展到25个"]
    lex = Lexical.build(texts)
    query = "院士工作站"
    expected = _bm25_reference([tokenize(t) for t in texts], tokenize(query), BM25_PARAMS["k1"], BM25_PARAMS["b"])
    assert np.allclose(lex.scores(query), expected, rtol=1e-4)
    assert lex.scores("完全无关的英文 words").tolist() == [0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("content", ["[]", "null", "42"])
def test_manifest_that_is_not_an_object_is_corrupt(built, content):
    corpus, index_dir = built
    (index_dir / "manifest.json").write_text(content, encoding="utf-8")
    with pytest.raises(IndexProblem) as err:
        load_index(index_dir, expected_manifest(EMB.id, corpus))
    assert err.value.kind == "corrupt"


def _tree(folder):
    return sorted((p.relative_to(folder).as_posix(), p.read_bytes() if p.is_file() else None)
                  for p in folder.rglob("*"))


@pytest.mark.parametrize("where", ["user-folder", "corpus", "inside-corpus", "corpus-inside", "a-file"])
def test_build_never_replaces_what_it_did_not_make(tiny_corpus, tmp_path, where):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "keep.txt").write_text("keep", encoding="utf-8")
    (tmp_path / "file").write_text("keep", encoding="utf-8")
    target = {"user-folder": notes, "corpus": tiny_corpus, "inside-corpus": tiny_corpus / "idx",
              "corpus-inside": tmp_path, "a-file": tmp_path / "file"}[where]
    before = _tree(tmp_path)
    with pytest.raises(IndexProblem) as err:
        build_index(tiny_corpus, target, EMB)
    assert err.value.kind == "refused" and "拒绝" in err.value.reason
    assert _tree(tmp_path) == before


def test_build_into_an_empty_folder_and_over_its_own_index(tiny_corpus, tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    build_index(tiny_corpus, target, EMB)
    (tiny_corpus / "gamma.txt").write_text("标题\n\n又一段新的内容。\n", encoding="utf-8")
    assert build_index(tiny_corpus, target, EMB).manifest["counts"]["documents"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "empty"]


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_build_killed_between_the_renames_leaves_the_old_index(built):
    corpus, index_dir = built
    old = index_dir.with_name(f".index.old-{_dead_pid()}")
    index_dir.rename(old)  # the state after the first rename of a swap
    tmp = index_dir.with_name(f".index.tmp-{_dead_pid()}")
    tmp.mkdir()
    (tmp / ".rag-index").write_text("x", encoding="utf-8")
    index = load_index(index_dir, expected_manifest(EMB.id, corpus))
    assert index.manifest["counts"]["documents"] == 2
    assert sorted(p.name for p in index_dir.parent.iterdir()) == ["corpus", "index"]


def test_debris_of_a_live_process_or_not_ours_is_left_alone(built):
    corpus, index_dir = built
    import os

    live = index_dir.with_name(f".index.tmp-{os.getppid()}")
    live.mkdir()
    (live / ".rag-index").write_text("x", encoding="utf-8")
    foreign = index_dir.with_name(f".index.tmp-{_dead_pid()}")
    foreign.mkdir()
    (foreign / "mine.txt").write_text("x", encoding="utf-8")
    load_index(index_dir, expected_manifest(EMB.id, corpus))
    assert live.exists() and (foreign / "mine.txt").exists()


@pytest.mark.parametrize("step", ["after-tmp-written", "after-first-rename", "after-second-rename"])
def test_killed_at_each_step_of_the_swap_one_index_survives(tiny_corpus, tmp_path, step):
    """A child process builds over an existing index and is killed at a step of the swap."""
    import subprocess
    import sys
    import textwrap

    index_dir = tmp_path / "index"
    build_index(tiny_corpus, index_dir, EMB)
    (tiny_corpus / "gamma.txt").write_text("标题\n\n又一段新的内容。\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        import rag.index.folder as folder
        from rag.model.embed import HashEmbedder
        from rag.index import build_index
        real = os.replace
        calls = []
        def replace(a, b):
            calls.append(1)
            if {step!r} == "after-tmp-written" and len(calls) == 1:
                os._exit(9)
            real(a, b)
            if {step!r} == "after-first-rename" and len(calls) == 1:
                os._exit(9)
            if {step!r} == "after-second-rename" and len(calls) == 2:
                os._exit(9)
        folder.os.replace = replace
        build_index(Path({str(tiny_corpus)!r}), Path({str(index_dir)!r}), HashEmbedder(256))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9, proc.stderr
    index = load_index(index_dir)
    assert index.manifest["counts"]["documents"] == (3 if step == "after-second-rename" else 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "index"]


def _rehash(index_dir):
    """Tamper as a tool would: keep the manifest's checksums in step with the files."""
    import hashlib

    m = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    m["artefacts"] = {k: hashlib.sha256((index_dir / k).read_bytes()).hexdigest() for k in m["artefacts"]}
    (index_dir / "manifest.json").write_text(json.dumps(m), encoding="utf-8")


def _manifest_edit(index_dir, **changes):
    m = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    m.update(changes)
    (index_dir / "manifest.json").write_text(json.dumps(m), encoding="utf-8")


def _faiss_of_dim(index_dir, dim):
    import faiss

    ix = faiss.IndexFlatIP(dim)
    ix.add(np.ones((5, dim), np.float32))
    faiss.write_index(ix, str(index_dir / "chunks.faiss"))


def _swap_for_folder(path):
    path.unlink()
    path.mkdir()


FAULTS = {
    "artefacts-list": lambda d: _manifest_edit(d, artefacts=["chunks.faiss"]),
    "artefacts-string": lambda d: _manifest_edit(d, artefacts="x"),
    "dim-string": lambda d: _manifest_edit(d, dim="256"),
    "counts-missing": lambda d: _manifest_edit(d, counts=None),
    "manifest-folder": lambda d: _swap_for_folder(d / "manifest.json"),
    "faiss-folder": lambda d: _swap_for_folder(d / "chunks.faiss"),
    "faiss-dim": lambda d: (_faiss_of_dim(d, 128), _rehash(d)),
    "npy-dim": lambda d: (np.save(d / "sentences.npy", np.zeros((11, 128), np.float32)), _rehash(d)),
    "npy-nan": lambda d: (np.save(d / "sentences.npy", np.full((11, 256), np.nan, np.float32)), _rehash(d)),
    "npy-rows": lambda d: (np.save(d / "sentences.npy", np.zeros((3, 256), np.float32)), _rehash(d)),
    "faiss-nan": lambda d: (_faiss_nan(d), _rehash(d)),
    "doc-text": lambda d: (_edit_doc_text(d), _rehash(d)),
}


def _faiss_nan(index_dir):
    import faiss

    ix = faiss.IndexFlatIP(256)
    ix.add(np.full((5, 256), np.nan, np.float32))
    faiss.write_index(ix, str(index_dir / "chunks.faiss"))


def _edit_doc_text(index_dir):
    path = index_dir / "documents.jsonl"
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    rows[0]["text"] = rows[0]["text"].replace("12家", "99家")
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_index_faults_are_index_problems_never_tracebacks(built, fault):
    corpus, index_dir = built
    FAULTS[fault](index_dir)
    with pytest.raises(IndexProblem) as err:
        load_index(index_dir, expected_manifest(EMB.id, corpus))
    assert err.value.kind == "corrupt" and err.value.reason


class CountingEmbedder(HashEmbedder):
    """The fake embedder, counting the texts it is asked to embed."""

    def __init__(self):
        super().__init__(256)
        self.embedded = 0

    def documents(self, texts, progress=None):
        self.embedded += len(texts)
        return super().documents(texts, progress)


def _contents(index_dir):
    import faiss

    dense = faiss.read_index(str(index_dir / "chunks.faiss"))
    return (dense.reconstruct_n(0, dense.ntotal), np.load(index_dir / "sentences.npy"),
            (index_dir / "documents.jsonl").read_text(encoding="utf-8"),
            (index_dir / "chunks.jsonl").read_text(encoding="utf-8"))


def test_a_rebuild_embeds_only_what_changed_and_equals_a_fresh_build(tiny_corpus, tmp_path):
    emb = CountingEmbedder()
    build_index(tiny_corpus, tmp_path / "index", emb)
    first = emb.embedded
    build_index(tiny_corpus, tmp_path / "index", emb)  # nothing changed: nothing embedded
    assert emb.embedded == first
    beta = tiny_corpus / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("2.5亿元", "3.1亿元"), encoding="utf-8")
    (tiny_corpus / "alpha.txt").unlink()
    emb.embedded = 0
    build_index(tiny_corpus, tmp_path / "index", emb)
    assert 0 < emb.embedded <= 3  # the changed chunk and sentence(s) only
    fresh = CountingEmbedder()
    build_index(tiny_corpus, tmp_path / "fresh", fresh)
    for got, want in zip(_contents(tmp_path / "index"), _contents(tmp_path / "fresh")):
        assert np.array_equal(got, want) if isinstance(got, np.ndarray) else got == want
    assert len(np.load(tmp_path / "index" / "chunks.keys.npy")) == len(_contents(tmp_path / "fresh")[0])


def test_a_folder_without_a_manifest_is_not_called_missing(tmp_path):
    # the build that follows refuses a folder of the user's own files; its first line must not say there is no folder
    from rag.index.checks import read_manifest
    from rag.index.problem import IndexProblem

    with pytest.raises(IndexProblem) as gone:
        read_manifest(tmp_path / "nope")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(IndexProblem) as held:
        read_manifest(tmp_path / "mine")
    assert gone.value.reason == f"索引不存在：{tmp_path / 'nope'}"
    assert held.value.reason == f"索引目录中没有索引清单 manifest.json：{tmp_path / 'mine'}"
