"""What a count question asks for: a unit (多少家), money, a share or a rate, and whether a sentence has it.

>>> asked_unit("专家工作站有多少家？"), asks_money("乐山机场的总投资是多少？"), asks_rate("增速是多少")
('家', True, True)
"""
from __future__ import annotations

import re

from ..text.normalize import simple, to_simplified
from ..text.numerals import english_figures, span_value
from ..text.spans import NUMBER_PATTERN, matchable, number_spans
from .change import added_misfit, asks_change, changed_rate, has_change
from .counts import ASKING, asked_unit, counts_heads
from .share import asks_change_of_share, asks_share, gives_share, is_rate

# Units no other unit stands in for (reports say 家/个 and 条/项 interchangeably,
# but never count cars in kilometres or money in people): 多少亿元 asks a sum
# in 元; a measure (多少公里, 多少万吨) is given in it or its other names (千米, km).
_ASKED_UNIT = re.compile(ASKING + r"(?:辆|台|[万亿]*(?:美|港|欧)?元|钱|岁|[万亿]*(?:公里|千米|米|吨|千瓦|标准?箱)|个?(?:小时|钟头|分钟))")
# A sum asked in dollars is not given in 元 (人民币).
_FORMS = {"公里": ("公里", "千米", "km"), "千米": ("公里", "千米", "km"), "辆": "台部辆", "台": "台部辆",
          "美元": ("美元",), "港元": ("港元",), "欧元": ("欧元",),
          **dict.fromkeys(("小时", "钟头", "分钟"), ("小时", "钟头", "分钟"))}  # a time in hours or minutes
_MONEY = "元钱"
# Asking for an amount of money, however it is phrased, wants a sum in 元.
_MONEY_CUE = re.compile(r"(?:经费|预算|资金|金额|费用|花费|造价|投资|拨款|票价|价格|工资|薪|收入|补贴|津贴|多少钱|奖金|补助标准|补助金|"
                        r"租金|罚款|罚金|学费|保费|"
                        r"产值|总值|增加值|营收|销售额|成交额|交易额|总额).{0,6}(?:多少|几)|"
                        r"(?:多少|几)(?:钱|资金|经费|(?![个份项件人家名次位批户村类种])(?:(?![领获得有拿发])[\u4e00-\u9fff]){0,2}(?:工资|补贴|津贴|补助|奖金)|[\u4e00-\u9fff]{0,3}(?<![消浪免收])费)|how much money|budget|funding|\bcosts?\b|price|"
                        r"salary|wage|income|spen[dt]|expenditure|\bfees?\b|how much\b.{0,30}\binvest|\bvalue[- ]added\b|"
                        r"\binvestment (?:of|in|worth)\b|(?<![a-z])gdp(?![a-z])|output value|revenue|turnover", re.I)
