"""Evaluation data: SQuAD-format benchmarks as a corpus, the report's dev sets,
and our pipeline run over them.

A SQuAD benchmark becomes an open-retrieval task: every context is written
as one corpus file (first line the article title, then the context), the
whole folder is indexed once and cached under ``.cache/bench-index/``, and
every question is asked against the whole corpus.

>>> safe_id("DEV_0/1 x")
'DEV_0_1_x'
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import Settings, cache_dir
from ..model.embed import Embedder
from ..engine import Engine
from .evaluate import Outcome, QAItem
from .metrics import contains_gold

ROOT = Path(__file__).resolve().parents[2]
SETS = {"cmrc2018": "benchmarks/cmrc2018/cmrc2018_dev.json", "drcd": "benchmarks/drcd/DRCD_dev.json"}
TOP = 10  # MRR@10 needs ten hits; the reader only reads the first three


@dataclass(frozen=True)
class Context:
    """One SQuAD context as a corpus document."""

    doc: str
    title: str
    text: str


def shared_dir() -> Path:
    """``$RAG_SHARED`` or ``<project>/../shared`` (read-only benchmark data)."""
    return Path(os.environ.get("RAG_SHARED") or ROOT.parent / "shared")


def model_tag(model: str) -> str:
    """Short stable tag of a model id for cache folder names.

    >>> model_tag("hash-256")
    'hash-256-cca8091b'
    """
    base = re.sub(r"[^A-Za-z0-9.-]+", "-", model.rsplit("/", 1)[-1])[:40]
    return f"{base}-{hashlib.sha1(model.encode()).hexdigest()[:8]}"


def safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


def load_squad(path: Path, name: str) -> tuple[list[Context], list[QAItem]]:
    """Contexts and questions of a SQuAD-format file, in file order.

    Untitled articles get the set name and article id as title, because
    ingest would otherwise take the context's first line for the title.
    """
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    contexts, items = [], []
    for article in data:
        for para in article["paragraphs"]:
            doc = f"{len(contexts):05d}_{safe_id(str(para.get('id', '')))}"
            title = (article.get("title") or "").strip() or f"{name} {article.get('id', doc)}"
            contexts.append(Context(doc, title, para["context"]))
            for qa in para["qas"]:
                golds = tuple(dict.fromkeys(a["text"] for a in qa["answers"] if a["text"].strip()))
                items.append(QAItem(str(qa["id"]), qa["question"], golds, doc=doc, lang=script_of(qa["question"])))
    return contexts, items


def script_of(text: str) -> str:
    """``zh-Hant`` when OpenCC would change the text to Simplified, else ``zh-Hans``.

    >>> script_of("黃石有幾家？"), script_of("黄石有几家？")
    ('zh-Hant', 'zh-Hans')
    """
    from ..text.normalize import to_simplified

    return "zh-Hant" if to_simplified(text) != text else "zh-Hans"


def write_corpus(contexts: list[Context], folder: Path) -> Path:
    """One ``.txt`` per context; files are rewritten only when they change,
    so the index manifest's corpus hashes stay equal and the cache holds."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f"{c.doc}.txt": f"{c.title}\n{c.text}\n" for c in contexts}
    for stale in folder.glob("*.txt"):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return folder


def lost_contexts(engine: Engine, contexts: list[Context]) -> list[str]:
    """Contexts that ingest did not keep whole as body paragraphs.

    Questions on them stay in the denominator: such a loss is a real miss.
    """
    lost = []
    for c in contexts:
        doc = engine.index.docs.get(c.doc)
        body = "".join(doc.text[p.start:p.end] for p in doc.paragraphs) if doc else ""
        if re.sub(r"\s+", "", body) != re.sub(r"\s+", "", c.text):
            lost.append(c.doc)
    return lost


def sample(items: list, limit: int | None, seed: int = 0) -> list:
    """A fixed-seed sample of ``limit`` items, kept in file order.

    >>> sample(list(range(10)), 3)
    [0, 6, 9]
    """
    if not limit or limit >= len(items):
        return list(items)
    keep = sorted(random.Random(seed).sample(range(len(items)), limit))
    return [items[i] for i in keep]


def open_set_engine(name: str, corpus: Path, embedder: Embedder, progress=None) -> tuple[Engine, float | None]:
    """Engine over ``corpus`` with a cached index; the build time if it was built now."""
    index_dir = cache_dir() / "bench-index" / f"{name}-{model_tag(embedder.id)}"
    settings = Settings(corpus, index_dir, embedder.id)
    manifest = index_dir / "manifest.json"
    before = manifest.stat().st_mtime_ns if manifest.exists() else None
    engine = Engine.open(settings, rebuild=True, embedder=embedder, progress=progress)
    # A rewritten manifest means this call (re)built the index.
    built = manifest.stat().st_mtime_ns != before
    return engine, (engine.index.manifest.get("build_seconds") if built else None)


def load_report_items(path: Path, engine: Engine) -> list[QAItem]:
    """The report's dev questions; the gold doc is the only doc when there is one."""
    only = next(iter(engine.index.docs)) if len(engine.index.docs) == 1 else None
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            items.append(QAItem(row["id"], row["question"], tuple(row.get("answers") or ()),
                                doc=row.get("doc") or only, paragraph=row.get("paragraph"),
                                lang=row.get("lang", "zh-Hans"), type=row.get("type", "fact")))
    return items


