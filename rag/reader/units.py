"""What a count question asks for: a unit (多少家), money, a share or a rate, and whether a sentence has it.

>>> asked_unit("专家工作站有多少家？"), asks_money("乐山机场的总投资是多少？"), asks_rate("增速是多少")
('家', True, True)
"""
from __future__ import annotations

import re

from ..normalize import simple, to_simplified
from ..numerals import without_separators
from ..qtype import NUMBER_PATTERN, has_fit, number_spans

# Only units that no other unit stands in for: reports say 家/个 and 条/项
# interchangeably, but never count cars in kilometres or money in people.
# 多少亿元 asks a sum in 元; a measure (多少公里, 多少万吨) is never given in another unit.
# 这几年, 近几个月, 好几家 say "these few": no question word.
_ASKING_FEW = r"(?:(?<![这那近前后好十])几|多少)"
_ASKED_UNIT = re.compile(_ASKING_FEW + r"(?:辆|台|[万亿]*元|钱|岁|[万亿]*(?:公里|千米|米|吨|千瓦|标准?箱))")
_MONEY = "元钱"
# Asking for an amount of money, however it is phrased, wants a sum in 元.
_MONEY_CUE = re.compile(r"(?:经费|预算|资金|金额|费用|花费|造价|投资|拨款|票价|价格|工资|薪|收入|补贴|津贴|多少钱|"
                        r"产值|总值|营收|销售额|成交额|交易额|总额).{0,6}(?:多少|几)|"
                        r"(?:多少|几)(?:钱|资金|经费|工资|补贴|[\u4e00-\u9fff]{0,3}(?<![消浪免收])费)|how much money|budget|funding|\bcosts?\b|price|"
                        r"salary|wage|income|spen[dt]|expenditure|\bfees?\b|how much\b.{0,30}\binvest|"
                        r"\binvestment (?:of|in|worth)\b|\bgdp\b|output value|revenue|turnover", re.I)
# ...unless it asks how fast the sum grew or what share it is: that is a rate.
_RATE_CUE = re.compile(r"增长|增速|增幅|下降|降低|减少|比重|占比|比例|率|百分|\bby how much\b|\bpercent|%|\brate\b|"
                       r"\bgr[eo]w|\bgrowth\b|\bshare\b|\b(?:rise|rose|fall|fell|increase|decrease)", re.I)


# "How many (overseas) experts", a population: counts of people, which a report gives in 名/位/人.
_EN_PEOPLE = re.compile(
    r"\bhow many\s+(?:(?!(?:did|do|does|were|was|are|is|have|has|had|times)\b)[\w-]+\s+){0,3}?"
    r"(?:people|persons|experts|academicians|scientists|teachers|students|volunteers|members|workers|staff|"
    r"individuals|talents|visitors|residents|citizens|participants|representatives|professors|researchers|"
    r"employees|officials|leaders|engineers|doctors|specialists|trainees|attendees|pupils|children|principals|"
    r"instructors|lecturers|speakers|winners|entrepreneurs|graduates|spectators|tourists|passengers|audiences?|"
    r"fans|farmers|patients|athletes|nurses|officers|firefighters|soldiers|retirees|elderly|users|"
    r"applicants|candidates|villagers|migrants)\b|\bpopulation\b|人口", re.I)


def counts_people(question: str) -> bool:
    """Whether an English question counts people (how many experts), or any asks a population.

    >>> counts_people("How many overseas experts came?"), counts_people("How many times did they come?")
    (True, False)
    >>> counts_people("How many spectators attended the opening ceremony?")
    True
    """
    return bool(_EN_PEOPLE.search(question))


def asks_money(question: str) -> bool:
    """Whether the question asks for an amount of money (经费/预算/budget...).

    >>> [asks_money(q) for q in ("乐山机场的总投资是多少？", "进出口总额是多少", "What was Shenzhen's GDP?")]
    [True, True, True]
    >>> [asks_money(q) for q in ("每人每年领到多少加班费", "增加了多少消费", "多少免费")]
    [True, False, False]
    >>> [asks_money(q) for q in ("地区生产总值增长了多少", "What was the GDP growth rate?", "投资了多少个项目")]
    [False, False, True]
    """
    return bool(_MONEY_CUE.search(question)) and not _RATE_CUE.search(question)


