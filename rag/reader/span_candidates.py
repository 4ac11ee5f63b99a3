"""Which spans of a sentence may answer a question (not a figure the question
states, an edition, a ranking's name or a phase nobody asked for), and how far a
number span reaches (突破30万人次, 1285万吨以上, 4.5%—5%).  ``span.py`` ranks them.
"""
from __future__ import annotations

import re

from ..text.normalize import simple
from ..text.numerals import english_figures, span_value, without_separators
from ..text.spans import NUMBER_PATTERN, candidate_spans, matchable

# A rank asked for (排第几, what place) is answered by an ordinal (第一, 第5位, 首位), not a count.
_ASKS_RANK = re.compile(r"第几|排名(?:多少|如何)|名列|\bwhat (?:place|position)\b|\brank(?:ed|s|ing)?\b", re.I)
_ORDINAL = re.compile(r"(?:(?:全国|全省|全市|全区|全球|世界)(?:排名|排|居|位居|位列|列)?)?"
                      r"(?:第\s*[一二三四五六七八九十百\d]+\s*[位名届次批轮期个]?|首位|榜首)")

# A ranking's name (中国企业500强, 百强县) is no count: the number right before 强, with no unit.
_TOP_N = re.compile(r"[\d一二三四五六七八九十百千]+")
# A project's phase (机场三期, 基金二期, 一期工程) is part of its name, not an amount.
_PHASE = re.compile(r"[一二三四五六七八九十]+\s*期")
_ASKS_PHASE = re.compile(r"[几多少]期|第.{0,3}期|哪一?期|\bphases?\b|\bstages?\b", re.I)


def candidates_of(question: str, kind: str, sentence: str, subject: str, strict: bool) -> list[tuple[int, int]]:
    """Spans that could answer: not one the question states (1200名 in 这1200名学生中),
    nor an edition (第八届) or a ranking's name (500强) when no rank is asked, nor a phase (三期) when none is asked,
    nor a person named in the title (``_in_title``).

    >>> s = "机场三期扩建投资120亿元"
    >>> [s[a:b] for a, b in candidates_of("机场扩建投资多少？", "number", s, "", True)]
    ['120亿元']
    >>> [s[a:b] for a, b in candidates_of("扩建的是机场第几期？", "number", s, "", True)]
    ['三期', '120亿元']
    >>> [s[a:b] for a, b in candidates_of("规划期间机场扩建投资多少？", "number", s, "", True)]
    ['120亿元']
    >>> s = "7家地方国企进入中国企业500强，扛过9轮强降雨"
    >>> [s[a:b] for a, b in candidates_of("有多少家企业？", "number", s, "", True)]
    ['7家', '9轮']
    """
    q = _as_stated(question)
    ordinal = kind == "number" and not _ASKS_RANK.search(question)
    phase = kind == "number" and not _ASKS_PHASE.search(question)
    figures = english_figures(question) if kind == "number" else frozenset()
    spans = [sp for sp in candidate_spans(kind, sentence)
             if _as_stated(sentence[sp[0]:sp[1]]) not in q and not sentence.startswith("来", sp[1])
             and not (figures and span_value(sentence[sp[0]:sp[1]]) in figures)
             and not (kind == "person" and _in_title(sentence[sp[0]:sp[1]], subject))
             and not (ordinal and (sentence[:sp[0]].rstrip().endswith("第") or _top_n(sentence, sp)))
             and not (phase and _PHASE.fullmatch(sentence[sp[0]:sp[1]]))]
    if not strict and _ASKS_RANK.search(question):
        # Only the span shown: whether some span answers (a reader feature) stays as it was.
        spans = [m.span() for m in _ORDINAL.finditer(sentence)] or spans
    return spans


def _top_n(sentence: str, span: tuple[int, int]) -> bool:
    return sentence.startswith("强", span[1]) and bool(_TOP_N.fullmatch(sentence[span[0]:span[1]]))


def _in_title(name: str, title: str) -> bool:
    """Whether a title names ``name`` as part of what it is about (黄石 in
    黄石市科协工作综述, tagged a name), which then answers no who-question;
    a title that is the person (伽利略, 保罗·狄拉克 for 狄拉克, 张明远同志先进事迹)
    makes a document about them.  Compared in Simplified script.

    >>> _in_title("黄石", "黄石市科协工作综述"), _in_title("伽利略", "伽利略"), _in_title("狄拉克", "保羅·狄拉克")
    (True, False, False)
    >>> _in_title("張明遠", "张明远同志先进事迹材料"), _in_title("张明远", "推荐张明远等人的报告")
    (False, True)
    """
    name, title = simple(name), re.sub(r"[（(][^）)]*[）)]", "", simple(title)).strip()
    about = title == name or title.endswith("·" + name) or title.startswith(name + "同志")
    return name in title and not about


def _as_stated(text: str) -> str:
    """``text`` as a question would state it: no spaces nor separators, people counted in 人.

    >>> _as_stated("1,200 名"), _as_stated("这所学校1200位教师中")
    ('1200人', '这所学校1200人教师中')
    """
    return re.sub(r"[名位]", "人", without_separators(simple(text)))


# Words that make a figure approximate or a bound, or say how long it held:
# 突破30万人次 is not 30万人次, nor 1285万吨以上 1285万吨, nor 一年半 一年.
_QUALIFIER = re.compile(r"(?:突破|超过|超出|超|逾|将近|接近|近|约|大约|不足|不到|不少于|至少|最高|最多|连续)$")
# ...and a range's other end (4.5%—5%) or a ratio's (2.27:1) belongs with it.
_QUALIFIER_AFTER = re.compile(rf"\s*[—–~～-]\s*{NUMBER_PATTERN}|(?<=\d)(?:[:∶/]\d+(?:\.\d+)?)+(?![\d.])|以上|以下|以内|左右|"
                              r"上下(?![游班级])|之多|半(?![导数径岛价场])")


def with_qualifier(sentence: str, span: tuple[int, int]) -> tuple[int, int]:
    """Widen a number span over a qualifier right before or after it.

    >>> s = "年均参观量突破30万人次，粮食产量1285万吨以上，培训一年半，增长4.5%—5%，收入比2.27:1，超300万名，4.0∶37.7∶58.3"
    >>> [s[slice(*with_qualifier(s, (s.index(n), s.index(n) + len(n))))] for n in ["30万人次", "1285万吨", "一年", "4.5%",
    ...                                                                           "2.27", "300万名", "4.0"]]
    ['突破30万人次', '1285万吨以上', '一年半', '4.5%—5%', '2.27:1', '超300万名', '4.0∶37.7∶58.3']
    >>> r = "约占全国1/10"
    >>> r[slice(*with_qualifier(r, (4, 5)))]
    '1/10'
    >>> t = "新增就業3萬—5萬，措施有3条：1.加强，引进100家半导体企业，带动200家上下游企业"
    >>> [t[slice(*with_qualifier(t, (t.index(n), t.index(n) + len(n))))] for n in ["3萬", "3条", "100家", "200家"]]
    ['3萬—5萬', '3条', '100家', '200家']
    """
    text = matchable(sentence)  # 3萬—5萬 is a range as 3万—5万 is (same offsets)
    m = _QUALIFIER.search(text, 0, span[0])
    after = _QUALIFIER_AFTER.match(text, span[1])
    return (m.start() if m else span[0]), (after.end() if after else span[1])
