"""What a question's wording asks of its answer sentence, beyond a type:
the year a which-year question wants, the role a who-question names, the
part of a whole a number question asks (``lists.py``: the members a
which-ones question wants).  Each is a strong miss in
``evidence.evidence_misses`` when the sentence lacks it (``places.py``
holds the place a which-city question wants).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..text.normalize import is_english, simple, to_simplified
from ..text.qtype import QUESTION_WORDS, ROLE_PATTERN, qtype
from ..text.spans import date_spans
from ..text.terms import DISCOURSE
from .lists import PEOPLE

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
                    r"协会|学会|工会|公司|企业|集团|银行|大学|学院|医院|法院|委员会|" + PEOPLE +
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
