"""Embedding backends side by side, in one run: build throughput, quality, start-up and memory.

``python -m bench.backends [--backends torch,onnx,onnx-fp32] [--sets cmrc2018,drcd]``

First, the first 100 contexts of the CMRC2018 dev corpus (an eighth of it;
``--build-contexts 0`` for all) are indexed from scratch into a temporary
folder, ``--build-rounds`` times per backend in interleaved rounds, and the
median time kept. Then for each backend warm ``ask`` latency is taken on the
shipped report, and ``ui.py`` is started and timed to its first answer, with
its peak RSS. Then, per ``--quality`` backend, ``rag eval --set
cmrc2018,drcd --mode hybrid --no-peer`` (benchmark indexes are cached per
embedder id, which carries the backend). Ratios are against torch (what the
project used before). The JSON is saved after every step.
Writes ``bench/results/backends.json`` and prints a markdown table.

>>> ratio(1200.0, 400.0), ratio(None, 400.0)
('3.00×', '–')
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.run import _jsonl, cold_start, machine, run_and_publish, save_json, stats, timed_calls
from rag.evaluation.benchmarks import ROOT, SETS, cache_dir, load_squad, model_tag, open_set_engine, shared_dir, write_corpus
from rag.model.embed import DEFAULT_MODEL, embedder_id, load_embedder
from rag.index import build_index
from rag.evaluation.evaluate import EvalOptions, run_eval

METRICS = ("r1", "r5", "sent_acc", "guess_acc")


def ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}×" if value and base else "–"


def fresh_build(model: str, backend: str, contexts: int, progress) -> dict:
    """Index the first ``contexts`` CMRC2018 dev contexts (0: all) from scratch, into a temporary folder.

    The model is loaded first, so the time is the build's alone.
    """
    every, _ = load_squad(shared_dir() / SETS["cmrc2018"], "cmrc2018")
    chosen = every[:contexts or None]
    corpus = write_corpus(chosen, cache_dir() / "bench-corpus" / f"cmrc2018-first{len(chosen)}")
    embedder = load_embedder(model, progress, backend)
    embedder.queries(["预热"])
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        index = build_index(corpus, Path(tmp) / "index", embedder)
        seconds = time.perf_counter() - started
    chars = sum(len(c.text) + len(c.title) for c in chosen)
    return {"contexts": len(chosen), "seconds": round(seconds, 1), "chars": chars, "chunks": len(index.chunks),
            "sentences": len(index.sentence_vectors), "chars_per_s": round(chars / seconds),
            "load_avg_1min": os.getloadavg()[0]}


def builds(args, progress) -> dict[str, dict]:
    """``--build-rounds`` rounds of fresh builds, every backend in turn in each, and each backend's median.

    Interleaved so that a change of load on the shared machine falls on every backend alike.
    """
    runs: dict[str, list[dict]] = {backend: [] for backend in args.backends}
    for round_ in range(args.build_rounds):
        for backend in args.backends:
            progress(f"== {backend}: build {round_ + 1}/{args.build_rounds}")
            runs[backend].append(fresh_build(args.model, backend, args.build_contexts, progress))
    return {backend: median_run(rows) for backend, rows in runs.items()}


def median_run(rows: list[dict]) -> dict:
    """The run with the median time, with every run's seconds.

    >>> median_run([{"seconds": 3.0}, {"seconds": 1.0}, {"seconds": 2.0}])
    {'seconds': 2.0, 'runs_seconds': [3.0, 1.0, 2.0]}
    """
    middle = sorted(rows, key=lambda row: row["seconds"])[(len(rows) - 1) // 2]
    return middle | {"runs_seconds": [row["seconds"] for row in rows]}


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


def run(args, progress, save=lambda result: None) -> dict:
    """Builds and serving for every backend first (minutes), then quality (the long part).

    ``save`` gets the result after every step, so a long run that is stopped keeps what it measured.
    """
    out = {"machine": machine(), "model": args.model, "backends": {}}
    built = builds(args, progress) if args.build else {}
    for backend in args.backends:
        progress(f"== {backend}: serving")
        row = out["backends"][backend] = {"id": embedder_id(args.model, backend), "quality": {}}
        if backend in built:
            row["build_cmrc2018"] = built[backend]
        row |= serving(args.model, backend, args.n, args.cold_runs, progress)
        save(out)
    for backend in args.quality:
        progress(f"== {backend}: quality")
        out["backends"][backend]["quality"] = quality(args.sets, args.model, backend, progress) if args.sets else {}
        save(out)
    return out


def _pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def markdown(r: dict) -> str:
    """One row per backend; ratios against torch."""
    rows = list(r["backends"].items())
    base = r["backends"].get("torch", rows[0][1])
    sets = sorted({s for _, row in rows for s in row["quality"]})
    head = (["backend", "CMRC2018 build, median (s)", "builds (s)", "chars/s", "× torch", "load avg"]
            + [f"{s} R@1 / R@5 / answer / guess" for s in sets]
            + ["ask p50 / p95 (ms)", "ui.py cold start, median (s)", "ui.py peak RSS (MB)"])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, row in rows:
        b = row.get("build_cmrc2018") or {}
        cells = [f"`{name}`", str(b.get("seconds", "–")), ", ".join(map(str, b.get("runs_seconds", []))) or "–",
                 str(b.get("chars_per_s", "–")),
                 ratio(b.get("chars_per_s"), (base.get("build_cmrc2018") or {}).get("chars_per_s")),
                 f"{b['load_avg_1min']:.1f}" if "load_avg_1min" in b else "–"]
        cells += [" / ".join(_pct(row["quality"][s][k]) for k in METRICS) if s in row["quality"] else "–"
                  for s in sets]
        cells += [f"{row['ask']['median_ms']:.1f} / {row['ask']['p95_ms']:.1f}", str(row["cold_start_median_s"]),
                  str(row["ui_peak_rss_mb"])]
        lines.append("| " + " | ".join(cells) + " |")
    m = r["machine"]
    return f"model `{r['model']}` · {m['nproc']} cores · {m['cpu']}\n\n" + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--backends", default="torch,onnx,onnx-fp32", type=lambda s: s.split(","))
    parser.add_argument("--quality", default="torch,onnx,onnx-fp32", type=lambda s: [x for x in s.split(",") if x],
                        help="backends whose retrieval and answers are scored (each builds two full indexes once)")
    parser.add_argument("--sets", default="cmrc2018,drcd", type=lambda s: tuple(x for x in s.split(",") if x))
    parser.add_argument("--no-build", dest="build", action="store_false", help="skip the fresh CMRC2018 build")
    parser.add_argument("--build-contexts", type=int, default=100,
                        help="contexts of CMRC2018 dev indexed from scratch per backend (0: all 848)")
    parser.add_argument("--build-rounds", type=int, default=3, help="fresh builds per backend, interleaved; median")
    parser.add_argument("--n", type=int, default=200, help="timed warm asks per backend")
    parser.add_argument("--cold-runs", type=int, default=1)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "backends.json")
    return run_and_publish(parser, lambda args, say: run(args, say, lambda result: save_json(result, args.json)),
                           markdown, argv)


if __name__ == "__main__":
    sys.exit(main())
