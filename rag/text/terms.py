"""Question terms: what a question is about, and which of it a passage lacks.

The reader's lexical signal and its evidence checks both start here:
``content`` strips question words, ``grams`` gives characters and bigrams,
``missing_terms`` lists the names, numbers and nouns of a question that a
passage does not contain.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .normalize import has_cjk, is_english, simple
from .numerals import ORDINAL_RE, SCALED_RE, chinese_amount, without_separators, written_as_numeral, written_otherwise
from .persons import SURNAMES
from .qtype import QUESTION_WORDS


@lru_cache(maxsize=4096)  # asked of one question for each of its candidates
def content(question: str) -> str:
    """The question without question words and function words.

    Whole words are dropped, never characters inside a word: 请 goes from
    请问 but stays in 邀请, 对 stays in 对接.

    >>> content("黄石市有几家院士工作站？"), content("邀请了多少个学会来对接")
    ('黄石市院士工作站?', '邀请个学会来对接')
    """
    import jieba

    # Spaces separate the English bridge's terms; keep them apart.
    return " ".join("".join(w for w in jieba.lcut(simple(part)) if not QUESTION_WORDS.fullmatch(w))
                    for part in question.split())


@lru_cache(maxsize=1 << 15)
def grams(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Characters and bigrams, never across a space (the English bridge
    separates its terms with spaces: 院士 工作站 has no bigram 士工).

    >>> sorted(grams("院士 工作站")[1])
    ['作站', '工作', '院士']
    """
    chars, bigrams = set(), set()
    for token in text.split():
        kept = "".join(c for c in token if has_cjk(c) or c.isalnum())
        chars.update(kept)
        bigrams.update(kept[i:i + 2] for i in range(len(kept) - 1))
    return frozenset(chars), frozenset(bigrams)



_NUM_IN_Q = re.compile(r"\d+(?:\.\d+)?")
_INTERROGATIVE = re.compile(r"[什甚]么|哪.?|几.?|多少|谁|何.?")
_WHICH_COUNTED = re.compile(r"哪[一两二三四五六七八九十几\d]+[个种类家项所位条座名些批]?")  # jieba's 哪几个
_NAME_FLAGS = {"nr", "ns", "nt", "nz", "nrt", "nrfg", "eng"}
# Words that frame a question rather than name its topic.
_ASKING = {"哪个", "哪家", "哪些", "哪份", "哪所", "哪位", "哪种", "哪类", "哪项", "哪里", "什么", "多少", "几个", "哪两",
           "哪几", "何种", "怎样", "哪一步", "哪方面", "哪次", "哪一", "多长"}
DISCOURSE = {"一共", "总共", "共计", "目前", "现在", "已经", "这篇", "这个", "这些", "这类", "这件", "那些", "报告",
             "综述", "文中", "文章", "本文", "原文", "摘要", "提到", "具体", "大概", "大约", "最后", "主要", "时间", "情况", "方面", "开始", "当时",
             # meta nouns that name the kind of answer, not the topic
             "名称", "名字", "全称", "简称", "称号", "称呼", "单位", "机构", "部门", "类型", "种类", "内容",
             "数量", "人数", "次数", "数字", "数据", "地方", "地点", "位置", "年份", "日期", "方式", "方法",
             "原因", "目的", "结果", "作用", "意义",
             # a journalist's frame: 请核实一下…
             "核实", "核对", "确认", "查证", "了解"}


_JOINERS = "和与及同跟或"


