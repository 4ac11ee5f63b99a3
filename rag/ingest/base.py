"""What every format reader hands to the common layout step.

A reader turns one file into an ``Extracted``: the text that offsets index
(the file as read for ``.txt``/``.md``, the extracted text for PDF, Word and
HTML), the body blocks in reading order, and metadata fields found outside
the body.  The layout step (``rag.ingest.layout``) then finds the title,
dateline and page chrome among the leading and trailing blocks, and splits
paragraphs into sentences.  Adding a format is one module with ``SUFFIXES``
and ``read(path, raw) -> Extracted``, registered in ``rag.ingest.formats``.

>>> e = Extracted("标题\\n正文。", (Block("paragraph", 0, 2), Block("paragraph", 3, 6)), (), "file")
>>> [e.text[b.start:b.end] for b in e.blocks]
['标题', '正文。']
"""
from __future__ import annotations

from dataclasses import dataclass, field


class IngestError(ValueError):
    """A file cannot be read into a Document; ``str()`` is a reason for a user."""


@dataclass(frozen=True)
class Block:
    """A run of text in reading order.

    ``kind`` is ``"paragraph"`` when the format does not know better,
    ``"heading"`` when it does (a Markdown ``#``, a Word heading style, a
    larger PDF font), or ``"caption"`` (a figure's caption: a paragraph,
    however short).  ``page`` counts from 1 for paged formats, else 0.
    """

    kind: str
    start: int
    end: int
    page: int = 0
    level: int = 0


@dataclass(frozen=True)
class Field:
    """A metadata value (title, date, source, author, url) and where it stands.

    ``start``/``end`` locate it in the extracted text when it was read from
    there (a dateline, front matter); both are -1 when it came from outside
    the text (a PDF's info dictionary, a sidecar file).
    """

    name: str
    value: str
    start: int = -1
    end: int = -1


@dataclass(frozen=True)
class Extracted:
    """One file's text, body blocks and metadata, before layout.

    ``origin`` is ``"file"`` when ``text`` is the file's bytes decoded
    (offsets index the file), ``"extracted"`` when it was made from the
    file (offsets index this text, which the index keeps).
    ``dropped`` lists what the reader left out (images, figures, code),
    for ``rag inspect``.  ``mask`` holds spans of markup inside body blocks
    (a Markdown link's target) that matching should not see; shown text
    keeps them, since it is verbatim.  ``encoding`` names how the file was
    decoded when ``origin`` is ``"file"``.
    """

    text: str
    blocks: tuple[Block, ...]
    fields: tuple[Field, ...]
    origin: str
    dropped: tuple[str, ...] = field(default_factory=tuple)
    mask: tuple[tuple[int, int], ...] = field(default_factory=tuple)
    encoding: str = ""