# ...unless it asks how fast the sum grew or what share it is: that is a rate.
_RATE_CUE = re.compile(r"增长|成长(?![型基])|增速|增幅|下降|降低|减少|比重|占比|比例|率|百分|\bby how much\b|\bpercent|%|\brate\b|"
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
    >>> asks_money("民营经济增加值有多少？"), asks_money("民营经济增加值增长了多少？"), asks_money("成长基金的预算是多少")
    (True, False, True)
    >>> [asks_money(q) for q in ("每人每年领到多少加班费", "增加了多少消费", "多少免费")]
    [True, False, False]
    >>> [asks_money(q) for q in ("赛会今年的总奖金是多少？", "每户的补助标准是多少？", "补助对象有多少人")]
    [True, True, False]
    >>> asks_money("每个月可以领到多少见习补贴？"), asks_money("发放了多少份补贴申请")
    (True, False)
    >>> [asks_money(q) for q in ("有多少户获得补贴", "多少村获得补贴", "有几类补贴", "多少农户领补贴")]
    [False, False, False, False]
    >>> [asks_money(q) for q in ("地区生产总值增长了多少", "What was the GDP growth rate?", "投资了多少个项目")]
    [False, False, True]
    """
    return bool(_MONEY_CUE.search(question)) and not _RATE_CUE.search(question)


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
    >>> asks_rate("有多少个县增速跑赢全省"), asks_rate("增速提高了多少个百分点")  # counted: a rate is only the condition
    (False, True)
    """
    question = to_simplified(question)
    return bool(_RATE_ASK.search(question)) and not _COUNTED.search(question)


# 多少个县, 几家企业: the question counts things, whatever rate it names as their condition.
_COUNTED = re.compile(r"(?:多少|几)[个家所座项名位条件台辆户](?!百分点)")


# A sum written without 元 before the money it counts: 超过百万的经费.
_SUM_OF_MONEY = re.compile(NUMBER_PATTERN + r"的?(?:经费|资金|预算|补助|补贴|津贴|工资|费用|薪资|奖金)")


def unit_fits(question: str, sentence: str) -> bool:
    """A count question needs a number of the kind it asks for: in its unit
    (几辆, 多少钱, 多少公里), a share, a rate, a change, an area, a length or a
    head count; a sentence without one does not answer it.

    >>> unit_fits("有几辆科普大篷车", "大篷车累计行程2万公里"), unit_fits("有几家工作站", "工作站4家")
    (False, True)
    >>> unit_fits("科技馆每年的运营经费是多少", "年均参观量突破30万人次"), unit_fits("投资了多少钱", "投资2亿元")
    (False, True)
    >>> unit_fits("How many overseas experts came?", "建成工作站3个"), unit_fits("How many times did experts come?", "3个")
    (False, True)
    >>> unit_fits("黄石人口有多少", "比例达15.3%"), unit_fits("What is the population?", "常住人口246万人")
    (False, True)
    >>> unit_fits("人均GDP是多少美元？", "零售总额2.79万亿元，占比升至48%"), unit_fits("人均GDP是多少", "人均地区生产总值1.3万美元")
    (False, True)
    >>> unit_fits("How many of the 40 parks are new?", "两个月内规划40个公园"), unit_fits("How many parks are new?", "新建40个")
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
    >>> unit_fits("销量在全省排第几名", "销量达到120万台"), unit_fits("銷量在全省排第幾", "销量居全省前列")
    (False, True)
    >>> unit_fits("今年安排几个项目", "安排项目120个"), unit_fits("排名全国第几", "较第二产业增长5%")
    (True, False)
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
    >>> unit_fits("人口增加了多少人", "人口增加320人"), unit_fits("人口增加了多少人", "增加6年"), unit_fits("减少了多少项", "从52项减至40项")
    (True, False, True)
    >>> unit_fits("园区营收是多少亿元", "接待游客1.8亿人次"), unit_fits("新航道全长多少公里", "开工建设3号线北延伸")
    (False, False)
    >>> unit_fits("港口吞吐量是多少万吨", "货物吞吐量达1.2亿吨"), unit_fits("新航道全长多少公里", "全长约86千米")
    (True, True)
    >>> unit_fits("新购了多少辆公交车", "购置公交车500台"), unit_fits("就业增加了多少人", "比上年增加就业5万人")
    (True, True)
    >>> unit_fits("How many farms joined the scheme?", "试点期限延长5年"), unit_fits("How many farms joined?", "新增农场12家")
    (False, True)
    >>> unit_fits("How many consecutive years did it lead?", "连续9年领先"), unit_fits("How many farms?", "第三轮试点为期15年")
    (True, False)
    >>> unit_fits("How many households got loans?", "发放贷款671亿元"), unit_fits("How many yuan were lent?", "贷款671亿元")
    (False, True)
    >>> unit_fits("How old is Yu, who filed it?", "网友俞泽宇于2019年1月30日提议"), unit_fits("他多少岁", "现年68岁")
    (False, True)
    >>> unit_fits("How old is the temple?", "该寺始建于唐代，距今已有1300余年")
    True
    >>> unit_fits("By how many yuan did power costs fall?", "用电成本下降6.8%"), unit_fits("By how much did costs fall?", "成本下降6.8%")
    (False, True)
    """
    if _RANK_CUE.search(simple(question)):  # 排第几名 wants a place in a ranking, not the figure ranked
        return bool(_RANK_GIVEN.search(simple(sentence)))
    if asks_share(question):  # a share is no head count, whatever else the question names
        return gives_share(simple(sentence), asks_change_of_share(question))
    if asks_rate(question):
        return is_rate(simple(sentence))
    if asks_change(question):
        text = simple(sentence)
        # (not when an English question counts the change in money: by how many yuan)
        if changed_rate(text) and asked_unit(question) in (None, "万", "亿", "元") and not _EN_MONEY.search(question):
            return True  # a rate answers by how much revenue grew, not how many people were added
        if not has_change(text):
            return False  # a changed-by number still wants the unit asked (增加了多少人)
    if added_misfit(question, sentence):
        return False
    # 连续几年…出生人口 counts years: a question naming its own unit asks for that unit.
    if (m := _EN_PEOPLE.search(question)) and asked_unit(question) in (None, "人", "名", "位"):
        return _people_fit(m.group().lower(), question, sentence)
    if _AREA_CUE.search(question):  # an area is measured in 平方米, 亩 or 公顷, not counted in 个
        return bool(_AREA_NUMBER.search(simple(sentence)))
    if _AGE_CUE.search(question):  # how old: an age (68岁) or a span of years (距今1300余年), never a date
        return bool(_AGE.search(simple(sentence))) or _has_length(simple(sentence))
    if _LONG_CUE.search(question):  # how long: a length or a duration, never 50个 nor a date
        return _has_length(simple(sentence))
    if _ASKS_HEADS.search(simple(question)):  # 多少名本科生 counts people, never 3所 schools
        # reports give large head counts bare (志愿者达3.3万), never in another unit (学位50万个)
        return any(counts_heads(n.group()) for n in number_spans(sentence))
    if _EN_THINGS.search(question):  # how many households: not 30年, 5%, 2025年, nor 第二轮's 二轮
        stated = english_figures(question)  # nor the 50 of "how many of the 50 spots"
        money = _EN_MONEY.search(question) is not None  # how many households: not 671亿元 either
        return any(not _NOT_THINGS.search(n.group()) and (money or not n.group().endswith("元"))
                   and not sentence[:n.start()].rstrip().endswith("第")
                   and span_value(n.group()) not in stated for n in number_spans(sentence))
    return _unit_named_fits(question, sentence)


# "How many households / new drugs": things counted, which a length of time, a
# share, a multiple, a year or an ordinal (第二轮) does not count (the question's
# own noun is no time unit).
_EN_THINGS = re.compile(r"\bhow many\s+(?!(?:[\w-]+\s+){0,3}?(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|"
                        r"centuries|century|times|percent|percentage points?)\b)", re.I)
_NOT_THINGS = re.compile(r"(?:年|个?月|周|天|日|小时|分钟|%|％|倍)$")


def counts_no_thing(question: str, text: str) -> bool:
    """Whether an English how-many-things question meets a span that counts no
    thing: a length of time, a share, a multiple (两个月 for how many ports).

    >>> counts_no_thing("How many ports are there?", "两个月"), counts_no_thing("How many ports?", "50处")
    (True, False)
    """
    return bool(_EN_THINGS.search(question)) and bool(_NOT_THINGS.search(matchable(text)))


_EN_MONEY = re.compile(r"\b(?:yuan|rmb|renminbi|dollars?|euros?|money)\b", re.I)


_STOCK = re.compile(r"\b(?:staff|employees|members|workers|officers|firefighters|soldiers|nurses|doctors|teachers|"
                    r"residents|villagers|academicians|scientists|researchers|engineers|professors|volunteers|"
                    r"experts|talents|representatives|delegates)\b")


def _people_fit(word: str, question: str, sentence: str) -> bool:
    """A count of people (``word`` names them: 人口, residents...) in ``sentence``.

    >>> _people_fit("how many staff", "", "年均接待30万人次"), _people_fit("how many visitors", "", "年均接待30万人次")
    (False, True)
    >>> _people_fit("how many staff", "", "在编职工120人")
    True
    """
    if word in ("population", "人口") and _RATE_CUE.search(question):
        return True  # the urbanisation rate of the population is a share, not a head count
    if word in ("population", "人口"):  # often given bare: 人口约246万, 1,234,567
        # a ratio (2.50:1) or a count of a few is no population
        return any(re.fullmatch(r"\d[\d,]{3,}(?:\.\d+)?(?:余|多)?人?|[\d.]+[万亿](?:余|多)?人?|[\d.,]+(?:余|多)?人",
                                n.group()) for n in number_spans(sentence))
    # Staff, members, residents are a stock: 30万人次 counts visits, which answers how many visitors, not how many staff.
    visits = r"人(?!次)" if _STOCK.search(word) else "人"
    return any(re.search(f"[名位]|{visits}", n.group()) for n in number_spans(sentence))


def _unit_named_fits(question: str, sentence: str) -> bool:
    """A number in the unit the question names (几辆, 多少亿元), or a sum when it asks for money."""
    m = _ASKED_UNIT.search(question)
    # 经费有多少年没有增加: the question counts years, it does not ask for the sum.
    if not m and asks_money(question) and asked_unit(question) in (None, "万", "亿", "元"):
        unit = "元"
    elif not m:
        return True
    else:
        unit = "元" if m.group()[-1] in _MONEY else m.group()[-1]
    forms = _FORMS.get(m.group()[-2:], _FORMS.get(m.group()[-1], unit)) if m else unit
    # 多少亿元 is also answered by a bare 1000亿 (a bare 30万 may count anything)
    magnitude = "亿" if m and "亿" in m.group() else None
    return (any(any(f in n.group() for f in forms) or (magnitude and n.group().rstrip("余多").endswith(magnitude))
                for n in number_spans(sentence))
            or (unit == "元" and bool(_SUM_OF_MONEY.search(simple(sentence)))))


# A rank asks for a place in a ranking, which the figure ranked does not give (销量120万台 for 排第几).
# Narrower than span_candidates._ASKS_RANK, which also takes 第几届/第几版 to pick an ordinal to show:
# 第十五届 answers which edition, but is no place in a ranking.
_RANK_CUE = re.compile(r"(?:(?<![安编])排名?|位列|名列|位居|居)[^，。？?]{0,6}?第?几(?![个次届批期年月天号])|第几[名位]|名次")
_RANK_GIVEN = re.compile(r"第\s*[\d一二三四五六七八九十]+(?![产届批次个季期条章轮])|首位|榜首|居首|前列|前茅|冠军|亚军|季军|"
                         r"前\s*[\d一二三四五六七八九十]+(?![个年天月])|领先(?!地位)")


# Asking the size of an area (面积有多大, 占地多少亩), not 销售面积连续几个月增长.
_AREA_CUE = re.compile(r"(?:面积|占地)(?:是|为|有|达到?|约)?(?:多大|多少(?!个|年|天|次))|多大面积|多少(?:平方|亩|公顷)|"
                       r"\b(?:what|how large|how big) (?:is |was |are |were )?(?:the |its |their )?(?:total |floor |land )?area\b", re.I)
_AREA_NUMBER = re.compile(r"\d\s*(?:万|亿)?\s*(?:平方|亩|公顷|km|㎡|m2)|[一二三四五六七八九十百千万]+(?:平方|亩|公顷)")
# How long a line or a stretch of time is (多长, 多久, how long); 一个小时多, 两个多月, 一年半.
_AGE_CUE = re.compile(r"\bhow old\b|\bwhat age\b(?! group)|多大年纪|[几多少]岁", re.I)
_AGE = re.compile(r"岁|年龄|年纪|高龄|树龄")
_LONG_CUE = re.compile(r"\bhow long\b|\blength\b|长度|(?<![许更诸众最])多[长久]", re.I)
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


# 多少名/几位 count people; 哪几位 asks who, 第几名 a rank, 这几位 no one.
_ASKS_HEADS = re.compile(r"(?<![哪第排前列居这那近前后好十])(?:几|多少)[名位](?![次])")
