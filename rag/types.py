"""Frozen records passed between pipeline stages.

Document -> Chunk -> Hit -> Answer/Citation, and Quote -> Verdict.
Every span carries ``start``/``end`` offsets into its document's original
text, so ``doc.text[start:end]`` is always the text shown to the user.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph, numbered from 1 within its document; ``page`` from 1, 0 if unpaged."""

    number: int
    section: str
    start: int
    end: int
    page: int = 0


@dataclass(frozen=True)
class Sentence:
    """A sentence of a paragraph, numbered from 0 across the document."""

    id: int
    paragraph: int
    start: int
    end: int


LEAD_IN_CHARS = 40


@dataclass(frozen=True)
class Document:
    """One corpus file with its metadata and its body structure.

    ``text`` is what offsets index: the file as decoded (``origin`` "file",
    decoded with ``encoding``) or the text extracted from it ("extracted").
    ``fields`` are ``(name, value, start, end)`` of every metadata value
    found, with -1 offsets when it came from outside the text.  ``mask``
    spans are markup (a Markdown link's target) hidden from matching.
    """

    id: str
    path: str
    text: str
    title: str
    date: str
    source: str
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    sha256: str
    format: str = "txt"
    origin: str = "file"
    encoding: str = "utf-8"
    author: str = ""
    url: str = ""
    fields: tuple[tuple[str, str, int, int], ...] = ()
    mask: tuple[tuple[int, int], ...] = ()

    def paragraph(self, number: int) -> Paragraph:
        return self.paragraphs[number - 1]

    def lead_in(self, number: int) -> str:
        """The paragraph before ``number`` when it only introduces it: one
        short line ending in a colon, as a glossary names its terms
        (3.“四好农村路”： / 指建好、管好、护好、运营好农村公路。).  It scopes the
        paragraph as a section heading does.

        >>> p = (Paragraph(1, "", 0, 10), Paragraph(2, "", 11, 22))
        >>> d = Document("d", "d.txt", "3.“四好农村路”：\\n指建好、管好农村公路。", "", "", "", p, (), "")
        >>> d.lead_in(2), d.lead_in(1)
        ('3.“四好农村路”：', '')
        """
        if number < 2:
            return ""
        before, this = self.paragraphs[number - 2], self.paragraphs[number - 1]
        text = self.view[before.start:before.end].strip()
        short = len(text) <= LEAD_IN_CHARS and before.section == this.section
        return text if short and text.endswith(("：", ":")) else ""

    @cached_property
    def view(self) -> str:
        """``text`` with masked markup blanked out, same length: what matching reads.

        >>> d = Document("d", "d.md", "见[法](http://x)。", "", "", "", (), (), "", mask=((1, 2), (3, 14)))
        >>> d.view.replace(" ", "_")
        '见_法___________。'
        """
        if not self.mask:
            return self.text
        chars = list(self.text)
        for a, b in self.mask:
            chars[a:b] = " " * (b - a)
        return "".join(chars)


@dataclass(frozen=True)
class Chunk:
    """A retrieval unit inside one paragraph."""

    id: int
    doc: str
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the scores it came from."""

    chunk: Chunk
    score: float
    dense: float
    lexical: float


@dataclass(frozen=True)
class Citation:
    """Where a shown text lives: enough for a journalist to check it."""

    doc: str
    path: str
    title: str
    date: str
    section: str
    paragraph: int
    start: int
    end: int
    page: int = 0
    origin: str = "file"

    def to_dict(self) -> dict:
        """JSON form; ``page`` is null for unpaged formats.

        >>> Citation("d", "d.pdf", "T", "", "", 1, 0, 3, 2, "extracted").to_dict()["page"]
        2
        """
        row = asdict(self)
        row["page"] = self.page or None
        return row

    def label(self) -> str:
        """A one-line human citation, e.g. for copying.

        >>> Citation("d", "corpus/d.txt", "T", "2025-12-17", "S", 3, 10, 20).label()
        '《T》（2025-12-17） · S · 第3段 · corpus/d.txt [10:20]'
        """
        parts = [f"《{self.title}》（{self.date}）" if self.date else f"《{self.title}》"]
        if self.section:
            parts.append(self.section)
        if self.page:
            parts.append(f"第{self.page}页")
        parts.append(f"第{self.paragraph}段")
        parts.append(f"{self.path} [{self.start}:{self.end}]")
        return " · ".join(parts)


@dataclass(frozen=True)
class Passage:
    """A supporting passage shown under an answer."""

    text: str
    score: float
    citation: Citation

    def to_dict(self) -> dict:
        return {"text": self.text, "score": round(self.score, 4), "citation": self.citation.to_dict()}


# Confidence in words, the same for every language since the reader's confidence is calibrated.
LEVELS = ((0.8, "高"), (0.6, "中"), (0.0, "低"))


def confidence_level(confidence: float) -> str:
    """高/中/低 for a calibrated confidence.

    >>> confidence_level(0.9), confidence_level(0.7), confidence_level(0.3)
    ('高', '中', '低')
    """
    return next(word for floor, word in LEVELS if confidence >= floor)


@dataclass(frozen=True)
class Answer:
    """An extractive answer: a verbatim sentence and, when found, a short span in it.

    The citation locates the sentence; ``span_start``/``span_end`` locate
    ``text`` (the short answer, or the sentence itself) in the same file.
    """

    text: str
    sentence: str
    confidence: float
    citation: Citation
    span_start: int
    span_end: int

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "sentence": self.sentence,
            "confidence": round(self.confidence, 4),
            "level": confidence_level(self.confidence),
            "citation": self.citation.to_dict(),
            "span": [self.span_start, self.span_end],
        }


@dataclass(frozen=True)
class Response:
    """The result of asking one question; ``unmentioned`` are the names it
    asks about that no report mentions (Ezhou), which is why it was refused."""

    question: str
    answer: Answer | None
    passages: tuple[Passage, ...] = field(default_factory=tuple)
    unmentioned: tuple[str, ...] = ()
    note: str = ""  # why it was refused, when the reason is not a name (which report "this report" is)

    @property
    def abstained(self) -> bool:
        return self.answer is None

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "abstained": self.abstained,
            "answer": self.answer.to_dict() if self.answer else None,
            "passages": [p.to_dict() for p in self.passages],
            "unmentioned": list(self.unmentioned),
            "note": self.note,
        }
