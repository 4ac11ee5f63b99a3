"""Shares and rates: what share a question asks (占比, 比重, what percentage) and which
figure of a sentence states one (61.3%, 9成, 2.27:1), not the growth rate beside it.

>>> s = "无人机产量增长39%、占全国9成"
>>> [share_value("占全国的比重是多少", s, m.span()) for m in re.finditer(r"39%|9成", s)]
[False, True]
"""
from __future__ import annotations

import re

from ..text.normalize import simple, to_simplified
from .change import CHANGE_VERBS
from .counts import asked_unit


# Asking what share something is (占多少, 比重, what percentage): 占地 measures land, not a share.
_SHARE_CUE = re.compile(r"占(?!地|用|据|领|有)[^，,。？?]{0,8}?(?:多少|几成|百分之几|几分之几)|占比|比重|比例|百分之几|"
                        r"百分比|几成|(?<=[\u4e00-\u9fff])比值?(?:是|为)?(?:缩小|扩大|下降|降低|提高|上升)?(?:到|至)?了?多少|"
                        r"\bwhat (?:percentage|proportion|share)\b|\bper ?cent(?:age)?\b|\bshare of\b|\bratio\b", re.I)
# A share as reports write it: 15.3%, 9成, 三分之一, 过半, 2.27:1, 1/3.
_SHARE_NUMBER = re.compile(r"[%％‰]|分之|百分点|[\d一二两三四五六七八九十]\s*成(?![立功果绩为员本效都熟长])|[过近超逾]半|一半|"
                           r"\d\s*[:：∶/]\s*\d")


# A percentage that follows a change (增长4.6%, 下降了2%) is how fast something moved, not its share.
_RATE_WORDS = "增速|增幅|降幅|上涨|下跌"
_GROWN_BY = re.compile(rf"(?:{CHANGE_VERBS}|{_RATE_WORDS})了?\s*(?:约|近|超过|超)?\s*$")


# A question about a change (增长了百分之几, by what percentage did … grow) takes a growth rate as its share.
_CHANGE_ASKED = re.compile(CHANGE_VERBS.replace("增加", "增加(?!值)") + f"|{_RATE_WORDS}|"
                           r"\b(?:gr[eo]w|grown|growth|rises?|rose|risen|falls?|fell|fallen|increased?|decreased?|drop(?:ped)?|"
                           r"climb(?:ed)?|up|down)\b", re.I)


def asks_change_of_share(question: str) -> bool:
    """Whether a share question asks how it changed, which a growth rate answers.

    >>> asks_change_of_share("比上届增长了百分之几"), asks_change_of_share("增加值占比是多少")
    (True, False)
    """
    return bool(_CHANGE_ASKED.search(to_simplified(question)))


def gives_share(text: str, change_asked: bool) -> bool:
    """Whether ``text`` (simplified) states a share: a percentage that is no growth rate
    (unless a change is asked), or a share written otherwise (9成, 三分之一, 过半).

    >>> gives_share("社会消费品零售总额增长4.6%", False), gives_share("占比提高到45%", False)
    (False, True)
    >>> gives_share("零售总额增长4.6%", True), gives_share("近三分之一来自网上", False)
    (True, True)
    >>> bool(_CHANGE_ASKED.search("数字经济核心产业增加值占比是多少")), bool(_CHANGE_ASKED.search("share of upgraded exports"))
    (False, False)
    """
    for m in _SHARE_NUMBER.finditer(text):
        if m.group() not in "%％‰" or change_asked:
            return True
        number = re.search(r"[\d.]+\s*$", text[:m.start()])
        if not (number and _GROWN_BY.search(text[:number.start()])):
            return True
    return False


def share_value(question: str, sentence: str, span: tuple[int, int]) -> bool:
    """Whether ``sentence[span]`` is the share a share question asks for, not a growth rate
    beside it (unless a change is asked) nor a sum.

    >>> s = "经济总量达到4万亿元、占全省比重达61.3%，增长5.8%，收入比缩小至2.27:1"
    >>> [share_value("占全省的比重是多少", s, m.span()) for m in re.finditer(r"4万亿元|61.3%|5.8%|2.27", s)]
    [False, True, False, True]
    >>> share_value("占比超过30%的有几种", "占比超过30%的有11种", (4, 7))
    False
    >>> share_value("社会资本占比多少", "投资120亿元，9成来自社会资本", (2, 7))
    False
    """
    text = simple(sentence[span[0]:span[1]])
    ratio = re.match(r"\s*[:：∶/]\s*\d", sentence[span[1]:])  # 2.27 of 2.27:1
    if not asks_share(question) or asked_unit(question) or not (ratio or _SHARE_NUMBER.search(text)):
        return False  # 占比超过30%的有几种 counts kinds
    return asks_change_of_share(question) or not _GROWN_BY.search(simple(sentence[:span[0]]))


def is_rate(text: str) -> bool:
    """A share or so many 倍 in ``text`` (simplified): how reports write a rate.

    >>> is_rate("增长4.5%"), is_rate("翻了两倍"), is_rate("达到612亿元")
    (True, True, False)
    """
    return bool(_SHARE_NUMBER.search(text)) or "倍" in text


def asks_share(question: str) -> bool:
    """Whether the question asks what share or proportion something is.

    >>> [asks_share(q) for q in ("青少年志愿者占多少？", "占全省的比重是多少", "What percentage of staff are women?")]
    [True, True, True]
    >>> [asks_share(q) for q in ("占地多少亩", "志愿者有多少人", "How many volunteers are there?")]
    [False, False, False]
    >>> [asks_share(q) for q in ("城乡居民收入比缩小到了多少", "What is the income ratio?", "比上年增长了多少")]
    [True, True, False]
    """
    return bool(_SHARE_CUE.search(to_simplified(question)))
