"""How much a refit alone moves the reader's cross-validated figures.

``python -m bench.refit [--runs 4] [--drop 3]``

Collects (or reads from ``.cache/train``) the features ``rag train`` fits
on, then cross-validates the reader as ``rag train`` does: once on all of
them, and ``--runs - 1`` more times with ``--drop`` development questions
left out at random (seeded). The spread of CMRC2018's figures over these
refits is the noise under which two fitted readers cannot be told apart.
Writes ``bench/results/refit.json`` and prints a markdown table.

>>> import numpy as np
>>> d = Collected(np.zeros((3, 1)), np.zeros(3), np.array([0, 0, 1]), np.zeros((2, 1)),
...               np.ones(2, bool), np.zeros(2, int), np.array(["en", "en"]))
>>> without(d, np.array([False, True])).qid.tolist()
[0]
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

from bench.run import machine, run_and_publish
from rag.evaluation.benchmarks import ROOT
from rag.evaluation import training as T
from rag.evaluation.training import Collected

SHOWN = ("sent_acc", "guess_acc", "unans_refused")


def without(data: Collected, keep: np.ndarray) -> Collected:
    """``data`` with only the questions ``keep`` marks, question ids renumbered."""
    rows = keep[data.qid]
    renumbered = np.cumsum(keep) - 1
    return Collected(data.X[rows], data.y[rows], renumbered[data.qid[rows]], data.info[keep],
                     data.answerable[keep], data.fold[keep], data.lang[keep])


def sources(progress) -> list[tuple[str, Collected]]:
    """Every training source's features, as ``rag train`` collects them."""
    from rag.model.embed import DEFAULT_MODEL, load_embedder

    embedder = load_embedder(os.environ.get("RAG_MODEL", DEFAULT_MODEL), progress)
    return [(name, T._cached(name, engine, items, groups, mode, progress)[0])
            for name, engine, items, groups, mode in T._sources(embedder, progress)]


def refit(parts: list[tuple[str, Collected]]) -> dict:
    """``rag train``'s cross-validation over ``parts``; the metrics of CMRC2018 and the reports."""
    names = np.concatenate([[name] * len(d.info) for name, d in parts])
    data = T._offset([d for _, d in parts])
    cv = T.cross_validate(data, None, np.where(names == "devreports", T.DEV_WEIGHT, 1.0))
    margin = cv["Q"][:, T.QUESTION.index("rule_margin")]
    cv["confidence_answered"] = np.where(margin >= T.VETO, cv["confidence"], 0.0)
    return {name: {k: v for k, v in T.metrics(data, cv, T.THRESHOLD, names == name).items() if k in SHOWN}
            for name in ("cmrc2018", "devreports")}


def run(args, progress) -> dict:
    parts = sources(progress)
    dev = next(i for i, (name, _) in enumerate(parts) if name == "devreports")
    out = {"machine": machine(), "drop": args.drop, "runs": []}
    for run_ in range(args.runs):
        chosen = list(parts)
        if run_:
            keep = np.ones(len(parts[dev][1].info), bool)
            keep[np.random.default_rng(run_).choice(len(keep), args.drop, replace=False)] = False
            chosen[dev] = ("devreports", without(parts[dev][1], keep))
        progress(f"== refit {run_ + 1}/{args.runs}")
        out["runs"].append(refit(chosen))
    return out


def markdown(r: dict) -> str:
    lines = ["| refit | CMRC2018 answer right | best guess right | reports answer right | reports refused |",
             "|---|---|---|---|---|"]
    for i, run_ in enumerate(r["runs"]):
        c, d = run_["cmrc2018"], run_["devreports"]
        label = "all data" if i == 0 else f"{r['drop']} development questions left out (seed {i})"
        lines.append(f"| {label} | {100 * c['sent_acc']:.1f} | {100 * c['guess_acc']:.1f} | "
                     f"{100 * d['sent_acc']:.1f} | {100 * d['unans_refused']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--drop", type=int, default=3, help="development questions left out per extra refit")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "refit.json")
    return run_and_publish(parser, run, markdown, argv)


if __name__ == "__main__":
    sys.exit(main())
