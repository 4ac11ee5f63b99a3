"""Frozen records passed between pipeline stages.

Document -> Chunk -> Hit -> Answer/Citation, and Quote -> Verdict.
Every span carries ``start``/``end`` offsets into its document's original
text, so ``doc.text[start:end]`` is always the text shown to the user.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph, numbered from 1 within its document."""

    number: int
    section: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence of a paragraph, numbered from 0 across the document."""

    id: int
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """One corpus file with its metadata and its body structure."""

    id: str
    path: str
    text: str
    title: str
    date: str
    source: str
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    sha256: str

    def paragraph(self, number: int) -> Paragraph:
        return self.paragraphs[number - 1]


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

    def to_dict(self) -> dict:
        return asdict(self)

    def label(self) -> str:
        """A one-line human citation, e.g. for copying.

        >>> Citation("d", "corpus/d.txt", "T", "2025-12-17", "S", 3, 10, 20).label()
        '《T》（2025-12-17） · S · 第3段 · corpus/d.txt [10:20]'
        """
        parts = [f"《{self.title}》（{self.date}）" if self.date else f"《{self.title}》"]
        if self.section:
            parts.append(self.section)
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
            "citation": self.citation.to_dict(),
            "span": [self.span_start, self.span_end],
        }


@dataclass(frozen=True)
class Response:
    """The result of asking one question."""

    question: str
    answer: Answer | None
    passages: tuple[Passage, ...] = field(default_factory=tuple)

    @property
    def abstained(self) -> bool:
        return self.answer is None

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "abstained": self.abstained,
            "answer": self.answer.to_dict() if self.answer else None,
            "passages": [p.to_dict() for p in self.passages],
        }
