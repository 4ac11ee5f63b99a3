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

The search runs in Python: about 6 µs a character, a millisecond for a
question (a document build spends a few seconds on a corpus of a million
characters, against minutes embedding it).  ``tests/test_onnx.py`` checks
the ids against the library's own model.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import numpy as np

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


def load(path: Path):
    """A ``tokenizers.Tokenizer`` giving the ids of ``Tokenizer.from_file(path)`` for a Unigram ``tokenizer.json``."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    spec = json.loads(Path(path).read_text(encoding="utf-8"), parse_float=serde_float)
    unigram = spec["model"]
    if unigram.get("type") != "Unigram" or unigram.get("byte_fallback"):
        raise ValueError(f"{path}: expected a Unigram model without byte fallback")
    vocab = unigram["vocab"]
    ids = {piece: i for i, (piece, _) in enumerate(vocab)}  # a repeated piece keeps its last id, as in tokenizers
    scores = np.array([score for _, score in vocab], np.float64)
    longest: dict[str, int] = {}
    for piece in ids:
        if piece and len(piece) > longest.get(piece[0], 0):
            longest[piece[0]] = len(piece)
    unk = vocab[unigram["unk_id"]][0]
    # Parsed first with the special tokens alone, which take their ids from the model: then the full vocabulary.
    spec["model"] = {"type": "WordLevel", "vocab": {t["content"]: t["id"] for t in spec["added_tokens"]},
                     "unk_token": unk}
    tokenizer = Tokenizer.from_str(json.dumps(spec))
    del spec, vocab, unigram
    tokenizer.model = models.WordLevel(ids, unk)
    split = UnigramSplit(tokenizer.model.token_to_id, scores, longest)
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [tokenizer.pre_tokenizer, pre_tokenizers.PreTokenizer.custom(split)])
    return tokenizer
