"""LightGBM trees scored in numpy, so that serving the reader never imports LightGBM.

Importing ``lightgbm`` costs the app about 100 MB of memory and a second of
start; the ranker only needs its trees walked.  ``Forest.parse`` reads the
text ``Booster.model_to_string`` writes (kept in ``model.json``) into flat
arrays, and ``Forest.predict`` walks every tree for every row at once, one
level per step, giving LightGBM's raw score bit for bit: the same
comparisons (``x <= threshold``), the same treatment of missing values and
of values LightGBM reads as zero, and the leaf values summed tree by tree in
LightGBM's order.  Categorical splits, linear trees and multi-class models
are refused (the reader's ranker uses none of them).

>>> f = Forest.parse(_TOY)  # two trees: a split on feature 0 at 0.5, and a single leaf
>>> f.predict(np.array([[0.2, 0.0], [0.9, 0.0], [np.nan, 5.0]])).tolist()  # NaN reads as 0.0 here
[-0.75, 0.25, -0.75]
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# LightGBM drops values with |x| <= kZeroThreshold (1e-35f) from a row before
# scoring (they become 0.0), and a Zero-missing split treats them as missing.
ZERO = float(np.float32(1e-35))
# decision_type bits (LightGBM tree.h): bit 0 categorical, bit 1 default left, bits 2-3 missing type.
CATEGORICAL, DEFAULT_LEFT = 1, 2
MISSING_NONE, MISSING_ZERO, MISSING_NAN = 0, 1, 2
# Objectives whose prediction is the raw score (no sigmoid or softmax applied by LightGBM).
RAW_OBJECTIVES = ("lambdarank", "rank_xendcg", "regression")

_TOY = """tree
version=v4
num_class=1
num_tree_per_iteration=1
max_feature_idx=1
objective=lambdarank

Tree=0
num_leaves=2
num_cat=0
split_feature=0
threshold=0.5
decision_type=2
left_child=-1
right_child=-2
leaf_value=-0.5 0.5
shrinkage=1

Tree=1
num_leaves=1
num_cat=0
split_feature=
threshold=
decision_type=
left_child=
right_child=
leaf_value=-0.25
shrinkage=1

end of trees
"""


@dataclass(frozen=True)
class Forest:
    """All trees' nodes in flat arrays, numbered across trees; a leaf leads to itself."""

    n_features: int
    roots: np.ndarray  # per tree
    feature: np.ndarray  # per node (0 at a leaf)
    threshold: np.ndarray
    default_left: np.ndarray
    missing: np.ndarray  # MISSING_NONE / MISSING_ZERO / MISSING_NAN
    child: np.ndarray  # node n goes to child[2n] (right) or child[2n + 1] (left)
    value: np.ndarray  # a leaf's output, 0.0 elsewhere

    @classmethod
    def parse(cls, text: str) -> "Forest":
        """The trees of a LightGBM model text; ValueError for what ``predict`` could not score exactly."""
        head, _, body = text.partition("\nTree=")
        if not body:
            raise ValueError("LightGBM model text without trees")
        header = _fields(head)
        objective = header.get("objective", "").split(" ")[0]
        if objective not in RAW_OBJECTIVES or header.get("num_tree_per_iteration", "1") != "1":
            raise ValueError(f"LightGBM model not supported: objective {objective!r}, "
                             f"{header.get('num_tree_per_iteration')} trees per iteration")
        blocks = body.partition("\nend of trees")[0].split("\nTree=")
        return cls._join(int(header["max_feature_idx"]) + 1, [_tree(_fields(b)) for b in blocks])

    @classmethod
    def _join(cls, n_features: int, trees: list[dict[str, np.ndarray]]) -> "Forest":
        offsets = np.cumsum([0] + [len(t["value"]) for t in trees])
        joined = {k: np.concatenate([t[k] for t in trees]) for k in trees[0]}
        # Each tree's own node numbers, shifted past the trees before it.
        shift = np.concatenate([np.full(len(t["value"]), o) for t, o in zip(trees, offsets)])
        child = np.stack([joined["right"] + shift, joined["left"] + shift], axis=1).ravel()
        return cls(n_features, offsets[:-1], joined["feature"], joined["threshold"],
                   (joined["decision"] & DEFAULT_LEFT) > 0, (joined["decision"] >> 2) & 3, child, joined["value"])

    def predict(self, X: np.ndarray) -> np.ndarray:
        """LightGBM's raw score of each row of ``X`` (rows × ``n_features``)."""
        X = np.asarray(X, np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"expected rows of {self.n_features} features, got shape {X.shape}")
        X = np.where(np.abs(X) <= ZERO, 0.0, X)  # NaN compares False and stays NaN
        plain = not self.missing.any()
        if plain:  # no split treats a value as missing: NaN reads as 0.0 everywhere
            X = np.where(np.isnan(X), 0.0, X)
        n, trees = len(X), len(self.roots)
        flat, base = X.ravel(), np.repeat(np.arange(n) * self.n_features, trees)
        node = np.tile(self.roots, n)  # row-major: row i's trees at i*trees ... (i+1)*trees-1
        live = np.flatnonzero(self.child[2 * node] != node)
        while live.size:  # one level down every tree not yet at a leaf
            at = node[live]
            x = flat[base[live] + self.feature[at]]
            go_left = x <= self.threshold[at] if plain else self._goes_left(x, at)
            node[live] = step = self.child[2 * at + go_left]
            live = live[self.child[2 * step] != step]
        values = self.value[node].reshape(n, trees)
        # Summed tree after tree from 0.0, as LightGBM does (cumsum is sequential), for identical floats.
        return np.cumsum(values, axis=1)[:, -1]

    def _goes_left(self, x: np.ndarray, at: np.ndarray) -> np.ndarray:
        """LightGBM's ``NumericalDecision`` for values ``x`` at nodes ``at``."""
        missing = self.missing[at]
        nan = np.isnan(x)
        x = np.where(nan & (missing != MISSING_NAN), 0.0, x)
        absent = ((missing == MISSING_ZERO) & (np.abs(x) <= ZERO)) | ((missing == MISSING_NAN) & nan)
        return np.where(absent, self.default_left[at], x <= self.threshold[at])