# Asking what share something is (占多少, 比重, what percentage): 占地 measures land, not a share.
_SHARE_CUE = re.compile(r"占(?!地|用|据|领|有)[^，,。？?]{0,8}?(?:多少|几成|百分之几|几分之几)|占比|比重|比例|百分之几|"
                        r"百分比|几成|(?<=[\u4e00-\u9fff])比值?(?:是|为)?(?:缩小|扩大|下降|降低|提高|上升)?(?:到|至)?了?多少|"
                        r"\bwhat (?:percentage|proportion|share)\b|\bper ?cent(?:age)?\b|\bshare of\b|\bratio\b", re.I)
# A share as reports write it: 15.3%, 9成, 三分之一, 过半, 2.27:1, 1/3.
_SHARE_NUMBER = re.compile(r"[%％‰]|分之|百分点|[\d一二两三四五六七八九十]\s*成(?![立功果绩为员本效都熟长])|[过近超逾]半|一半|"
                           r"\d\s*[:：/]\s*\d")


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


# Asking how fast something grew or what a rate is (增速, 失业率是多少, growth rate, how fast did … grow)
# wants a rate as reports write one: a share, or so many 倍.
_RATE_ASK = re.compile(r"增速|增幅|增长率|增长速度|涨幅|降幅|率(?:是|为|达到|达|有)?(?:多少|几)|"
                       r"\bhow fast\b.{0,40}\b(?:grow|grew|grown|growth|expand|expanded|rise|rose)\b|"
                       r"\brate\b|\bby what (?:percentage|percent|rate)\b", re.I)


def asks_rate(question: str) -> bool:
    """Whether the question asks for a growth rate or another rate.

    >>> [asks_rate(q) for q in ("地区生产总值增速是多少", "城镇调查失业率是多少", "How fast did Hubei's economy grow?")]
    [True, True, True]
    >>> [asks_rate(q) for q in ("增加了多少人", "率先建成了什么", "How fast is the new railway?")]
    [False, False, False]
    """
    return bool(_RATE_ASK.search(to_simplified(question)))


# How much something changed (增长了多少, by how much did it fall): answered by a
# rate or by a number a change verb leads to (增加6000人, 减至167项), never by a level.
_CHANGE_ASK = re.compile(r"(?:增长|(?<!新)增加|提高|上升|下降|减少|降低|下滑|回落|(?<![新增])增|降)了?(?:多少|几)|"
                         r"\bby how much\b|\bhow much did\b.{0,60}\b(?:grow|increase|rise|fall|drop|decline)\b", re.I)
_CHANGE_LEAD = (r"(?:增长|增加|提高|上升|下降|减少|降低|下滑|回落|减量|增至|减至|降至|升至|[增降减多少])了?\s*"
                r"(?:约|近|超过?|逾)?\s*")
_CHANGE_NUMBER = re.compile(_CHANGE_LEAD + NUMBER_PATTERN)
_LEADS_CHANGE = re.compile(_CHANGE_LEAD + "$")


def asks_change(question: str) -> bool:
    """Whether the question asks by how much something changed.

    >>> [asks_change(q) for q in ("比上年增长了多少", "By how much did exports fall?", "增长目标是多少", "有多少人")]
    [True, True, False, False]
    """
    return bool(_CHANGE_ASK.search(to_simplified(question)))


def reads_as_change(sentence: str, start: int, end: int) -> bool:
    """Whether the number at ``sentence[start:end]`` is a rate or what a change verb leads to.

    >>> s = "人均收入达到5.4万元，五年增长30.8%，比上年增加2600元"
    >>> [reads_as_change(s, s.index(n), s.index(n) + len(n)) for n in ("5.4万元", "30.8%", "2600元")]
    [False, True, True]
    """
    text = simple(sentence[start:end])
    return bool(_SHARE_NUMBER.search(text) or "倍" in text or _LEADS_CHANGE.search(simple(sentence[max(0, start - 6):start])))


