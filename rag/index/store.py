"""The index: a folder of plain files with a manifest.

Layout (no pickle anywhere)::

    manifest.json       format, model id and dim, chunking, tokenizer,
                        sha256 of every corpus file and of every artefact
    documents.jsonl     one Document a line (text, paragraphs, sentences)
    chunks.jsonl        one Chunk a line (offsets; text is re-derived)
    chunks.faiss        normalised chunk embeddings, inner product: flat, or HNSW
                        above ``DenseSettings.exact_below`` chunks (``dense``)
    sentences.npy       normalised sentence embeddings, corpus order
    bm25/               bm25s' .npy and JSON files

A build writes into a temporary sibling folder and renames it into place,
so a crash never leaves half an index behind.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from .chunk import ChunkSettings, chunk_corpus
from ..model.embed import Embedder, Progress
from ..ingest import INGEST_VERSION, SUFFIXES, Skipped, file_hashes, load_corpus
from .lexical import BM25_PARAMS, TOKENIZER, Lexical
from .checks import check_artefacts, check_loaded, read_manifest, stale_reason
from .dense import DenseSettings, build_dense, check_dense
from .problem import IndexProblem
from .reuse import KEY_FILES, embed_reusing, previous
from .folder import FolderRefused, check_target, new_tmp, recover, swap_into_place
from ..text.normalize import to_simplified
from ..types import Chunk, Document, Paragraph, Sentence

# 2: texts are embedded in Simplified script (see ``for_embedding``);
# 3: sentences are embedded with their document title and section, as chunks are.
FORMAT = 4
ARTEFACTS = ("documents.jsonl", "chunks.jsonl", "chunks.faiss", "sentences.npy",
             "bm25/data.csc.index.npy", "bm25/indices.csc.index.npy", "bm25/indptr.csc.index.npy",
             "bm25/vocab.index.json", "bm25/params.index.json")


@dataclass
class Index:
    docs: dict[str, Document]
    chunks: list[Chunk]
    dense: faiss.Index
    sentence_vectors: np.ndarray
    sentence_base: dict[str, int]
    lexical: Lexical
    manifest: dict
    _glosses: list | None = field(default=None, repr=False, compare=False)
    _corpus_glosses: frozenset | None = field(default=None, repr=False, compare=False)

    def sentence_vector(self, doc_id: str, sentence_id: int) -> np.ndarray:
        return self.sentence_vectors[self.sentence_base[doc_id] + sentence_id]

    def chunk_glosses(self) -> list[frozenset[str]]:
        """English gloss stems of every chunk, made on the first English question."""
        if self._glosses is None:
            from ..text.gloss import gloss_bag

            # With its title and section, as BM25 and the embedder read a chunk:
            # a report's subject (四川, Sichuan) is named there, not in its passages.
            self._glosses = [gloss_bag(passage_text(self.docs[c.doc], c.paragraph, self.docs[c.doc].view[c.start:c.end]))
                             for c in self.chunks]
        return self._glosses

    def corpus_glosses(self) -> frozenset[str]:
        """Every English gloss stem of the corpus's chunks (made once)."""
        if self._corpus_glosses is None:
            self._corpus_glosses = frozenset().union(*self.chunk_glosses())
        return self._corpus_glosses


def passage_text(doc: Document, paragraph: int, text: str) -> str:
    """What gets embedded and BM25-indexed for a chunk: title, section and
    lead-in line (``Document.lead_in``) first.

    Chunks often say 该站/他 where only the title names the subject; the
    baseline measured +2.4 R@1 on CMRC2018 from this prefix.
    """
    section = doc.paragraph(paragraph).section
    return "\n".join(x for x in (doc.title, section, doc.lead_in(paragraph), squeeze(text)) if x)


def for_embedding(text: str) -> str:
    """What the embedder reads of a passage or a question: Simplified script, spaces squeezed.

    A Traditional question and its Simplified twin, over a report in either
    script, then meet the same vectors: the lexical side already compares
    in one script (``normalize.simple``), and now the dense side does too.

    >>> for_embedding("漁港開放  釣魚")
    '渔港开放 钓鱼'
    """
    return to_simplified(squeeze(text))


