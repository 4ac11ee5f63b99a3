"""What a question's wording asks of its answer sentence, beyond a type:
the year a which-year question wants, the role a who-question names, the
members a which-ones question wants (beside the count it restates), the
part of a whole a number question asks.  Each is a strong miss in
``evidence.evidence_misses`` when the sentence lacks it (``places.py``
holds the place a which-city question wants).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..text.normalize import is_english, simple, to_simplified
from ..text.numerals import chinese_numeral
from ..text.qtype import QUESTION_WORDS, ROLE_PATTERN, qtype
from ..text.spans import date_spans, quoted_spans
from ..text.terms import DISCOURSE

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
    >>> role_fits("总干事建议，要到基层和谁沟通", "他建议去基层与渔会、渔民沟通")
    True
    >>> role_fits("交给哪位政务委员", "反映给未来规划的张景森政委"), role_fits("省委书记是谁", "举办全省书画展")
    (True, False)
    """
    question = to_simplified(question)
    if qtype(question) != "person":
        return True
    text = terms if is_english(question) else _asking_clause(question)
    # a 委员 compound is also written by the first character of each half: 政务委员, 政委; 常务委员, 常委
    roles = [(m.group(), text[max(0, m.start() - 2):m.start()]) for m in _ROLE_RE.finditer(text)]
    plain = simple(sentence)
    return not roles or any(r in plain or r == "委员" and len(pre) == 2 and pre[0] + "委" in plain for r, pre in roles)


_WHO = re.compile(r"谁|何人|哪一?位|哪几位|哪些人|名字|姓名|叫什么")


def _asking_clause(question: str) -> str:
    """The clause of a Chinese question that holds its question word: a role in
    another clause is who acts (总干事建议，…和谁沟通), not whose holder is asked.

    >>> _asking_clause("全国渔会总干事建议，不论是否开放，都要和谁沟通？"), _asking_clause("科协现任主席是谁")
    ('都要和谁沟通？', '科协现任主席是谁')
    >>> _asking_clause("那么，科协的主席，是哪一位？")
    '科协的主席，是哪一位？'
    """
    clauses = re.split(r"(?<=[，,；;：:])", question)
    i = next((i for i, c in enumerate(clauses) if _WHO.search(c)), None)
    if i is None:
        return question
    # 科协主席，是谁: a clause that is nothing but its question word asks of the topic before it
    bare = len(re.sub(r"[\W_]|" + _WHO.pattern + r"|是|叫|的", "", clauses[i])) == 0
    return "".join(clauses[i - 1:i + 1]) if bare and i else clauses[i]


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
_DEFINES = re.compile(r"[”」』\"]?[^，。；,;]{0,6}?(?:是指|指的是|即|包括|包含|分别是|分别为)")
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
_PEOPLE = (r"民众|群众|居民|村民|市民|农民|渔民|公众|学者|专家|人员|人士|朋友|家属|员工|同仁|成员|志愿者|老师|学生|"
           r"员警|警察|消防员|义消|义警|与会者")
_PEOPLE_GROUP = re.compile(r"代表|团体|" + _PEOPLE)
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


# Measures that come in opposite pairs: a sentence giving one does not
# answer a question asking the other (一般公共预算支出 is not 收入).
_CONTRASTS = (("收入", "支出"), ("进口", "出口"), ("最高", "最低"), ("男性", "女性"), ("出生", "死亡"),
              ("盈利", "亏损"), ("顺差", "逆差"))


_TRADE_MEASURE = r"(?:总?额|总值|值|量|规模|增长|增速|下降|贸易)"


