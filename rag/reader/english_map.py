"""A learned low-rank map that moves an English question's embedding towards Chinese report passages.

e5-small places an English question and the Chinese sentence that answers it
further apart than two Chinese texts; the dictionary bridge (``bridge.py``)
adds the Chinese terms it finds, but its senses miss report phrasings.  This
map, ``v + v @ (U @ W)`` with ``U``, ``W`` of rank ``RANK``, is fitted by
``rag train`` on the development reports' English questions: each question's
own vector, plus its bridge's, should score its answer's sentence above the
other sentences of the same report (softmax cross-entropy, temperature
``TAU``, an L2 penalty keeping the map near the identity).  Retrieval uses
the mapped vector, and the reader reads its cosines beside the unmapped ones.

It is fitted per cross-validation fold too (``fold``), so ``rag eval`` scores
a development question with a map that never saw its report.  It applies only
to vectors of the embedder it was fitted with (another model keeps its own
vectors).  The file is ``.npz`` of plain float arrays (no pickle) beside the
reader model, with the embedder id and what the fit reported (settings, questions,
out-of-fold rank-1 counts).

>>> m = EnglishMap(np.zeros((4, 1), np.float32), np.zeros((1, 4), np.float32), "e@x")
>>> m.apply(np.array([1.0, 0, 0, 0], np.float32), "e@y").tolist()  # same model, other backend
[1.0, 0.0, 0.0, 0.0]
>>> m.apply(np.array([1.0, 0, 0, 0], np.float32), "other@x") is None
True
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

RANK = 32
TAU = 0.05
L2 = 0.01
EPOCHS = 200
LEARNING_RATE = 1e-3


@dataclass(frozen=True)
class EnglishMap:
    """``v -> v + v @ (U @ W)`` for vectors of ``embedder`` (its model; any backend)."""

    U: np.ndarray
    W: np.ndarray
    embedder: str

    def apply(self, vec: np.ndarray, embedder: str) -> np.ndarray | None:
        """The mapped vector, or None when ``embedder`` is another model or dimension."""
        if embedder.split("@")[0] != self.embedder.split("@")[0] or vec.shape[-1] != self.U.shape[0]:
            return None
        return (vec + (vec @ self.U) @ self.W).astype(np.float32)


def map_path(model_path: str | Path) -> Path:
    """Where the map of a reader model lives: beside it.

    >>> map_path("rag/reader/model.json").name
    'model.english.npz'
    """
    return Path(model_path).with_suffix(".english.npz")


def save_maps(path: Path, maps: dict[str, EnglishMap], report: dict) -> None:
    """``maps`` keyed ``final`` and ``fold<k>``, and what their fit reported; one ``.npz``
    (deterministic bytes for the same arrays)."""
    arrays = {f"{key}_{part}": getattr(m, part) for key, m in maps.items() for part in ("U", "W")}
    arrays["embedder"] = np.array(next(iter(maps.values())).embedder)
    arrays["report"] = np.array(json.dumps(report, sort_keys=True))
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def load_map(path: str, fold: int | None = None) -> EnglishMap | None:
    """The map fitted on all the data, or without ``fold``; None when there is no map file.
    Read once per version of the file (``rag train`` rewrites its own)."""
    file = Path(path)
    if not file.is_file():
        return None
    stat = file.stat()
    return _load(str(file), stat.st_mtime_ns, stat.st_size, fold)


@lru_cache(maxsize=16)
def _load(path: str, _mtime: int, _size: int, fold: int | None) -> EnglishMap:
    with np.load(path, allow_pickle=False) as z:
        key = "final" if fold is None else f"fold{fold}"
        return EnglishMap(z[f"{key}_U"], z[f"{key}_W"], str(z["embedder"]))


def map_report(path: Path) -> dict:
    """What the fit reported (saved in the file), with the file's sha256."""
    with np.load(path, allow_pickle=False) as z:
        report = json.loads(str(z["report"]))
    return report | {"sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def fit_map(own: np.ndarray, bridge: np.ndarray, rows: np.ndarray, gold: list[list[int]],
            same_doc: np.ndarray, embedder: str, seed: int = 0) -> EnglishMap:
    """Fit ``U``, ``W`` so that ``normalise(own mapped + bridge)`` ranks a gold row first.

    ``own``/``bridge``: the questions' vectors (n x d); ``rows``: every
    sentence's vector (m x d); ``gold[i]``: rows holding question i's
    answer; ``same_doc``: n x m, the rows of question i's report, the only
    ones it is scored against.  Deterministic for a seed (one thread).
    """
    import torch

    if not len(own):  # a fold holding every report: nothing to fit, the identity
        return EnglishMap(np.zeros((own.shape[1], RANK), np.float32), np.zeros((RANK, own.shape[1]), np.float32),
                          embedder)
    # one thread for the same bytes every run; only ``rag train`` fits, from one thread
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        torch.manual_seed(seed)
        d = own.shape[1]
        U = torch.nn.Parameter(torch.randn(d, RANK) * 0.01)
        W = torch.nn.Parameter(torch.zeros(RANK, d))
        O, B, C = (torch.tensor(a, dtype=torch.float32) for a in (own, bridge, rows))
        others = ~torch.tensor(same_doc)
        pos = torch.zeros(others.shape, dtype=torch.bool)
        for i, golds in enumerate(gold):
            pos[i, golds] = True
        opt = torch.optim.Adam([U, W], lr=LEARNING_RATE)
        for _ in range(EPOCHS):
            q = O + (O @ U) @ W + B
            s = ((q / q.norm(dim=1, keepdim=True)) @ C.T / TAU).masked_fill(others, -1e4)
            loss = (torch.logsumexp(s, 1) - torch.logsumexp(s.masked_fill(~pos, -1e4), 1)).mean()
            loss = loss + L2 * ((U @ W) ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        return EnglishMap(U.detach().numpy().copy(), W.detach().numpy().copy(), embedder)
    finally:
        torch.set_num_threads(threads)
