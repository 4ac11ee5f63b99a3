"""The short answer spans a question type asks for, found in a sentence: numbers
with their units, dates, quoted names (and, through ``persons.py``, people).

>>> [m.group() for m in number_spans("建有院士工作站4家,专家工作站77家,累计千余场")]
['4家', '77家', '千余场']
"""
from __future__ import annotations

import re

from .normalize import to_simplified

_NUM_CORE = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+)"
# Longest first: the alternation takes the first unit that matches, and 13个月 is not 13个.
_UNITS = "|".join(sorted((
    "% ‰ 人次 场次 平方公里 公里 平方米 万元 亿元 元 个 家 人 项 场 次 名 所 期 条 位 份 届 座 处 篇 "
    "件 批 年 月 日 天 倍 亿 万 岁 部 种 类 米 吨 亩 户 轮 大 型 台 辆 张 套 艘 架 栋 间 头 只 "
    "公顷 千瓦时 千瓦 个小时 个钟头 钟头 小时 分钟 标箱 标准箱 公斤 立方米 个月 个百分点 百分点 斤 千克 千米 平方千米 "
    "美元 港元 欧元 辆次 架次 班次 周 周岁 周年 季度 公分 公尺 厘米 毫米 海里 英里 英尺 秒 km").split(), key=len, reverse=True))
# 六成, 占全国9成: tenths, not the 成 of 建成 or 成立; 5克, not 一一克服.
_UNITS += r"|成(?![立功果绩为员本效都熟长交就不])|克(?![服难敌制])"
_UNIT = rf"(?:余|多)?(?:万|亿)?(?:余|多)?(?:{_UNITS})?"
# Taiwanese and Markdown text spaces digits off from CJK (``第 18 條``, ``17000 元``):
# one space is part of the number when a unit follows it.
_UNIT_SPACE = rf"(?:\s(?=(?:余|多|万|亿|{_UNITS})))?"
# A number with its unit (``30万人次``, ``15.3%``, ``千余场``); shared with the quote differ.
NUMBER_PATTERN = rf"{_NUM_CORE}{_UNIT_SPACE}{_UNIT}"
_NUMBER_RE = re.compile(NUMBER_PATTERN)
_DATE_RE = re.compile(r"\d{4}\s*[—–~至到-]\s*\d{4}\s*年?|"  # a span of years: 2021—2025
                      r"(?:公元前?|西元前?)\d{1,4}\s*年|"
                      # Taiwan's Republic era: 民國38年, 107 年 7 月 17 日
                      r"民[国國]\s*(?:\d{1,3}|[一二三四五六七八九十百]{1,4}|元)\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|"
                      r"(?<!\d)\d{2,3}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|"
                      r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|"
                      # a year in Chinese numerals, as formal reports write the long-range goals: 二〇三五年
                      r"(?:一九|二[〇零])[〇零一二三四五六七八九]{2}年|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s*月\s*\d{1,2}(?:\s*[日号])?|"
                      # periods: 19世纪晚期, 1930年代, 康熙年间, 三国时期
                      r"\d{1,2}\s*世[纪紀](?:\d{1,2}年代)?(?:初|末|中叶|中葉|[早中晚]期|上半叶|下半叶)?|\d{2,4}\s*年代|"
                      r"[\u4e00-\u9fff]{2}(?:年[间間]|[时時]期)|"
                      # a year of one to three digits that 于/在/自 introduces or a sentence opens with
                      # (352年慕容儁攻破, 于286年被, 於 105 年的時候), not a duration (服役105年, 在3年内,
                      # 不少于5年); an era's year with its month (永历十五年七月)
                      r"(?:^|(?<![少多高低等大小不][于於])(?<=[於于在自從从迄])\s?)\d{1,3}\s*年"
                      r"(?![来來间間之多余餘以左内內後后前级級初底末中期里裡时時]|的(?![时時]候))|"
                      r"[\u4e00-\u9fff]{2}(?:元|[一二三四五六七八九十]{1,3})年(?=[一二三四五六七八九十正]{1,2}月)|"
                      # a month or a season without a day: 2月底, 十一月, 秋季
                      r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月(?:初|底|末|中旬|上旬|下旬)?(?![\d一二三四五六七八九十])|"
                      r"[春夏秋冬]季")
_QUOTED_RE = re.compile(r"“([^”]{2,30})”|《([^》]{2,40})》|「([^」]{2,30})」")


def matchable(text: str) -> str:
    """``text`` in Simplified script when that keeps every offset (it almost always
    does), else as it is: taggers and patterns written for Simplified then work
    on Traditional text, and their spans still index the original.

    >>> matchable("劉光輝加裝電梯3295臺")
    '刘光辉加装电梯3295台'
    """
    simplified = to_simplified(text)
    return simplified if len(simplified) == len(text) else text


_ITEM_NUMBER = re.compile(r"\d{1,2}[.．、](?!\d)")


# A number inside a Latin name: one or two letters before it (PM2.5, G20, H7N9), or one letter
# after a number of one or two digits (5G, 4K); not a unit (1200MW, 500万TEU) nor an
# abbreviation before a figure (GDP1.2万美元, RMB5亿元), nor a grade (10个AAAA级).
_LETTERS_BEFORE = re.compile(r"(?<![A-Za-z])[A-Za-z]{1,2}$")
_LETTER_AFTER = re.compile(r"[A-Za-z](?![A-Za-z])")


