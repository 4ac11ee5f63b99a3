"""The reader's trees scored in numpy give LightGBM's own predictions, and answering never imports LightGBM."""
from __future__ import annotations

import subprocess
import sys

import lightgbm as lgb
import numpy as np
import pytest

from conftest import FAKE, REPORT_DIR, ROOT
from rag.reader.model import load_model
from rag.reader.trees import Forest

TOL = 1e-9


def _shipped_texts() -> list[str]:
    model = load_model()
    return list(model.sentence.texts)


def _lightgbm(text: str, X: np.ndarray) -> np.ndarray:
    return lgb.Booster(model_str=text).predict(X, num_threads=1)


def _edge_rows(n: int, width: int, thresholds: np.ndarray, seed: int = 0) -> np.ndarray:
    """Random rows sprinkled with NaN, ±inf, ±0, values LightGBM reads as zero, and exact thresholds."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, width))
    for value, share in ((np.nan, 0.1), (0.0, 0.1), (-0.0, 0.02), (1e-36, 0.05), (-1e-36, 0.05),
                         (1e-35, 0.03), (np.inf, 0.02), (-np.inf, 0.02)):
        X[rng.random(X.shape) < share] = value
    at = rng.random(X.shape) < 0.1
    X[at] = rng.choice(thresholds, size=at.sum())  # x == threshold goes left
    return X


def test_the_shipped_model_uses_only_numerical_splits_with_default_left():
    kinds = {int(v) for text in _shipped_texts() for line in text.splitlines()
             if line.startswith("decision_type=") for v in line.split("=")[1].split()}
    assert kinds == {2}  # numerical, default left, no missing type: what predict must match first


def test_shipped_trees_equal_lightgbm_on_real_feature_rows(report_engine):
    from rag.evaluation.benchmarks import load_report_items
    from rag.evaluation.training import collect

    items = load_report_items(ROOT / "eval" / "qa_report.jsonl", report_engine)
    X = collect(report_engine, items, "report", [i.id for i in items]).X
    assert len(X) > 1000
    for text in _shipped_texts():
        assert np.abs(Forest.parse(text).predict(X) - _lightgbm(text, X)).max() <= TOL


def test_shipped_trees_equal_lightgbm_on_random_and_edge_rows():
    for seed, text in enumerate(_shipped_texts()):
        f = Forest.parse(text)
        X = _edge_rows(3000, f.n_features, f.threshold[np.isfinite(f.threshold)], seed)
        assert np.abs(f.predict(X) - _lightgbm(text, X)).max() <= TOL


@pytest.mark.parametrize("zero_as_missing, kinds", [(False, {8, 10}), (True, {4, 6})])
def test_nan_and_zero_missing_splits_equal_lightgbm(zero_as_missing, kinds):
    """Models trained on data with gaps use NaN- (8, 10) or Zero-missing (4, 6) splits, both ways by default."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 4))
    X[rng.random(X.shape) < 0.2] = np.nan
    X[rng.random(X.shape) < 0.2] = 0.0
    y = np.nan_to_num(X[:, 0]) + np.isnan(X[:, 1]) + (X[:, 2] == 0)
    params = {"objective": "regression", "num_leaves": 7, "min_data_in_leaf": 5, "zero_as_missing": zero_as_missing,
              "verbose": -1, "seed": 0, "deterministic": True, "num_threads": 1}
    text = lgb.train(params, lgb.Dataset(X, y), 20).model_to_string()
    f = Forest.parse(text)
    inner = f.child[0::2] != np.arange(len(f.value))  # a leaf leads to itself
    assert set(((f.missing << 2) | np.where(f.default_left, 2, 0))[inner].tolist()) == kinds
    Z = _edge_rows(3000, 4, f.threshold[np.isfinite(f.threshold)], seed=1)
    assert np.abs(f.predict(Z) - _lightgbm(text, Z)).max() <= TOL


def test_what_is_not_implemented_is_refused():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.integers(0, 8, 400), rng.normal(size=400)])
    params = {"objective": "regression", "min_data_in_leaf": 5, "min_data_per_group": 5, "verbose": -1}
    categorical = lgb.train(params, lgb.Dataset(X, X[:, 0] % 3, categorical_feature=[0]), 5).model_to_string()
    with pytest.raises(ValueError, match="categorical"):
        Forest.parse(categorical)
    binary = lgb.train({**params, "objective": "binary"}, lgb.Dataset(X[:, 1:], X[:, 1] > 0), 5).model_to_string()
    with pytest.raises(ValueError, match="'binary'"):
        Forest.parse(binary)
    from rag.reader.features import SENTENCE

    with pytest.raises(ValueError, match=f"expected rows of {len(SENTENCE)} features"):
        Forest.parse(_shipped_texts()[0]).predict(np.zeros((2, len(SENTENCE) - 1)))


def test_answering_a_question_does_not_import_lightgbm(tmp_path):
    script = (
        "import sys\n"
        "from rag.config import Settings\n"
        "from rag.engine import Engine\n"
        f"s = Settings.resolve(corpus={str(REPORT_DIR)!r}, index={str(tmp_path / 'index')!r}, model={FAKE!r})\n"
        "r = Engine.open(s, rebuild=True).ask('2024年黄石市民的科学素质比例是多少？')\n"
        "print(r.answer is not None, 'lightgbm' in sys.modules)\n")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "False"]
