"""A synthetic library for the scale runs (``bench/scale.py``).

Text: the CMRC2018 and DRCD dev contexts and the development reports'
paragraphs, replicated with perturbations (sentence order rotated, digits
shifted, a copy number in the title) until the wanted chunk count is reached;
about 20 paragraphs make one file, so ingestion sees reports, not snippets.

Vectors: embedding 100k chunks and their ~4 sentences each with e5 on two
shared cores takes hours, so the library is indexed with random unit vectors
(``RandomDocuments``: real e5 query vectors, random document vectors).  Recall
is measured on real e5 vectors instead (the benchmark indexes' chunk and
sentence vectors; copies with small noise past their count: ``real_vectors``).

>>> perturb("甲有3家。乙有12人。", 1)
'乙有23人。甲有4家。'
>>> unit_vectors(3, 4, seed=0).shape, bool(np.allclose(np.linalg.norm(unit_vectors(3, 4, 0), axis=1), 1))
((3, 4), True)
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from rag.evaluation.benchmarks import SETS, load_squad

_SENTENCE = re.compile(r"[^。！？]*[。！？]|[^。！？]+$")
_DIGITS = [str.maketrans("0123456789", "".join(str((d + r) % 10) for d in range(10))) for r in range(10)]


def source_paragraphs(shared: Path) -> list[tuple[str, str]]:
    """``(title, paragraph)`` of every benchmark context and development-report paragraph."""
    out = []
    for name, rel in SETS.items():
        contexts, _ = load_squad(shared / rel, name)
        out += [(c.title, c.text.strip()) for c in contexts if c.text.strip()]
    for path in sorted((shared / "corpus-dev").glob("*.*")):
        if path.suffix in (".txt", ".md"):
            lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines()]
            out += [(path.stem, x) for x in lines if len(x) >= 40]
    return out


def perturb(text: str, r: int) -> str:
    """Copy ``r`` of a paragraph: its sentences rotated by ``r``, every digit shifted by ``r``."""
    sentences = [s for s in _SENTENCE.findall(text) if s]
    k = r % len(sentences) if sentences else 0
    return "".join(sentences[k:] + sentences[:k]).translate(_DIGITS[r % 10])


def estimated_chunks(text: str, size: int = 240, step: int = 180) -> int:
    """Chunks the default splitter makes of one paragraph, roughly (the build counts them exactly)."""
    return max(1, -(-(len(text) - (size - step)) // step))


def write_library(folder: Path, paragraphs: list[tuple[str, str]], chunks: int, per_file: int = 20) -> int:
    """Write perturbed copies of ``paragraphs`` as ``.txt`` reports until about ``chunks`` chunks; return files."""
    folder.mkdir(parents=True, exist_ok=True)
    total, files, i = 0, 0, 0
    while total < chunks:
        body = []
        for _ in range(per_file):
            title, text = paragraphs[i % len(paragraphs)]
            copy = perturb(text, i // len(paragraphs))
            body.append(copy)
            total += estimated_chunks(copy)
            i += 1
        head = f"合集第{files + 1}册：{paragraphs[(i - 1) % len(paragraphs)][0]}"
        (folder / f"lib-{files:06d}.txt").write_text(head + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
        files += 1
    return files


def unit_vectors(n: int, dim: int, seed: int, block: int = 100_000) -> np.ndarray:
    """``n`` random unit vectors (float32), made a block at a time to bound the float64 temporaries."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, dim), np.float32)
    for i in range(0, n, block):
        x = rng.standard_normal((min(block, n - i), dim), dtype=np.float32)
        out[i:i + len(x)] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def real_vectors(base: np.ndarray, n: int, noise: float = 0.02, seed: int = 0) -> np.ndarray:
    """``n`` vectors: ``base`` (real e5 vectors) first, then copies of it with Gaussian noise, renormalised.

    ``noise`` 0.02 per dimension gives a copy a cosine of about 0.93 with its
    original at 384 dims: a near-duplicate, as reissued reports are.
    """
    if n <= len(base):
        return np.ascontiguousarray(base[:n], dtype=np.float32)
    rng = np.random.default_rng(seed)
    extra = base[rng.integers(0, len(base), n - len(base))]
    extra = extra + rng.standard_normal(extra.shape, dtype=np.float32) * noise
    extra /= np.linalg.norm(extra, axis=1, keepdims=True)
    return np.vstack([base, extra]).astype(np.float32)


class RandomDocuments:
    """An embedder whose documents get random unit vectors and whose queries get the real model's.

    Latency and memory of the index do not depend on the vectors' values,
    and the question still goes through the real query embedding.
    """

    def __init__(self, real, dim: int = 384, seed: int = 0):
        self.real, self.id, self.dim = real, real.id, dim
        self._rng = np.random.default_rng(seed)

    def queries(self, texts: list[str]) -> np.ndarray:
        return self.real.queries(texts)

    def documents(self, texts: list[str], progress=None) -> np.ndarray:
        x = self._rng.standard_normal((len(texts), self.dim), dtype=np.float32)
        return x / np.linalg.norm(x, axis=1, keepdims=True)


def token_ids(texts: list[str]) -> tuple[list[list[int]], dict[str, int]]:
    """Texts as lists of token ids under one vocabulary (``rag.index.lexical.tokenize``)."""
    from rag.index.lexical import tokenize

    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in (tokenize(x) or [""])] for x in texts]
    return ids, vocab


def replicate_ids(ids: list[list[int]], vocab_size: int, n: int, swap: float = 0.1, seed: int = 0):
    """``n`` token-id lists: copies of ``ids`` with a fraction ``swap`` of tokens replaced at random.

    Tokenising a million chunks in Python would take longer than the index it
    feeds; copies of tokenised chunks keep the real term statistics.
    """
    rng = np.random.default_rng(seed)
    base = [np.asarray(x, dtype=np.int32) for x in ids]
    out = []
    for i in range(n):
        row = base[i % len(base)]
        if i >= len(base):  # int32 arrays: a million Python lists of ints would need ~17 GB
            hit = rng.random(len(row)) < swap
            row = np.where(hit, rng.integers(0, vocab_size, len(row), dtype=np.int32), row)
        out.append(row)
    return out


def questions(shared: Path, limit: int = 200) -> list[str]:
    """Benchmark questions (CMRC2018 and DRCD dev), alternating, for latency runs."""
    sets = [load_squad(shared / rel, name)[1] for name, rel in SETS.items()]
    mixed = [q.question for pair in zip(*sets) for q in pair]
    return mixed[:limit]


def dump(path: Path, row: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(row, ensure_ascii=False, indent=1), encoding="utf-8")