# A sum written without 元 before the money it counts: 超过百万的经费.
_SUM_OF_MONEY = re.compile(NUMBER_PATTERN + r"的?(?:经费|资金|预算|补助|补贴|津贴|工资|费用|薪资|奖金)")


def unit_fits(question: str, sentence: str) -> bool:
    """A question asking 几辆/多少钱 needs a number with that unit in the sentence.

    >>> unit_fits("有几辆科普大篷车", "大篷车累计行程2万公里"), unit_fits("有几家工作站", "工作站4家")
    (False, True)
    >>> unit_fits("科技馆每年的运营经费是多少", "年均参观量突破30万人次"), unit_fits("投资了多少钱", "投资2亿元")
    (False, True)
    >>> unit_fits("How many overseas experts came?", "建成工作站3个"), unit_fits("How many times did experts come?", "3个")
    (False, True)
    >>> unit_fits("黄石人口有多少", "比例达15.3%"), unit_fits("What is the population?", "常住人口246万人")
    (False, True)
    >>> unit_fits("常住人口是多少", "收入比从2.50:1缩小至2.27:1"), unit_fits("常住人口是多少", "常住人口8512000")
    (False, True)
    >>> unit_fits("连续几年出生人口超过百万", "连续6年成为全国唯一出生人口超百万的省份"), unit_fits("人口增加了多少人", "增加6年")
    (True, False)
    >>> unit_fits("经费已经有多少年没有增加", "连续13年只减不增"), unit_fits("经费是多少万元", "经费30万")
    (True, False)
    >>> unit_fits("What is the urbanisation rate of the population?", "城镇化率提高到76.58%")
    True
    >>> unit_fits("青少年志愿者占多少", "科技志愿者注册3.3万名"), unit_fits("青少年志愿者占多少", "其中青少年占9成")
    (False, True)
    >>> unit_fits("What was the GDP growth rate?", "生产总值近3年年均增速快于全省"), unit_fits("增速是多少", "增长5.5%")
    (False, True)
    >>> unit_fits("一年要花多少经费", "一年就要超过百万的经费"), unit_fits("一年要花多少经费", "一年增加三千人")
    (True, False)
    >>> unit_fits("首届招收了多少名本科生", "新设3所本科层次职业学校"), unit_fits("有多少名本科生", "招收本科生1200人")
    (False, True)
    >>> unit_fits("请过哪几位院士", "邀请孙和平院士、桂建芳院士"), unit_fits("在全国排几名", "排名全国第3")
    (True, True)
    >>> unit_fits("有多少名志愿者", "注册志愿者达3.3万"), unit_fits("有多少名学生", "新增学位50万个")
    (True, False)
    >>> unit_fits("生态岛的占地面积有多大", "建设生态岛和11个分岛"), unit_fits("What is the total area?", "占地3.2平方公里")
    (False, True)
    >>> unit_fits("销售面积连续几个月正增长", "连续8个月正增长")
    True
    >>> unit_fits("How long is the new canal?", "沿线建成 12 个码头"), unit_fits("培训持续了多久", "培训为期三个多月")
    (False, True)
    >>> unit_fits("How long is the new canal?", "运河于2024年通航"), unit_fits("许多长期项目中有多少个已完工", "已完工35个")
    (False, True)
    >>> unit_fits("园区营收是多少亿元", "入驻企业增至420家"), unit_fits("园区营收是多少亿元", "营收突破1000亿")
    (False, True)
    >>> unit_fits("园区营收比上年增长了多少", "园区营收达到612亿元"), unit_fits("By how much did revenue grow?", "营收增长8%")
    (False, True)
    >>> unit_fits("人口增加了多少人", "人口增加320人"), unit_fits("人口增加了多少人", "增加6年"), unit_fits("减少了多少项", "从187项减至167项")
    (True, False, True)
    >>> unit_fits("园区营收是多少亿元", "接待游客1.8亿人次"), unit_fits("新航道全长多少公里", "开工建设3号线北延伸")
    (False, False)
    >>> unit_fits("港口吞吐量是多少万吨", "货物吞吐量达1.2亿吨"), unit_fits("新航道全长多少公里", "全长约86公里")
    (True, True)
    """
    if asks_share(question):  # a share is no head count, whatever else the question names
        return bool(_SHARE_NUMBER.search(simple(sentence)))
    if asks_rate(question):
        return bool(_SHARE_NUMBER.search(simple(sentence))) or "倍" in sentence
    if asks_change(question):
        text = simple(sentence)
        if _SHARE_NUMBER.search(text) or "倍" in text:
            return True  # a rate answers by how much revenue grew: no 元 needed
        if not _CHANGE_NUMBER.search(text):
            return False  # a changed-by number still wants the unit asked (增加了多少人)
    # 连续几年…出生人口 counts years: a question naming its own unit asks for that unit.
    if (m := _EN_PEOPLE.search(question)) and asked_unit(question) in (None, "人", "名", "位"):
        if m.group().lower() in ("population", "人口") and _RATE_CUE.search(question):
            return True  # the urbanisation rate of the population is a share, not a head count
        if m.group().lower() in ("population", "人口"):  # often given bare: 人口约246万, 1,234,567
            # a ratio (2.50:1) or a count of a few is no population
            return any(re.fullmatch(r"\d[\d,]{3,}(?:\.\d+)?(?:余|多)?人?|[\d.]+[万亿](?:余|多)?人?|[\d.,]+(?:余|多)?人",
                                    n.group()) for n in number_spans(sentence))
        return any(u in n.group() for n in number_spans(sentence) for u in "名位人")
    if _AREA_CUE.search(question):  # an area is measured in 平方米, 亩 or 公顷, not counted in 个
        return bool(_AREA_NUMBER.search(simple(sentence)))
    if _LONG_CUE.search(question):  # how long: a length or a duration, never 50个 nor a date
        return _has_length(simple(sentence))
    if _ASKS_HEADS.search(simple(question)):  # 多少名本科生 counts people, never 3所 schools
        # reports give large head counts bare (志愿者达3.3万), never in another unit (学位50万个)
        return any(re.search(r"[名位人]", n.group()) or re.fullmatch(r"[\d.,]+(?:余|多)?[万亿]?(?:余|多)?", n.group())
                   for n in number_spans(sentence))
    m = _ASKED_UNIT.search(question)
    # 经费有多少年没有增加: the question counts years, it does not ask for the sum.
    if not m and asks_money(question) and asked_unit(question) in (None, "万", "亿", "元"):
        unit = "元"
    elif not m:
        return True
    else:
        unit = "元" if m.group()[-1] in _MONEY else m.group()[-1]
    # 多少亿元 is also answered by a bare 1000亿 (a bare 30万 may count anything)
    magnitude = "亿" if m and "亿" in m.group() else None
    return (any(unit in n.group() or (magnitude and n.group().rstrip("余多").endswith(magnitude))
                for n in number_spans(sentence))
            or (unit == "元" and bool(_SUM_OF_MONEY.search(simple(sentence)))))


