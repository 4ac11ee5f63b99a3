"""The ONNX backend: same vectors as torch, its own index identity, no torch when serving."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from rag.config import Settings
from rag.model.embed import DEFAULT_MODEL, HashEmbedder, embedder_id, load_embedder
from rag.engine import open_index
from rag.index import IndexProblem, build_index
from rag.index.reuse import previous

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]
TEXTS = ["黄石有几家院士工作站？", "全市公民具备科学素质比例达15.3%，较2020年提高4.2个百分点。",
         "黄石市科协第八次代表大会以来工作综述", "漁港開放釣魚", "Which city hosts the academicians' workstations?"]


class Tagged(HashEmbedder):
    """The fake embedder under a real model's id for one backend: index identity without the model."""

    def __init__(self, backend: str):
        super().__init__(64)
        self.id = embedder_id(DEFAULT_MODEL, backend)


def test_backend_setting_flag_env_default():
    assert Settings.resolve(env={}).backend == "onnx"
    assert Settings.resolve(env={"RAG_BACKEND": "torch"}).backend == "torch"
    assert Settings.resolve(backend="onnx-fp32", env={"RAG_BACKEND": "torch"}).backend == "onnx-fp32"
    with pytest.raises(ValueError, match="未知的嵌入后端"):
        Settings.resolve(backend="tensorrt", env={})


def test_lazy_embedder_ids_carry_the_backend():
    assert load_embedder(DEFAULT_MODEL, backend="torch").id == DEFAULT_MODEL  # old indexes stay fresh
    assert load_embedder(DEFAULT_MODEL, backend="onnx").id == f"{DEFAULT_MODEL}@onnx-int8v3"
    assert load_embedder("hash-64", backend="onnx").id == "hash-64"  # the fake has no backend


