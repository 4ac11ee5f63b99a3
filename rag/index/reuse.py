"""Incremental builds: vectors are reused by the hash of what was embedded.

Every embedded text (a chunk or a sentence, exactly as the embedder read it)
gets a key, the sha1 of the model id and the text; the index keeps the keys
beside the vectors (``chunks.keys.npy``, ``sentences.keys.npy``).  A rebuild
reads the previous index's keys and vectors and embeds only texts it has not
seen, so changing one file of a large corpus re-embeds that file alone, and
what was deleted simply is not carried over.  The result equals a build from
scratch (the same texts give the same vectors).

>>> k = keys("hash-256", ["甲", "乙"])
>>> k.dtype.str, len(k), bool(k[0] != k[1])
('|S20', 2, True)
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import faiss
import numpy as np

KEY_FILES = {"chunks": "chunks.keys.npy", "sentences": "sentences.keys.npy"}


def keys(model_id: str, texts: list[str]) -> np.ndarray:
    return np.asarray([hashlib.sha1(f"{model_id}\0{t}".encode()).digest() for t in texts], dtype="S20")


def previous(index_dir: Path, model_id: str) -> dict[bytes, np.ndarray]:
    """key -> vector from an existing index built with the same model, or {} (never an error)."""
    try:
        manifest = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("model") != model_id:
            return {}
        dense = faiss.read_index(str(index_dir / "chunks.faiss"))
        found = {}
        for kind, vectors in (("chunks", dense.reconstruct_n(0, dense.ntotal)),
                              ("sentences", np.load(index_dir / "sentences.npy", allow_pickle=False))):
            old = np.load(index_dir / KEY_FILES[kind], allow_pickle=False)
            if len(old) == len(vectors):
                found.update(zip(old.tolist(), vectors))
        return found
    except Exception:  # no usable previous index: embed everything
        return {}


def embed_reusing(embedder, texts: list[str], known: dict[bytes, np.ndarray], progress=None):
    """Vectors for ``texts`` (and their keys), embedding only those ``known`` lacks."""
    k = keys(embedder.id, texts)
    missing = [i for i, key in enumerate(k.tolist()) if key not in known]
    fresh = embedder.documents([texts[i] for i in missing], progress) if missing else None
    out = np.zeros((len(texts), embedder.dim), np.float32)
    for row, i in enumerate(missing):
        out[i] = fresh[row]
    for i, key in enumerate(k.tolist()):
        if key in known:
            out[i] = known[key]
    return out, k, len(missing)
