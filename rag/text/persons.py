"""Person names in report text: tagged names with a surname, transliterated
names joined by dots, and a name a role introduces (网友张执法).

Offsets are the text's own: tagging runs on the Simplified form, which has
the same length.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .qtype import ROLE_PATTERN
from .spans import matchable

# The commonest Chinese surnames (about 85% of the population), then some
# fewer (俞, 施, 倪...) whose bearers a report names as often.
SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
                     "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
                     "毛郝龚邵万钱严覃武戴孔向汤聂桂"
                     "俞殷柯翁祝葛庞倪施洪乔温骆邢裴鲁章岳霍凌")


_DOTS = "·‧•・"


def _transliterated(words: list) -> list[tuple[int, int]]:
    """Transliterated names, words joined by dots (the first of two or more
    characters), the last of which the tagger calls a name: 查尔斯·派尔, 理查·欧文 (理查 a
    verb to the tagger), 约翰·洛吉·贝尔德; not 开发区·铁山区 (places), nor
    a place or organisation before the dot (武汉·黄鹤楼), nor a chain inside
    a book title (《史记·项羽本纪》).

    >>> ws = [("理查", "v"), ("·", "x"), ("欧文", "nz"), ("发现", "v"), ("开发区", "n"), ("·", "x"), ("铁山区", "nr")]
    >>> _transliterated(ws)
    [(0, 5)]
    """
    words = [(w, f) for w, f in words]  # jieba's pairs unpack but do not index
    spans, pos, starts = [], 0, []
    for word, _ in words:
        starts.append(pos)
        pos += len(word)
    part = [bool(_NAME_PART.fullmatch(w)) for w, _ in words]
    titled = _in_titles("".join(w for w, _ in words))
    i = 0
    while i < len(words):
        j = i
        while part[j] and j + 2 < len(words) and words[j + 1][0] in _DOTS and part[j + 2]:
            j += 2
        chain = words[i:j + 1:2]
        if (j > i and (chain[-1][1].startswith("nr") or chain[-1][1] == "nz") and len(chain[0][0]) > 1
                and not chain[0][1].startswith(("ns", "nt"))
                and not any(w[-1] in _PLACE_END for w, _ in chain) and not titled[starts[i]]):
            spans.append((starts[i], starts[j] + len(words[j][0])))
        i = j + 1
    return spans


def _in_titles(text: str) -> list[bool]:
    """For each character of ``text``, whether it stands inside 《…》."""
    inside, depth = [], 0
    for ch in text:
        depth += ch == "《"
        inside.append(depth > 0)
        depth = max(0, depth - (ch == "》"))
    return inside


_NAME_PART = re.compile(r"[\u4e00-\u9fff]{1,6}")
_PLACE_END = set("区市县省镇乡村州路街")


@lru_cache(maxsize=16384)  # the same corpus sentences come back question after question
def person_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Person names: jieba's ``nr`` words of 2-3 characters starting with a surname.

    The tagger alone calls words such as 齐聚 names; the surname check keeps
    what a reader would take for a name.

    >>> t = "推荐华新水泥王加军、大冶特钢刘光辉荣获称号"
    >>> u = "參謀總長陳誠向三中全會報告"
    >>> [t[a:b] for a, b in person_spans(t)], [u[a:b] for a, b in person_spans(u)]
    (['王加军', '刘光辉'], ['陳誠'])
    >>> v = "商人查尔斯·派尔建立了首个职业网球巡回赛"
    >>> [v[a:b] for a, b in person_spans(v)]
    ['查尔斯·派尔']
    >>> w = "網友張執法在 Join 平台提案，省长孟凡利作报告"  # 张/执法 to the tagger; a role names them
    >>> [w[a:b] for a, b in person_spans(w)]
    ['張執法', '孟凡利']
    """
    import jieba.posseg as pseg

    # Tag the Simplified form (same length, so same offsets): the tagger and
    # the surname list are Simplified, and 劉光輝 is as much a name as 刘光辉.
    words = pseg.lcut(matchable(text))
    chains = _transliterated(words)
    found = list(_person_spans(words, chains))
    found = [sp for sp in found if sp in chains or not any(a <= sp[0] and sp[1] <= b for a, b in chains)]
    titled = [sp for sp in _titled(text, words) if not any(a < sp[1] and sp[0] < b for a, b in found)]
    return tuple(sorted(found + titled))


