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
from .numerals import ORDINAL_RE, SCALED_RE, chinese_amount, chinese_value, without_separators, written_as_numeral, written_otherwise
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
_GOVERNMENT = re.compile(r"(?<=..)[省市县区]?(?:人民)?政府$")


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


_PROVINCES = ("河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 "
              "云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆").split()
_HOME = ("全省", "我省", "本省", "省内")


_NATION = ("全国", "我国", "国内", "本国", "全台")
_NATIONS = ("中国", "台湾")


# How a report names its own country without naming it.  Only 全台 says which country:
# Taiwanese posts write 全國 of Taiwan, so an English "China" is never found through it.
NATION_DEIXIS = {"中国": ("全国", "我国"), "台湾": ("全台",)}
OWN_NAME = {"台湾": ("全台",)}


def deixis_words(question: str, subject: str = "") -> tuple[str, ...]:
    """The words a passage may use for a country or province the question names:
    全国/我国 for 中国, 全台 for 台湾, 全省/我省 for the province the report is about.

    >>> deixis_words("台灣的漁港有幾個"), deixis_words("四川有多少个县", "2026年四川省政府工作报告")
    (('全台',), ('全省', '我省', '本省', '省内'))
    """
    q, about = simple(question), simple(subject)
    out = [w for name, ws in NATION_DEIXIS.items() if name in q for w in ws]
    if any(p in q and p in about for p in _PROVINCES):
        out += _HOME
    return tuple(out)


_OFTEN = 3  # a Taiwanese post naming 中國大陸 once is not about China throughout
WHOLE_REPORT = 2000  # characters: the shortest development report has 5,583, benchmark paragraphs at most 1,036


@lru_cache(maxsize=64)
def plain(text: str) -> str:
    """``simple(text)``, kept for the few whole documents asked about question after question."""
    return simple(text)


def named_by_deixis(name: str, context: str, document: str) -> bool:
    """Whether ``name`` is the report's own province, which the passage calls
    全省/我省 (the province the document names most), or its country, which
    it calls 全国/全台; or a province the passage names by its one-character
    name (重庆 in 川渝合作, 广东 in 粤港澳大湾区).

    >>> named_by_deixis("湖北", "大冶市率先在全省完成改革试点", "湖北省科协致信"), named_by_deixis("湖南", "全省", "湖北省")
    (True, False)
    >>> named_by_deixis("中国", "核电装机规模占全国25.8%", ""), named_by_deixis("中国", "全省", "")
    (True, False)
    >>> named_by_deixis("中国", "积极对接西部陆海新通道", "推进中国式现代化" * 300)
    True
    >>> named_by_deixis("台湾", "渔港建设投资12亿元", "深化闽台融合" + "推进渔港建设" * 400)
    False
    """
    ctx = simple(context)
    if name in _NATIONS:  # a whole report that keeps naming China (中国式现代化) speaks of it throughout
        return any(d in ctx for d in _NATION) or (name == "中国" and len(document) >= WHOLE_REPORT
                                                  and plain(document).count(name) >= _OFTEN)
    return name == _home_province(document) and any(d in ctx for d in _HOME) or named_short(name, ctx)


# The one-character names of provinces and municipalities, counted only beside another
# (川渝, 京津冀, 沪苏浙皖): alone each is also a common character (不渝, 晋升, 犹豫, 希冀).
# 新, 台, 青, 宁 and 藏 are left out (新台阶, 宝藏); 港 and 澳 pair only with each other.
_SHORT = dict(zip("北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 "
                  "广西 海南 重庆 四川 贵州 云南 陕西 甘肃".split(),
                  "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇陕陇"))
_SHORT_PAIR = re.compile(f"[{''.join(_SHORT.values())}]{{2,}}")


def named_short(name: str, context: str) -> bool:
    """Whether ``context`` (simplified) names the province ``name`` by its one-character name.

    >>> named_short("重庆", "320个川渝共建重点项目"), named_short("四川", "川渝共建"), named_short("四川", "山川秀美")
    (True, True, False)
    >>> named_short("重庆市", "矢志不渝"), named_short("上海", "沪苏浙"), named_short("山西", "畅通晋升通道")
    (False, True, False)
    >>> named_short("香港", "在粤港澳居民"), named_short("香港", "天津港货物吞吐量")
    (True, False)
    """
    if name in ("香港", "澳门"):  # 港 and 澳 pair only with each other (天津港 is a port)
        return "港澳" in context
    short = _SHORT.get(name.removesuffix("市").removesuffix("省"))
    return bool(short) and short in context and any(short in m.group() for m in _SHORT_PAIR.finditer(context))


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(simple(text))}


def unstated_year(term: str, context: str, year: int | None) -> bool:
    """A year the passage does not contradict, of a report dated ``year``: the
    report's own year or the one before (今年, 过去一年), in a passage that
    states no year at all.

    A work report's paragraph on last year's results seldom repeats the year;
    one that names another year is about that year, and an older year is
    no deixis of the report's.

    >>> unstated_year("2025", "城镇新增就业110万人", 2026), unstated_year("2025", "2024年新增就业", 2026)
    (True, False)
    >>> unstated_year("2020", "城镇新增就业110万人", 2026), unstated_year("110", "", 2026)
    (False, False)
    """
    return (year is not None and bool(_YEAR.fullmatch(term)) and int(term) in (year, year - 1)
            and not _years(context))


# A plan's own words; a bare 目标 or 计划 may name a past plan (“十四五”目标, “网链共享计划”).
# Chinese cues are read in simple() form, which drops spaces; English ones in the question as asked.
_THIS_YEAR = re.compile(r"今年|本年度?|预期目标|预期增长|\bthis year\b|\bthe coming year\b", re.I)
_LAST_YEAR = re.compile(r"去年|上年|上一年|过去一年|(?<!the )\blast year\b(?! of\b)|\bthe past year\b", re.I)


