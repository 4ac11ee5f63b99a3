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
META_QUESTION = "这篇报告是哪天发布的？"
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


def example_questions(doc: Document, limit: int = 3) -> list[str]:
    r"""Questions a visitor could ask of this document, from its headings (and its date).

    >>> from rag.types import Paragraph
    >>> d = Document("d", "d", "一、强化引领 凝聚力量\n正文。", "T", "", "", (Paragraph(1, "一、强化引领 凝聚力量", 12, 15),), (), "")
    >>> example_questions(d)
    ['“强化引领”方面取得了哪些成效？', '这篇报告是哪天发布的？']
    """
    found = [f"“{topic(h)}”方面取得了哪些成效？" for h, _, _ in headings(doc) if len(topic(h)) >= 2]
    return found[: limit - 1] + [META_QUESTION]


def card(doc: Document) -> str:
    meta = " · ".join(verbatim(x) for x in (cite.publisher(doc), cite.date_words(doc.date)) if x)
    sections = headings(doc)
    items = "".join(f'<li><a href="{attribute(link(doc=doc.id, s=(a, b)))}" data-open="{attribute(link(doc=doc.id, s=(a, b))[1:])}">'
                    f'{verbatim(name)}</a></li>' for name, a, b in sections)
    chips = "".join(f'<a class="chip" href="{attribute(link(q=q))}" data-ask="{attribute(q)}">{verbatim(q)}</a>'
                    for q in example_questions(doc))
    whole = link(doc=doc.id)
    return (f'<article class="card"><h3 class="verbatim">《{verbatim(doc.title)}》</h3>'
            f'<p class="meta">{meta}{" · " if meta else ""}{len(sections)} 个部分 · {len(doc.paragraphs)} 段</p>'
            f'<div class="chips">{chips}<a class="act" href="{attribute(whole)}" data-open="{attribute(whole[1:])}">阅读全文</a></div>'
            f'<details><summary>章节（{len(sections)}）</summary><ol>{items}</ol></details></article>')


def cards_html(docs: dict) -> str:
    """Every document as a card (newest first)."""
    ordered = sorted(docs.values(), key=lambda d: (d.date, d.title), reverse=True)
    return f'<section aria-label="报告" data-ready>{"".join(card(d) for d in ordered)}</section>'