@lru_cache(maxsize=16)
def forest(text: str) -> Forest:
    """``Forest.parse``, once per model text and process."""
    return Forest.parse(text)


def _fields(block: str) -> dict[str, str]:
    """``key=value`` lines of one section of the model text.

    >>> _fields("7\\nnum_leaves=2\\nleaf_value=1 2")
    {'num_leaves': '2', 'leaf_value': '1 2'}
    """
    return dict(line.split("=", 1) for line in block.splitlines() if "=" in line)


def _tree(t: dict[str, str]) -> dict[str, np.ndarray]:
    """One tree's nodes: its splits, then its leaves, each leaf leading to itself.

    >>> t = _tree({"num_leaves": "2", "split_feature": "1", "threshold": "0.5", "decision_type": "2",
    ...            "left_child": "-1", "right_child": "-2", "leaf_value": "-0.5 0.5"})
    >>> t["left"].tolist(), t["right"].tolist(), t["value"].tolist()
    ([1, 1, 2], [2, 1, 2], [0.0, -0.5, 0.5])
    """
    _check(t)
    leaves = _floats(t["leaf_value"])
    inner = len(leaves) - 1
    split = {k: t.get(k, "") for k in ("split_feature", "threshold", "decision_type", "left_child", "right_child")}
    if len(_ints(split["left_child"])) != inner:
        raise ValueError("LightGBM model not supported: a tree without num_leaves - 1 splits")
    itself = np.arange(inner, inner + len(leaves))
    child = lambda c: np.where(c >= 0, c, inner + ~c)  # noqa: E731 (leaf j is written ~j)
    return {"feature": np.concatenate([_ints(split["split_feature"]), np.zeros(len(leaves), np.int64)]),
            "threshold": np.concatenate([_floats(split["threshold"]), np.full(len(leaves), np.inf)]),
            "decision": np.concatenate([_ints(split["decision_type"]), np.zeros(len(leaves), np.int64)]),
            "left": np.concatenate([child(_ints(split["left_child"])), itself]),
            "right": np.concatenate([child(_ints(split["right_child"])), itself]),
            "value": np.concatenate([np.zeros(inner), leaves])}


def _check(tree: dict[str, str]) -> None:
    """Refuse what ``Forest.predict`` does not implement, rather than score it wrongly."""
    if tree.get("num_cat", "0") != "0" or np.any(_ints(tree.get("decision_type", "")) & CATEGORICAL):
        raise ValueError("LightGBM model not supported: categorical splits")
    if tree.get("is_linear", "0") != "0":
        raise ValueError("LightGBM model not supported: linear trees")


def _ints(values: str) -> np.ndarray:
    return np.array([int(v) for v in values.split()], np.int64)


def _floats(values: str) -> np.ndarray:
    # Python's float() rounds every decimal correctly, as LightGBM's own parser does.
    return np.array([float(v) for v in values.split()], np.float64)
