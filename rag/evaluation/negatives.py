"""Hard unanswerable questions made from answerable ones, for fitting refusals.

A report's unanswerable questions are rarely off-topic: they ask about the
report's subject with one detail it does not hold (another year, another
city, the one member of a list it never names).  Benchmark questions asked
of another corpus teach none of that.  ``swap`` turns an answerable
benchmark question into such a near miss: one number or name of the
question that its own passage states is replaced by another (a year
shifted, a place from another question), so the passage still matches
everything else the question says.  The result is labelled unanswerable.
Nothing here knows any question set's words.
"""
from __future__ import annotations

import random
import re

from ..text.normalize import simple

_NUMBER = re.compile(r"\d+")


def shifted_number(number: str, context: str, rng: random.Random) -> str | None:
    """Another value of the same form that ``context`` does not hold.

    >>> shifted_number("2019", "2019年开幕", random.Random(0)) in {str(y) for y in range(2010, 2029)}
    True
    >>> shifted_number("3", "3 4 5 6 7 8 9 10 11 12 13 2 1", random.Random(0)) is None
    True
    """
    value = int(number)
    if 1900 <= value <= 2099:
        options = [value + d for d in range(-9, 10) if d]
    else:
        options = [value + d for d in range(1, 11)] + [value - d for d in range(1, 11) if value - d > 0]
    rng.shuffle(options)
    for v in options:
        text = str(v)
        if not re.search(rf"(?<!\d){text}(?!\d)", context):
            return text
    return None


def names_in(question: str) -> list[tuple[int, int, str]]:
    """(start, end, flag) of the dictionary names in a question, by position in its own script.

    >>> [(s, e) for s, e, _ in names_in("武汉市的科技馆在哪里")]
    [(0, 3)]
    """
    import jieba.posseg as pseg

    from ..text.terms import _is_name

    text = simple(question)
    if len(text) != len(question):  # positions must hold in both scripts
        return []
    spans, at = [], 0
    for word, flag in pseg.lcut(text):
        if len(word) >= 2 and flag != "eng" and _is_name(word, flag):
            spans.append((at, at + len(word), flag[:2]))
        at += len(word)
    return spans


def name_pool(questions: list[str]) -> dict[str, list[str]]:
    """The names the questions mention, by tag (ns places, nr persons, nt organisations...), in their script."""
    pool: dict[str, set[str]] = {}
    for q in questions:
        for s, e, flag in names_in(q):
            pool.setdefault(flag, set()).add(q[s:e])
    return {k: sorted(v) for k, v in pool.items()}


def swap(question: str, context: str, pool: dict[str, list[str]], rng: random.Random) -> str | None:
    """The question with one number or name its passage states replaced by one the passage lacks; None if none.

    >>> swap("2019年黄石有几家院士工作站", "2019年黄石建成院士工作站4家", {}, random.Random(1))[4:]
    '年黄石有几家院士工作站'
    >>> swap("武汉有几家院士工作站", "武汉建成院士工作站4家", {"ns": ["宜昌", "武汉"]}, random.Random(0))
    '宜昌有几家院士工作站'
    """
    plain = simple(context)
    numbers = [m for m in _NUMBER.finditer(question) if m.group() in plain]
    names = [(s, e, f) for s, e, f in names_in(question) if simple(question[s:e]) in plain and pool.get(f)]
    choices = [("number", m.start(), m.end(), "") for m in numbers] + [("name", s, e, f) for s, e, f in names]
    rng.shuffle(choices)
    for kind, s, e, flag in choices:
        if kind == "number":
            new = shifted_number(question[s:e], plain, rng)
        else:
            others = [n for n in pool[flag] if simple(n) not in plain and n != question[s:e]]
            new = rng.choice(others) if others else None
        if new:
            return question[:s] + new + question[e:]
    return None


def swapped_items(items, groups, texts: dict[str, str], seed: int, limit: int) -> tuple[list, list[str]]:
    """Up to ``limit`` items whose question had a number or name swapped (``swap``), with their groups."""
    from dataclasses import replace

    rng = random.Random(seed)
    pool = name_pool([i.question for i in items])
    out, out_groups = [], []
    for i in sorted(range(len(items)), key=lambda _: rng.random()):
        question = swap(items[i].question, texts[items[i].doc], pool, rng)
        if question:
            out.append(replace(items[i], id=f"{items[i].id}-swap", question=question))
            out_groups.append(groups[i])
        if len(out) == limit:
            break
    return out, out_groups