def first_hit(item: QAItem, chunks) -> int | None:
    """1-based rank of the first chunk in the gold doc (and paragraph) holding a gold answer."""
    for rank, chunk in enumerate(chunks, 1):
        if item.doc and chunk.doc != item.doc:
            continue
        if item.paragraph is not None and getattr(chunk, "paragraph", item.paragraph) != item.paragraph:
            continue
        if contains_gold(chunk.text, item.answers):
            return rank
    return None


def _judge(item: QAItem, answer) -> bool:
    return (answer is not None and (not item.doc or answer.citation.doc == item.doc)
            and contains_gold(answer.sentence, item.answers))


class _QueryMemo:
    """Wraps an embedder so that the modes of one question share its embedding;
    ``last`` is what the embedding cost, added back to every mode's time."""

    def __init__(self, embedder: Embedder):
        self.inner, self.id, self.dim = embedder, embedder.id, embedder.dim
        self.key, self.vec, self.last, self.hit = None, None, 0.0, False

    def queries(self, texts: list[str]):
        self.hit = texts == self.key
        if not self.hit:
            t0 = time.perf_counter()
            self.key, self.vec = list(texts), self.inner.queries(texts)
            self.last = time.perf_counter() - t0
        return self.vec

    def documents(self, texts, progress=None):
        return self.inner.documents(texts, progress)


def run_ours(engine: Engine, items: list[QAItem], modes: list[str]) -> dict[str, list[Outcome]]:
    """Ask every question once per retrieval mode through ``Engine.trace``
    (what ``ask`` runs), keeping the hits and the reader's best guess.

    Each mode's time includes one query embedding, as ``ask`` would.
    """
    memo = _QueryMemo(engine.embedder)
    if any(item.lang == "en" for item in items):
        engine.bridge()  # made once here, else every per-fold copy below makes its own (1-2 s each)
    engines = {m: replace(engine, embedder=memo, search_settings=replace(engine.search_settings, mode=m))
               for m in modes}
    out: dict[str, list[Outcome]] = {m: [] for m in modes}
    for item in items:
        for mode, eng in engines.items():
            if item.fold is not None:
                eng = replace(eng, reader_settings=replace(eng.reader_settings, fold=item.fold))
            t0 = time.perf_counter()
            trace = eng.trace(item.question, TOP)
            seconds = time.perf_counter() - t0 + (memo.last if memo.hit else 0.0)
            answer = trace.answer
            para = None if item.paragraph is None or answer is None else answer.citation.paragraph == item.paragraph
            out[mode].append(Outcome(item, first_hit(item, [h.chunk for h in trace.hits]), answer is not None,
                                     _judge(item, answer), _judge(item, trace.best), para,
                                     answer.text if answer else "", seconds, trace.confidence))
    return out


def run_systems(engine: Engine, items: list[QAItem], modes, peer_corpus: Path | None, name: str,
             progress=None) -> tuple[dict[str, list[Outcome]], dict]:
    """Our modes (and the peer, given its corpus) over the same questions."""
    runs = {f"ours-{m}": o for m, o in run_ours(engine, items, list(modes)).items()}
    info = {}
    if peer_corpus is not None:
        from .peer import Peer, run_peer

        peer = Peer(peer_corpus, engine.embedder, name, progress)
        runs["peer-langchain"] = run_peer(peer, items)
        info = {"peer_chunks": peer.chunks, "peer_embed_seconds": round(peer.build_seconds, 2)}
    return runs, info


def index_info(engine: Engine, built: float | None) -> dict:
    return {"documents": len(engine.index.docs), "chunks": len(engine.index.chunks),
            "build_seconds": built, "cached_build_seconds": engine.index.manifest.get("build_seconds")}


def eval_squad(name: str, limit: int | None, modes, peer: bool, embedder: Embedder, progress=None) -> dict:
    """One SQuAD benchmark, open retrieval over all its contexts."""
    contexts, items = load_squad(shared_dir() / SETS[name], name)
    corpus = write_corpus(contexts, cache_dir() / "bench-corpus" / name)
    engine, built = open_set_engine(name, corpus, embedder, progress)
    asked = with_folds(sample(items, limit), name, {c.doc: c.title for c in contexts})
    if progress:
        progress(f"{name}: {len(asked)}/{len(items)} 个问题，{len(contexts)} 篇文档")
    runs, info = run_systems(engine, asked, modes, corpus if peer else None, name, progress)
    lost = lost_contexts(engine, contexts)
    info |= index_info(engine, built) | {"contexts": len(contexts), "questions_total": len(items),
                                         "contexts_lost_by_ingest": len(lost), "lost_examples": lost[:5]}
    return {"systems": runs, "info": info}


def eval_report(corpus: Path, qa_path: Path, limit: int | None, modes, peer: bool, embedder: Embedder,
                progress=None) -> dict:
    """The report's QA dev set (first ``limit`` questions)."""
    engine, built = open_set_engine("report", corpus, embedder, progress)
    items = load_report_items(qa_path, engine)[:limit or None]
    runs, info = run_systems(engine, items, modes, corpus if peer else None, "report", progress)
    return {"systems": runs, "info": info | index_info(engine, built)}


def with_folds(items: list[QAItem], source: str, group_of: dict) -> list[QAItem]:
    """Items marked with their article's training fold (``rag train`` fitted one model without each);
    a source never trained on (DRCD) is left to the shipped model."""
    from .training import TRAIN_SETS, fold_of

    if source not in TRAIN_SETS + ("devreports",):
        return list(items)
    return [replace(i, fold=fold_of(source, group_of[i.doc])) for i in items]