def _in_latin_name(text: str, start: int, end: int) -> bool:
    """
    >>> t = "PM2.5下降，5G基站，1200MW，GDP1.2万美元"
    >>> [(t[a:b], _in_latin_name(t, a, b)) for a, b in ((2, 5), (8, 9), (13, 17), (23, 27))]
    [('2.5', True), ('5', True), ('1200', False), ('1.2万', False)]
    """
    if _LETTERS_BEFORE.search(text, max(0, start - 3), start):
        return True
    return bool(_LETTER_AFTER.match(text, end)) and text[start:end].isdigit() and end - start <= 2


def number_spans(text: str):
    """Numbers with their units; a bare Chinese numeral needs a unit to count.
    Matched in Simplified script (same offsets), so 一個小時, 3萬人 have units too.

    >>> [m.group() for m in number_spans("經過一個小時多的討論，加裝電梯3295台")]
    ['一个小时', '3295台']

    A sum with no figure before it is a class, not an amount: 亿元以上项目,
    千万元级企业 (万余人 and 近万人 are counts).

    >>> [m.group() for m in number_spans("新建亿元以上项目3万个，百亿元级企业5家，惠及万余人")]
    ['3万个', '百亿元', '5家', '万余人']

    A batch or a round (建设一批站点, 新一轮行动) says how, not how many; two batches do count.

    >>> [m.group() for m in number_spans("新建一批服务站，启动新一轮改革，分两批推进")]
    ['两批']

    The number of a list item (14.“暖心驿站”：…, 3、) counts nothing, nor one inside a Latin
    name (PM2.5年均浓度, 5G基站).

    >>> [m.group() for m in number_spans("PM2.5年均浓度下降17%，5G基站5万个，线路300km")]
    ['17%', '5万个', '300km']

    >>> [m.group() for m in number_spans("14.“暖心驿站”：建成113个")], [m.group() for m in number_spans("增长3.5%")]
    (['113个'], ['3.5%'])
    """
    text = matchable(text)
    for m in _NUMBER_RE.finditer(text):
        token = m.group()
        if _ITEM_NUMBER.match(text, m.start()) and not text[:m.start()].strip():
            continue
        if _in_latin_name(text, m.start(), m.end()):
            continue  # PM2.5, G20, 5G: part of a name

        if token[0] in "万亿" and ("元" in token or text.startswith(("以上", "级"), m.end())):
            continue
        if re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿]+", token):
            continue
        if re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿]+[余多]?(?:万|亿)?|一[批轮]", token):
            continue
        yield m


# 5年 opening a sentence may be a year or a duration: a count question may still take it.
_SHORT_YEAR = re.compile(r"\s?\d{1,3}\s*年")


def date_spans(text: str):
    """Dates and periods, a month or a season without a day among them.

    >>> [m.group() for m in date_spans("于2月底中断，每到秋季举办，1934年长征")]
    ['2月底', '秋季', '1934年']
    >>> [m.group() for m in date_spans("民國38年初大敗國軍，107 年 7 月 17 日召開，服役105年")]
    ['民國38年', '107 年 7 月 17 日']
    >>> [m.group() for m in date_spans("412年城破，于86年被占，在3年内，不少于5年，乾隆九年三月，未来五年，")]
    ['412年', '86年', '乾隆九年', '三月']
    >>> [m.group() for m in date_spans("从党的二十大到二〇三五年，一二三四年")]
    ['二〇三五年']
    """
    yield from _DATE_RE.finditer(text)


def quoted_spans(text: str):
    """Quoted names and titles, without their quote marks."""
    for m in _QUOTED_RE.finditer(text):
        group = next(g for g in range(1, 4) if m.group(g))
        yield m.start(group), m.end(group)


def candidate_spans(kind: str, text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that could answer a question of type ``kind``.

    >>> t = "“新十二月市”品牌，方案“80条”落地，“12345”热线受理诉求"
    >>> [t[a:b] for a, b in candidate_spans("number", t)]
    ['80条']
    """
    if kind == "number":
        # A number inside a quoted name (“新十二月市”, “3+1”改革) is part of the name, not a
        # value; a name that is only a count (方案“80条”: its eighty articles) is one.
        quoted = list(quoted_spans(text))
        spans = [m.span() for m in number_spans(text)
                 if not any(a <= m.start() < b and (m.span() != (a, b) or m.group().isdigit()) for a, b in quoted)]
        # A count is not answered by a date; a month or a day (2 月 26) counts
        # nothing even when nothing else is left (a year or a century may: 3000年).
        dates = [m.span() for m in date_spans(text) if not _SHORT_YEAR.fullmatch(m.group())]
        days = [(a, b) for a, b in dates if re.search(r"[月日号號]", text[a:b])]
        return ([s for s in spans if not any(a <= s[0] < b for a, b in dates)]
                or [s for s in spans if not any(a <= s[0] < b for a, b in days)])
    if kind == "date":
        return [m.span() for m in date_spans(text)]
    if kind == "person":
        from .persons import person_spans  # persons.py reads this module's role words

        return list(person_spans(text))
    if kind == "name":
        return list(quoted_spans(text))
    return []


def has_fit(kind: str, text: str) -> bool:
    """Whether ``text`` holds something that could answer a ``kind`` question."""
    return bool(candidate_spans(kind, text)) if kind in ("number", "date", "person") else False
