"""What the reader reads: the question as it sees it, and the candidate sentences.

Candidates are the sentences that overlap the top retrieved chunks, best
chunk first; each remembers its chunk's rank and retrieval scores, which are
features of the learned reader.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..index import Index
from ..text.normalize import is_english, to_simplified
from ..types import Citation, Hit, Passage


@dataclass(frozen=True)
class Query:
    """A question as the reader sees it.

    ``lexical`` is the text for character matching: the question itself, or
    for an English question its dictionary bridge into Chinese terms;
    ``names`` are the Chinese terms an English question quotes ("rafts
    (膠筏)") and the corpus names it spells in pinyin, one group of
    alternatives per name (Wuhan -> 武汉; Taipei -> 台北, 台北市), and
    ``unmentioned`` are those the corpus never mentions (Ezhou);
    ``absent`` are its content words the corpus never mentions even through
    the dictionary (weather, recipe), out of ``words`` content words.
    """

    text: str
    lexical: str
    unmentioned: tuple[str, ...] = ()
    names: tuple[tuple[str, ...], ...] = ()
    absent: tuple[str, ...] = ()
    words: int = 0
    groups: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, question: "str | Query") -> "Query":
        return question if isinstance(question, Query) else cls(question, question)

    @property
    def unknown(self) -> int:
        return len(self.unmentioned)

    @property
    def latin(self) -> bool:
        return is_english(self.text)

    @cached_property  # read once per candidate by several checks
    def simplified(self) -> str:
        """The question in Simplified script, which every question-side check
        reads: 多少輛 asks for a unit as 多少辆 does, 多少資金 for money.

        >>> Query.of("上海有多少輛新能源汽車").simplified
        '上海有多少辆新能源汽车'
        """
        return to_simplified(self.text)


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved chunk; ``rank`` is its chunk's rank (0 = best)."""

    doc: str
    sentence: int
    paragraph: int
    start: int
    end: int
    retrieval: float
    rank: int = 0
    dense: float = 0.0
    bm25: float = 0.0


def citation(index: Index, doc_id: str, paragraph: int, start: int, end: int) -> Citation:
    doc = index.docs[doc_id]
    para = doc.paragraph(paragraph)
    return Citation(doc.id, doc.path, doc.title, doc.date, para.section, paragraph, start, end, para.page, doc.origin)


def candidates(index: Index, hits: list[Hit], n: int) -> list[Candidate]:
    """Sentences overlapping the top ``n`` chunks, and the lines their
    lead-ins introduce; best chunk first, no repeats."""
    seen, out = set(), []
    for rank, hit in enumerate(hits[:n]):
        doc = index.docs[hit.chunk.doc]
        for s in doc.sentences:
            if s.paragraph == hit.chunk.paragraph and s.start < hit.chunk.end and s.end > hit.chunk.start:
                for t in [s] + introduced(doc, s):
                    if (doc.id, t.id) not in seen:
                        seen.add((doc.id, t.id))
                        out.append(Candidate(doc.id, t.id, t.paragraph, t.start, t.end, hit.score, rank, hit.dense,
                                             hit.lexical))
    return out


def introduced(doc, s) -> list:
    """The sentence a lead-in line (3.“四好农村路”：) introduces, which answers for it."""
    nxt = doc.sentences[s.id + 1] if s.id + 1 < len(doc.sentences) else None
    return [nxt] if nxt is not None and nxt.paragraph == s.paragraph + 1 and doc.lead_in(nxt.paragraph) else []


def passages(index: Index, hits: list[Hit]) -> tuple[Passage, ...]:
    """The supporting passages: each hit's chunk text with its citation."""
    return tuple(Passage(h.chunk.text, h.score, citation(index, h.chunk.doc, h.chunk.paragraph, h.chunk.start,
                                                         h.chunk.end)) for h in hits)
