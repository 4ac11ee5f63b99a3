"""What a question's wording asks of its answer sentence, beyond a type:
the year a which-year question wants, the role a who-question names, the
members a which-ones question wants.  Each is a strong miss in
``evidence.evidence_misses`` when the sentence lacks it (``places.py``
holds the place a which-city question wants).
"""
from __future__ import annotations

import re

from ..normalize import is_english, simple, to_simplified
from ..qtype import ROLE_PATTERN, date_spans, qtype, quoted_spans
from ..qtype import QUESTION_WORDS

_ROLE_RE = re.compile(ROLE_PATTERN)
_ASKS_YEAR = re.compile(r"哪一?年|何年|什么年份|哪个年份|\b(?:which|what) year\b", re.I)
# A year as a report or an encyclopedia writes it: 2019, 民國107年, 一九四九年, 康熙十年, 元年, 80年代, 19世纪.
_YEAR = re.compile(r"(?:\d{1,4}|[〇零一二三四五六七八九十百]+|元)\s*年(?![级級])|世[纪紀]|年代|\d{4}")


def year_fits(question: str, sentence: str) -> bool:
    """A question asking which year wants a date that names one, not 3 月 21 日.

    >>> year_fits("漁港法是哪一年制定的？", "3 月 21 日的會議上"), year_fits("In which year?", "2019 年 4 月 3 日")
    (False, True)
    >>> year_fits("会议是哪一天召开的？", "3 月 21 日的會議上"), year_fits("哪一年？", "民國34年8月15日")
    (True, True)
    >>> year_fits("哪一年？", "大会在会上通过")  # no date at all: the type check's miss, not counted twice
    True
    """
    if not _ASKS_YEAR.search(to_simplified(question)) or next(date_spans(sentence), None) is None:
        return True
    return bool(_YEAR.search(simple(sentence)))


def role_fits(question: str, sentence: str, terms: str = "") -> bool:
    """A question asking who holds a role (主席是谁) wants a sentence that names
    the role; an English question's roles are among its bridged ``terms``.

    >>> role_fits("科协现任主席是谁", "推荐王加军荣获最美科技工作者称号"), role_fits("哪位教授出席了大会", "推荐吴杰教授出席")
    (False, True)
    >>> role_fits("谁获得了称号", "推荐王加军荣获称号"), role_fits("Who is the party secretary?", "王加军获奖", "党 书记 秘书")
    (True, False)
    """
    question = to_simplified(question)
    if qtype(question) != "person":
        return True
    roles = _ROLE_RE.findall(terms if is_english(question) else question)
    return not roles or any(r in simple(sentence) for r in roles)


# Asking for the members of a set: 哪些, 哪几, 哪两家, 分别, 具体包括, 另外两家是哪里.
_ENUMERATION = re.compile(r"哪些|哪几|哪[两三四五六七八九十]|分别|包括(?:哪|什么)|具体包括"
                          r"|(?:另外|其余|其他|其它)[^，,。？?]{0,10}(?:哪|什么|谁)"
                          r"|由哪些|包含哪|组成部分"
                          r"|\bwhich (?:ones|are|(?:two|three|four|five|six|seven|eight|nine|ten|\d+) [\w-]+)\b|(?:^|[.?!]\s+|\byou\s+)(?:please\s+)?list\b|\bwhat (?:exactly )?are the\b|\bthe other (?:\w+ )?(?:ones|\w+s)\b"
                          r"|\bconsists? of\b|\bmade up of\b|\bcompris|\bcomponents\b|\bwhich of the\b.*\b(?:were|are|have)\b",
                          re.I)
# A list in a sentence: 、 or ；, quoted names one after another, a range, or
# 以及/或者 before the last member (不工作，以及「型态放假」).  Not 和/及 alone:
# 建站总量及质量 is no list of stations.
_LIST_WINDOW = 20
_LIST = re.compile(r"[、；]|[”》」]\s*[和与與及、]?\s*[“《「]|\d\s*[—–-]\s*\d|以及(?![时早])|或者|或是")


