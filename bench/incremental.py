"""One changed file in a 1,000-file corpus: the rebuild against the full build, in one run.

``python -m bench.incremental [--set drcd] [--check]`` (``make bench-incremental``)

The DRCD dev split's 1,000 contexts, one ``.txt`` file each, are indexed
from scratch into a temporary folder with the default backend; then one
file gets a sentence more and the index is rebuilt over the old one, which
embeds only the chunk and sentences whose text changed (``rag/index/reuse.py``).
``--check`` also builds the changed corpus from scratch and compares every
artefact but the manifest with the rebuild's. Writes
``bench/results/incremental.json`` and prints a markdown table.

>>> changed("標題\\n正文。\\n")
'標題\\n正文。\\n新增一句：本段於基準測試時修改。\\n'
"""
from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.run import machine, run_and_publish
from rag.evaluation.benchmarks import ROOT, SETS, load_squad, shared_dir, write_corpus
from rag.model.embed import DEFAULT_MODEL, load_embedder
from rag.index import build_index

COMPARED = ("documents.jsonl", "chunks.jsonl", "chunks.faiss", "sentences.npy", "bm25")


def changed(text: str) -> str:
    """The file's text with one sentence more at its end."""
    return text + "新增一句：本段於基準測試時修改。\n"


class Counting:
    """Wraps an embedder and counts the texts it is asked to embed."""

    def __init__(self, embedder):
        self.inner, self.id, self.embedded = embedder, embedder.id, 0

    @property
    def dim(self) -> int:
        return self.inner.dim

    def queries(self, texts):
        return self.inner.queries(texts)

    def documents(self, texts, progress=None):
        self.embedded += len(texts)
        return self.inner.documents(texts, progress)


def timed_build(corpus: Path, index: Path, embedder: Counting) -> dict:
    embedder.embedded = 0
    started = time.perf_counter()
    built = build_index(corpus, index, embedder)
    return {"seconds": round(time.perf_counter() - started, 2), "embedded": embedder.embedded,
            "chunks": len(built.chunks), "load_avg_1min": os.getloadavg()[0]}


def same_index(a: Path, b: Path) -> bool:
    """Every artefact but the manifest (which records times) byte for byte equal."""
    for name in COMPARED:
        left, right = a / name, b / name
        if left.is_dir():
            files = sorted(p.name for p in left.iterdir())
            if files != sorted(p.name for p in right.iterdir()) or not all(
                    filecmp.cmp(left / f, right / f, shallow=False) for f in files):
                return False
        elif not filecmp.cmp(left, right, shallow=False):
            return False
    return True


def run(args, progress) -> dict:
    contexts, _ = load_squad(shared_dir() / SETS[args.set], args.set)
    embedder = Counting(load_embedder(args.model, progress))
    embedder.queries(["预热"])
    out = {"machine": machine(), "model": embedder.id, "set": args.set}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_corpus(contexts, Path(tmp) / "corpus")
        out["files"] = len(list(corpus.glob("*.txt")))
        progress("== full build")
        out["full"] = timed_build(corpus, Path(tmp) / "index", embedder)
        victim = sorted(corpus.glob("*.txt"))[len(contexts) // 2]
        victim.write_text(changed(victim.read_text(encoding="utf-8")), encoding="utf-8")
        progress(f"== rebuild after changing {victim.name}")
        out["rebuild"] = timed_build(corpus, Path(tmp) / "index", embedder)
        out["share"] = round(out["rebuild"]["seconds"] / out["full"]["seconds"], 4)
        if args.check:
            progress("== the changed corpus from scratch")
            out["fresh"] = timed_build(corpus, Path(tmp) / "fresh", embedder)
            out["equal_to_fresh"] = same_index(Path(tmp) / "index", Path(tmp) / "fresh")
        shutil.rmtree(Path(tmp) / "index", ignore_errors=True)
    return out


def markdown(r: dict) -> str:
    full, rebuild = r["full"], r["rebuild"]
    rows = ["| measure | value |", "|---|---|",
            f"| corpus | {r['set']}: {r['files']} files, {full['chunks']} chunks |",
            f"| full build | {full['seconds']} s ({full['embedded']} texts embedded) |",
            f"| one file changed, rebuild | {rebuild['seconds']} s ({rebuild['embedded']} texts embedded) |",
            f"| rebuild / full | **{100 * r['share']:.1f}%** |"]
    if "equal_to_fresh" in r:
        rows.append(f"| rebuild equals a from-scratch build | {r['equal_to_fresh']} |")
    return f"model `{r['model']}` · {r['machine']['nproc']} cores\n\n" + "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=os.environ.get("RAG_MODEL", DEFAULT_MODEL))
    parser.add_argument("--set", default="drcd", choices=("drcd", "cmrc2018"))
    parser.add_argument("--check", action="store_true", help="also build the changed corpus from scratch and compare")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "incremental.json")
    return run_and_publish(parser, run, markdown, argv)


if __name__ == "__main__":
    sys.exit(main())