def test_other_backends_index_is_stale_and_its_vectors_not_reused(tiny_corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(tiny_corpus, index_dir, Tagged("torch"))
    with pytest.raises(IndexProblem) as err:
        open_index(tiny_corpus, index_dir, Tagged("onnx"), rebuild=False)
    assert err.value.kind == "stale" and "嵌入模型" in err.value.reason and "onnx-int8v3" in err.value.reason
    assert previous(index_dir, Tagged("onnx").id) == {}  # a rebuild embeds everything anew
    said = []
    open_index(tiny_corpus, index_dir, Tagged("onnx"), rebuild=True, progress=said.append)
    assert any("沿用 0 个" in s for s in said)
    manifest = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model"] == f"{DEFAULT_MODEL}@onnx-int8v3"


def test_cli_refuses_an_unknown_backend(tmp_path):
    from typer.testing import CliRunner

    from rag.cli import app

    result = CliRunner().invoke(app, ["ask", "问题", "--index", str(tmp_path / "i"), "--backend", "nope"])
    assert result.exit_code == 2 and "未知的嵌入后端" in result.output


# ---------------------------------------------------------------- with the model
@pytest.fixture(scope="module")
def torch_vectors():
    from rag.model.embed import SentenceTransformerEmbedder

    st = SentenceTransformerEmbedder(DEFAULT_MODEL)
    return st.queries(TEXTS), st.documents(TEXTS)


@pytest.mark.model
@pytest.mark.parametrize("precision, floor", [("fp32", 0.9999), ("int8", 0.99)])
def test_onnx_vectors_match_torch(torch_vectors, precision, floor):
    from rag.model.onnx_embed import OnnxEmbedder

    onnx = OnnxEmbedder(DEFAULT_MODEL, precision)
    assert onnx.dim == 384 and onnx.id == embedder_id(DEFAULT_MODEL, {"fp32": "onnx-fp32", "int8": "onnx"}[precision])
    for got, want in zip((onnx.queries(TEXTS), onnx.documents(TEXTS)), torch_vectors):
        assert got.dtype == np.float32 and got.shape == want.shape
        assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
        assert (got * want).sum(1).min() >= floor
    # The query prompt matters: a question's query and passage vectors differ.
    assert float(onnx.queries(TEXTS[:1])[0] @ onnx.documents(TEXTS[:1])[0]) < 0.999
    assert onnx.documents([]).shape == (0, 384)


@pytest.mark.model
def test_export_is_made_once_and_marked():
    from rag.model.export import MARKER_NAME, ensure_export
    from rag.model.locate import model_dir

    folder = ensure_export(model_dir(DEFAULT_MODEL))
    stamp = (folder / MARKER_NAME).stat().st_mtime_ns
    assert ensure_export(model_dir(DEFAULT_MODEL)) == folder
    assert (folder / MARKER_NAME).stat().st_mtime_ns == stamp
    marker = json.loads((folder / MARKER_NAME).read_text(encoding="utf-8"))
    assert marker["check_cosine"]["int8"] >= 0.998 and marker["versions"]["onnxruntime"]
    # e5-small's three feed-forward outputs with outlier inputs stay fp32 (rag/model/outliers.py).
    assert sorted(marker["fp32_matmuls"]) == [f"/st/st.0/encoder/layer.{n}/output/dense/MatMul" for n in (0, 4, 5)]


@pytest.mark.model
def test_an_int8_vector_does_not_depend_on_its_batch_mates():
    from rag.model.onnx_embed import OnnxEmbedder

    int8 = OnnxEmbedder(DEFAULT_MODEL, "int8")
    together = int8.documents(TEXTS)
    alone = np.concatenate([int8.documents([t]) for t in TEXTS])
    assert np.array_equal(together, alone)


@pytest.mark.model
@pytest.mark.parametrize("backend", ["onnx-fp32", "onnx"])
def test_onnx_serving_path_never_imports_torch(tmp_path, backend):
    from rag.model.export import ensure_export
    from rag.model.locate import model_dir

    ensure_export(model_dir(DEFAULT_MODEL))  # made here, with torch, so the child only loads it
    code = f"""
import sys
from rag.config import Settings
from rag.engine import Engine
engine = Engine.open(Settings.resolve(corpus={str(ROOT / 'corpus')!r}, index={str(tmp_path / 'index')!r},
                                      backend={backend!r}), rebuild=True)
answer = engine.ask("黄石有几家院士工作站？").answer
print(answer.text if answer else None)
print(sorted(m for m in ("torch", "transformers", "sentence_transformers") if m in sys.modules))
"""
    env = {k: v for k, v in os.environ.items() if k != "RAG_BACKEND"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    text, imported = done.stdout.strip().splitlines()[-2:]
    assert text == "4家" and imported == "[]"


# ---------------------------------------------------------------- the lean tokenizer
TIE = "▁තරම්Le》(189iii釣8．"  # "iii" after a long word: a near-tie that one ulp of a score decides


@pytest.fixture(scope="module")
def tokenizers_pair(tmp_path_factory):
    """The lean tokenizer (read back from its cache, as served), the library's own, both over the
    export's tokenizer.json truncating as served, and its path."""
    from tokenizers import Tokenizer

    from rag.model.export import ensure_export
    from rag.model.lean_tokenizer import load
    from rag.model.locate import model_dir

    path = ensure_export(model_dir(DEFAULT_MODEL)) / "tokenizer.json"
    cache = tmp_path_factory.mktemp("tokenizers")
    load(path, cache)
    pair = load(path, cache), Tokenizer.from_file(str(path))
    for tok in pair:
        tok.enable_truncation(512)
        tok.no_padding()
    return (*pair, path)


def _random_texts(vocab: list[str], n: int, seed: int = 0) -> list[str]:
    """Strings mixing scripts, spaces, specials, unknown characters and whole pieces."""
    import random

    rng = random.Random(seed)
    alphabet = (list("黄石市科协院士工作站，。、？！“”《》（）0123456789abcXYZ ．Ａ　\u00a0\t\n…—-_/\\'\"ｘ漁港開放釣魚"
                     "éüñßøأبجдляπΩ한국어ひらがなカタカナ😀𠀀𠀁\u0301\u200b\u2581")
                + ["<s>", "</s>", "<unk>", "<mask>", "<pad>", "query: ", "passage: ", "iii", "哈哈哈", "……"])
    return ["".join(rng.choice(alphabet) if rng.random() < 0.7 else rng.choice(vocab) for _ in range(rng.randint(0, 30)))
            for _ in range(n)]


@pytest.mark.model
def test_lean_tokenizer_reads_scores_as_the_library_does(tokenizers_pair):
    from rag.model.lean_tokenizer import serde_float

    _, library, path = tokenizers_pair
    theirs = [score for _, score in json.loads(library.model.__getstate__())["vocab"]]
    literals: list[str] = []  # the scores as the file writes them
    json.loads(path.read_text(encoding="utf-8"), parse_float=lambda s: literals.append(s) or 0.0)
    assert [serde_float(s) for s in literals] == theirs
    assert sum(float(s) != t for s, t in zip(literals, theirs)) > 10_000  # Python's own float() would not do


@pytest.mark.model
def test_lean_tokenizer_gives_the_library_ids(tokenizers_pair):
    lean, library, _ = tokenizers_pair
    report = (ROOT / "corpus" / "huangshi-kexie-2025-12-17.txt").read_text(encoding="utf-8")
    texts = (TEXTS + [TIE, "", " ", "query: " + report, "passage: " + report]
             + [p + line for line in report.splitlines() for p in ("query: ", "passage: ")]
             + _random_texts(list(library.get_vocab()), 5000))
    ours, theirs = lean.encode_batch(texts), library.encode_batch(texts)
    assert [e.ids for e in ours] == [e.ids for e in theirs]
    assert [e.offsets for e in ours] == [e.offsets for e in theirs]
    assert max(len(e.ids) for e in ours) == 512  # the whole report is truncated as before


def _tiny_unigram(path):
    """A small Unigram tokenizer.json, as the library writes one, with near-tied scores and specials."""
    from tokenizers import AddedToken, Tokenizer, models, pre_tokenizers, processors

    pieces = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0), ("a", -1.1),
              ("b", -1.3), ("ab", -2.4000000000000004), ("ba", -2.4), ("aba", -3.7), ("▁a", -1.9), ("c", -4.1),
              ("bc", -5.0), ("黄", -3.3), ("石", -3.3), ("黄石", -6.6), ("<mask>", 0.0)]
    tok = Tokenizer(models.Unigram(pieces, unk_id=3, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=True)
    tok.post_processor = processors.TemplateProcessing(single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
    tok.add_special_tokens([AddedToken(t, special=True) for t in ("<s>", "<pad>", "</s>", "<unk>", "<mask>")])
    tok.save(str(path))
    return tok


def test_lean_tokenizer_on_a_small_vocabulary_and_its_cache(tmp_path):
    """Ties, unknowns in a row, specials inside text; the stored vocabulary gives the same ids, a damaged one is redone."""
    import random

    from rag.model.lean_tokenizer import FORMAT, load

    library = _tiny_unigram(tmp_path / "tokenizer.json")
    rng = random.Random(0)
    texts = ["abababa", "ab ba aba", "xyz", "黄石黄石石", "<s>ab<mask> c</s>", ""] + [
        "".join(rng.choice("ab c黄石xy") for _ in range(rng.randint(0, 12))) for _ in range(500)]
    want = [e.ids for e in library.encode_batch(texts)]
    cache = tmp_path / "cache"
    assert [e.ids for e in load(tmp_path / "tokenizer.json").encode_batch(texts)] == want
    assert [e.ids for e in load(tmp_path / "tokenizer.json", cache).encode_batch(texts)] == want  # parsed, stored
    (stored,) = cache.glob(f"v{FORMAT}-*.npz")
    assert [e.ids for e in load(tmp_path / "tokenizer.json", cache).encode_batch(texts)] == want  # read back
    stored.write_bytes(b"not a zip")
    assert [e.ids for e in load(tmp_path / "tokenizer.json", cache).encode_batch(texts)] == want  # parsed again
    assert stored.read_bytes().startswith(b"PK") and len(list(cache.iterdir())) == 1
