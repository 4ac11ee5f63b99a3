"""The short answer span: the number, date or name inside the answer sentence."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..text.normalize import simple, to_simplified
from ..text.qtype import qtype
from .span_candidates import candidates_of, with_qualifier
from .respective import respective_index, unnamed_values
from .change import asks_change, reads_as_change, total_for_period
from .counts import asked_unit
from .share import asks_share, share_value
from .units import counts_no_thing, counts_people
from ..text.deixis import deixis_words
from ..text.terms import content, grams


_CLAUSE_RE = re.compile(r"[^,，、;；:：。！？!?]+")
# A question after the value a change reached (增加到多少, 达到多少, 截至哪年), or the one it started from.
_ASKS_END = re.compile(r"(?:到|至|达|为|成)(?:了)?(?:多少|几|哪|什么)|截[至止]|最终|目前|现在|如今|\breach(?:ed|es)?\b|"
                       r"\b(?:rise|rose|risen|grow|grew|grown|increased?|climbed?|fall|fell|fallen|dropped?) to\b", re.I)
# 开局时, not 开局之年 (every 2026 report's year); 五年前, not 2025年前三季度 nor 2027年前 (by 2027);
# "before the rise", not "before 2030".
_ASKS_START = re.compile(r"(?:从|由|原来|原先|此前|之前|起初|最初).{0,2}(?:多少|几|哪)|\bfrom\b|"
                         r"开局时|初期|之初|开始时|原本|(?<![\d年])(?:\d|[一二三四五六七八九十两])年前(?![三半个季])|"
                         r"\bbefore\b(?!\s+(?:the end of\s+)?\d)|\bat the (?:start|beginning|outset)\b|"
                         r"\b(?:initially|originally)\b", re.I)
_END_MARK = re.compile(r"(?:到|至|达到?|为|成|升至|增至|降至)\s*$")
_START_MARK = re.compile(r"(?:从|由)\s*$")
_RANGE_END = re.compile(r"(?:从|由)\s*[\d.,]+[^，。；,;从由]{0,12}(?:到|至)\s*$")
# A count of people asked without a classifier (惠及多少群众, how many residents) wants a number
# of people (人, 人次, 名, 位), not the 2万公里 beside it.
_ASKS_PEOPLE = re.compile(r"(?:多少|几)[个位名]?[\u4e00-\u9fff]{0,4}?(?:人|者|员|众|民|生|士|师)|"
                          r"(?:人群|人数|人次|群众|观众|游客|听众|受众)[^，。？?]{0,3}(?:多少|几)")
_PEOPLE_UNITS = "人名位"


def counted_as_asked(question: str, text: str, implied: bool = True) -> bool:
    """Whether a number span is counted in the unit the question names, or
    (``implied``) in people when it counts people without naming a unit.

    >>> counted_as_asked("科普大篷车惠及了多少群众？", "10万余人次"), counted_as_asked("惠及了多少群众", "2万公里")
    (True, False)
    >>> counted_as_asked("How many people has the caravan reached?", "10万余人次"), counted_as_asked("惠及了多少群众", "10万人", False)
    (True, False)
    >>> counted_as_asked("专家工作站有多少家？", "77家"), counted_as_asked("比例是多少", "15.3%")
    (True, False)
    >>> counted_as_asked("宣讲活动覆盖人群有多少？", "超过26万人次"), counted_as_asked("宣讲活动覆盖人群有多少？", "千余场")
    (True, False)
    """
    unit = asked_unit(question)
    if unit or not implied:
        return bool(unit) and unit in text
    people = _ASKS_PEOPLE.search(simple(question)) or counts_people(question)
    return bool(people) and any(u in text for u in _PEOPLE_UNITS)


# The thing an English count asks for: the first plural in the words after "how many"
# (how many national high-tech enterprises did..., how many households received subsidies).
_COUNTED = re.compile(r"\bhow many\s+((?:(?!(?:did|do|does|were|was|are|is|have|has|had|will|would|can|could|in|"
                      r"of|at|for|on|to|from|by|with|under|across|over|that|which|who|per|each)\b)[\w-]+\s*){1,4})", re.I)


_COUNTED_ZH = re.compile(r"(?:多少|几)[个家所座项名位条部台辆批]?([\u4e00-\u9fff]{2,4})")


def beside_counted(question: str, sentence: str, span: tuple[int, int]) -> bool:
    """Whether the word right after a number (275所学校) or right before it in
    its clause (学校275所) glosses as the thing an English count asks for; for a
    Chinese count, whether the noun it counts follows the number (多少个渔港: 18个渔港).

    >>> s = "全市275所学校配备科学副校长,科学教师队伍壮大至2800多人"
    >>> q = "How many schools in Huangshi have a science vice-principal?"
    >>> beside_counted(q, s, (2, 6)), beside_counted(q, s, (25, 31)), beside_counted("共有多少所学校", s, (2, 6))
    (True, False, True)
    >>> p = "全台222個第一類漁港，僅有18個漁港開放釣魚"
    >>> [beside_counted("全台有多少个渔港开放钓鱼？", p, sp) for sp in ((2, 6), (14, 17))]
    [False, True]
    >>> h = "全市5000户家庭领取补贴3亿元"
    >>> [beside_counted("How many households received subsidies?", h, sp) for sp in ((2, 7), (13, 16))]
    [True, False]
    """
    from ..text.gloss import gloss_bag, stem

    after = re.match(r"[^,，、;；:：。！？!?]{0,4}", sentence[span[1]:]).group()
    if zh := _COUNTED_ZH.search(simple(question)):  # 多少个渔港开放: 18个渔港开放, not 222个第一类渔港
        noun = zh.group(1)[:2]
        return simple(after).startswith(noun) or simple(sentence[:span[0]]).endswith(noun)  # or 公园127座
    m = _COUNTED.search(question)
    if not m:
        return False
    words = m.group(1).lower().split()
    head = stem(next((w for w in words if len(w) > 3 and w.endswith("s") and not w.endswith("ss")), words[0]))
    before = re.search(r"[^,，、;；:：。！？!?]{0,4}$", sentence[:span[0]]).group()
    return head in gloss_bag(after) or head in gloss_bag(before)


_WHO_IS_EN = re.compile(r"^\s*(?i:who\s+(?:is|was)\s+(?:(?:professor|prof\.|dr\.?|mr\.?|mrs\.?|ms\.?)\s+)?)"
                        r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3}\s*[?？]?\s*$")
_WHO_IS_ZH = re.compile(r"^(.{2,6}?)(?:是谁|是誰|是什么人|是什麼人|是哪位|是哪一位)[?？]?$")


def asks_identity(question: str) -> bool:
    """Whether a who-question asks who a person it names is (Who is Wu Jie?,
    吴杰是谁), not who holds a role (科协主席是谁) or did a thing.

    >>> [asks_identity(q) for q in ("Who is Wu Jie?", "吴杰是谁？", "科协主席是谁", "Who is the mayor?", "Who spoke?")]
    [True, True, False, False, False]
    """
    from ..text.persons import person_spans

    if _WHO_IS_EN.match(question):
        return not re.match(r"\s*who\s+(?:is|was)\s+(?:the|a|an|this|that)\b", question, re.I)
    m = _WHO_IS_ZH.match(question.strip())
    return bool(m) and any((a, b) == (0, len(m.group(1))) for a, b in person_spans(m.group(1)))


def _end_or_start(question: str, sentence: str, span: tuple[int, int]) -> int:
    """1 when the span is the value a question about an end point asks for (its 到/至 side), else 0.

    >>> s = "地区生产总值从3826.5亿元增加到4398.6亿元"
    >>> _end_or_start("增加到多少亿元", s, (7, 15)), _end_or_start("增加到多少亿元", s, (18, 27))
    (0, 1)
    >>> _end_or_start("原来是多少亿元", s, (7, 15)), _end_or_start("生产总值是多少", s, (18, 27))
    (1, 1)
    >>> [_end_or_start(q, s, (18, 27)) for q in ("2025年前三季度生产总值是多少", "2027年前要达到多少", "五年前是多少")]
    [1, 1, 0]
    """
    before, question = sentence[max(0, span[0] - 3):span[0]], to_simplified(question)
    if _ASKS_START.search(question) and not _ASKS_END.search(question):  # 2027年前要达到多少 asks the end
        return int(bool(_START_MARK.search(before)))
    # Unless asked where it started, a change's end is the figure (地区生产总值是多少: 14.58万亿元 of 从11.37万亿元提高到14.58万亿元).
    asked_end = _ASKS_END.search(question) or _RANGE_END.search(sentence[:span[0]])
    return int(bool(_END_MARK.search(before) and asked_end))


def _clauses(sentence: str, share: bool = False) -> list[tuple[int, int]]:
    """Clause spans; when a ``share`` is asked, a share (、占全国4成) stays with the clause
    that names what it is a share of.

    >>> s = "无人机产量增长39%、占全国9成，工业机器人产量增长31.2%、占全国4成"
    >>> [s[a:b] for a, b in _clauses(s, share=True)], len(_clauses(s))
    (['无人机产量增长39%、占全国9成', '工业机器人产量增长31.2%、占全国4成'], 4)
    """
    out: list[tuple[int, int]] = []
    for m in _CLAUSE_RE.finditer(sentence):
        if share and out and m.group().startswith(("占", "佔")) and sentence[m.start() - 1] == "、":
            out[-1] = (out[-1][0], m.end())
        else:
            out.append(m.span())
    return out


def _clause_of(clauses: list[tuple[int, int]], span: tuple[int, int], n: int,
               head_scopes: bool = False) -> tuple[int, int]:
    """The clause holding ``span``.  A clause that is nothing but the span
    belongs with the clause after it; at the head of the sentence it scopes
    over the whole sentence (``2024年,黄石…达15.3%``), as a fronted date does.
    With ``head_scopes`` any span in the first clause does: a date or the
    subject opening a sentence (``袁隆平认为…,并成功配种出``) governs all of it."""
    i = next((i for i, (a, b) in enumerate(clauses) if a <= span[0] < b), None)
    if i is None or (head_scopes and i == 0):
        return 0, n
    a, b = clauses[i]
    if (a, b) == span and i + 1 < len(clauses):
        b = clauses[i + 1][1] if i else n
    return a, b


def short_span(question: str, sentence: str, lexical: str | None = None, subject: str = "",
               strict: bool = False) -> tuple[int, int] | None:
    """The span answering ``question`` inside ``sentence``, or None.

    Candidates fitting the question type (not a number the question states)
    are ranked by: the unit asked for (多少家 wants ``家``); the value of the
    item asked in a 分别 list (``respective.py``); the end or start of a
    change when asked; question words leading up to it in its clause; a
    changed-by number when asked by how much; how much of the question its
    clause repeats (the answer sits in the clause that restates the
    question); and closeness to the question words before it (Chinese puts
    the count after its noun).
    ``subject`` (the document title) names what the report is about: a
    person question is not answered by a word from it (黄石 tagged as a name).

    >>> s = "现建有院士工作站4家,专家工作站77家,博士创新站6家"
    >>> s[slice(*short_span("专家工作站有多少家？", s))], s[slice(*short_span("博士创新站有几个", s))]
    ('77家', '6家')
    >>> r = "开展活动1200余场,参与志愿者3.3万人,活动场次全省排名第一"
    >>> r[slice(*short_span("活动场次在全省排第几？", r))]
    '全省排名第一'
    >>> short_span("第八届进博会有多少家境外企业参展？", "第八届进博会圆满成功举办，参展境外企业创新高") is None
    True
    >>> e = "经济总量达到4万亿元、占全省比重达61.3%"
    >>> e[slice(*short_span("What was its share of the province's GDP?", e))]
    '61.3%'
    >>> c = "职工人均工资达到9.2万元，三年增长12.5%"
    >>> c[slice(*short_span("职工人均工资三年来增长了多少", c))]
    '12.5%'
    >>> g = "稻谷、小麦、玉米产量分别达1200万吨、300万吨、45万吨以上"
    >>> g[slice(*short_span("今年小麦产量目标是多少？", g))], g[slice(*short_span("玉米产量有多少", g))]
    ('300万吨', '45万吨以上')
    >>> u = "全校 1200 人中，留学生 90 人"
    >>> u[slice(*short_span("这所学校1200名学生中有多少名留学生？", u))]
    '90 人'
    >>> u[slice(*short_span("How many of the school's 1,200 students are from abroad?", u))]
    '90 人'
    >>> b = "新建5G基站5万个，年均增长14%"
    >>> [b[slice(*short_span(q, b))] for q in ("How many 5G base stations?", "By how much in the 14th plan?")]
    ['5万个', '14%']
    >>> t = "推荐王加军、刘光辉荣获称号,推荐湖北师范大学吴杰教授作为黄石唯一代表出席两院院士大会"
    >>> t[slice(*short_span("哪位教授作为唯一代表出席了两院院士大会", t, subject="黄石市科协工作综述"))]
    '吴杰'
    """
    # A Traditional sentence is read in Simplified, offsets unchanged: the marks (从, 达到, 为) are written so.
    kind, sentence = qtype(question), to_simplified(sentence)
    if kind == "person" and not strict and asks_identity(question):
        return None  # who is 吴杰: the sentence that says who he is, not another name beside his
    spans = candidates_of(question, kind, sentence, subject, strict)
    if not spans:
        return None
    _, q_bi = grams(content(lexical or question))
    if strict and kind == "number":
        # a value of 「A、B分别X、Y」 answers only a question naming A or B (not their total)
        unnamed = unnamed_values(sentence, spans, q_bi)
        if not (spans := [sp for sp in spans if sp not in unnamed]):
            return None
    # 全台 echoes the question's 台湾 in the count shown (全台222个渔港, not the 18个渔港 beside
    # its 渔港 alone); whether some span answers (strict, a reader feature) stays as it was.
    echoes = q_bi | set(deixis_words(question, subject) if kind == "number" and not strict else ())
    # 水果、蔬菜产量分别达X、Y: a question on 蔬菜 is shown Y; whether some span
    # answers (strict, a reader feature) stays as it was.
    respective = respective_index(sentence, spans, q_bi, bool(_ASKS_START.search(to_simplified(question)))) \
        if kind == "number" and not strict else {}
    ranker = _Ranker(question, sentence, kind, strict, [i for i in range(len(sentence) - 1)
                                                         if simple(sentence[i:i + 2]) in echoes],
                     _clauses(sentence, asks_share(question)), respective,
                     change=kind == "number" and asks_change(question),
                     generic=bool(re.search(r"(?:几|多少)个", simple(question))))
    ranker = _scoped(ranker, spans)
    best = max(spans, key=ranker.rank)
    # A name or title is only singled out when its clause echoes the question;
    # otherwise the whole sentence is the safer answer.  ``strict`` asks the
    # same of numbers and dates: a year in a clause about something else
    # does not answer 哪一年.
    if (strict or kind in ("name", "person")) and not any(ranker.clues(best)):
        return None
    return with_qualifier(sentence, best) if kind == "number" else best


def _scoped(ranker: "_Ranker", spans) -> "_Ranker":
    """A date or subject opening the sentence reads over all of it only when no
    candidate's own clause echoes the question (袁隆平认为…,并成功配种出);
    推荐王加军…,推荐吴杰作为唯一代表出席 still answers with 吴杰."""
    n = len(ranker.sentence)
    wide = ranker.kind in ("date", "person") and not any(
        ranker.echo(sp, *_clause_of(ranker.clauses, sp, n)) for sp in spans)
    return replace(ranker, scope=wide)


@dataclass(frozen=True)
class _Ranker:
    """What ranks the candidate spans of one sentence for one question (see ``short_span``)."""
    question: str
    sentence: str
    kind: str
    strict: bool
    hits: list        # where the sentence repeats a two-character piece of the question
    clauses: list
    respective: dict  # span -> whether it is the item a 分别 list gives for the question
    change: bool = False   # by how much is asked: 增长30.8%, not the level 5.4万元
    generic: bool = False  # 几个/多少个: 个 breaks ties between counts
    scope: bool = False

    def echo(self, sp, a, b) -> int:
        return sum(1 for h in self.hits if a <= h and h + 2 <= b and not (sp[0] <= h < sp[1]))

    def clues(self, sp):
        """(an end point asked, question words lead up to it in its clause, its clause's echo)."""
        a, b = _clause_of(self.clauses, sp, len(self.sentence), self.scope)
        led = any(a <= h and h + 2 <= sp[0] for h in self.hits)
        return _end_or_start(self.question, self.sentence, sp), led, self.echo(sp, a, b)

    def rank(self, sp):
        question, sentence, strict = self.question, self.sentence, self.strict
        before = [sp[0] - (h + 2) for h in self.hits if h + 2 <= sp[0]]
        gap = min(before) if before else len(sentence) + min((abs(h - sp[1]) for h in self.hits), default=0)
        end, led, overlap = self.clues(sp)
        text = sentence[sp[0]:sp[1]]
        # 个 is only a tie-breaker: reports count the same things in 家 or 项.
        # The implied unit and a share's value only pick the span shown; whether some span
        # answers (strict) stays as it was.
        beside = not strict and beside_counted(question, sentence, sp)
        asked = counted_as_asked(question, text, not strict) or not strict and share_value(question, sentence, sp)
        # the span shown for "how many ports" is no 两个月 (whether some span answers stays as it was)
        thing = strict or not counts_no_thing(question, text)
        # a year's own figure, not the running total beside it (建成8.9万亩、累计达到120.5万亩)
        yearly = self.kind != "number" or not total_for_period(question, sentence, sp)
        change = self.change and reads_as_change(sentence, *sp)
        return (asked, beside, thing, yearly, self.respective.get(sp, 1), end, led, change, overlap,
                self.generic and "个" in text, -gap)
