"""Settings: a flag wins, then an environment variable, then the default.

>>> Settings.resolve(corpus="c", env={"RAG_INDEX": "i"}).index_dir.as_posix()
'i'
>>> Settings.resolve(env={}).model
'intfloat/multilingual-e5-small'
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .embed import DEFAULT_MODEL

ENV = {
    "corpus_dir": "RAG_CORPUS",
    "index_dir": "RAG_INDEX",
    "model": "RAG_MODEL",
}
DEFAULTS = {"corpus_dir": "corpus", "index_dir": "index", "model": DEFAULT_MODEL}


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path
    index_dir: Path
    model: str

    @classmethod
    def resolve(cls, corpus=None, index=None, model=None, env=None) -> "Settings":
        env = os.environ if env is None else env
        flags = {"corpus_dir": corpus, "index_dir": index, "model": model}
        value = {k: flags[k] or env.get(ENV[k]) or DEFAULTS[k] for k in ENV}
        return cls(Path(value["corpus_dir"]), Path(value["index_dir"]), str(value["model"]))
