"""Fit the English map (``reader/english_map.py``) on the development reports' English questions.

One map per cross-validation fold (fitted without that fold's reports) and one
on all of them; ``rag train`` collects each development question's features
with its fold's map, as ``rag eval`` later scores it.  The report it returns
gives how many questions' gold sentence ranks first among their report's
sentences by cosine alone, out of fold, before and after the map.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from ..engine import check_question
from ..index import for_embedding
from .metrics import contains_gold
from ..reader.english_map import EPOCHS, L2, RANK, TAU, fit_map, map_report, save_maps


def sentence_rows(index) -> tuple[np.ndarray, list[str]]:
    """Each row of ``index.sentence_vectors``: its document and its text."""
    docs, texts = [], []
    for doc_id, doc in sorted(index.docs.items(), key=lambda kv: index.sentence_base[kv[0]]):
        docs += [doc_id] * len(doc.sentences)
        texts += [doc.text[s.start:s.end] for s in doc.sentences]
    return np.array(docs, dtype=object), texts


def _examples(engine, items, folds: list[int]):
    """Own and bridge vectors, gold sentence rows and report masks of the answerable English items."""
    sentence_doc, texts = sentence_rows(engine.index)
    own, bridge, gold, docs, kept = [], [], [], [], []
    for item, fold in zip(items, folds):
        if item.lang != "en" or not item.answers:
            continue
        rows = [k for k in np.flatnonzero(sentence_doc == item.doc) if contains_gold(texts[k], item.answers)]
        if not rows:
            continue
        query = engine.query(check_question(item.question))  # as collect and ask read it
        own.append(engine._own_vector(query.text))
        lexical = query.lexical if query.lexical != query.text else ""
        bridge.append(engine.embedder.queries([for_embedding(lexical)])[0] if lexical else np.zeros_like(own[-1]))
        gold.append(rows)
        docs.append(item.doc)
        kept.append(fold)
    same = np.array(docs, dtype=object)[:, None] == sentence_doc[None, :]
    return np.array(own), np.array(bridge), gold, same, np.array(kept)


def _rank1(vectors: np.ndarray, rows: np.ndarray, gold: list[list[int]], same: np.ndarray) -> int:
    """How many questions have a gold row (sentence) first among their report's rows."""
    q = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    best = np.where(same, q @ rows.T, -np.inf).argmax(1)
    return int(sum(b in g for b, g in zip(best, gold)))


def fit_english_maps(engine, items, folds: list[int], fold_count: int, path, progress=None) -> dict | None:
    """Fit, save to ``path`` and report the maps (``folds[i]`` is item i's fold); None, and no
    file, when no English question has its answer in a sentence."""
    path.unlink(missing_ok=True)
    own, bridge, gold, same, fold = _examples(engine, items, folds)
    if not gold:
        return None
    sentences = engine.index.sentence_vectors
    maps, mapped = {}, own.copy()
    for k in range(fold_count):
        train = np.flatnonzero(fold != k)
        pick = lambda a: a[train]  # noqa: E731
        maps[f"fold{k}"] = fit_map(pick(own), pick(bridge), sentences, [gold[i] for i in train], same[train],
                                   engine.embedder.id)
        test = fold == k
        mapped[test] = maps[f"fold{k}"].apply(own[test], engine.embedder.id)
        if progress:
            progress(f"英文映射：第 {k + 1}/{fold_count} 折")
    maps["final"] = fit_map(own, bridge, sentences, gold, same, engine.embedder.id)
    save_maps(path, maps, {"questions": len(gold), "settings": {"rank": RANK, "tau": TAU, "l2": L2, "epochs": EPOCHS},
                           "sentence_dense_rank1_out_of_fold": {"before": _rank1(own + bridge, sentences, gold, same),
                                                                "after": _rank1(mapped + bridge, sentences, gold, same)}})
    return map_report(path)


def fitted_map() -> Path:
    """Where ``rag train`` leaves the English maps it fitted (the CLI copies them beside the model)."""
    from .benchmarks import cache_dir

    return cache_dir() / "train" / "english-map.npz"


def fit_for_training(engine, items, groups, progress=None):
    """Fit the maps on the development questions (``groups``: their reports) into ``fitted_map()``;
    the engine that reads with them."""
    from .training import FOLDS, fold_of

    path = fitted_map()
    path.parent.mkdir(parents=True, exist_ok=True)
    fit_english_maps(engine, items, [fold_of("devreports", g) for g in groups], FOLDS, path, progress)
    return replace(engine, reader_settings=replace(engine.reader_settings, english_path=str(path)))