def _is_name(word: str, flag: str) -> bool:
    """A name the tagger found in its dictionary; a person's name needs a
    surname.  Guesses outside the dictionary (五年*里市*科协) and dictionary
    slips (荣誉 tagged as a person) count as common nouns.

    A word CC-CEDICT also lists as a common word (城市 city, 新建 newly
    built) is not a name either, whatever the tagger says.

    >>> [_is_name(w, f) for w, f in [("武汉", "ns"), ("里市", "ns"), ("荣誉", "nr"), ("城市", "ns"), ("科技", "n")]]
    [True, False, False, False, False]

    何 asking about a common word is a question word, not a surname: 何原因 (why).

    >>> _is_name("何原因", "nr")
    False
    """
    import jieba

    jieba.initialize()
    if flag not in _NAME_FLAGS or word not in jieba.dt.FREQ or word in common_words():
        return False
    if word[0] == "何" and word[1:] in common_words():
        return False
    return not flag.startswith("nr") or word[0] in SURNAMES


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Headwords CC-CEDICT lists with a lower-case reading, and the report vocabulary: common words, not only names.

    Finding them parses all of CC-CEDICT (0.2 s of the first question after
    every start), so the list is kept in the cache folder (``rag.derived``).
    """
    from .cedict import REPORT_TERMS, cedict_entries, cedict_file
    from ..config import cache_dir
    from ..derived import digest, write_atomic

    stored = cache_dir() / "cedict" / f"common-{digest(cedict_file().read_bytes() + REPORT_TERMS.read_bytes())}.txt"
    try:
        count, *words = stored.read_text(encoding="utf-8").split("\n")
        if int(count) == len(words):
            return frozenset(words)
    except (OSError, ValueError):  # missing or damaged: parse again
        pass
    # The report vocabulary has no pinyin: its words are common unless
    # CC-CEDICT reads them as names (全运会, 长三角).
    entries = list(cedict_entries())
    names = {simplified for simplified, pinyin, _ in entries if pinyin[:1].isupper()}
    found = frozenset(s for s, pinyin, _ in entries if pinyin[:1].islower() or (not pinyin and s not in names))
    write_atomic(stored, lambda f: f.write("\n".join([str(len(found)), *sorted(found)]).encode("utf-8")))
    return found


_AREA_SUFFIX = re.compile(r"(?<=..)(?:地区|地方|一带|境内|全境)$")
# A place's government (广东省政府, 上海市人民政府) names the place: a report's header says 广东省省长.
_GOVERNMENT = re.compile(r"(?<=..)(?<!特)[省市县区]?(?:人民)?政府$")  # 香港特区政府: 香港特区


@lru_cache(maxsize=4096)  # the reader asks it of every candidate of one question; the tagger is slow
def _question_terms(question: str) -> tuple[tuple[str, bool], ...]:
    """Topic nouns of a question (names, places, things; verbs are paraphrased
    too freely to count).  Not stopwords, and not the noun right after a
    question word (哪家*单位*, 什么*文件*), which names the answer's kind."""
    import jieba.posseg as pseg
    from bm25s.stopwords import STOPWORDS_CHINESE

    terms, kind_noun, skip, modifier = [], False, False, ""
    for word, flag in pseg.lcut(_NUM_IN_Q.sub(" ", simple(question))):
        word = word.strip()
        # A distinguishing modifier (民营, 国有, 大型: jieba's b) makes one term with its noun:
        # 民营经济 is not the 经济 of any passage.
        word, modifier = (modifier + word if flag.startswith("n") else word), (word if flag == "b" else "")
        if word in _ASKING or _INTERROGATIVE.fullmatch(word) or _WHICH_COUNTED.fullmatch(word):
            # 哪家*单位* / 什么*文件* / 哪两种*医疗联合体* name the answer's kind; 几名*讲解员* names the topic.
            kind_noun = not word.startswith(("几", "多"))
            continue
        if kind_noun and flag in ("m", "q", "mq"):  # 哪 | 两种 | 医疗联合体: the count is part of the question word
            continue
        # the whole noun run after the question word is the kind (医疗 联合体), not just its first word
        skip, kind_noun = kind_noun or (skip and flag.startswith("n")), False
        if QUESTION_WORDS.fullmatch(word):
            continue
        word = word.lstrip(_JOINERS)  # the tagger glues 和/与 to a name: 和东贝
        if flag.startswith("ns"):  # 广东地区 names 广东: a report says 广东 or 全省
            word = _AREA_SUFFIX.sub("", word)
        elif flag == "nt":
            word = _GOVERNMENT.sub("", word)
        if skip or len(word) < 2 or word in STOPWORDS_CHINESE or word in DISCOURSE:
            continue
        if flag.startswith("n") or flag == "eng":
            terms.append((word, _is_name(word, flag)))
    return tuple(terms)