# Asking the size of an area (面积有多大, 占地多少亩), not 销售面积连续几个月增长.
_AREA_CUE = re.compile(r"(?:面积|占地)(?:是|为|有|达到?|约)?(?:多大|多少(?!个|年|天|次))|多大面积|多少(?:平方|亩|公顷)|"
                       r"\b(?:what|how large|how big) (?:is |was |are |were )?(?:the |its |their )?(?:total |floor |land )?area\b", re.I)
_AREA_NUMBER = re.compile(r"\d\s*(?:万|亿)?\s*(?:平方|亩|公顷|km|㎡|m2)|[一二三四五六七八九十百千万]+(?:平方|亩|公顷)")
# How long a line or a stretch of time is (多长, 多久, how long); 一个小时多, 两个多月, 一年半.
_LONG_CUE = re.compile(r"\bhow long\b|(?<![许更诸众最])多[长久]", re.I)
_LONG_NUMBER = re.compile(r"(?:\d[\d.,]*|[一二两三四五六七八九十百千万半几数]+)\s*(?:余|多)?\s*个?\s*多?\s*"
                          r"(?:公里|千米|海里|米|km|年|月|周|星期|天|日|小时|钟头|分钟|秒)", re.I)
_DATE_PART = re.compile(r"(?:1[89]|20)\d\d\s*年|\d{1,2}\s*月")  # 2024年, 5月 name a time, not a length