def squeeze(text: str) -> str:
    """Runs of spaces (masked Markdown link targets leave them) as one, for embedding.

    >>> squeeze("见《公路法" + " " * 20 + "》第27條")
    '见《公路法 》第27條'
    """
    return re.sub(r"[ \t]{2,}", " ", text)


def expected_manifest(model_id: str, corpus_dir: Path, chunking: ChunkSettings = ChunkSettings(),
                      dense: DenseSettings | None = None) -> dict:
    """Everything an index depends on; any difference makes it stale.

    ``dense_settings`` is compared through the plan it makes for the index's
    size (``dense.dense_stale``): a threshold that moves past a small corpus
    changes nothing.
    """
    return {
        "format": FORMAT,
        "ingest": INGEST_VERSION,
        "model": model_id,
        "chunking": chunking.to_dict(),
        "tokenizer": TOKENIZER,
        "bm25": BM25_PARAMS,
        "corpus": file_hashes(corpus_dir),
        "dense_settings": (dense or DenseSettings.resolve()).to_dict(),
    }


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_DOC_KEYS = ("id", "path", "title", "date", "source", "sha256", "format", "origin", "encoding", "author", "url",
             "text")


def _doc_row(doc: Document) -> dict:
    row = {key: getattr(doc, key) for key in _DOC_KEYS}
    row["fields"] = [list(f) for f in doc.fields]
    row["mask"] = [list(m) for m in doc.mask]
    row["paragraphs"] = [[p.number, p.section, p.start, p.end, p.page] for p in doc.paragraphs]
    row["sentences"] = [[s.id, s.paragraph, s.start, s.end] for s in doc.sentences]
    return row


def _doc_from_row(row: dict) -> Document:
    return Document(
        **{key: row[key] for key in _DOC_KEYS},
        fields=tuple(tuple(f) for f in row["fields"]), mask=tuple(tuple(m) for m in row["mask"]),
        paragraphs=tuple(Paragraph(*p) for p in row["paragraphs"]),
        sentences=tuple(Sentence(*s) for s in row["sentences"]),
    )


def _write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _embed_all(docs, chunks, embedder: Embedder, known: dict, progress: Progress | None):
    """Chunk texts (for BM25), chunk and sentence vectors and keys; vectors ``known`` are reused."""
    by_id = {d.id: d for d in docs}
    texts = [passage_text(by_id[c.doc], c.paragraph, by_id[c.doc].view[c.start:c.end]) for c in chunks]
    # A sentence often leans on the title for its subject (本鱼栖息于…, 宋代姚铉编): embed it with it.
    sentences = [for_embedding(passage_text(d, s.paragraph, d.view[s.start:s.end])) for d in docs for s in d.sentences]
    out = {}
    for kind, label, items in (("chunks", "文本块", [for_embedding(t) for t in texts]), ("sentences", "句子", sentences)):
        vecs, k, new = embed_reusing(embedder, items, known, progress)
        if progress:
            progress(f"向量化{label}：新 {new} 个，沿用 {len(items) - new} 个")
        out[kind] = (vecs, k)
    return texts, out


