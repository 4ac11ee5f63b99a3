"""The quote checker's citation panel: where the quote is, citations to paste, the reader.

A quote that is not in the report gets no citation: the closest text is
shown by the checker as a hint, never offered as a source to cite.
"""
from __future__ import annotations

from datetime import date

from .. import cite
from ..escape import verbatim
from .chat_view import open_button, where
from .reader_view import cite_box


def citation_panel(verdict, docs: dict, accessed: date | None = None) -> str:
    """HTML for the 「出处」 panel of a verdict ("" when there is nothing to cite).

    >>> from rag.verify import Verdict
    >>> citation_panel(Verdict("x", "not_found", None), {})
    '<p class="muted">未在报告中找到这段引文，因此不提供出处与引用格式。</p>'
    """
    cites = cite.for_verdict(verdict, docs, accessed or date.today())
    if cites is None:
        return '<p class="muted">未在报告中找到这段引文，因此不提供出处与引用格式。</p>'
    # A quote spliced from, or running across, several paragraphs is cited piece by piece.
    places = [p.citation for p in verdict.match.pieces] or [verdict.match.citation]
    label = (lambda i: f"第{i}处：") if len(places) > 1 else (lambda i: "")
    rows = "".join(f'<p class="cite">出处：{label(i)}<span class="verbatim">{verbatim(where(docs, c))}</span></p>'
                   f'<div class="acts">{open_button(c)}</div>' for i, c in enumerate(places, 1))
    return rows + cite_box(cites["news"], cites["gbt7714"])
