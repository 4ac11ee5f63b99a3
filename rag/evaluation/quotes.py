"""``rag eval --set quotes``: the quote checker's verdicts against a set of quotes with known verdicts.

>>> summarize_quotes([({"verdict": "exact", "paragraph": 1}, {"verdict": "exact", "match": {"citation": {"paragraph": 1}}}, 0.001),
...                   ({"verdict": "near", "paragraph": None}, {"verdict": "altered"}, 0.003)])["confusion"]
{'exact->exact': 1, 'near->altered': 1}
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from .benchmarks import open_set_engine
from ..model.embed import Embedder
from .evaluate import percentile


def eval_quotes(corpus: Path, quotes_path: Path, limit: int | None, embedder: Embedder, progress=None) -> dict:
    """Verdict accuracy (overall and per gold verdict) and paragraph accuracy."""
    if not quotes_path.exists():
        return {"skipped": f"no quote set at {quotes_path}"}
    engine, _ = open_set_engine("report", corpus, embedder, progress)
    rows = [json.loads(x) for x in quotes_path.read_text(encoding="utf-8").splitlines() if x.strip()][:limit or None]
    results = []
    for row in rows:
        t0 = time.perf_counter()
        try:
            got = engine.verify(row["quote"]).to_dict()
        except ValueError as exc:  # QuoteError: too short, too long...
            got = {"verdict": "error", "match": None, "error": str(exc)}
        results.append((row, got, time.perf_counter() - t0))
    return {"quotes": summarize_quotes(results)}


def summarize_quotes(results: list[tuple[dict, dict, float]]) -> dict:
    """Accuracy, per-verdict recall, confusion counts, paragraph accuracy, latency."""
    ok = [row["verdict"] == got["verdict"] for row, got, _ in results]
    per, confusion = {}, {}
    for (row, got, _), hit in zip(results, ok):
        per.setdefault(row["verdict"], []).append(hit)
        confusion[f"{row['verdict']}->{got['verdict']}"] = confusion.get(f"{row['verdict']}->{got['verdict']}", 0) + 1
    paras = [(got.get("match") or {}).get("citation", {}).get("paragraph") == row["paragraph"]
             for row, got, _ in results if row.get("paragraph") is not None]
    times = [s for _, _, s in results]
    return {"quotes": len(results), "accuracy": sum(ok) / len(ok) if ok else None,
            "per_verdict": {k: sum(v) / len(v) for k, v in sorted(per.items())},
            "confusion": dict(sorted(confusion.items())),
            "para_acc": sum(paras) / len(paras) if paras else None,
            "p50_ms": round(1000 * percentile(times, 0.5), 2) if times else None,
            "p95_ms": round(1000 * percentile(times, 0.95), 2) if times else None}
