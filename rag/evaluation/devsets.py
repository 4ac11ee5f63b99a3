"""Questions asked of the development reports and across the benchmarks.

* ``eval_dev``: the development reports' questions (``eval/qa_dev``) over
  one index of all six reports, each scored by the fold model that never
  saw its report (``rag train``), or a new batch by the shipped model;
* ``eval_cross``: CMRC2018 questions asked of DRCD's corpus and back, where
  the answer is absent and the right reply is a refusal.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from .benchmarks import (SETS, index_info, load_report_items, load_squad, open_set_engine, run_ours, run_systems,
                          sample, shared_dir, with_folds, write_corpus)
from ..config import cache_dir
from ..model.embed import Embedder


def eval_cross(limit: int | None, embedder: Embedder, progress=None) -> dict:
    """Questions asked of the other benchmark's corpus: the answer is absent, so the right reply is a refusal."""
    loaded = {name: load_squad(shared_dir() / path, name) for name, path in SETS.items()}
    engines = {name: open_set_engine(name, write_corpus(loaded[name][0], cache_dir() / "bench-corpus" / name),
                                     embedder, progress)[0] for name in SETS}
    runs = {}
    for name, other in (("cmrc2018", "drcd"), ("drcd", "cmrc2018")):
        contexts, items = loaded[name]
        asked = [replace(i, answers=(), doc=None) for i in with_folds(sample(items, limit or 500, seed=1), name,
                                                                     {c.doc: c.title for c in contexts})]
        runs[f"{name}@{other}"] = run_ours(engines[other], asked, ["hybrid"])["hybrid"]
    return {"systems": runs, "info": {"questions_per_direction": limit or 500}}


def dev_corpus(qa_files: list[Path]) -> Path:
    """A corpus of the development reports the question files name (``doc``), copied from shared/."""
    import shutil

    wanted = {json.loads(x)["doc"] for f in qa_files for x in f.read_text(encoding="utf-8").splitlines() if x.strip()}
    folder = cache_dir() / "bench-corpus" / "devreports"
    folder.mkdir(parents=True, exist_ok=True)
    for src in sorted((shared_dir() / "corpus-dev").iterdir()):
        if src.stem in wanted and not (folder / src.name).exists():
            shutil.copyfile(src, folder / src.name)
    return folder


def eval_dev(qa_files: list[Path], limit: int | None, modes, embedder: Embedder, progress=None,
             trained_on: bool = True) -> dict:
    """Questions about the development reports, over one index of all of them.

    ``trained_on``: these are the files ``rag train`` fits on, so each
    question is scored by the fold model that never saw its report; a new
    batch (not trained on) is scored by the shipped model, as users get it.
    """
    corpus = dev_corpus(qa_files)
    engine, built = open_set_engine("devreports", corpus, embedder, progress)
    items = [i for f in qa_files for i in load_report_items(f, engine)][:limit or None]
    if trained_on:
        items = with_folds(items, "devreports", {i.doc: i.doc for i in items})
    runs, info = run_systems(engine, items, modes, None, "devreports", progress)
    return {"systems": runs, "info": info | index_info(engine, built) | {"files": [f.name for f in qa_files]}}
