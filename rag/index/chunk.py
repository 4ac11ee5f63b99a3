"""Split paragraphs into retrieval chunks with verified source offsets.

``langchain-text-splitters`` does the packing; we locate every piece
ourselves, scanning forward from the previous piece, because
``add_start_index`` searches from the wrong place when text repeats.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from ..types import Chunk, Document

SEPARATORS = ["\n\n", "\n", "。", "！", "？", "；", ";", "!", "?", "，", ",", "、", " ", ""]


@dataclass(frozen=True)
class ChunkSettings:
    """Chunking settings; recorded in the index manifest."""

    size: int = 240
    overlap: int = 60

    def to_dict(self) -> dict:
        return {"splitter": "RecursiveCharacterTextSplitter", "separators": SEPARATORS, **asdict(self)}


def _splitter(settings: ChunkSettings):
    # Imported here: LangChain takes about half a second to import and only builds need it.
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        chunk_size=settings.size,
        chunk_overlap=settings.overlap,
        separators=SEPARATORS,
        keep_separator="end",
        strip_whitespace=True,
    )


def locate(pieces: list[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Find each piece in ``text[start:end]`` in order, never moving backwards.

    >>> locate(["ab", "ab"], "xabab", 0, 5)
    [(1, 3), (3, 5)]
    """
    spans, cursor = [], start
    for piece in pieces:
        pos = text.find(piece, cursor, end)
        if pos < 0:
            raise ValueError(f"chunk not found in source at or after {cursor}: {piece[:20]!r}")
        spans.append((pos, pos + len(piece)))
        cursor = pos + 1
    return spans


def chunk_document(doc: Document, settings: ChunkSettings, first_id: int = 0) -> list[Chunk]:
    """Chunks of every paragraph of ``doc``, ids counted from ``first_id``."""
    splitter = _splitter(settings)
    chunks: list[Chunk] = []
    for para in doc.paragraphs:
        pieces = splitter.split_text(doc.text[para.start:para.end])
        for a, b in locate(pieces, doc.text, para.start, para.end):
            chunks.append(Chunk(first_id + len(chunks), doc.id, para.number, a, b, doc.text[a:b]))
    return chunks


def chunk_corpus(docs: list[Document], settings: ChunkSettings) -> list[Chunk]:
    """Chunks of every document, with ids unique across the corpus."""
    chunks: list[Chunk] = []
    for doc in docs:
        chunks.extend(chunk_document(doc, settings, first_id=len(chunks)))
    return chunks