def relative_year(question: str) -> bool:
    """Whether the question asks about this year or last, named by no number.

    >>> relative_year("去年新建成了多少亩"), relative_year("How many opened last year?"), relative_year("五年来建成多少")
    (True, True, False)
    """
    q = (simple(question), question)
    return any(cue.search(t) for cue in (_THIS_YEAR, _LAST_YEAR) for t in q)


def asked_years(question: str, year: int | None) -> set[int]:
    """The years a question asks about: those it names, else the report's own
    (今年, 预期目标) or the one before (去年), from the report's ``year``.

    >>> asked_years("今年粮食产量的目标是多少", 2026), asked_years("去年新增多少", 2026), asked_years("2024年增长多少", 2026)
    ({2026}, {2025}, {2024})
    >>> asked_years("今年的目标是多少", None), asked_years("“十四五”目标完成了多少", 2026)
    (set(), set())
    >>> asked_years("How many will it cover this year?", 2026), asked_years("What grew last year?", 2026)
    ({2026}, {2025})
    >>> asked_years("What was the target for the last year of the plan?", 2026)
    set()
    """
    named = _years(question)
    if named or year is None:
        return named
    q = (simple(question), question)
    return ({year} if any(map(_THIS_YEAR.search, q)) else set()) | ({year - 1} if any(map(_LAST_YEAR.search, q)) else set())


def other_period(question: str, year: int | None, section: str, passage: str) -> bool:
    """The passage's section is about other years than the question asks:
    a plan for 2026 asked of the section reviewing 2025, or the reverse.

    A section heading that names years (一、2025年工作回顾; 三、2026年的重点工作)
    sets the period of its passages, unless the passage names the year itself.

    >>> other_period("今年计划新增多少张养老床位", 2026, "一、2025年工作回顾", "新增养老床位3852张")
    True
    >>> other_period("2026年进出口的预期增长目标是多少", 2026, "一、2025年工作回顾", "进出口增长5.5%")
    True
    >>> other_period("今年计划新增多少张养老床位", 2026, "三、2026年的重点工作", "新增养老床位5000张")
    False
    >>> other_period("新增多少张养老床位", 2026, "一、2025年工作回顾", "新增养老床位3852张")
    False
    """
    asked, stated = asked_years(question, year), _years(section)
    return bool(asked and stated) and not asked & (stated | _years(passage))


# A five-year plan's period (十四五, 十五五): one character tells two periods apart.
_PLAN = re.compile(r"(?<![一二三四五六七八九十百])十[一二三四五六七八九]五(?![年个万亿倍%])")
# An edition (第十七届省运会, 第8届进博会) and the event it numbers: 五届 alone counts
# editions and is no ordinal.
_EDITION = re.compile(r"第\s*(\d+|[一二三四五六七八九十百两]+)\s*届([\u4e00-\u9fff]{0,6})")
_EVENT_END = re.compile(r"^.*?[会节赛展奖]")


def _editions(text: str) -> set[tuple[int, str]]:
    """(number, event) of each edition; the event is the words after 届 up to 会/节/赛/展/奖.

    >>> sorted(_editions("第十五届全国运动会和市第十三届人大代表"))
    [(13, '人大代表'), (15, '全国运动会')]
    """
    out = set()
    for n, head in _EDITION.findall(text):
        m = _EVENT_END.match(head)
        out.add((int(n) if n.isdigit() else chinese_value(n), m.group() if m else head))
    return out


def _same_event(a: str, b: str) -> bool:
    """Two edition heads name one kind of event: the same suffix (省运会, 全国运动会) or opening."""
    return bool(a and b) and (a[-1] == b[-1] and a[-1] in "会节赛展奖" or a[:2] == b[:2])


def _other_edition(question: str, passage: str) -> bool:
    asked, named = _editions(question), _editions(passage)
    return any(_same_event(qe, pe) for _, qe in asked for _, pe in named) and not (
        {n for n, _ in asked} & {n for n, _ in named})


def other_plan(question: str, passage: str) -> bool:
    """The passage names a plan period or an edition, never the one the question
    asks: the 十四五 target met answers nothing about the 十五五 target, the
    15th national games nothing about the 17th provincial ones.  A passage
    naming none (五年来) may still be about the asked one.

    >>> other_plan("“十五五”期间科学素质比例的目标是多少", "比例达15.3%,圆满完成“十四五”既定目标")
    True
    >>> other_plan("“十四五”期间比例是多少", "五年来比例达15.3%"), other_plan("十四五期间", "十四五和十五五时期")
    (False, False)
    >>> other_plan("第十七屆省運會幾月開幕", "出席第十五届全国运动会开幕式"), other_plan("第8届进博会", "第八届进博会成功举办")
    (True, False)
    >>> other_plan("办了五届，带动多少消费", "第五届大会带动消费")
    False
    >>> other_plan("第六届世界智能大会签约多少项目", "本届大会签约项目128个，市第十三届人大代表出席")
    False
    """
    question, passage = simple(question), simple(passage)
    asked, named = set(_PLAN.findall(question)), set(_PLAN.findall(passage))
    return bool(asked and named and not asked & named) or _other_edition(question, passage)


@lru_cache(maxsize=64)
def _home_province(document: str) -> str | None:
    doc = simple(document)
    counts = {p: doc.count(p) for p in _PROVINCES}
    home = max(counts, key=counts.get)
    return home if counts[home] else None


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

