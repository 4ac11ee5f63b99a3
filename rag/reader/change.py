"""By how much something changed (增长了多少, by how much did exports fall).

Such a question is answered by a rate (增长4.5%) or by a number a change
verb leads to (增加6000人, 提升120亿元, 减少到40项), never by a level alone
(达到612亿元): a sentence that gives only levels does not answer it, and
among a sentence's numbers the changed-by one is the short answer.
"""
from __future__ import annotations

import re

from ..text.normalize import simple, to_simplified
from ..text.qtype import NUMBER_PATTERN

# 成长 is Taiwan's 增长 (进出口总额成长了多少)
CHANGE_VERBS = r"增长|成长(?![型基])|增加|提高|提升|上升|下降|减少|降低|下滑|回落|扩大|缩小|增收|减量|翻"
_CHANGE_ASK = re.compile(rf"(?:{CHANGE_VERBS}|(?<![新增])增|降)了?(?:多少|几)|\bby how much\b|"
                         # the change is the question's own verb: not "spend to help firms grow"
                         r"\bhow much did\s+(?:(?!(?:to|for|so|and)\b)[\w'’-]+\s+){1,6}?(?:grow|increase|rise|fall|drop|decline)\b",
                         re.I)
# 增加320人, 增加就业5万人, 新增就业110万人, 减少到40项 (a change with its level), 翻了一番; not 至少.
_LEAD = rf"(?:{CHANGE_VERBS}|新增|(?<![至])[增降减])(?:了|到|至)?"
_CHANGE_NUMBER = re.compile(_LEAD + r"[\u4e00-\u9fff]{0,4}?\s*(?:约|近|超过?|逾)?\s*" + NUMBER_PATTERN + r"|翻了?[一两二三四]?番")
_LEADS = re.compile(_LEAD + r"\s*(?:约|近|超过?|逾)?\s*$")
_RATE = re.compile(r"[%％‰]|百分点|倍")


def asks_change(question: str) -> bool:
    """Whether the question asks by how much something changed.

    >>> [asks_change(q) for q in ("比上年增长了多少", "By how much did exports fall?", "增长目标是多少", "新增了多少家")]
    [True, True, False, False]
    >>> asks_change("進出口總額成長了多少")
    True
    >>> asks_change("How much did the city spend to help small firms grow?"), asks_change("How much did sales grow in May?")
    (False, True)
    """
    return bool(_CHANGE_ASK.search(to_simplified(question)))


def has_change(text: str) -> bool:
    """A changed-by number in ``text`` (simplified).

    >>> [has_change(t) for t in ("营收达到612亿元", "营收比上年提升120亿元", "从52项减少到40项", "经济总量翻了一番", "至少612亿元")]
    [False, True, True, True, False]
    >>> has_change("比上年增加就业5万人"), has_change("城镇新增就业110万人")
    (True, True)
    """
    return bool(_CHANGE_NUMBER.search(text))


def reads_as_change(sentence: str, start: int, end: int) -> bool:
    """Whether the number at ``sentence[start:end]`` is a rate or what a change verb leads to.

    >>> s = "人均收入达到5.4万元，五年增长30.8%，比上年增加2600元"
    >>> [reads_as_change(s, s.index(n), s.index(n) + len(n)) for n in ("5.4万元", "30.8%", "2600元")]
    [False, True, True]
    """
    return bool(_RATE.search(simple(sentence[start:end])) or _LEADS.search(simple(sentence[max(0, start - 6):start])))