def question_names(question: str) -> tuple[str, ...]:
    """The names among a Chinese question's topic nouns (places, people, organisations).

    >>> question_names("广东这份政府工作报告是由谁代表省政府作的？"), question_names("代表广东省政府作报告的是谁")
    (('广东',), ('广东',))
    """
    return tuple(word for word, is_name in _question_terms(question) if is_name)




def missing_terms(question: str, context: str) -> tuple[list[str], list[str]]:
    """Question terms the context lacks: (names and numbers, common nouns).

    A missing name or number says the question is about something else; a
    missing common noun is weaker evidence (questions rephrase: 单位, 名称).
    Numbers must occur as written.  A term counts as present when half its
    characters are there (老师 / 教师); a name with most of its characters there
    (中国科协 / 中科协, or a common word the tagger calls a place: 新建)
    is weak evidence, like a missing noun.

    >>> missing_terms("2023年武汉科技馆有几名讲解员？", "2024年,黄石科技馆年均参观量突破30万人次")
    (['2023', '武汉'], ['讲解员'])
    >>> missing_terms("中國科協表彰了誰", "被中科协表彰")
    ([], ['中国科协'])
    >>> missing_terms("How many projects over 100 million yuan in the 14th plan?", "1.22万个亿元以上项目")
    ([], [])
    >>> missing_terms("哪一部分含有9成以上的营养", "含有营养素中90%以上")
    ([], [])
    >>> missing_terms("How many beds per 10,000 residents?", "每万人拥有床位72张"), missing_terms("Are 20,000 served?", "服务12万人")
    (([], []), (['20000'], []))
    >>> missing_terms("广东地区生产总值是多少", "全省地区生产总值14.58万亿元")  # the report's province, named by 全省 later
    (['广东'], [])
    """
    ctx = simple(context)
    numbers = _NUM_IN_Q.findall(ctx)
    # English amounts are written in 万/亿 (100 million: 亿); an English
    # ordinal names a period or a plan (the 14th: 十四五) a passage leaves to its section.
    plain_q = without_separators(question)
    scaled = {m.group(1): chinese_amount(*m.groups()) for m in SCALED_RE.finditer(plain_q)}
    ordinals = {m.group(1) for m in ORDINAL_RE.finditer(question)}
    # tenths: 9成 is 90%
    tenths = {m.group(1): f"{float(m.group(1)) * 10:g}" for m in re.finditer(r"(\d+(?:\.\d+)?)成", simple(question))}
    strong = [n for n in _NUM_IN_Q.findall(simple(plain_q))
              if n not in numbers and not written_as_numeral(n, ctx) and not written_otherwise(n, ctx)
              and not any(form in ctx for form in scaled.get(n, ())) and n not in ordinals
              and tenths.get(n) not in numbers]
    weak = []
    for word, is_name in [] if is_english(question) else _question_terms(question):
        if word in ctx:
            continue
        share = sum(ch in ctx for ch in word) / len(word)
        if is_name and share < 0.75:  # 上海 is not in 海智工作站
            strong.append(word)
        elif is_name or _pieces_share(word, ctx) < 0.5:
            weak.append(word)
    return strong, weak


def _pieces_share(word: str, ctx: str) -> float:
    """How much of a common noun a context has: of a two-character word its characters
    (老师 / 教师), of a longer one its two-character pieces, since a long paragraph holds
    every common character (民营经济 is not in 人民…营商…经济, 出口量 is in 进出口…产量 by half).

    >>> _pieces_share("老师", "教师"), _pieces_share("民营经济", "人民、营商、经济"), _pieces_share("出口量", "进出口产量")
    (0.5, 0.3333333333333333, 0.5)
    """
    if len(word) <= 2:
        return sum(ch in ctx for ch in word) / len(word)
    return sum(word[i:i + 2] in ctx for i in range(len(word) - 1)) / (len(word) - 1)

