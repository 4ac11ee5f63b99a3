"""A checked draft as HTML: each quotation of a journalist's text with its verdict.

A summary counts the verdicts; then each quotation in reading order: its
badge, the quotation as written, the one-sentence explanation, the diff and
the changes when it differs from the report, each place it stands with
「在原文中查看」 and both citations to copy (none for 未找到), or, when it was
not checked, why.  Draft and report text go through ``verbatim``.
"""
from __future__ import annotations

from collections import Counter

from ..escape import verbatim
from ..verify import LABELS
from ..verify.drafts import NO_QUOTES
from .quote_view import badge, changes, citation_panel, side_by_side

SKIPPED = "未核查"
LABELS_ALL = {**LABELS, "skipped": SKIPPED}


def _kind(check) -> str:
    return check.verdict.verdict if check.verdict is not None else "skipped"


def summary(checks) -> str:
    """How many quotations were found and how each came out.

    >>> from rag.verify import DraftCheck, DraftQuote
    >>> summary([DraftCheck(DraftQuote("四服务", 0, 3, "“”"), None, "太短")])
    '<p class="dsum" role="status">稿件中找到 1 处引语：未核查 1 处。</p>'
    >>> summary([])
    '<p class="dsum muted" role="status">稿件中没有找到引语（引号内的话，或“表示：”“指出：”之后的话）。</p>'
    """
    if not checks:
        return f'<p class="dsum muted" role="status">{NO_QUOTES}</p>'
    count = Counter(_kind(c) for c in checks)
    parts = "，".join(f"{label} {count[k]} 处" for k, label in LABELS_ALL.items() if count[k])
    return f'<p class="dsum" role="status">稿件中找到 {len(checks)} 处引语：{parts}。</p>'


def check_html(n: int, check, docs: dict, accessed) -> str:
    """One quotation: badge and number, the quotation, then the verdict's explanation and evidence."""
    q, v = check.quote, check.verdict
    how = "冒号后的话" if q.style == "：" else f"{q.style[0]}…{q.style[-1]}"
    head = (f'<p class="dhead">{badge(_kind(check), LABELS_ALL[_kind(check)])} 第{n}处引语'
            f'<span class="muted">（{verbatim(how)}）</span></p><blockquote class="verbatim">{verbatim(q.text)}</blockquote>')
    if v is None:
        return f'<article class="dcheck">{head}<p class="muted verbatim">{verbatim(check.skipped)}</p></article>'
    diff = side_by_side(v) if v.verdict in ("near", "altered") else ""
    return f'<article class="dcheck">{head}{changes(v)}{diff}{citation_panel(v, docs, accessed)}</article>'


def results(docs: dict, checks, accessed) -> str:
    """The whole list: summary first, then every quotation."""
    return summary(checks) + "".join(check_html(n, c, docs, accessed) for n, c in enumerate(checks, 1))