def _write(folder: Path, docs, chunks, embedder, texts, vectors, manifest) -> None:
    _write_jsonl(folder / "documents.jsonl", (_doc_row(d) for d in docs))
    _write_jsonl(folder / "chunks.jsonl", ([c.id, c.doc, c.paragraph, c.start, c.end] for c in chunks))
    settings = DenseSettings(**manifest["dense_settings"])
    manifest["dense"] = settings.plan(len(chunks))
    faiss.write_index(build_dense(vectors["chunks"][0], settings), str(folder / "chunks.faiss"))
    np.save(folder / "sentences.npy", np.ascontiguousarray(vectors["sentences"][0], dtype=np.float32),
            allow_pickle=False)
    for kind, name in KEY_FILES.items():
        np.save(folder / name, vectors[kind][1], allow_pickle=False)
    Lexical.build(texts).save(folder / "bm25")
    manifest["artefacts"] = {name: _sha(folder / name) for name in ARTEFACTS + tuple(KEY_FILES.values())}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def build_index(corpus_dir: Path, index_dir: Path, embedder: Embedder, chunking: ChunkSettings = ChunkSettings(),
                progress: Progress | None = None, dense: DenseSettings | None = None) -> Index:
    """Ingest, chunk, embed and write an index folder atomically; return it loaded."""
    started = time.perf_counter()
    try:
        check_target(index_dir, corpus_dir)
    except FolderRefused as exc:
        raise IndexProblem("refused", str(exc)) from exc
    recover(index_dir)
    skipped: list[Skipped] = []
    docs = load_corpus(corpus_dir, skipped=skipped)
    for s in skipped:
        if progress:
            progress(f"跳过 {s.path}：{s.reason}")
    if not docs:
        why = "；".join(f"{s.path}：{s.reason}" for s in skipped[:5])
        raise IndexProblem("missing", f"语料目录 {corpus_dir} 中没有可读的文档（支持 {'、'.join(SUFFIXES)}）"
                           + (f"。跳过的文件：{why}" if why else ""))
    chunks = chunk_corpus(docs, chunking)
    if progress:
        progress(f"已读取 {len(docs)} 篇文档，切分为 {len(chunks)} 个文本块")
    known = previous(index_dir, embedder.id) if index_dir.is_dir() else {}
    texts, vectors = _embed_all(docs, chunks, embedder, known, progress)
    del known
    manifest = expected_manifest(embedder.id, corpus_dir, chunking, dense)
    manifest["dim"] = embedder.dim
    tmp = new_tmp(index_dir)
    manifest["counts"] = {"documents": len(docs), "chunks": len(chunks), "sentences": len(vectors["sentences"][0])}
    manifest["documents"] = [{"id": d.id, "path": d.path, "format": d.format, "origin": d.origin,
                              "encoding": d.encoding} for d in docs]
    manifest["skipped"] = [{"path": s.path, "reason": s.reason} for s in skipped]
    manifest["build_seconds"] = round(time.perf_counter() - started, 3)
    _write(tmp, docs, chunks, embedder, texts, vectors, manifest)
    try:
        swap_into_place(tmp, index_dir)
    except FolderRefused as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise IndexProblem("refused", str(exc)) from exc
    if progress:
        progress(f"索引已建好：{index_dir}（{manifest['build_seconds']:.1f} 秒）")
    return load_index(index_dir, manifest)


def load_index(index_dir: Path, expected: dict | None = None) -> Index:
    """Load an index, refusing a stale or corrupt one with a clear reason.

    A build swapping a new index in while this one is read can make the files
    disagree; the read is then tried once more, on the new index.
    """
    recover(index_dir)
    try:
        return _load(index_dir, expected)
    except IndexProblem as problem:
        if problem.kind != "corrupt":
            raise
        return _load(index_dir, expected)


def _load(index_dir: Path, expected: dict | None) -> Index:
    manifest = read_manifest(index_dir)
    if expected is not None and (reason := stale_reason(manifest, expected)):
        raise IndexProblem("stale", reason)
    # Key files (incremental builds) are checked when the manifest records them.
    check_artefacts(index_dir, manifest, ARTEFACTS + tuple(k for k in KEY_FILES.values() if k in manifest["artefacts"]))
    try:
        docs = [_doc_from_row(r) for r in _read_jsonl(index_dir / "documents.jsonl")]
        by_id = {d.id: d for d in docs}
        chunks = [Chunk(i, d, p, a, b, by_id[d].text[a:b]) for i, d, p, a, b in _read_jsonl(index_dir / "chunks.jsonl")]
        dense = faiss.read_index(str(index_dir / "chunks.faiss"))
        sent = np.load(index_dir / "sentences.npy", allow_pickle=False)
        lexical = Lexical.load(index_dir / "bm25")
    except Exception as exc:  # any parse failure of a checksummed file means a bug or tampering
        raise IndexProblem("corrupt", f"索引无法读取：{exc}") from exc
    check_dense(manifest, dense, DenseSettings(**expected["dense_settings"]) if expected else DenseSettings.resolve())
    check_loaded(manifest, docs, chunks, dense, sent, lexical.size)
    base, total = {}, 0
    for d in docs:
        base[d.id] = total
        total += len(d.sentences)
    return Index(by_id, chunks, dense, sent, base, lexical, manifest)
