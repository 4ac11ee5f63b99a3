"""The unit a count question names (多少家 -> 家) and whether a number is counted in it.

Classifiers stand in for each other within a class (a report counts
societies in 家 or 个, suggestions in 条 or 项, firms in 家 or 户), never
across classes: 多少次 is not answered by 30万人次, nor 多少名 by 14期.

>>> asked_unit("专家工作站有多少家？"), unit_compatible("有多少家学会", "邀请60个学会")
('家', True)
"""
from __future__ import annotations

import re

from ..text.normalize import simple
from ..text.numerals import without_separators
from ..text.spans import has_fit, number_spans

# A 几 after 这/近/前/好 says "these few" (这几年, 近几个月): no question word.
ASKING = r"(?:(?<![这那近前后好十])几|多少)"
_ANY_UNIT_CHARS = "名位个家项场次所期条份届座处篇件批辆台元年天人公平倍岁部种类米吨亩户轮大型"
# 多少万人 counts people (人), in tens of thousands: the magnitude is not the unit.
_UNIT_AFTER = rf"(?:[万亿](?=[{_ANY_UNIT_CHARS}]))?([{_ANY_UNIT_CHARS}万亿])"
_DUOSHAO_UNIT = re.compile("多少" + _UNIT_AFTER)
_ANY_UNIT = re.compile(ASKING + _UNIT_AFTER)
_UNIT_CLASSES = ("名位人", "家所个座处间户", "项条件个种类部篇份", "场次期届轮批", "台部辆")
# 公 (公里) is also written 千米 or km.
_ALSO = {"公": ("千米", "km")}
# Reports give large head counts bare: 志愿者达3.3万, 参与330.
_BARE = re.compile(r"[\d.,]+(?:余|多)?[万亿]?(?:余|多)?")


# "How many kilometres of railway": an English measure, in its Chinese unit (公 stands for 公里).
_EN_UNIT = re.compile(r"\bhow many\s+(?:square\s+)?(kilomet(?:er|re)s|km|met(?:er|re)s|tonnes|tons|kilowatts|yuan|mu)\b",
                      re.I)
_EN_UNITS = {"kilometers": "公", "kilometres": "公", "km": "公", "meters": "米", "metres": "米", "tonnes": "吨",
             "tons": "吨", "kilowatts": "瓦", "yuan": "元", "mu": "亩"}


def asked_unit(question: str) -> str | None:
    """The unit a count question names: 多少家 -> 家, 多少公里 -> 公; with
    both 几 and 多少 (未来几年建成多少公里), the one after 多少.

    >>> asked_unit("专家工作站有多少家？"), asked_unit("行程多少公里"), asked_unit("比例是多少")
    ('家', '公', None)
    >>> asked_unit("常住人口是多少万人？"), asked_unit("投资多少万元"), asked_unit("增加了多少万")
    ('人', '元', '万')
    >>> asked_unit("这几年新修了多少公里绿道"), asked_unit("近几年建成了几家"), asked_unit("未来几年将建成多少座桥")
    ('公', '家', '座')
    >>> asked_unit("How many kilometres of railway?"), asked_unit("How many square km?"), asked_unit("How many tons?")
    ('公', '平', '吨')
    """
    if en := _EN_UNIT.search(question):
        return "平" if "square" in en.group().lower() else _EN_UNITS[en.group(1).lower()]
    q = simple(question)
    m = _DUOSHAO_UNIT.search(q) or _ANY_UNIT.search(q)
    # 个 is the catch-all classifier: reports count the same things in 家 or 项.
    return m.group(1) if m and m.group(1) != "个" else None


def counts_heads(number: str) -> bool:
    """Whether a number span counts people: in 名/位/人, or bare (3.3万).

    >>> counts_heads("3.3万"), counts_heads("120名"), counts_heads("50万个")
    (True, True, False)
    """
    return bool(re.search(r"[名位人]", number) or _BARE.fullmatch(number))


def unit_compatible(question: str, sentence: str) -> bool:
    """Whether ``sentence`` has a number in the unit a count question asks
    for, or in one that stands in for it.  An area (多少平方米, 多少亩) is left
    to ``units.unit_fits``, a rank (排第几名) is no count, and beside 哪/谁
    without 多少 a 几 says "several" (几家银行中哪一家).

    >>> unit_compatible("有多少名工作人员", "编印专报14期"), unit_compatible("新增了多少家市场主体", "新增市场主体35万户")
    (False, True)
    >>> unit_compatible("补贴发给了多少名老人", "惠及老人12万"), unit_compatible("新购了多少部救护车", "购置救护车12台")
    (True, True)
    >>> unit_compatible("几家银行中哪一家最先开业", "甲银行1995年开业"), unit_compatible("绿道全长多少公里", "全长86千米")
    (True, True)
    >>> unit_compatible("44條航線中貨運航線有幾條", "新开44条航线，旅客9000万人次"), unit_compatible("有几条航线", "新开44条航线")
    (False, True)
    >>> unit_compatible("11家银行中有几家开业", "其中1家银行开业")
    True
    >>> unit_compatible("How many kilometres of railway are open?", "5条高铁建成运营"), unit_compatible("How many km?", "通车86千米")
    (False, True)
    """
    unit, q = asked_unit(question), simple(question)
    if not unit or unit in "平亩" or "第几" in q or (re.search(r"[哪谁]", q) and "多少" not in q):
        return True
    group = "".join(g for g in _UNIT_CLASSES if unit in g) or unit
    # A number the question itself states (其中44条航线中…几条) is what it asks about, not its answer.
    stated = simple(without_separators(question)).replace(" ", "")
    return any((_counts_in(n.group(), u, question) or (u in "名位人" and counts_heads(n.group())))
               and not _states(stated, simple(n.group()).replace(" ", ""))
               for n in number_spans(without_separators(sentence)) for u in group)


def _states(question: str, number: str) -> bool:
    """Whether the question writes this number itself (11家 is not 1家).

    >>> _states("11家银行中有几家", "1家"), _states("11家银行中有几家", "11家")
    (False, True)
    """
    return bool(re.search(rf"(?<![\d.]){re.escape(number)}", question))


def _counts_in(number: str, unit: str, question: str) -> bool:
    """Whether ``number`` is counted in ``unit``; 30万人次 counts visits by
    people, not the 次 (times) a question asks for unless it says 人次.

    >>> _counts_in("30万人次", "次", "出车多少次"), _counts_in("30万人次", "次", "多少人次"), _counts_in("5次", "次", "多少次")
    (False, True, True)
    """
    if unit == "次" and "人次" in number and "人次" not in simple(question):
        return False
    return unit in number or any(form in number.lower() for form in _ALSO.get(unit, ()))


def type_fit(question: str, kind: str, text: str) -> float:
    """1 when ``text`` holds the kind of thing asked for (a number with the
    asked unit, for 多少项), 0.5 for a number in another unit, else 0.

    >>> type_fit("实施了多少项", "number", "实施165项"), type_fit("实施了多少项", "number", "发展到33个")
    (1.0, 0.5)
    """
    if not has_fit(kind, text):
        return 0.0
    unit = asked_unit(question) if kind == "number" else None
    if unit and not any(_counts_in(n.group(), unit, question) for n in number_spans(text)):
        return 0.5
    return 1.0