def lists_fit(question: str, sentence: str) -> bool:
    """A question asking for the members of a set wants a sentence that lists some.

    >>> lists_fit("完成了哪些重大任务", "完成疫情防控、脱贫攻坚等重大任务"), lists_fit("“九大行动”分别是哪些", "明晰“九大行动”实施路径")
    (True, False)
    >>> lists_fit("Which company made the national list?", "华新公司荣登全国榜单"), lists_fit("List the new measures.", "推出新举措")
    (True, False)
    >>> lists_fit("除了黄石，另外两家是哪里", "黄石入选首批试点单位(全国仅3家)")
    False
    >>> lists_fit("哪些单位接手了这类业务", "業務已經慢慢轉移到農政單位或是委託民間辦理"), lists_fit("分别设在哪些企业", "建站总量及质量稳居全省第一方阵")
    (True, False)
    >>> lists_fit("“五大工程”是哪五个", "实施“五大工程”,有效凝聚科技工作者共识,团结带领广大科技工作者勇担使命、锐意创新")
    False
    >>> lists_fit("Which 12 towns will pilot the scheme?", "推动12个镇开展试点。"), lists_fit("Which two ports opened?", "甲港和乙港开放")
    (False, True)
    """
    question = to_simplified(question)
    if not _ENUMERATION.search(question):
        return True
    counted = _counted_list(question, to_simplified(sentence))
    if counted is not None:
        return counted
    # The members sit next to the name the question quotes: look only around it.
    for a, b in quoted_spans(question):
        at = sentence.find(question[a:b])
        if at >= 0:
            sentence = sentence[max(0, at - _LIST_WINDOW):at + (b - a) + _LIST_WINDOW]
            break
    # two members are joined by 和/与/及 (教育部和财政部), more by 、
    return bool(_LIST.search(sentence) or (_TWO.search(question) and re.search("[和与與及]", sentence)))


_TWO = re.compile(r"哪两|\b(?:which|what) two\b|\btwo\b", re.I)
# A count and its measure word (18 個, 40个, 100公里), as the question restates it.
_COUNT = re.compile(r"(?<![\d.])(\d+|[两二三四五六七八九十百]+)\s*([\u4e00-\u9fff])")
_FIGURE = re.compile(r"(?<![\w.])(\d+|two|three|four|five|six|seven|eight|nine|ten)(?![\w.])", re.I)
_NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _english_count(figure: str) -> str:
    """A pattern for an English count as a report writes it: four → 4 or 四.

    >>> _english_count("four"), _english_count("18")
    ('(?:4|四)', '18')
    """
    if figure.isdigit():
        return figure
    n = _NUMBER_WORDS.index(figure.lower()) + 2
    return f"(?:{n}|{'两' if n == 2 else '二三四五六七八九十'[n - 2]})"
# Two members of two or more characters each: 市、区 in 县（市、区） is a kind, not the members.
_MEMBERS = re.compile(r"[^、，。；：\s（）()]{2,}\s*、\s*[^、，。；：\s（）()]{2,}|[”》」]\s*[和与及、]?\s*[“《「]")


def _counted_list(question: str, sentence: str) -> bool | None:
    """Where the sentence restates the question's count (which 18 ports), its members stand beside it.

    They end the count's clause (甲港、乙港等18个渔港) or follow it in the
    same clause (18个渔港：甲港、乙港); a list in another clause is of
    something else.  None: the sentence does not restate the count.

    >>> _counted_list("这18个渔港分别是哪些", "全台222个第一类、第二类渔港，仅有18个渔港开放钓鱼")
    False
    >>> _counted_list("这3个渔港分别是哪些", "开放甲渔港、乙渔港和丙渔港等3个渔港"), _counted_list("哪3个港", "新开3个港：甲港、乙港、丙港")
    (True, True)
    >>> _counted_list("这3个渔港分别是哪些", "开放3个渔港"), _counted_list("这3个渔港分别是哪些", "甲、乙两港开放")
    (False, None)

    An English question's count is its figure or number word (which 18
    ports, which four stations), not a year:

    >>> _counted_list("Which 18 ports are open?", "2019年，全台仅有18个渔港开放")
    False
    >>> _counted_list("Which firms host the four stations?", "建有工作站4家,分站7家")
    False
    """
    english = is_english(question)
    for m in (_FIGURE if english else _COUNT).finditer(question):
        if m.group(1) in ("一", "十"):
            continue
        # an English count meets any measure word; a year (2019年) is no count
        word = r"(?!年)[\u4e00-\u9fff]" if english else m.group(2)
        figure = _english_count(m.group(1)) if english else re.escape(m.group(1))
        at = re.search(r"(?<![\d.])" + figure + r"\s*" + word, sentence)
        if at is None:
            continue
        before = re.split(r"[，。；：,;:]", sentence[:at.start()])[-1]
        after = re.split(r"[，,。；;]", sentence[at.start():])[0]
        pair = m.group(1) in ("两", "二", "2") and re.search("[和与及]", before + after)  # 科技与法治两手
        return bool(_MEMBERS.search(before) or _MEMBERS.search(after) or pair)
    return None


