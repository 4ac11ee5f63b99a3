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
    """All trees in flat arrays: internal nodes numbered across trees, a leaf ``j`` written ``~j``."""

    n_features: int
    roots: np.ndarray  # per tree: its first internal node, or ~leaf for a one-leaf tree
    feature: np.ndarray  # per internal node
    threshold: np.ndarray
    default_left: np.ndarray
    missing: np.ndarray  # MISSING_NONE / MISSING_ZERO / MISSING_NAN
    left: np.ndarray
    right: np.ndarray
    leaf_value: np.ndarray

    @classmethod
    def parse(cls, text: str) -> "Forest":
        """The trees of a LightGBM model text; ValueError for what ``predict`` could not score exactly."""
        head, _, body = text.partition("\nTree=")
        header = _fields(head)
        objective = header.get("objective", "").split(" ")[0]
        if objective not in RAW_OBJECTIVES or header.get("num_tree_per_iteration", "1") != "1":
            raise ValueError(f"LightGBM model not supported: objective {objective!r}, "
                             f"{header.get('num_tree_per_iteration')} trees per iteration")
        blocks = body.partition("\nend of trees")[0].split("\nTree=")
        trees = [_fields(b) for b in blocks]
        return cls._join(int(header["max_feature_idx"]) + 1, trees)

    @classmethod
    def _join(cls, n_features: int, trees: list[dict]) -> "Forest":
        roots, parts = [], {k: [] for k in ("feature", "threshold", "decision", "left", "right", "leaf_value")}
        nodes = leaves = 0
        for t in trees:
            _check(t)
            leaf = _floats(t["leaf_value"])
            left, right = _ints(t["left_child"]), _ints(t["right_child"])
            roots.append(nodes if len(left) else ~leaves)
            # Renumber children across trees: internal nodes by ``nodes``, leaves by ``leaves``.
            parts["left"].append(np.where(left >= 0, left + nodes, ~(~left + leaves)))
            parts["right"].append(np.where(right >= 0, right + nodes, ~(~right + leaves)))
            parts["feature"].append(_ints(t["split_feature"]))
            parts["threshold"].append(_floats(t["threshold"]))
            parts["decision"].append(_ints(t["decision_type"]))
            parts["leaf_value"].append(leaf)
            nodes, leaves = nodes + len(left), leaves + len(leaf)
        joined = {k: np.concatenate(v) if v else np.zeros(0) for k, v in parts.items()}
        decision = joined.pop("decision").astype(np.int64)
        return cls(n_features, np.asarray(roots, np.int64), joined["feature"].astype(np.int64),
                   joined["threshold"].astype(np.float64), (decision & DEFAULT_LEFT) > 0, (decision >> 2) & 3,
                   joined["left"].astype(np.int64), joined["right"].astype(np.int64),
                   joined["leaf_value"].astype(np.float64))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """LightGBM's raw score of each row of ``X`` (rows × ``n_features``)."""
        X = np.asarray(X, np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"expected rows of {self.n_features} features, got shape {X.shape}")
        X = np.where(np.abs(X) <= ZERO, 0.0, X)  # NaN compares False and stays NaN
        n, trees = len(X), len(self.roots)
        node = np.tile(self.roots, n)  # row-major: row i's trees at i*trees ... (i+1)*trees-1
        row = np.repeat(np.arange(n), trees)
        live = np.flatnonzero(node >= 0)
        while live.size:  # one level of every unfinished tree per step
            at = node[live]
            go_left = self._goes_left(X[row[live], self.feature[at]], at)
            node[live] = np.where(go_left, self.left[at], self.right[at])
            live = live[node[live] >= 0]
        values = self.leaf_value[~node].reshape(n, trees)
        # Summed tree after tree from 0.0, as LightGBM does (cumsum is sequential), for identical floats.
        return np.cumsum(values, axis=1)[:, -1] if trees else np.zeros(n)

    def _goes_left(self, x: np.ndarray, at: np.ndarray) -> np.ndarray:
        """LightGBM's ``NumericalDecision`` for values ``x`` at internal nodes ``at``."""
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