def contrast_fits(question: str, sentence: str, bridged: bool = False) -> bool:
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

    An English question is checked through its bridged terms (``Query.lexical``, ``bridged``):

    >>> contrast_fits("广东 总额 一般公共预算支出 2025", "一般公共预算收入达到8500亿元", True)
    False

    Imports plus exports, bridged, ask the whole; exports alone do not:

    >>> contrast_fits("外贸 进口 加上 出口 增长", "进出口总额增长5%", True), contrast_fits("出口 增长", "进出口总额增长5%", True)
    (True, False)
    >>> contrast_fits("广东 出口 是多少", "进出口总额5万亿元")  # a Chinese question with a space is read whole
    True
    """
    if is_english(question):
        return True
    # Bridged terms are read one by one: joined, 进口 加上 出口 增长 (imports plus
    # exports grew) read as 出口增长, exports alone; a bare bridged 出口 asks exports.
    words = [simple(w).replace("进出口", "") for w in (question.split() if bridged else [question])]
    q, s = " ".join(words), simple(sentence).replace("进出口", "")
    # 出口额 asks the part (not 进口博览会, 高速公路出口); both asked (imports plus exports) is the whole.
    asked = [p for p in ("进口", "出口") if any(bridged and w == p or re.search(p + _TRADE_MEASURE, w) for w in words)]
    if re.search("进出口" + _TRADE_MEASURE, simple(sentence)) and len(asked) == 1 and asked[0] not in s:
        return False
    return not any((a in q and b not in q and b in s and a not in s) or (b in q and a not in q and a in s and b not in s)
                   for a, b in _CONTRASTS)


# 「X中，Y有多少」 asks for a part Y of a whole X the question names by a
# figure (1800名职工中) or as a total (进出口总额中); not a span of time or a
# setting (工作中, 会议中, 多少公里的).
_PART = re.compile(r"([^，,。？?]{2,}?)(?<![公千万])(?:之中|当中|中|里)(?:[，,]\s*|(?=有|的|占))([^？?。]{2,})")
_WHOLE = re.compile(r"\d[\d.]*\s*[万亿]?[^\d\s年月日号.]|总[额量数值和]|总收入|总规模|合计|吞吐量")
_SHARE_WORDS = re.compile(r"多大|比例|比重|占比")


@lru_cache(maxsize=1024)
def asked_part(question: str) -> tuple[str, ...]:
    """The words of the part a number question asks of a whole it names; () if it names none.

    >>> asked_part("去年进口总额中，汽车进口额是多少？"), asked_part("1200名职工中有多少名工程师")
    (('汽车', '进口额'), ('工程师',))
    >>> asked_part("2025年工作中，新增就业多少人？"), asked_part("今年新建多少公里的城际铁路？")
    ((), ())
    """
    import jieba

    m = _PART.search(simple(question))
    if m is None or not _WHOLE.search(m.group(1)) or qtype(question) != "number":
        return ()
    return tuple(w for w in jieba.lcut(m.group(2)) if len(w) > 1 and not QUESTION_WORDS.fullmatch(w)
                 and w not in DISCOURSE and not _SHARE_WORDS.fullmatch(w))


def part_fits(question: str, sentence: str) -> bool:
    """A figure of a whole does not answer a question about a part of it:
    the part's words must be in the sentence, two of them side by side
    (汽车进口额, not 汽车 and 进口 apart), or one of three characters or more.

    >>> part_fits("1200名职工中，女职工有多少人？", "全厂职工1200名，其中技术人员300名")
    False
    >>> part_fits("进口总额中，汽车进口额是多少？", "进口总额达500亿元，其中汽车进口额80亿元")
    True
    >>> part_fits("进口总额中，汽车进口额是多少？", "进口总额达500亿元，汽车产量增长5%")
    False
    """
    words = asked_part(question)
    if not words:
        return True
    text = simple(sentence)
    if len(words) == 1:
        return words[0] in text
    return any(a + b in text for a, b in zip(words, words[1:])) or any(len(w) > 2 and w in text for w in words)


# Who-questions in reports are answered by groups and offices as often as by
# names (由谁管理 → 由钓鱼团体自治管理; 让哪些人 → 民意代表), and by the holders
# of roles (主持人, 提案人, 总干事).  An office's 署/局/厅/院 ends a name of two or
# more characters, but not 格局, 部署, 大局 or 局面.
_AGENT = re.compile(r"代表(?!性)|团体|政府|单位(?![A-Za-z])|机关|部门|机构|组织(?!开展|实施|召开|举办|动员|引导)|"
                    r"协会|学会|工会|公司|企业|集团|银行|大学|学院|医院|法院|委员会|" + _PEOPLE +
                    r"|官员|领导|干部|业者|主管|主持人|提案人|记者|厂商|" + ROLE_PATTERN +
                    r"|(?<=[\u4e00-\u9fff]{2})(?<![格布部签连大全开变结出])[署局厅院](?![面势])")


def names_agent(question: str, sentence: str) -> bool:
    """Whether ``sentence`` names a group, office or role the question does not (Simplified text).

    >>> names_agent("垂钓区由谁来自治管理？", "由钓鱼团体自治管理"), names_agent("这些人员由谁安排？", "人员已经到位")
    (True, False)
    >>> names_agent("谁提出了这个问题？", "卫生局回应，目前草案很多"), names_agent("谁负责？", "全部完成")
    (True, False)
    >>> [names_agent("谁来落实？", s) for s in ("优化产业布局，加快部署", "开创新局面，具有代表性", "主持人宣布开会")]
    [False, False, True]
    """
    return any(m.group() not in question for m in _AGENT.finditer(sentence))
