"""Which-place questions: a question asking which city, county or district
wants a sentence that names one it does not already name.

A report often mentions the event or project a question is about without
saying where it is (「办好第十七届省运会」 for 「省运会在哪个城市举办」),
and such a sentence otherwise matches the question well.  Places are the
sentence's words that CC-CEDICT glosses as a city, county, district,
prefecture, province or town (博罗: "Boluo county in Huizhou"), or that
end in 市/县/区/省/镇 with a name before it (阳新县, 大冶市; not 城市, 大城市).

>>> place_fits("草里渔港位于新北市哪个区？", "新北市政府主动提出以草里渔港作为示范渔港")
False
>>> place_fits("惠州哪个县的生产总值突破了千亿元？", "惠州博罗成为全省首个千亿县")
True
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..text.cedict import cedict_entries
from ..text.normalize import is_english, simple

_ASKS_PLACE = re.compile(r"哪(?:一?个|一?座|一|几个)?(?:城市(?!群)|县市|市(?![场民值])|区(?!域)|县|省|镇|乡)|"
                         # which city, which Guangdong city, which two cities; not "what kind of city"
                         # nor "What is Taipei City Fire Department…"
                         r"\b(?:which|what) (?:(?!(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could|should|"
                         r"the|a|an|this|that|these|those|of|kind|type|sort|proportion|share|percentage|number|part)\b)"
                         r"[\w'-]+ ){0,2}?"
                         r"(?:city|cities|district|county|province|town)(?![\w-])", re.I)
_PLACE_GLOSS = re.compile(r"\b(?:city|county|district|prefecture|province|town|township)\b", re.I)
_SUFFIX = tuple("市县区省镇")
# Two-character words (城市, 全市, 地区) are never taken for places; longer generic ones are listed.
_GENERIC = frozenset("同城市 大城市".split())


def asks_place(question: str) -> bool:
    """Whether the question asks which city, county, district or province.

    >>> [asks_place(q) for q in ("在哪个城市举办", "Which district is it in?", "哪些城市入选", "城市有多少个")]
    [True, True, False, False]
    >>> asks_place("新机场建在哪一個城市？"), asks_place("在哪一个市场销售"), asks_place("分别设在哪几个城市")
    (True, False, True)
    >>> asks_place("What province-wide strategy?"), asks_place("In which Guangdong city is it held?")
    (False, True)
    >>> asks_place("What kind of city is it?"), asks_place("What is Taipei City Fire Department doing?")
    (False, False)
    >>> [asks_place(q) for q in ("What did the province achieve?", "What proportion of cities met it?", "Which two cities?")]
    [False, False, True]
    """
    return bool(_ASKS_PLACE.search(question if is_english(question) else simple(question)))


@lru_cache(maxsize=1)
def gazetteer() -> frozenset[str]:
    """CC-CEDICT's proper nouns whose first gloss calls them a city, county,
    district, prefecture, province or town."""
    return frozenset(word for word, pinyin, glosses in cedict_entries()
                     if len(word) > 1 and pinyin[:1].isupper() and _PLACE_GLOSS.search(glosses.split("/")[0]))


@lru_cache(maxsize=16384)  # the same corpus sentences come back question after question
def places(sentence: str) -> frozenset[str]:
    """The places a sentence names.

    >>> sorted(places("阳新县、大冶市和崇明的城市建设"))
    ['大冶市', '崇明', '阳新县']

    A word ending in 区 the tagger calls a common noun is a kind of area, not a place:

    >>> sorted(places("建设高速公路服务区和经济开发区，浦东新区率先试点"))
    ['浦东新区']

    Nor is a common word that CC-CEDICT also lists as a county (资源: Ziyuan):

    >>> sorted(places("统筹资源，支持攀枝花建设"))
    ['攀枝花']
    """
    import jieba.posseg as pseg

    return frozenset(w for w, flag in pseg.lcut(simple(sentence))
                     if w in gazetteer() and not (w in _common_words() and flag in _COMMON_TAGS)
                     or (len(w) > 2 and w.endswith(_SUFFIX) and w not in _GENERIC and flag != "n"))


# A county's name that is also a common word (资源 Ziyuan, 友好 Youhao, 成功) is a place
# only where the tagger does not read it as a noun, verb or adjective (攀枝花 stays).
_COMMON_TAGS = frozenset("n v vn a ad an d".split())


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """CC-CEDICT headwords with a common (lower-case pinyin) entry."""
    return frozenset(word for word, pinyin, _ in cedict_entries() if pinyin[:1].islower())


def place_fits(question: str, sentence: str, terms: str = "") -> bool:
    """True unless the question asks which place and the sentence names none
    it does not already name; an English question's names are in ``terms``."""
    if not asks_place(question):
        return True
    named = simple(terms) if is_english(question) else simple(question)
    return any(p not in named for p in places(sentence))