def _has_length(text: str) -> bool:
    """A length or a duration in ``text``, not a date's year, month or day (5月26日).

    >>> _has_length("历时30余年"), _has_length("5月26日公布"), _has_length("于2019年建成")
    (True, False, False)
    """
    return any(not _DATE_PART.fullmatch(m.group()) and not (m.group().endswith("日") and "月" in text[max(0, m.start() - 3):m.start()])
               for m in _LONG_NUMBER.finditer(text))
# 多少名/几位 count people; 哪几位 asks who, 第几名 a rank.
_ASKS_HEADS = re.compile(r"(?<![哪第排前列居])(?:几|多少)[名位](?![次])")
_ANY_UNIT_CHARS = "名位个家项场次所期条份届座处篇件批辆台元年天人公平倍岁部种类米吨亩户轮大型"
# 多少万人 counts people (人), in tens of thousands: the magnitude is not the unit.
_ANY_UNIT = re.compile(rf"{_ASKING_FEW}(?:[万亿](?=[{_ANY_UNIT_CHARS}]))?([{_ANY_UNIT_CHARS}万亿])")


def asked_unit(question: str) -> str | None:
    """The unit a count question names: 多少家 -> 家, 多少公里 -> 公.

    >>> asked_unit("专家工作站有多少家？"), asked_unit("行程多少公里"), asked_unit("比例是多少")
    ('家', '公', None)
    >>> asked_unit("常住人口是多少万人？"), asked_unit("投资多少万元"), asked_unit("增加了多少万")
    ('人', '元', '万')
    >>> asked_unit("这几年一共跑了多少公里"), asked_unit("近几年建成了几家")
    ('公', '家')
    """
    m = _ANY_UNIT.search(simple(question))
    # 个 is the catch-all classifier: reports count the same things in 家 or 项.
    return m.group(1) if m and m.group(1) != "个" else None



# Classifiers that stand in for each other: a report may count societies in
# 家 or 个, suggestions in 条 or 项, but never staff in 期.
_UNIT_CLASSES = ("名位人", "家所个座处间", "项条件个种类部篇份", "场次期届轮批", "台部辆套")


def unit_compatible(question: str, sentence: str) -> bool:
    """Whether ``sentence`` has a number in the unit a count question asks
    for, or in one that stands in for it.

    >>> unit_compatible("有多少名工作人员", "编印专报14期"), unit_compatible("有多少家学会", "邀请60个学会")
    (False, True)
    >>> unit_compatible("补贴发给了多少名老人", "惠及老人12万"), unit_compatible("新装了多少部电梯", "加装电梯95台")
    (True, True)
    >>> unit_compatible("几家银行中哪一家最先开业", "甲银行1995年开业")
    True
    """
    unit, q = asked_unit(question), simple(question)
    # 排第几名 asks a rank; beside 哪/谁 a 几 is "several" (几条走廊中哪一条), not the question.
    if not unit or "第几" in q or re.search(r"[哪谁]", q):
        return True
    group = "".join(g for g in _UNIT_CLASSES if unit in g) or unit
    return any(_counts_in(n.group(), u, question) or (u in "名位人" and _BARE_LARGE.fullmatch(n.group()))
               for n in number_spans(without_separators(sentence)) for u in group)


_BARE_LARGE = re.compile(r"[\d.]+(?:余|多)?[万亿](?:余|多)?|\d{4,}")


def _counts_in(number: str, unit: str, question: str) -> bool:
    """Whether ``number`` is counted in ``unit``; 30万人次 counts visits by
    people, not the 次 (times) a question asks for unless it says 人次.

    >>> _counts_in("30万人次", "次", "出车多少次"), _counts_in("30万人次", "次", "多少人次"), _counts_in("5次", "次", "多少次")
    (False, True, True)
    """
    if unit == "次" and "人次" in number and "人次" not in simple(question):
        return False
    return unit in number


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
