"""A quote's verdict as HTML: badge, quote and source side by side, changes, citations.

The quote tab and the draft check draw verdicts with these same pieces.
Quote and report text is shown literally (``verbatim``).  A quote that is
not in the report gets no citation: the closest text is never offered as a
source to cite.
"""
from __future__ import annotations

from datetime import date

from .. import cite
from ..escape import verbatim
from ..text.normalize import is_punct, normalize
from ..verify.diff import KINDS
from .chat_view import open_button, where
from .reader_view import cite_box

NO_CITATION = '<p class="muted">未在报告中找到这段引文，因此不提供出处与引用格式。</p>'


def badge(verdict: str, label: str) -> str:
    """The verdict as a badge in its theme colour (rag/app/theme.py).

    >>> badge("near", "基本一致")
    '<span class="vbadge v-near">基本一致</span>'
    """
    return f'<span class="vbadge v-{verdict}">{verbatim(label)}</span>'


def side_by_side(v) -> str:
    """Quote and source in two columns (one above the other on a phone); differing characters marked.

    An elision (``……`` replacing skipped source text) is shown greyed, not
    as a change, since eliding is legitimate.
    """
    if v.match is None:
        return ""
    diff = v.match.diff
    return (f'<div class="vpair"><div><b>引文</b><p class="verbatim">{_marked(diff, "quote", "vq")}</p></div>'
            f'<div><b>原文</b><p class="verbatim">{_marked(diff, "source", "vs")}</p></div></div>')


def _marked(diff, side: str, cls: str) -> str:
    """One side of the diff, escaped.

    >>> from rag.verify import DiffOp
    >>> _marked([DiffOp("equal", "达", "达"), DiffOp("replace", "2", "1")], "quote", "vq")
    '达<mark class="vq">2</mark>'
    """
    out = []
    for d in diff:
        text = verbatim(getattr(d, side))
        if d.op == "equal" or not text:
            out.append(text)
        elif _is_elision(d.quote):  # an elision mark and what it skips
            out.append(f'<span class="velide">{text}</span>')
        else:
            out.append(f'<mark class="{cls}">{text}</mark>')
    return "".join(out)


def _is_elision(quote: str) -> bool:
    """``……``/``...`` with nothing but punctuation around it.

    >>> _is_elision("，……"), _is_elision("2")
    (True, False)
    """
    q = normalize(quote).text
    return "…" in q and all(is_punct(ch) for ch in q)


def changes(v) -> str:
    """The verdict's own sentence, then each fact-bearing change in plain words; numbers first.

    >>> from rag.verify import Change, Match, Verdict
    >>> m = Match("", 1.0, None, (), (Change("wording", "<b>粗</b>", "细"),))
    >>> changes(Verdict("x", "altered", m, "引文与第1段的原文不符。"))
    '<p class="verbatim">引文与第1段的原文不符。</p><ul><li><b>措辞</b>：引文为“&lt;b&gt;粗&lt;/b&gt;”，原文为“细”</li></ul>'
    """
    out = f'<p class="verbatim">{verbatim(v.explanation)}</p>'
    if v.match is not None and v.verdict == "altered" and v.match.changes:
        order = sorted(v.match.changes, key=lambda c: list(KINDS).index(c.kind))
        out += "<ul>" + "".join(f"<li><b>{KINDS[c.kind]}</b>：{verbatim(c.describe())}</li>" for c in order) + "</ul>"
    return out


def citation_panel(verdict, docs: dict, accessed: date | None = None) -> str:
    """HTML for the 「出处」 panel of a verdict: each place with 「在原文中查看」, then both citations.

    >>> from rag.verify import Verdict
    >>> citation_panel(Verdict("x", "not_found", None), {}) == NO_CITATION
    True
    """
    cites = cite.for_verdict(verdict, docs, accessed or date.today())
    if cites is None:
        return NO_CITATION
    # A quote spliced from, or running across, several paragraphs is cited piece by piece.
    places = [p.citation for p in verdict.match.pieces] or [verdict.match.citation]
    if len({(c.doc, c.paragraph) for c in places}) == 1:  # an elision inside one paragraph: one place
        places = [verdict.match.citation]
    label = (lambda i: f"第{i}处：") if len(places) > 1 else (lambda i: "")
    rows = "".join(f'<p class="cite">出处：{label(i)}<span class="verbatim">{verbatim(where(docs, c))}</span></p>'
                   f'<div class="acts">{open_button(c)}</div>' for i, c in enumerate(places, 1))
    return rows + cite_box(cites["news"], cites["gbt7714"])
