"""Abstention calibration: how a threshold trades answers against refusals.

``rag calibrate`` asks every question of the report's development set once,
keeps each best guess and its confidence, and prints, for a range of
thresholds, the share of answerable questions answered correctly and the
share of unanswerable ones refused, for Chinese and English questions
separately.  The reader's confidence is a calibrated probability with one
threshold for every language (``rag train`` sets it); this shows what
another threshold would trade on a given question file.

>>> rows = [Row("zh", True, True, 0.6), Row("zh", True, True, 0.4), Row("zh", False, False, 0.3)]
>>> sweep(rows, [0.35, 0.5])
[(0.35, 1.0, 1.0), (0.5, 0.5, 1.0)]
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .benchmarks import load_report_items
from ..engine import Engine
from .metrics import contains_gold

THRESHOLDS = [round(0.05 * i, 2) for i in range(2, 15)]


@dataclass(frozen=True)
class Row:
    group: str          # "zh" (Simplified and Traditional) or "en"
    answerable: bool
    correct: bool       # the best guess's sentence holds a gold answer
    confidence: float


def collect(engine: Engine, qa_path: Path) -> list[Row]:
    """One row per development question."""
    rows = []
    for item in load_report_items(qa_path, engine):
        trace = engine.trace(item.question)
        sentence = trace.best.sentence if trace.best else None
        group = "en" if item.lang == "en" else "zh"
        rows.append(Row(group, item.answerable, contains_gold(sentence, item.answers), trace.confidence))
    return rows


def sweep(rows: list[Row], thresholds=THRESHOLDS) -> list[tuple[float, float, float]]:
    """(threshold, answered-correct share of answerable, refused share of unanswerable)."""
    ans = [r for r in rows if r.answerable]
    una = [r for r in rows if not r.answerable]
    out = []
    for t in thresholds:
        good = sum(r.correct and r.confidence >= t for r in ans) / len(ans) if ans else 0.0
        refused = sum(r.confidence < t for r in una) / len(una) if una else 0.0
        out.append((t, round(good, 3), round(refused, 3)))
    return out


def report(rows: list[Row], current: dict[str, float]) -> str:
    """Markdown tables, one per language group, marking the thresholds in use."""
    parts = []
    for group in ("zh", "en"):
        sub = [r for r in rows if r.group == group]
        n_ans, n_una = sum(r.answerable for r in sub), sum(not r.answerable for r in sub)
        parts.append(f"### {group}: {n_ans} answerable, {n_una} unanswerable\n"
                     "| threshold | answered correctly | unanswerable refused |\n|---|---|---|")
        # The grid, plus the threshold in use when it falls between steps.
        for t, good, refused in sweep(sub, sorted(set(THRESHOLDS) | {current[group]})):
            mark = " ←" if abs(t - current[group]) < 1e-9 else ""
            parts.append(f"| {t:.2f}{mark} | {100 * good:.1f} | {100 * refused:.1f} |")
        parts.append("")
    return "\n".join(parts)
