"""Embedding backends side by side, in one run: build throughput, quality, start-up and memory.

``python -m bench.backends [--backends torch,onnx,onnx-fp32] [--sets cmrc2018,drcd]``

For each backend: the CMRC2018 dev corpus is indexed from scratch (its
cached benchmark index is removed first, so every build is timed in this
run), then ``rag eval --set cmrc2018,drcd --mode hybrid --no-peer`` runs with
that backend (benchmark indexes are cached per embedder id, and the id
carries the backend), then warm ``ask`` latency on the shipped report and
``ui.py``'s cold start to its first answer and its peak RSS. Ratios are
against the first backend listed (torch: what the project used before).
Writes ``bench/results/backends.json`` and prints a markdown table.

>>> ratio(1200.0, 400.0), ratio(None, 400.0)
('3.00×', '–')
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from pathlib import Path

from bench.run import _jsonl, cold_start, machine, stats, timed_calls
from rag.benchmarks import ROOT, SETS, cache_dir, load_squad, model_tag, open_set_engine, shared_dir, write_corpus
from rag.embed import DEFAULT_MODEL, embedder_id, load_embedder
from rag.evaluate import EvalOptions, run_eval

METRICS = ("r1", "r5", "sent_acc", "guess_acc")


def ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}×" if value and base else "–"


def fresh_build(name: str, model: str, backend: str, progress) -> dict:
    """Index one benchmark corpus from scratch with ``backend``; seconds and characters a second."""
    contexts, _ = load_squad(shared_dir() / SETS[name], name)
    corpus = write_corpus(contexts, cache_dir() / "bench-corpus" / name)
    shutil.rmtree(cache_dir() / "bench-index" / f"{name}-{model_tag(embedder_id(model, backend))}", ignore_errors=True)
    engine, seconds = open_set_engine(name, corpus, load_embedder(model, progress, backend), progress)
    chars = sum(len(c.text) + len(c.title) for c in contexts)
    return {"seconds": seconds, "chars": chars, "chunks": len(engine.index.chunks),
            "sentences": len(engine.index.sentence_vectors), "chars_per_s": round(chars / seconds)}


def quality(sets: tuple[str, ...], model: str, backend: str, progress) -> dict:
    """``rag eval --set ... --mode hybrid --no-peer`` with this backend: the metrics of our system."""
    result = run_eval(EvalOptions(sets=sets, modes=("hybrid",), peer=False, model=model, backend=backend), progress)
    return {name: {k: res["systems"]["ours-hybrid"][k] for k in (*METRICS, "questions", "p50_ms")}
            | {"build_seconds": res["info"].get("build_seconds")} for name, res in result["sets"].items()}


def serving(model: str, backend: str, n: int, cold_runs: int, progress) -> dict:
    """Warm ask latency on the shipped report, ui.py cold start (index present) and its peak RSS."""
    engine, _ = open_set_engine("report", ROOT / "corpus", load_embedder(model, progress, backend), progress)
    questions = _jsonl(ROOT / "eval" / "qa_report.jsonl", "question")
    out = {"ask": stats(timed_calls(engine.ask, questions, n))}
    index = cache_dir() / "bench-index" / f"report-{model_tag(engine.embedder.id)}"
    runs = [cold_start(model, index, backend=backend) for _ in range(cold_runs)]
    out["cold_start_s"] = [round(s, 2) for s, _ in runs]
    out["cold_start_median_s"] = round(statistics.median(s for s, _ in runs), 2) if runs else None
    out["ui_peak_rss_mb"] = max((m for _, m in runs), default=None)
    return out


def run(args, progress) -> dict:
    out = {"machine": machine(), "model": args.model, "backends": {}}
    for backend in args.backends:
        progress(f"== {backend}")
        row = {"id": embedder_id(args.model, backend)}
        if args.build:
            row["build_cmrc2018"] = fresh_build("cmrc2018", args.model, backend, progress)
        row["quality"] = quality(args.sets, args.model, backend, progress) if args.sets else {}
        row |= serving(args.model, backend, args.n, args.cold_runs, progress)
        out["backends"][backend] = row
    return out


def _pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def markdown(r: dict) -> str:
    """One row per backend; ratios against the first."""
    rows = list(r["backends"].items())
    base = rows[0][1]
    sets = list(base["quality"])
    head = (["backend", "CMRC2018 build (s)", "chars/s", "× first"]
            + [f"{s} R@1 / R@5 / answer / guess" for s in sets]
            + ["ask p50 (ms)", "ui.py cold start (s)", "ui.py peak RSS (MB)"])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, row in rows:
        b = row.get("build_cmrc2018") or {}
        cells = [f"`{name}`", str(b.get("seconds", "–")), str(b.get("chars_per_s", "–")),
                 ratio(b.get("chars_per_s"), (base.get("build_cmrc2018") or {}).get("chars_per_s"))]
        cells += [" / ".join(_pct(row["quality"][s][k]) for k in METRICS) for s in sets]
        cells += [f"{row['ask']['median_ms']:.1f}", str(row["cold_start_median_s"]), str(row["ui_peak_rss_mb"])]
        lines.append("| " + " | ".join(cells) + " |")
    m = r["machine"]
    return f"model `{r['model']}` · {m['nproc']} cores · {m['cpu']}\n\n" + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--backends", default="torch,onnx,onnx-fp32", type=lambda s: s.split(","))
    parser.add_argument("--sets", default="cmrc2018,drcd", type=lambda s: tuple(x for x in s.split(",") if x))
    parser.add_argument("--no-build", dest="build", action="store_false", help="skip the fresh CMRC2018 build")
    parser.add_argument("--n", type=int, default=200, help="timed warm asks per backend")
    parser.add_argument("--cold-runs", type=int, default=1)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "backends.json")
    args = parser.parse_args(argv)
    result = run(args, progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    print(markdown(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
