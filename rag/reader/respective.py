"""Respective values: 「A、B、C分别增长X、Y、Z」 gives A the first value, B the second.

Reports pack several measures into one sentence this way; a question about B
is answered by Y, not by the first number of the sentence.  The items are
the names listed (、 和 与 及) in the clause before 分别; the values, each run
of numbers listed after it in the same sentence (two runs for
「分别从771家、481家增加到1076家、636家」).  A 分别 opening its own clause
(「…，分别增长8.3%、7.9%」) reuses the items of the 分别 before it.
"""
from __future__ import annotations

import re

from ..text.normalize import simple

_RESPECTIVELY = re.compile(r"分[别別]")
_CLAUSE_START = re.compile(r"[，,；;。：:！!？?]")
_ITEM_SEP = re.compile(r"[、]|以及|和|与|與|及")
_VALUE_SEP = re.compile(r"\s*(?:[、]|以及|和|与|與|及)\s*$")


def respective_index(sentence: str, spans: list[tuple[int, int]], asked: frozenset[str],
                     from_start: bool = False) -> dict[tuple[int, int], int]:
    """For each span in a 分别 value run: 0 when it is another item's value,
    3 when it is the value of the item the question names (``asked``: the
    question's character bigrams) in the run read last (the first when the
    question asks where a change started, ``from_start``), 2 in another run.
    Spans outside such runs are left out.

    >>> s = "水果、蔬菜、茶叶产量分别达2050万吨、4200万吨、19万吨"
    >>> sp = [(s.index(n), s.index(n) + len(n)) for n in ("2050万吨", "4200万吨", "19万吨")]
    >>> list(respective_index(s, sp, frozenset({"蔬菜"})).values())
    [0, 3, 0]
    >>> t = "认定甲类、乙类机构分别从70家、40家增加到90家、60家"
    >>> tp = [(t.index(n), t.index(n) + len(n)) for n in ("70家", "40家", "90家", "60家")]
    >>> list(respective_index(t, tp, frozenset({"乙类"})).values()), list(respective_index(t, tp, frozenset({"乙类"}), True).values())
    ([0, 2, 0, 3], [0, 3, 0, 2])
    """
    out: dict[tuple[int, int], int] = {}
    for asked_item, runs in _lists(sentence, spans, asked):
        if asked_item is None:
            continue  # the question names none of the items: no value is preferred
        for r, run in enumerate(runs):
            preferred = r == (0 if from_start else len(runs) - 1)
            out.update({sp: (2 + preferred if asked_item == k else 0) for k, sp in enumerate(run)})
    return out


def unnamed_values(sentence: str, spans: list[tuple[int, int]], asked: frozenset[str]) -> set[tuple[int, int]]:
    """The spans that are values of a 分别 list whose items the question names none of:
    「对东盟、欧盟进出口分别增长16.7%、40.2%」 gives no figure for 进出口总额.

    >>> s = "对东盟、欧盟进出口分别增长16.7%、40.2%，总额居首位"
    >>> sp = [(s.index(n), s.index(n) + len(n)) for n in ("16.7%", "40.2%")]
    >>> len(unnamed_values(s, sp, frozenset({"进出", "总额"}))), len(unnamed_values(s, sp, frozenset({"欧盟"})))
    (2, 0)
    """
    return {sp for asked_item, runs in _lists(sentence, spans, asked) if asked_item is None for run in runs for sp in run}


def _lists(sentence: str, spans: list[tuple[int, int]], asked: frozenset[str]):
    """Each 分别 list of two or more items: (the item the question names or None, the
    runs of ``spans`` after it with one value per item)."""
    items: list[str] = []
    for m in _RESPECTIVELY.finditer(sentence):
        head = sentence[_clause_start(sentence, m.start()):m.start()]
        if head.strip():
            items = [i for i in _ITEM_SEP.split(head) if i.strip()]
        if len(items) < 2:
            continue
        end = _next_respectively(sentence, m.end())
        runs = _runs(sentence, [sp for sp in spans if m.end() <= sp[0] < end])
        yield _asked_item(items, asked), [run for run in runs if len(run) == len(items)]


def _clause_start(sentence: str, at: int) -> int:
    starts = [m.end() for m in _CLAUSE_START.finditer(sentence, 0, at)]
    return starts[-1] if starts else 0


def _next_respectively(sentence: str, at: int) -> int:
    m = _RESPECTIVELY.search(sentence, at)
    return m.start() if m else len(sentence)


def _runs(sentence: str, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Spans grouped into lists: neighbours joined only by a list separator (、 和 与)."""
    runs: list[list[tuple[int, int]]] = []
    for sp in sorted(spans):
        if runs and _VALUE_SEP.fullmatch(sentence[runs[-1][-1][1]:sp[0]]):
            runs[-1].append(sp)
        else:
            runs.append([sp])
    return runs


def _asked_item(items: list[str], asked: frozenset[str]) -> int | None:
    """The item sharing most bigrams with the question, when one shares most.

    The first item may carry the subject of all (上海机场旅客、货邮吞吐量) and the
    last the measure of all (广州、深圳地铁客运量, 刑事、涉毒警情): only as many of
    their characters as the shortest other item has name them.

    >>> _asked_item(["广州", "深圳地铁客运量"], frozenset({"广州", "地铁", "客运"}))
    0
    >>> _asked_item(["刑事治安", "涉诈", "涉毒警情"], frozenset({"涉诈", "诈警", "警情"}))
    1
    """
    short = [max(2, min(len(other) for k, other in enumerate(items) if k != i)) for i in range(len(items))]
    items = [items[0][-short[0]:]] + items[1:-1] + [items[-1][:short[-1]]]
    scores = [sum(simple(item)[i:i + 2] in asked for i in range(len(item) - 1)) for item in items]
    best = max(scores)
    return scores.index(best) if best and scores.count(best) == 1 else None
