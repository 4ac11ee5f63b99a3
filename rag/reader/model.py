"""The learned reader: a sentence ranker and a calibrated question model, in one JSON file.

* the *sentence* model ranks a question's candidate sentences: gradient-boosted
  trees (LightGBM, LambdaRank objective) over ``features.SENTENCE``; trees
  found the right sentence on 85.7% of CMRC2018 dev questions against 77.9%
  for a logistic model over the same features (5-fold, grouped by article);
* the *question* model turns the best candidate's features into a calibrated
  P(the answer given is right): logistic regression, fitted by Newton's
  method with an L2 penalty, whose outputs are probabilities (expected
  calibration error about 0.01 out of fold); below ``threshold`` the
  reader refuses.

Both are deterministic (fixed seed, one thread).  ``rag train``
(``rag.evaluation.training``) writes the file with the data hashes, the
fold models and the cross-validated metrics it reached.

>>> X = np.array([[0.0], [1.0], [2.0], [3.0]]); y = np.array([0, 0, 1, 1])
>>> m = Logistic.fit(X, y, ("x",), l2=0.1)
>>> [round(float(v), 2) for v in m.predict(X)]
[0.03, 0.23, 0.77, 0.97]
>>> Logistic.from_dict(m.to_dict()).predict(X).round(2).tolist() == m.predict(X).round(2).tolist()
True
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .trees import forest

MODEL_PATH = Path(__file__).with_name("model.json")


@dataclass(frozen=True)
class Logistic:
    columns: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    bias: float

    def predict(self, X: np.ndarray) -> np.ndarray:
        z = ((np.asarray(X, np.float64) - self.mean) / self.scale) @ self.coef + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))

    @classmethod
    def fit(cls, X: np.ndarray, y: np.ndarray, columns: tuple[str, ...], l2: float = 1.0,
            weights: np.ndarray | None = None, steps: int = 50) -> "Logistic":
        """Newton's method on the standardised features; the bias is not penalised."""
        X = np.asarray(X, np.float64)
        mean, scale = X.mean(axis=0), X.std(axis=0)
        scale[scale < 1e-9] = 1.0
        Z = np.hstack([(X - mean) / scale, np.ones((len(X), 1))])
        w = np.ones(len(X)) if weights is None else np.asarray(weights, np.float64)
        beta = np.zeros(Z.shape[1])
        penalty = np.full(Z.shape[1], l2)
        penalty[-1] = 0.0
        for _ in range(steps):
            p = 1.0 / (1.0 + np.exp(-np.clip(Z @ beta, -40, 40)))
            grad = Z.T @ (w * (p - y)) + penalty * beta
            hess = (Z * (w * p * (1 - p))[:, None]).T @ Z + np.diag(penalty + 1e-9)
            step = np.linalg.solve(hess, grad)
            beta -= step
            if np.abs(step).max() < 1e-8:
                break
        return cls(tuple(columns), mean, scale, beta[:-1], float(beta[-1]))

    def to_dict(self) -> dict:
        return {"columns": list(self.columns), "mean": self.mean.round(8).tolist(),
                "scale": self.scale.round(8).tolist(), "coef": self.coef.round(8).tolist(),
                "bias": round(self.bias, 8)}

    @classmethod
    def from_dict(cls, d: dict) -> "Logistic":
        return cls(tuple(d["columns"]), np.asarray(d["mean"]), np.asarray(d["scale"]), np.asarray(d["coef"]),
                   float(d["bias"]))


RANKER = {"objective": "lambdarank", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 40,
          "lambdarank_truncation_level": 5, "verbose": -1, "seed": 0, "deterministic": True, "num_threads": 1}
ROUNDS = 300


@dataclass(frozen=True)
class Ranker:
    """LightGBM trees kept as their own text format (no pickle); fitted with LightGBM,
    scored in numpy (``trees.py``) so that answering never imports it.

    The shipped ranker is the cross-validation's fold rankers, averaged: the
    question model is fitted on their out-of-fold scores, so new questions
    get scores from the same models, and the mean varies less from one
    refit to the next than one ranker fitted on everything.
    """

    columns: tuple[str, ...]
    texts: tuple[str, ...]

    @classmethod
    def fit(cls, X: np.ndarray, y: np.ndarray, qid: np.ndarray, columns: tuple[str, ...]) -> "Ranker":
        """Fit on candidates grouped by question (``qid`` ascending, each question's rows together)."""
        import lightgbm as lgb

        data = lgb.Dataset(np.asarray(X, np.float64), np.asarray(y, int), free_raw_data=True)
        data.set_group(np.unique(qid, return_counts=True)[1])
        booster = lgb.train(RANKER, data, num_boost_round=ROUNDS)
        return cls(tuple(columns), (booster.model_to_string(),))

    @classmethod
    def mean(cls, rankers: list["Ranker"]) -> "Ranker":
        return cls(rankers[0].columns, tuple(t for r in rankers for t in r.texts))

    def member(self, k: int) -> "Ranker":
        return Ranker(self.columns, (self.texts[k],))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.mean([forest(t).predict(X) for t in self.texts], axis=0)

    def to_dict(self) -> dict:
        return {"columns": list(self.columns), "lightgbm": list(self.texts)}

    @classmethod
    def from_dict(cls, d: dict) -> "Ranker":
        return cls(tuple(d["columns"]), tuple(d["lightgbm"]))


@dataclass(frozen=True)
class ReaderModel:
    """``threshold``: answer at this confidence or above; ``veto``: unless the
    evidence check (``features.rule_margin``) falls below it."""

    sentence: Ranker
    question: Logistic
    threshold: float
    veto: float = -1.0
    info: dict = field(default_factory=dict, compare=False)

    def answers(self, confidence: float, margin: float) -> bool:
        return confidence >= self.threshold and margin >= self.veto

    def to_json(self) -> str:
        return json.dumps({"sentence": self.sentence.to_dict(), "question": self.question.to_dict(),
                           "threshold": self.threshold, "veto": self.veto, "info": self.info},
                          ensure_ascii=False, indent=1)

    def fold(self, k: int) -> "ReaderModel":
        """The model fitted without fold ``k`` (``rag eval`` scores fold ``k``'s questions with it)."""
        return ReaderModel(self.sentence.member(k), Logistic.from_dict(self.info["folds"][k]["question"]),
                           self.threshold, self.veto)

    @classmethod
    def from_json(cls, text: str) -> "ReaderModel":
        d = json.loads(text)
        return cls(Ranker.from_dict(d["sentence"]), Logistic.from_dict(d["question"]), float(d["threshold"]),
                   float(d.get("veto", -1.0)), d.get("info", {}))


@lru_cache(maxsize=16)
def load_model(path: str = str(MODEL_PATH), fold: int | None = None) -> ReaderModel:
    """The shipped reader model, or one of its fold models (each read once per process)."""
    from .features import QUESTION, SENTENCE

    if fold is not None:
        return load_model(path).fold(fold)
    model = ReaderModel.from_json(Path(path).read_text(encoding="utf-8"))
    if model.sentence.columns != SENTENCE or model.question.columns != QUESTION:
        raise ValueError(f"阅读模型 {path} 的特征与代码不一致，请运行 rag train 重新训练")
    return model
