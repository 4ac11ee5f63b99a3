"""Settings: a flag wins, then an environment variable, then the default.

>>> Settings.resolve(corpus="c", env={"RAG_INDEX": "i"}).index_dir.as_posix()
'i'
>>> Settings.resolve(env={}).model
'intfloat/multilingual-e5-small'
>>> Settings.resolve(env={"RAG_BACKEND": "torch"}).backend, Settings.resolve(backend="onnx-fp32", env={}).backend
('torch', 'onnx-fp32')
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .model.embed import DEFAULT_BACKEND, DEFAULT_MODEL, check_backend

ENV = {
    "corpus_dir": "RAG_CORPUS",
    "index_dir": "RAG_INDEX",
    "model": "RAG_MODEL",
    "backend": "RAG_BACKEND",
}
DEFAULTS = {"corpus_dir": "corpus", "index_dir": "index", "model": DEFAULT_MODEL, "backend": DEFAULT_BACKEND}


def cache_dir() -> Path:
    """``$RAG_CACHE`` or ``<project>/.cache`` (gitignored): benchmark indexes and features, the parsed tokenizer."""
    return Path(os.environ.get("RAG_CACHE") or Path(__file__).resolve().parents[1] / ".cache")


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path
    index_dir: Path
    model: str
    backend: str = DEFAULT_BACKEND  # onnx (int8) | onnx-fp32 | torch (rag/model/embed.py)

    @classmethod
    def resolve(cls, corpus=None, index=None, model=None, env=None, backend=None) -> "Settings":
        env = os.environ if env is None else env
        flags = {"corpus_dir": corpus, "index_dir": index, "model": model, "backend": backend}
        value = {k: flags[k] or env.get(ENV[k]) or DEFAULTS[k] for k in ENV}
        return cls(Path(value["corpus_dir"]), Path(value["index_dir"]), str(value["model"]),
                   check_backend(str(value["backend"])))
