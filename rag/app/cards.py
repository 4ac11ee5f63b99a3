"""The landing: the corpus as report cards, first thing on the page.

A card names the report (title, organisation, date), lists its sections
(each opens the reader there) and offers example questions made from its
own headings, so a visitor sees what the page is about before typing.
"""
from __future__ import annotations

import re

from .. import cite
from ..escape import attribute, verbatim
from ..types import Document
from .links import link
from .reader_view import headings

# A heading's ordinal (一、 （二） 3.) and anything after its first phrase are not part of a topic.
_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[、.．)）]\s*")
_PHRASE = re.compile(r"[\s，,、；;：:]")
# Shown before the server first answers; then while the index is still being built (marked as answered).
LOADING = '<p class="muted">正在载入报告……</p>'
LOADING_ANSWERED = '<p class="muted" data-ready>正在载入报告……</p>'


def topic(heading: str) -> str:
    """The first phrase of a heading, without its ordinal.

    >>> topic("打造全域科普 健全惠民体系"), topic("（二）科普惠民，成效显著")
    ('打造全域科普', '科普惠民')
    """
    rest = _ORDINAL.sub("", heading.strip())
    return _PHRASE.split(rest, 1)[0] or rest


def example_questions(doc: Document) -> list[str]:
    r"""Questions a visitor could ask of this document: when it was published (naming it,
    so that the question holds among several reports) and what its sections report.
    The landing shows only those the reader answers from this document (``answered``).

    >>> from rag.types import Paragraph
    >>> d = Document("d", "d", "一、强化引领 凝聚力量\n正文。", "T", "2025-12-17", "", (Paragraph(1, "一、强化引领 凝聚力量", 12, 15),), (), "")
    >>> example_questions(d)
    ['《T》是哪天发布的？', '“强化引领”方面取得了哪些成效？']
    """
    dated = [f"《{doc.title}》是哪天发布的？"] if doc.date and doc.title else []
    # a topic that holds quote marks (“十四五”时期) is not quoted again
    return dated + [f"{t if '“' in t else f'“{t}”'}方面取得了哪些成效？"
                    for t in (topic(h) for h, _, _ in headings(doc)) if len(t) >= 2]


def answered(engine, doc: Document, limit: int = 3, tries: int = 6) -> list[str]:
    """The first ``limit`` example questions the reader answers from ``doc`` itself (of
    the first ``tries``): a chip that is refused, or answered from another report, would
    be the first thing a visitor sees go wrong."""
    kept = []
    for question in example_questions(doc)[:tries]:
        answer = engine.ask(question).answer
        if answer is not None and answer.citation.doc == doc.id:
            kept.append(question)
        if len(kept) == limit:
            break
    return kept


def card(doc: Document, questions: list[str]) -> str:
    meta = " · ".join(verbatim(x) for x in (cite.publisher(doc), cite.date_words(doc.date)) if x)
    sections = headings(doc)
    items = "".join(f'<li><a href="{attribute(link(doc=doc.id, s=(a, b)))}" data-open="{attribute(link(doc=doc.id, s=(a, b))[1:])}">'
                    f'{verbatim(name)}</a></li>' for name, a, b in sections)
    chips = "".join(f'<a class="chip" href="{attribute(link(q=q))}" data-ask="{attribute(q)}">{verbatim(q)}</a>'
                    for q in questions)
    whole = link(doc=doc.id)
    return (f'<article class="card"><h3 class="verbatim">《{verbatim(doc.title)}》</h3>'
            f'<p class="meta">{meta}{" · " if meta else ""}{len(sections)} 个部分 · {len(doc.paragraphs)} 段</p>'
            f'<div class="chips">{chips}<a class="act" href="{attribute(whole)}" data-open="{attribute(whole[1:])}">阅读全文</a></div>'
            f'<details><summary>章节（{len(sections)}）</summary><ol>{items}</ol></details></article>')


def cards_html(docs: dict, questions: dict | None = None) -> str:
    """Every document as a card (newest first), with its example questions (by document id)."""
    cards = "".join(card(d, (questions or {}).get(d.id, [])) for d in ordered(docs))
    return f'<section aria-label="报告" data-ready>{cards}</section>'


def ordered(docs: dict) -> list[Document]:
    """The documents in the cards' order: newest first."""
    return sorted(docs.values(), key=lambda d: (d.date, d.title), reverse=True)
