"""Which-ones questions: whether a sentence lists the members a question asks for
(哪些, 哪几, 分别, "which two"), beside the count it restates (这18个渔港).
A strong miss in ``evidence.evidence_misses`` when it does not.
"""
from __future__ import annotations

import re

from ..text.normalize import is_english, to_simplified
from ..text.numerals import chinese_numeral
from ..text.spans import quoted_spans

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
_DEFINES = re.compile(r"[”」』\"]?[^，。；,;]{0,6}?(?:是指(?!导)|指的是|即(?![将使便刻时])|包括|包含|分别是|分别为)")
_QUOTED_PAIR = r"[”》」]\s*[和与與及、]?\s*[“《「]"  # 「甲」与「乙」: quoted names one after another
# 或 alone between two words (漁民或遊客), not the 或 of maybe (或许, 或将, 营收或达, 或致) nor 不可或缺, 或多或少
_LIST = re.compile(r"[、；]|" + _QUOTED_PAIR + r"|\d\s*[—–-]\s*\d|以及(?![时早])|或者|或是|"
                   r"(?<=[\u4e00-\u9fff])(?<![多少可])或(?=[\u4e00-\u9fff])(?![许許将將已达達致超有可能缺称稱是多少])")


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
    >>> lists_fit("还有哪些人", "漁民或遊客也可能丟擲垃圾"), lists_fit("还有哪些人", "或许不可或缺")
    (True, False)
    >>> lists_fit("是要收集哪些人的意见", "蒐集線上觀看直播民眾的意見"), lists_fit("有哪些单位参加", "市科协参加")
    (True, False)
    >>> lists_fit("哪些人获得了表彰", "公司营收增长5%"), lists_fit("有哪些人出席了会议", "市政府发布通知")
    (False, False)
    >>> lists_fit("“双千”计划具体是指做哪两件事", "“双千”计划是指面向共建“一带一路”国家实施千项合作项目、开展千名青年科学家交流")
    True
    """
    question = to_simplified(question)
    if not _ENUMERATION.search(question):
        return True
    counted = _counted_list(question, to_simplified(sentence))
    if counted is not None:
        return counted
    if _WHO_SET.search(question) and any(m.group() not in question
                                         for m in _PEOPLE_GROUP.finditer(to_simplified(sentence))):
        return True  # 收集哪些人的意见 → 直播民众的意见: one group of people answers a which-people question
    # The members sit next to the name the question quotes: look only around it.
    for a, b in quoted_spans(question):
        at = sentence.find(question[a:b])
        # (unless the sentence defines the name: “双千”计划是指…A、B lists its members however far on)
        if at >= 0 and not _DEFINES.match(sentence, at + b - a):
            sentence = sentence[max(0, at - _LIST_WINDOW):at + (b - a) + _LIST_WINDOW]
            break
    # two members are joined by 和/与/及 (教育部和财政部), more by 、
    return bool(_LIST.search(sentence) or (_TWO.search(question) and re.search("[和与與及]", sentence)))


_WHO_SET = re.compile(r"哪些(?:人|群体|团体)")
# Groups of people (not offices or companies, which answer 哪些单位).
PEOPLE = (r"民众|群众|居民|村民|市民|农民|渔民|公众|学者|专家|人员|人士|朋友|家属|员工|同仁|成员|志愿者|老师|学生|"
           r"员警|警察|消防员|义消|义警|与会者")
_PEOPLE_GROUP = re.compile(r"代表|团体|" + PEOPLE)
_TWO = re.compile(r"哪两|\b(?:which|what) two\b|\btwo\b", re.I)
# A count and its measure word as a question restates it (这18个渔港, 哪三大算力圈):
# a measure word, not any character (长三角, 四川, 十四五, 百强 are no counts).
_MEASURE = "个家项条座所名位批类种处只件户场大"
_NUMERAL_BEFORE = r"(?<![\d.第一二三四五六七八九十百千万])"
# the count the question asks about follows 哪/这/那/的 or opens it (哪三家, 这18个, 试点的12个镇, 8条线路是哪几条);
# 「五个中心」 is a name
_COUNT = re.compile(r"(?:(?<=[哪这那的])|^)\s*(\d+|[两二三四五六七八九十]+)\s*([" + _MEASURE + r"])(\w?)")
_FIGURE = re.compile(r"\b(?:which|what|these|those)\s+(\d+|two|three|four|five|six|seven|eight|nine|ten)(?![\w.])", re.I)
_NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# Two members of two or more characters each: 市、区 in 县（市、区） is a kind, not the members.
_MEMBERS = re.compile(r"[^、，。；：\s（）()]{2,}\s*、\s*[^、，。；：\s（）()]{2,}|" + _QUOTED_PAIR)
_NAMES_THEM = re.compile(r"[:：（(]|分别|包括|包含|如|即|为|是|有")
# A clause that goes on to name the members: 18个渔港，分别为甲港、乙港
_GOES_ON = re.compile(r"[，,]\s*(?:分别[是为]|包括|即|为|有)")


def _english_count(figure: str) -> str:
    """A pattern for an English count as a report writes it: four → 4 or 四.

    >>> _english_count("four"), _english_count("two"), _english_count("18")
    ('(?:4|四)', '(?:2|两)', '18')
    """
    if figure.isdigit():
        return figure
    n = _NUMBER_WORDS.index(figure.lower()) + 2
    return f"(?:{n}|{'两' if n == 2 else chinese_numeral(n)})"


def _restated(question: str, sentence: str):
    """Where the sentence restates a count of the question: its positions."""
    english = is_english(question)
    for m in (_FIGURE if english else _COUNT).finditer(question):
        if english:
            pattern = _NUMERAL_BEFORE + _english_count(m.group(1)) + r"\s*[" + _MEASURE + "]"
        else:  # the measure word and the noun after it (三大算力圈 is not 三大产业)
            pattern = _NUMERAL_BEFORE + re.escape(m.group(1)) + r"\s*" + re.escape(m.group(2) + m.group(3))
        yield from (at.start() for at in re.finditer(pattern, sentence))


def _names_them(lead: str, next_member: str) -> bool:
    """Whether a naming word before a 、 opens a list, not the first of parallel clauses
    (以科技馆为龙头、8条线路为支撑、N个基地为触角: each clause has its own 为).

    >>> _names_them("3个镇，分别为甲镇", "乙镇"), _names_them("8条科普研学线路为支撑", "N个基层科普基地为触角的矩阵")
    (True, False)
    """
    words = _NAMES_THEM.findall(lead)
    return bool(words) and words[-1] not in next_member


def _counted_list(question: str, sentence: str) -> bool | None:
    """Where the sentence restates the question's count (which 12 towns), its members stand beside it.

    They end the count's clause (甲镇、乙镇等12个镇) or follow it in the
    same clause or the next that goes on to name them (12个镇：甲镇、乙镇;
    12个镇，分别为甲镇、乙镇); a list in another clause is of something
    else.  None: the sentence does not restate the count.

    >>> _counted_list("这12个镇分别是哪些", "全县36个甲类、乙类乡镇中，有12个镇开展试点")
    False
    >>> _counted_list("这3个镇分别是哪些", "甲镇、乙镇和丙镇等3个镇开展试点"), _counted_list("哪3个镇", "新增3个镇：甲镇、乙镇、丙镇")
    (True, True)
    >>> _counted_list("这3个镇分别是哪些", "3个镇开展试点，分别为甲镇、乙镇、丙镇")
    True
    >>> _counted_list("这3个镇分别是哪些", "3个镇开展试点"), _counted_list("这3个镇分别是哪些", "甲、乙两镇试点")
    (False, None)
    >>> _counted_list("这3个新药是哪几种", "甲、乙技术走向应用，3个新药获批上市、数量居前列")
    False
    >>> _counted_list("8条科普研学线路具体是哪几条", "以科技馆为龙头、8条科普研学线路为支撑、N个科普基地为触角")
    False
    >>> _counted_list("长三角有哪些城市", "长三角城市群扩容"), _counted_list("2024年完成了哪些任务", "2024年，完成甲、乙任务")
    (None, None)

    An English question's count is the figure or number word it asks about
    (which four stations), never a year nor part of a larger numeral (十四个):

    >>> _counted_list("Which 12 towns piloted it?", "2019年，全县仅有12个镇试点")
    False
    >>> _counted_list("Which four stations?", "建有工作站4家,分站7家"), _counted_list("Which four?", "十四个站建成")
    (False, None)
    >>> _counted_list("Which two of the four zones?", "4个片区试点") is None
    True
    """
    restated = False
    for at in _restated(question, sentence):
        restated = True
        before = re.split(r"[，。；：,;:]", sentence[:at])[-1]
        clauses = re.split(r"(?=[，,])|[。；;]", sentence[at:])
        after = clauses[0] + (clauses[1] if len(clauses) > 1 and _GOES_ON.match(clauses[1]) else "")
        # two members may be joined by 与/和 (科技与法治两手)
        pair = sentence[at] in "两二2" and re.search("[和与及]", before + after)
        # after the count, members follow a colon or a word that names them (12个镇：甲镇、乙镇); a 、
        # between two predicates (4个创新药获批上市、数量居全国前列) lists nothing
        named = (m := _MEMBERS.search(after)) and ("、" not in m.group()  # quoted names list themselves
                                                   or _names_them(after[:m.start() + m.group().find("、")],
                                                                  m.group().split("、", 1)[1]))
        if _MEMBERS.search(before) or named or pair:
            return True
    return False if restated else None
