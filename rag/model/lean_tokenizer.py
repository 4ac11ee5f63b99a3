"""The e5 tokenizer at a quarter of the memory: the same ``tokenizer.json``, the same token ids.

The ``tokenizers`` library keeps a Unigram model's pieces in a byte trie of
hash maps: for e5's 250,002 pieces about 270 MB resident, over a third of
what the served app held.  ``load`` keeps everything around the model as the
library's own, read from the same file (special tokens, normaliser,
pre-tokeniser, post-processor; truncation as the caller sets it), and splits
the model in two:

* a last pre-tokeniser stage, ``UnigramSplit``, that cuts each pre-token
  into its best pieces by the Unigram's Viterbi search (``best_pieces``: the
  library's ``Unigram::encode_optimized``, comparison for comparison);
* a ``WordLevel`` model that maps each piece to its id (two hash maps,
  about 60 MB), and that ``UnigramSplit`` asks whether a piece exists.

The scores are read as the library reads them: its JSON parser (serde_json
without ``float_roundtrip``) is off by one unit in the last place on a
quarter of e5's scores, and near-ties then go the other way ("iii" after a
long word); ``serde_float`` reproduces it.

The search runs in Python: about 4 µs a character, a millisecond for a
question (a document build spends a few seconds on a corpus of a million
characters, against minutes embedding it).  ``tests/test_onnx.py`` checks
the ids against the library's own model.  Parsing the 17 MB of JSON takes
most of a load; ``load`` can keep the parsed vocabulary in a cache folder.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from ..derived import digest, write_atomic

FORMAT = 1  # of the stored vocabulary (``Vocabulary.save``)
# tokenizers' Unigram scores an unknown character at the lowest piece score minus this (kUnkPenalty).
UNK_PENALTY = 10.0
POW10 = [float(f"1e{k}") for k in range(309)]  # serde_json's table: each power correctly rounded
U64 = 2 ** 64 - 1


def serde_float(literal: str) -> float:
    """A JSON number as serde_json reads it without ``float_roundtrip``: all its
    digits as an integer, rounded to a double, then scaled by one power of ten
    (two roundings, where Python's ``float`` rounds once).

    >>> serde_float("-3.4635426998138428"), float("-3.4635426998138428")
    (-3.4635426998138428, -3.4635426998138428)
    >>> serde_float("-7.4715776443481445"), float("-7.4715776443481445")
    (-7.471577644348144, -7.4715776443481445)
    >>> serde_float("1.5e-3"), serde_float("-0.0")
    (0.0015, -0.0)
    """
    mantissa, _, power = literal.replace("E", "e").partition("e")
    whole, _, frac = mantissa.partition(".")
    significand = int(whole + frac)  # signed: float() and the scaling round symmetrically
    exponent = int(power or 0) - len(frac)
    if abs(significand) > U64 or abs(exponent) >= len(POW10):
        # serde_json drops digits past 2^64 and rescales huge exponents in steps: not reproduced here.
        raise ValueError(f"number {literal!r} outside what serde_float reproduces")
    value = float(significand) or (-0.0 if literal.startswith("-") else 0.0)
    return value * POW10[exponent] if exponent >= 0 else value / POW10[-exponent]


def best_pieces(text: str, lookup: Callable[[str], int | None], scores: np.ndarray, unk_score: float,
                longest: dict[str, int]) -> list[tuple[int, int]]:
    """The (start, end) of each piece on the best-scoring path through ``text``.

    ``lookup`` gives a piece's id (None: no such piece), ``scores`` its log
    probability, ``longest`` the longest piece starting with a character.  A
    character no piece covers alone is unknown (``unk_score``); consecutive
    unknowns fuse into one piece, as the library's ``fuse_unk`` does.  Ties
    keep the first path found: strictly better scores replace, and paths are
    tried from the leftmost start and the shortest piece, in the library's order.

    >>> ids = {"a": 0, "b": 1, "ab": 2, "c": 3}
    >>> scores = np.array([-1.0, -1.0, -1.5, -3.0])
    >>> longest = {"a": 2, "b": 1, "c": 1}
    >>> best_pieces("abc", ids.get, scores, -13.0, longest)  # "ab" (-1.5) beats "a" + "b" (-2)
    [(0, 2), (2, 3)]
    >>> best_pieces("cxyb", ids.get, scores, -13.0, longest)  # x and y unknown: one piece
    [(0, 1), (1, 3), (3, 4)]
    """
    n = len(text)
    best = [0.0] * (n + 1)
    start = [-1] * (n + 1)  # -1: no path ends here yet
    unknown = [False] * (n + 1)
    for s in range(n):
        here, single = best[s], False
        for e in range(s + 1, min(n, s + longest.get(text[s], 0)) + 1):
            piece = lookup(text[s:e])
            if piece is None:
                continue
            score = scores[piece] + here
            if start[e] < 0 or score > best[e]:
                best[e], start[e], unknown[e] = score, s, False
            single = single or e == s + 1
        if not single:
            score = unk_score + here
            if start[s + 1] < 0 or score > best[s + 1]:
                best[s + 1], start[s + 1], unknown[s + 1] = score, s, True
    return _backtrack(start, unknown)


def _backtrack(start: list[int], unknown: list[bool]) -> list[tuple[int, int]]:
    """Pieces from the end of the best path back to its start, unknowns in a row fused.

    >>> _backtrack([-1, 0, 1, 2], [False, False, True, True])
    [(0, 1), (1, 3)]
    """
    cuts: list[tuple[int, int]] = []
    end, fusing = len(start) - 1, False
    while end > 0:
        s = start[end]
        if unknown[end] and fusing:
            cuts[-1] = (s, cuts[-1][1])
        else:
            cuts.append((s, end))
        fusing, end = unknown[end], s
    return cuts[::-1]


class UnigramSplit:
    """A custom pre-tokeniser stage: each pre-token cut into its Unigram pieces."""

    def __init__(self, lookup: Callable[[str], int | None], scores: np.ndarray, longest: dict[str, int]):
        self.lookup, self.scores, self.longest = lookup, scores, longest
        self.unk_score = float(scores.min()) - UNK_PENALTY

    def split(self, _: int, normalized):
        text = str(normalized)
        return [normalized[s:e] for s, e in best_pieces(text, self.lookup, self.scores, self.unk_score, self.longest)]

    def pre_tokenize(self, pretok) -> None:
        pretok.split(self.split)


@dataclass(frozen=True)
class Vocabulary:
    """What ``load`` needs of a ``tokenizer.json``: the pipeline around the model
    as JSON (its model a ``WordLevel`` over the special tokens alone, which take
    their ids from it), the pieces in id order and their scores as the library
    reads them."""

    spec: str
    pieces: tuple[str, ...]
    scores: np.ndarray

    @classmethod
    def parse(cls, raw: bytes, source: Path) -> "Vocabulary":
        spec = json.loads(raw, parse_float=serde_float)
        unigram = spec["model"]
        if unigram.get("type") != "Unigram" or unigram.get("byte_fallback"):
            raise ValueError(f"{source}: expected a Unigram model without byte fallback")
        vocab = unigram["vocab"]
        spec["model"] = {"type": "WordLevel", "vocab": {t["content"]: t["id"] for t in spec["added_tokens"]},
                         "unk_token": vocab[unigram["unk_id"]][0]}
        return cls(json.dumps(spec), tuple(p for p, _ in vocab), np.array([s for _, s in vocab], np.float64))

    @classmethod
    def read(cls, path: Path) -> "Vocabulary | None":
        """A stored vocabulary, or None when it is missing or damaged (then the JSON is parsed again)."""
        try:
            with np.load(path, allow_pickle=False) as stored:
                spec, blob = stored["spec"].tobytes().decode(), stored["pieces"].tobytes().decode()
                scores = stored["scores"]
        except Exception:  # any unreadable file means the same: parse the JSON instead
            return None
        pieces = tuple(blob.split("\0"))
        return cls(spec, pieces, scores) if len(pieces) == len(scores) else None

    def save(self, path: Path) -> None:
        """Store it atomically (another process may be reading it); pieces holding NUL, or a
        folder that cannot be written, leave it unstored: every load then parses the JSON."""
        blob = "\0".join(self.pieces)
        if blob.count("\0") == len(self.pieces) - 1:
            write_atomic(path, lambda f: np.savez(f, spec=np.frombuffer(self.spec.encode(), np.uint8),
                                                  pieces=np.frombuffer(blob.encode(), np.uint8), scores=self.scores))

    def tokenizer(self):
        """The ``tokenizers.Tokenizer``: the pipeline, the full vocabulary as ``WordLevel``, ``UnigramSplit`` last."""
        from tokenizers import Tokenizer, models, pre_tokenizers

        tokenizer = Tokenizer.from_str(self.spec)
        ids = dict(zip(self.pieces, range(len(self.pieces))))  # a repeated piece keeps its last id, as in tokenizers
        longest: dict[str, int] = {}
        for piece in ids:
            if piece and len(piece) > longest.get(piece[0], 0):
                longest[piece[0]] = len(piece)
        tokenizer.model = models.WordLevel(ids, json.loads(self.spec)["model"]["unk_token"])
        split = UnigramSplit(tokenizer.model.token_to_id, self.scores, longest)
        tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
            [tokenizer.pre_tokenizer, pre_tokenizers.PreTokenizer.custom(split)])
        return tokenizer


def load(path: Path, cache: Path | None = None):
    """A ``tokenizers.Tokenizer`` giving the ids of ``Tokenizer.from_file(path)`` for a Unigram ``tokenizer.json``.

    With ``cache`` (a folder) the parsed vocabulary is stored there under the
    file's SHA-256 (``rag.derived``), and later loads skip parsing the JSON (0.75 s -> 0.35 s for e5).
    """
    raw = Path(path).read_bytes()
    stored = Path(cache) / f"v{FORMAT}-{digest(raw)}.npz" if cache else None
    vocabulary = Vocabulary.read(stored) if stored else None
    if vocabulary is None:
        vocabulary = Vocabulary.parse(raw, Path(path))
        if stored:
            vocabulary.save(stored)
    return vocabulary.tokenizer()
