"""By how much something changed (增长了多少, by how much did exports fall).

Such a question is answered by a rate (增长4.5%) or by a number a change
verb leads to (增加6000人, 提升120亿元, 减少到40项), never by a level alone
(达到612亿元): a sentence that gives only levels does not answer it, and
among a sentence's numbers the changed-by one is the short answer.
"""
from __future__ import annotations

import re

from ..text.normalize import simple, to_simplified
from ..text.spans import NUMBER_PATTERN
from ..text.periods import relative_year

# 成长 is Taiwan's 增长 (进出口总额成长了多少)
CHANGE_VERBS = r"增长|成长(?![型基])|增加|提高|提升|上升|上涨|下降|下跌|减少|降低|下滑|回落|扩大|缩小|增收|减量|翻"
# "By how many yuan…" opens a question on a change; "seconded by how many people" asks a count
_CHANGE_ASK = re.compile(rf"(?:{CHANGE_VERBS}|(?<![新增])增|降)了?(?:多少|几)|\bby how much\b|(?:^|[,;:]\s*)by how many\b|"
                         # the change is the question's own verb: not "spend to help firms grow"
                         r"\bhow much did\s+(?:(?!(?:to|for|so|and)\b)[\w'’-]+\s+){1,6}?(?:grow|increase|rise|fall|drop|decline)\b",
                         re.I)
# 增加320人, 增加就业5万人, 新增就业110万人, 增长率达到5.3%, 翻了一番.  减少到40项 gives
# only the level reached: it answers by how much with its start (从52项减少到40项, 由52项…).
_VERB = rf"(?:{CHANGE_VERBS}|新增|(?<![至])[增降减])"
_LEAD = _VERB + r"(?:了|到|至)?"
# between the verb and its number, 达到 and 至少 may stand, never the 到/至 of a level reached
_TAIL = r"(?:达到|至少|(?![到至])[\u4e00-\u9fff]){0,4}?\s*(?:约|近|超过?|逾)?\s*" + NUMBER_PATTERN
_DOUBLED = re.compile(r"翻了?[一两二三四]?番")
_CHANGE_NUMBER = re.compile(_VERB + r"了?(?![到至](?!少))" + _TAIL + r"|(?:从(?!而)|由(?![于此]))[^，。；,;]{0,40}?"
                            + _LEAD + _TAIL + "|" + _DOUBLED.pattern)
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
    >>> has_change("新能源汽车年产量增至82万辆"), has_change("从771家增加到1076家"), has_change("由52项减少到40项")
    (False, True, True)
    >>> has_change("GDP增长率达到5.3%"), has_change("增加至少5万人"), has_change("从而带动就业增加到120万人")
    (True, True, False)
    """
    return bool(_CHANGE_NUMBER.search(text))


def changed_rate(text: str) -> bool:
    """A rate a change verb leads to in ``text`` (simplified): 增长4.5%, not the share 占比达到45%.

    >>> changed_rate("比上年增长4.5%"), changed_rate("产量增至82万辆、占比达到45%"), changed_rate("翻了两番")
    (True, False, True)
    """
    return any(_RATE.search(m.group()) for m in _CHANGE_NUMBER.finditer(text)) or bool(_DOUBLED.search(text))


def reads_as_change(sentence: str, start: int, end: int) -> bool:
    """Whether the number at ``sentence[start:end]`` is a rate or what a change verb leads to.

    >>> s = "人均收入达到5.4万元，五年增长30.8%，比上年增加2600元"
    >>> [reads_as_change(s, s.index(n), s.index(n) + len(n)) for n in ("5.4万元", "30.8%", "2600元")]
    [False, True, True]
    """
    return bool(_RATE.search(simple(sentence[start:end])) or _LEADS.search(simple(sentence[max(0, start - 6):start])))


# 新增了多少家 (新增的…是多少) asks how many were added: a sentence that says nothing is new or added
# (在川两院院士70位) gives a level, whatever its number.
_ADDED_ASK = re.compile(r"新增(?:加)?了?(?:多少|几)|新增的?[^，,。？?]{0,12}?(?:多少|几)")  # 新增的高铁里程是多少
# words that tell of something added (新建, 当选, 引进, 扩容), not the 新 of a name (高新, 专精特新, 创新)
_ADDED = re.compile(r"新(?![技型区城质兴])|增|加|添|当选|引进|引育|扩容|扩大|落户|入选")


def added_misfit(question: str, sentence: str) -> bool:
    """Whether a how-many-added question meets a sentence that tells of nothing added.

    >>> added_misfit("新增了多少位两院院士", "在川两院院士70位"), added_misfit("新增了多少位院士", "新当选院士5位")
    (True, False)
    >>> added_misfit("有多少位两院院士", "在川两院院士70位"), added_misfit("新增了多少名院士", "全省引进院士12名")
    (False, False)
    >>> added_misfit("新增了多少家高新技术企业", "高新技术企业达到1.5万家")
    True
    >>> added_misfit("2025年新增的高铁运营里程是多少公里", "高铁运营总里程3411公里")
    True
    """
    return bool(_ADDED_ASK.search(to_simplified(question))) and not _ADDED.search(simple(sentence))


# A single year asked (in 2025 alone, 2025年, 当年; 去年 through ``relative_year``) is not
# answered by a running total (累计贯通69公里).
_ONE_PERIOD = re.compile(r"\balone\b|\bin (?:19|20)\d\d\b|(?:19|20)\d\d年|当年|这一年", re.I)
_TOTAL_ASKED = re.compile(r"累计|总计|共计|累积|一共|总共|共|截至|截止|\bas of\b|\bby the end of\b|\bcumulative|\bin total\b|\baltogether\b|\bso far\b|\btotal\b|"
                          r"十[一二三四五六七八九]五|五年|\bfive years\b|\bplan period\b", re.I)
# a running total: 累计 in a clause that names no period of its own (2025年全年累计, 1-11月累计,
# 今年以来累计 give the period's figure)
_RUNNING = re.compile(r"^[^，。；,;年月来]*(?:累计|累积)[^，。；,;]{0,12}$")


def total_for_period(question: str, sentence: str, span: tuple[int, int]) -> bool:
    """Whether a question on one period meets a running total as its answer.

    >>> s = "黄浦江累计贯通69公里岸线"
    >>> total_for_period("How many kilometres were opened in 2025 alone?", s, (s.index("69"), s.index("岸")))
    True
    >>> total_for_period("黄浦江累计贯通了多少公里", s, (s.index("69"), s.index("岸")))
    False
    >>> t = "2025年全年累计接待游客1.2亿人次"
    >>> total_for_period("2025年接待游客多少人次", t, (t.index("1.2"), len(t)))
    False
    """
    q = to_simplified(question)
    clause = re.split(r"[，。；,;]", simple(sentence[:span[0]]))[-1]
    one = bool(_ONE_PERIOD.search(q)) or relative_year(q)
    return one and not _TOTAL_ASKED.search(q) and bool(_RUNNING.search(clause))