# A role or appellation right before a surname and one or two characters,
# then a word that ends a name (网友张执法在): a name the tagger splits into
# common words.  Only where the tagger did split it there: the surname a word
# of its own, neither preposition nor verb (省长向大会作, 教授武术, 市长江大桥
# are no names).
_TITLED = re.compile(rf"{ROLE_PATTERN}\s?([{''.join(sorted(SURNAMES))}][\u4e00-\u9fff]{{1,2}}?)"
                     r"(?=在|说|表示|提出|指出|认为|强调|介绍|作|的|等|、|，|,|。|：|:|（|\(|\s|$)")


def _titled(text: str, words: list):
    tags, pos = {}, 0
    for word, flag in words:
        tags[pos] = (word, flag)
        pos += len(word)
    for m in _TITLED.finditer(matchable(text)):
        word, flag = tags.get(m.start(1), ("", ""))
        if len(word) == 1 and not flag.startswith(("p", "v")):
            yield m.span(1)


_ROLE_BEFORE = re.compile(rf"{ROLE_PATTERN}\s?$")


def _common_words() -> frozenset[str]:
    """CC-CEDICT's common words (杜绝 "to put an end to", 高峰), kept in the cache folder by ``terms``."""
    from .terms import common_words  # terms reads this module's surnames

    return common_words()


def _person_spans(words: list, chains: list[tuple[int, int]]):
    """The tagger's names that start with a surname, and a surname split from its given name.
    The tagger's dictionary calls some verbs names (杜绝); a common word of CC-CEDICT is none
    unless a role or title stands right before it (副市长高峰, 主席田野).

    >>> import jieba.posseg as pseg
    >>> words = pseg.lcut("或是杜绝表演活动，推荐王加军，副市长高峰出席")
    >>> ["".join(w for w, _ in words)[a:b] for a, b in _person_spans(words, [])]
    ['王加军', '高峰']
    """
    pos, text = 0, "".join(w for w, _ in words)
    yield from chains  # a tagged name inside one (马丁 in 马丁·路德·金) is dropped by person_spans
    for i, (word, flag) in enumerate(words):
        if flag.startswith("nr") and 2 <= len(word) <= 3 and word[0] in SURNAMES \
                and not (word in _common_words() and not _ROLE_BEFORE.search(text, max(0, pos - 8), pos)):
            yield pos, pos + len(word)
        elif len(word) == 1 and word in SURNAMES and i + 1 < len(words):
            # The tagger sometimes splits a surname from its given name (刘 / 光辉).
            given, given_flag = words[i + 1]
            if given_flag.startswith("nr") and len(given) <= 2:
                yield pos, pos + 1 + len(given)
        pos += len(word)


# Asking who holds a role (会长是谁, who is the party secretary) asks for a name.
_ROLES_EN = (r"(?:chair\w*|president|secretary|director|head|mayor|governor|leader|captain|minister|"
             r"professor|premier|commissioner|spokes(?:man|woman|person))")
_HOLDER_EN = re.compile(r"\b" + _ROLES_EN + r"\b", re.I)


def asks_holder(question: str) -> bool:
    """Whether a question names a role whose holder it may ask for; not a role
    that only reports what the question asks about (总干事说，是哪些人担心…).

    >>> asks_holder("协会现任会长是谁"), asks_holder("差额由谁来支付"), asks_holder("Who chairs the board?")
    (True, False, True)
    >>> asks_holder("全国渔会总干事说，是哪些人担心冲突？"), asks_holder("According to the secretary-general, who worries?")
    (False, False)
    """
    question = _SOURCE_EN.sub(" ", _SOURCE.sub("", matchable(question)))
    return bool(re.search(ROLE_PATTERN, question) or _HOLDER_EN.search(question))


# The role as the source of what is asked: 总干事说/指出, according to the secretary-general.
_SOURCE = re.compile(ROLE_PATTERN + r"(?:[^，,。？?谁]{0,4}?)(?:说|表示|指出|认为|提到|(?<!名)称|强调|提醒|回应|坦言|透露)")
_SOURCE_EN = re.compile(r"\baccording to (?:the |a |an )?(?:[\w'-]+ ){0,4}?" + _ROLES_EN + r"\b", re.I)
