"""Which period, plan or edition a question asks about, and whether a passage speaks of
another: the year asked (今年, 去年, 2024年) against the report's year and the section's
period, a five-year plan (十四五 against 十五五), an edition (第十七届 against 第十五届).
"""
from __future__ import annotations

import re

from .normalize import simple
from .numerals import chinese_value

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(simple(text))}


def unstated_year(term: str, context: str, year: int | None) -> bool:
    """A year the passage does not contradict, of a report dated ``year``: the
    report's own year or the one before (今年, 过去一年), in a passage that
    states no year at all.

    A work report's paragraph on last year's results seldom repeats the year;
    one that names another year is about that year, and an older year is
    no deixis of the report's.

    >>> unstated_year("2025", "城镇新增就业110万人", 2026), unstated_year("2025", "2024年新增就业", 2026)
    (True, False)
    >>> unstated_year("2020", "城镇新增就业110万人", 2026), unstated_year("110", "", 2026)
    (False, False)
    """
    return (year is not None and bool(_YEAR.fullmatch(term)) and int(term) in (year, year - 1)
            and not _years(context))


# A plan's own words; a bare 目标 or 计划 may name a past plan (“十四五”目标, “网链共享计划”).
# Chinese cues are read in simple() form, which drops spaces; English ones in the question as asked.
_THIS_YEAR = re.compile(r"今年|本年度?|预期目标|预期增长|\bthis year\b|\bthe coming year\b", re.I)
_LAST_YEAR = re.compile(r"去年|上年|上一年|过去一年|(?<!the )\blast year\b(?! of\b)|\bthe past year\b", re.I)


def relative_year(question: str) -> bool:
    """Whether the question asks about this year or last, named by no number.

    >>> relative_year("去年新建成了多少亩"), relative_year("How many opened last year?"), relative_year("五年来建成多少")
    (True, True, False)
    """
    q = (simple(question), question)
    return any(cue.search(t) for cue in (_THIS_YEAR, _LAST_YEAR) for t in q)


def asked_years(question: str, year: int | None) -> set[int]:
    """The years a question asks about: those it names, else the report's own
    (今年, 预期目标) or the one before (去年), from the report's ``year``.

    >>> asked_years("今年粮食产量的目标是多少", 2026), asked_years("去年新增多少", 2026), asked_years("2024年增长多少", 2026)
    ({2026}, {2025}, {2024})
    >>> asked_years("今年的目标是多少", None), asked_years("“十四五”目标完成了多少", 2026)
    (set(), set())
    >>> asked_years("How many will it cover this year?", 2026), asked_years("What grew last year?", 2026)
    ({2026}, {2025})
    >>> asked_years("What was the target for the last year of the plan?", 2026)
    set()
    """
    named = _years(question)
    if named or year is None:
        return named
    q = (simple(question), question)
    return ({year} if any(map(_THIS_YEAR.search, q)) else set()) | ({year - 1} if any(map(_LAST_YEAR.search, q)) else set())


def other_period(question: str, year: int | None, section: str, passage: str) -> bool:
    """The passage's section is about other years than the question asks:
    a plan for 2026 asked of the section reviewing 2025, or the reverse.

    A section heading that names years (一、2025年工作回顾; 三、2026年的重点工作)
    sets the period of its passages, unless the passage names the year itself.

    >>> other_period("今年计划新增多少张养老床位", 2026, "一、2025年工作回顾", "新增养老床位3852张")
    True
    >>> other_period("2026年进出口的预期增长目标是多少", 2026, "一、2025年工作回顾", "进出口增长5.5%")
    True
    >>> other_period("今年计划新增多少张养老床位", 2026, "三、2026年的重点工作", "新增养老床位5000张")
    False
    >>> other_period("新增多少张养老床位", 2026, "一、2025年工作回顾", "新增养老床位3852张")
    False
    """
    asked, stated = asked_years(question, year), _years(section)
    return bool(asked and stated) and not asked & (stated | _years(passage))


# A five-year plan's period (十四五, 十五五): one character tells two periods apart.
_PLAN = re.compile(r"(?<![一二三四五六七八九十百])十[一二三四五六七八九]五(?![年个万亿倍%])")
# An edition (第十七届省运会, 第8届进博会) and the event it numbers: 五届 alone counts
# editions and is no ordinal.
_EDITION = re.compile(r"第\s*(\d+|[一二三四五六七八九十百两]+)\s*届([\u4e00-\u9fff]{0,6})")
_EVENT_END = re.compile(r"^.*?[会节赛展奖]")


def _editions(text: str) -> set[tuple[int, str]]:
    """(number, event) of each edition; the event is the words after 届 up to 会/节/赛/展/奖.

    >>> sorted(_editions("第十五届全国运动会和市第十三届人大代表"))
    [(13, '人大代表'), (15, '全国运动会')]
    """
    out = set()
    for n, head in _EDITION.findall(text):
        m = _EVENT_END.match(head)
        out.add((int(n) if n.isdigit() else chinese_value(n), m.group() if m else head))
    return out


def _same_event(a: str, b: str) -> bool:
    """Two edition heads name one kind of event: the same suffix (省运会, 全国运动会) or opening."""
    return bool(a and b) and (a[-1] == b[-1] and a[-1] in "会节赛展奖" or a[:2] == b[:2])


def _other_edition(question: str, passage: str) -> bool:
    asked, named = _editions(question), _editions(passage)
    return any(_same_event(qe, pe) for _, qe in asked for _, pe in named) and not (
        {n for n, _ in asked} & {n for n, _ in named})


def other_plan(question: str, passage: str) -> bool:
    """The passage names a plan period or an edition, never the one the question
    asks: the 十四五 target met answers nothing about the 十五五 target, the
    15th national games nothing about the 17th provincial ones.  A passage
    naming none (五年来) may still be about the asked one.

    >>> other_plan("“十五五”期间科学素质比例的目标是多少", "比例达15.3%,圆满完成“十四五”既定目标")
    True
    >>> other_plan("“十四五”期间比例是多少", "五年来比例达15.3%"), other_plan("十四五期间", "十四五和十五五时期")
    (False, False)
    >>> other_plan("第十七屆省運會幾月開幕", "出席第十五届全国运动会开幕式"), other_plan("第8届进博会", "第八届进博会成功举办")
    (True, False)
    >>> other_plan("办了五届，带动多少消费", "第五届大会带动消费")
    False
    >>> other_plan("第六届世界智能大会签约多少项目", "本届大会签约项目128个，市第十三届人大代表出席")
    False
    """
    question, passage = simple(question), simple(passage)
    asked, named = set(_PLAN.findall(question)), set(_PLAN.findall(passage))
    return bool(asked and named and not asked & named) or _other_edition(question, passage)
