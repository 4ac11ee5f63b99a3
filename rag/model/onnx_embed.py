"""``OnnxEmbedder``: the embedder interface over onnxruntime and ``tokenizers``.

It reads an export made by ``rag.model.export`` (the whole
sentence-transformers pipeline as one graph) and imports neither torch nor
transformers, so a server using it starts in a fraction of the time and
memory; the tokenizer is ``lean_tokenizer``'s (the same ids in a quarter of
the memory).  Vectors match the torch embedder's: cosine ≥ 0.9999 for the fp32
graph and ≥ 0.99 for the int8 one (``tests/test_onnx.py``).

Threads: a question runs on ``RAG_THREADS`` intra-op threads (default 1,
as for torch: one thread answers fastest on a busy two-core machine); an
index build runs ``RAG_BUILD_THREADS`` one-thread batches side by side
(default: one per core this process may use).
"""
from __future__ import annotations

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .export import CONFIG_NAME, FILES

# Texts a run, sorted by length first so batches carry little padding. Small batches run
# faster here (160 report chunks, fp32: 6.1 s at 4, 6.5 s at 1, 8.5 s at 32). int8 runs one
# text at a time: dynamic quantisation scales a whole batch at once, so a text's vector would
# depend on its batch-mates (a rebuild's vectors on what else changed); on its own, every text,
# question or passage, keeps its own scale (README, "Embedding backends", for what it bought).
BATCH = {"fp32": 4, "int8": 1}


def serve_threads() -> int:
    """Intra-op threads for questions: ``RAG_THREADS``, default 1.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"RAG_THREADS": "2"}):
    ...     serve_threads()
    2
    """
    return int(os.environ.get("RAG_THREADS") or 1)


def build_threads() -> int:
    """Intra-op threads for index builds: ``RAG_BUILD_THREADS``, default every usable core.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"RAG_BUILD_THREADS": "3"}):
    ...     build_threads()
    3
    """
    return int(os.environ.get("RAG_BUILD_THREADS") or len(os.sched_getaffinity(0)))


def pad_batch(ids: list[list[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Token id rows padded to the longest, and the attention mask.

    >>> ids, mask = pad_batch([[0, 5, 2], [0, 2]], pad_id=1)
    >>> ids.tolist(), mask.tolist()
    ([[0, 5, 2], [0, 2, 1]], [[1, 1, 1], [1, 1, 0]])
    """
    width = max(len(row) for row in ids)
    out = np.full((len(ids), width), pad_id, np.int64)
    mask = np.zeros((len(ids), width), np.int64)
    for i, row in enumerate(ids):
        out[i, :len(row)] = row
        mask[i, :len(row)] = 1
    return out, mask


class OnnxEmbedder:
    """Embeds with an ONNX export; ``precision`` is ``int8`` or ``fp32``."""

    def __init__(self, name: str, precision: str = "int8", progress=None):
        from .embed import embedder_id
        from .export import ensure_export
        from .locate import model_dir

        self._setup(ensure_export(model_dir(name, progress), progress=progress), precision,
                    embedder_id(name, "onnx-fp32" if precision == "fp32" else "onnx"))

    @classmethod
    def from_folder(cls, folder: Path, precision: str, id: str) -> "OnnxEmbedder":
        """An embedder over an export folder as it is (no marker check): for the export's own check."""
        self = cls.__new__(cls)
        self._setup(Path(folder), precision, id)
        return self

    def _setup(self, folder: Path, precision: str, id: str) -> None:
        from ..config import cache_dir
        from . import lean_tokenizer

        if precision not in FILES:
            raise ValueError(f"unknown ONNX precision {precision!r} (expected one of {', '.join(FILES)})")
        self.id, self.folder, self.precision = id, folder, precision
        self.config = json.loads((folder / CONFIG_NAME).read_text(encoding="utf-8"))
        self.dim = int(self.config["dim"])
        # The library's own Unigram model holds 270 MB for e5's pieces; this one 60 MB, same ids.
        self.tokenizer = lean_tokenizer.load(folder / "tokenizer.json", cache_dir() / "tokenizers")
        # sentence-transformers truncates at max_seq_length and pads per batch; so do we, by hand.
        self.tokenizer.enable_truncation(int(self.config["max_seq_length"]))
        self.tokenizer.no_padding()
        self._sessions: dict[int, object] = {}
        self._lock = threading.Lock()

    def _session(self, threads: int):
        """The inference session for ``threads`` intra-op threads, made once."""
        with self._lock:  # two server workers may ask the first question at once
            if threads not in self._sessions:
                import onnxruntime as ort

                opts = ort.SessionOptions()
                opts.intra_op_num_threads = threads
                opts.inter_op_num_threads = 1
                # Spinning threads burn the other requests' core on a shared two-core machine.
                opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
                self._sessions[threads] = ort.InferenceSession(str(self.folder / FILES[self.precision]), opts,
                                                               providers=["CPUExecutionProvider"])
            return self._sessions[threads]

    def _embed(self, texts: list[str], prompt: str, callers: int, threads: int, progress=None) -> np.ndarray:
        """Vectors of ``texts``: batches run by ``callers`` threads at once on a ``threads``-thread session."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        lower = self.config.get("lowercase")
        encoded = self.tokenizer.encode_batch([prompt + (t.lower() if lower else t) for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
        size = BATCH[self.precision]
        batches = [order[start:start + size] for start in range(0, len(order), size)]
        out = np.zeros((len(texts), self.dim), np.float32)
        session, pad = self._session(threads), int(self.config["pad_id"])

        def run(rows: list[int]) -> None:
            ids, mask = pad_batch([encoded[i].ids for i in rows], pad)
            out[rows] = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

        pool = ThreadPoolExecutor(callers) if callers > 1 else None  # onnxruntime lets go of the GIL
        try:
            for done, _ in enumerate((pool.map if pool else map)(run, batches), 1):
                if progress and done % (64 // size) == 0:
                    progress(f"向量化 {min(done * size, len(texts))}/{len(texts)}")
        finally:
            if pool:
                pool.shutdown()
        # The graph normalises already; again here so that int8 rounding never leaves |v| != 1.
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, self.config["prompts"]["query"], 1, serve_threads())

    def documents(self, texts: list[str], progress=None) -> np.ndarray:
        # A build runs one-thread batches side by side, one per core: a short text's small
        # matrices keep one core busy better than two cores share them (640 report sentences,
        # int8, one at a time: 3.4-3.8 s against 4.2-5.4 s on one two-thread session).
        try:
            return self._embed(texts, self.config["prompts"]["document"], build_threads(), 1, progress)
        finally:
            if serve_threads() != 1:  # a build's session is not kept for serving
                with self._lock:
                    self._sessions.pop(1, None)