# Measures that come in opposite pairs: a sentence giving one does not
# answer a question asking the other (一般公共预算支出 is not 收入).
_CONTRASTS = (("收入", "支出"), ("进口", "出口"), ("最高", "最低"), ("男性", "女性"), ("出生", "死亡"),
              ("盈利", "亏损"), ("顺差", "逆差"))


_TRADE_MEASURE = r"(?:总?额|总值|值|量|规模|增长|增速|下降|贸易)"


def contrast_fits(question: str, sentence: str) -> bool:
    """False when the question asks one of a pair of opposite measures and
    the sentence gives only the other.

    >>> contrast_fits("一般公共预算支出是多少", "一般公共预算收入达到8500亿元")
    False
    >>> contrast_fits("收入和支出各是多少", "收入8500亿元"), contrast_fits("进口额是多少", "进出口总额5万亿元，其中出口3万亿元")
    (True, False)

    Nor does a whole answer its part: 进出口 gives no figure for 出口 alone.

    >>> contrast_fits("出口额是多少", "进出口总额5万亿元"), contrast_fits("进口和出口共增长多少", "进出口总额增长5%")
    (False, True)
    >>> contrast_fits("进口博览会意向成交多少", "进出口总额5万亿元，进博会意向成交80亿美元")
    True

    An English question is checked through its bridged terms (``Query.lexical``):

    >>> contrast_fits("广东 总额 一般公共预算支出 2025", "一般公共预算收入达到8500亿元")
    False
    """
    if is_english(question):
        return True
    q, s = (simple(t).replace("进出口", "") for t in (question, sentence))
    # 出口额 asks the part (not 进口博览会, 高速公路出口); both asked (imports plus exports) is the whole.
    asked = [p for p in ("进口", "出口") if re.search(p + _TRADE_MEASURE, q)]
    if re.search("进出口" + _TRADE_MEASURE, simple(sentence)) and len(asked) == 1 and asked[0] not in s:
        return False
    return not any((a in q and b not in q and b in s and a not in s) or (b in q and a not in q and a in s and b not in s)
                   for a, b in _CONTRASTS)


# 「X中，Y有多少」 asks for a part Y of a whole X the question names.
_PART = re.compile(r"[^，,。？?]{2}(?:之中|当中|中|里)(?:[，,]\s*|(?=有|的|占))([^？?。]{2,})")
_SHARE_WORDS = re.compile(r"多大|比例|比重|占比")


def asked_part(question: str) -> str | None:
    """The part a question asks of a whole it names, or None.

    >>> asked_part("去年进出口总额中，出口额是多少？"), asked_part("1800名消防人力中有多少名女性")
    ('出口额是多少', '有多少名女性')
    >>> asked_part("中国有多少个省？") is None
    True
    """
    m = _PART.search(simple(question))
    return m.group(1) if m else None


def part_fits(question: str, sentence: str) -> bool:
    """A figure of a whole (游客936万人次) does not answer a question about a
    part of it (其中外国游客多少): the part's words must run together in the sentence.

    >>> part_fits("936万人次入境游客中，外国游客有多少人次？", "接待入境游客936万人次")
    False
    >>> part_fits("经营主体总量中，企业有多少户？", "总量达2037万户，其中企业929万户")
    True
    >>> part_fits("服务业增加值里，现代服务业占多大比重？", "现代服务业增加值占比达64.9%")
    True
    """
    if qtype(question) != "number":
        return True
    part = asked_part(question)
    if part is None:
        return True
    import jieba

    words = [w for w in jieba.lcut(part) if len(w) > 1 and not QUESTION_WORDS.fullmatch(w)
             and not _SHARE_WORDS.fullmatch(w)]
    core, text = "".join(words), simple(sentence)
    return not core or longest_shared(core, text) >= min(3, len(core))


def longest_shared(a: str, b: str) -> int:
    """Length of the longest piece of ``a`` found verbatim in ``b``.

    >>> longest_shared("外国游客人次", "入境游客936万人次")
    2
    """
    best = 0
    for i in range(len(a)):
        j = i + best + 1
        while j <= len(a) and a[i:j] in b:
            best, j = j - i, j + 1
    return best
