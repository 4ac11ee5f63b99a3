"""The peer: a vanilla LangChain retrieval pipeline, for side-by-side numbers.

Corpus files loaded whole (as ``TextLoader`` would), split by
``RecursiveCharacterTextSplitter()`` with its defaults (4,000 characters,
200 overlap), embedded by ``HuggingFaceEmbeddings`` on the same local model
folder (no e5 prompts, no normalisation: the defaults), stored in a
``langchain_community`` FAISS store, top-k by its default L2 distance.
Its "answer" is the first sentence of the top chunk; it never abstains.

Chunk vectors are cached as ``.npy`` keyed by model and texts, so a rerun
does not re-embed the corpus (FAISS's own ``save_local`` pickles).

>>> first_sentence("标题\\n正文第一句。第二句。")
'标题\\n正文第一句。'
"""
from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .benchmarks import TOP, cache_dir, first_hit, model_tag
from ..model.embed import Embedder, resolve_model
from .evaluate import Outcome, QAItem
from .metrics import contains_gold
from ..ingest import corpus_files

_SENT = re.compile(r".*?(?:[。！？!?；;]+[”’」』）)]*|$)", re.S)


def first_sentence(text: str) -> str:
    """Text up to the first sentence end (newlines do not end a sentence)."""
    return _SENT.match(text.strip()).group(0).strip()


@dataclass(frozen=True)
class PeerChunk:
    doc: str
    text: str


class _Adapter:
    """Our fake embedder behind LangChain's ``Embeddings`` interface (tests)."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.documents(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.queries([text])[0].tolist()


def lc_embeddings(embedder: Embedder):
    """``HuggingFaceEmbeddings`` on the real model's folder; an adapter for ``hash-N``."""
    if embedder.id.startswith("hash-"):
        from langchain_core.embeddings import Embeddings

        return type("HashEmbeddings", (_Adapter, Embeddings), {})(embedder)
    from langchain_huggingface import HuggingFaceEmbeddings

    # The vanilla peer always runs sentence-transformers: the model's name, not its backend-tagged id.
    name = getattr(embedder, "name", embedder.id)
    return HuggingFaceEmbeddings(model_name=resolve_model(name), model_kwargs={"device": "cpu"})


class Peer:
    """The LangChain pipeline over one corpus folder."""

    def __init__(self, corpus: Path, embedder: Embedder, name: str, progress=None):
        from langchain_community.vectorstores import FAISS
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter()
        texts, metas = [], []
        for path in corpus_files(corpus):
            for piece in splitter.split_text(path.read_text(encoding="utf-8")):
                texts.append(piece)
                metas.append({"doc": path.stem})
        self.embeddings = lc_embeddings(embedder)
        started = time.perf_counter()
        vectors = self._vectors(texts, embedder.id, name, progress)
        self.build_seconds = time.perf_counter() - started
        self.store = FAISS.from_embeddings(list(zip(texts, vectors.tolist())), self.embeddings, metadatas=metas)
        self.chunks = len(texts)

    def _vectors(self, texts: list[str], model: str, name: str, progress) -> np.ndarray:
        key = hashlib.sha1("\x00".join(texts).encode()).hexdigest()[:12]
        path = cache_dir() / "peer" / f"{name}-{model_tag(model)}-{key}.npy"
        if path.exists():
            return np.load(path, allow_pickle=False)
        if progress:
            progress(f"peer: 向量化 {len(texts)} 个文本块")
        vectors = np.asarray(self.embeddings.embed_documents(texts), dtype=np.float32)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors, allow_pickle=False)
        return vectors

    def retrieve(self, question: str, k: int = TOP) -> list[PeerChunk]:
        found = self.store.similarity_search_with_score(question, k=k)
        return [PeerChunk(d.metadata["doc"], d.page_content) for d, _ in found]


def run_peer(peer: Peer, items: list[QAItem]) -> list[Outcome]:
    """Ask every question; the answer is the first sentence of the top chunk."""
    out = []
    for item in items:
        t0 = time.perf_counter()
        chunks = peer.retrieve(item.question)
        answer = first_sentence(chunks[0].text) if chunks else ""
        seconds = time.perf_counter() - t0
        ok = bool(chunks) and (not item.doc or chunks[0].doc == item.doc) and contains_gold(answer, item.answers)
        out.append(Outcome(item, first_hit(item, chunks), bool(answer), ok, ok, None, answer, seconds))
    return out
