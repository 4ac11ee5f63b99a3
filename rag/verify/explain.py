"""A verdict in words: one Chinese sentence that says why, and the CLI's text.

The sentence names where the quote stands (第N段, 页头) and what made the
verdict: the changes for ``altered``, the kind of difference for ``near``.

>>> explain("not_found", None)
'报告中没有找到与这段引文足够接近的内容，因此不给出处。'
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .diff import KINDS

if TYPE_CHECKING:  # the records live in .verdict, which imports this module
    from .verdict import Match, Verdict

SHOWN_CHANGES = 3  # more than this are counted, not spelled out


def where(numbers: list[int]) -> str:
    """Paragraph numbers in words; 0 is the header.

    >>> where([0]), where([3]), where([1, 2]), where([2, 5, 11])
    ('页头', '第3段', '第1段和第2段', '第2段、第5段和第11段')
    """
    names = ["页头" if n == 0 else f"第{n}段" for n in numbers]
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]


def _paragraphs(m: Match) -> list[int]:
    return sorted({p.citation.paragraph for p in m.pieces} or {m.citation.paragraph})


def _elided(m: Match) -> bool:
    return any("…" in d.quote or "..." in d.quote for d in m.diff if d.op != "equal")


def _changed(m: Match) -> str:
    """The changes as one clause list: numbers first, then the rest in kind order."""
    order = sorted(m.changes, key=lambda c: list(KINDS).index(c.kind))
    words = "；".join(c.describe() for c in order[:SHOWN_CHANGES])
    more = len(order) - SHOWN_CHANGES
    return words + (f"；另有{more}处改动" if more > 0 else "")


def explain(verdict: str, m: Match | None, how: str = "") -> str:
    """Why the verdict is what it is, in one sentence.

    ``how`` is ``reordered`` (true clauses in another order) or ``splice``
    (verbatim pieces joined over text left out), when the verdict came so.
    """
    if verdict == "not_found" or m is None:
        return "报告中没有找到与这段引文足够接近的内容，因此不给出处。"
    paras = _paragraphs(m)
    at = where(paras)
    if verdict == "exact":
        if len(paras) > 1:
            return f"引文与原文一致，但跨越了{at}，各段分别标出出处。"
        return "引文与报告页头（标题、日期或来源）的原文一致。" if paras == [0] else f"引文与{at}的原文一致。"
    if verdict == "near":
        if how == "reordered":
            return f"引文的各分句都出自{at}的原文，只是顺序不同，没有改动事实。"
        if len(paras) > 1:
            return f"引文与{at}的原文基本一致（跨段引用，各段分别标出出处），没有改动事实。"
        if _elided(m):
            return f"引文用省略号删节了{at}的部分原文，保留的文字与原文一致。"
        return f"引文与{at}的原文基本一致，只有标点、虚词或数字写法不同，没有改动事实。"
    if how == "splice" and len(paras) > 1:
        return f"引文把原文中不相连的{at}的文字拼接在一起，中间没有省略号。"
    return f"引文与{at}的原文不符：{_changed(m)}。"


def format_verdict(v: Verdict) -> str:
    """Human-readable verdict for the CLI.

    >>> from rag.verify.verdict import Verdict
    >>> print(format_verdict(Verdict("某某引文", "not_found", None, explain("not_found", None))))
    结论：未找到（not_found）
    报告中没有找到与这段引文足够接近的内容，因此不给出处。
    """
    lines = [f"结论：{v.label}（{v.verdict}）", v.explanation]
    m = v.match
    if m is None:
        return "\n".join(lines)
    lines += [f"原文：{m.text}", f"出处：{m.citation.label()}", f"相似度：{m.similarity:.2f}"]
    if len(m.pieces) > 1:
        lines += [f"  第{i}处：{p.text}\n      —— {p.citation.label()}" for i, p in enumerate(m.pieces, 1)]
    lines += [f"  · {KINDS[c.kind]}：{c.describe()}" for c in m.changes]
    return "\n".join(lines)
