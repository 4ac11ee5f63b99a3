"""Question types: what a question asks for (``spans.py`` finds it in a sentence).

The type comes from interrogative cues only (多少/几/哪年/谁/how many...),
never from topic words, so it carries over to questions we have not seen.

>>> qtype("黄石有几家院士工作站？"), qtype("Who was invited?"), qtype("哪一年达到15.3%")
('number', 'person', 'date')
"""
from __future__ import annotations

import re
from functools import lru_cache

from .normalize import to_simplified

# Roles and titles a person is known by: asking one's name asks for a person (主席叫什么名字, 总干事是谁).
ROLE_PATTERN = (r"(?:主席|书记|主任|会长|理事长|秘书长|局长|市长|县长|区长|镇长|省长|院长|校长|所长|部长|厅长|处长|科长|馆长|站长|"
                r"社长|船长|队长|董事长|总经理|经理|负责人|一把手|领导人|署长|司长|行长|厂长|组长|团长|总监|总裁|总理|"
                r"干事|议员|委员|政委|主委|专员|发言人|教授|网友)")
# A role word used as a modifier names no person: "official website", "mayor's office".
_NOT_HOLDER = (r"(?![’']|\s+(?:document|website|account|site|data|figure|statistic|record|event|venue|office|"
               r"channel|position|title|post|visit|meeting)s?\b)")
# Measures an English question asks the figure of: the grain output, the urbanisation rate,
# the cap on bonus pay, life expectancy.
_EN_MEASURES = (r"value|output|volume|throughput|turnover|revenue|income|investment|amount|rate|ratio|share|proportion|"
                r"percentage|population|size|area|length|capacity|intensity|growth|count|scale|gdp|mileage|yield|"
                r"limit|cap|ceiling|concentration|expectancy|balance|price|cost|budget|salary|wage|allowance|subsidy|"
                r"fee|spending|expenditure|inflation|(?<=registered )capital")
# a price cap policy, spending limit rules: the measure names a thing, not a figure
_NOT_A_FIGURE = r"(?! (?:policy|policies|rules?|plan|scheme|system|mechanism|reform|standards?|regime|programs?|programmes?)\b)"
# Nouns after a measure that still name a figure (what price increase, what budget deficit did)
_FIGURE_NOUN = (r"(?:figure|total|level|increase|rise|growth|drop|decline|fall|cut|reduction|deficit|surplus|"
                r"savings?|gap|amount|value|target)")
_EN_MEASURE = rf"(?:{_EN_MEASURES})(?: (?:target|goal|ceiling|cap|limit|threshold|figure))?\b" + _NOT_A_FIGURE
_EN_FIGURE = "|".join((
    # the purpose, source or name of a subsidy is no figure
    r"^(?!.*\b(?:name|kind|type|sort|purpose|source|reason|basis|meaning|definition|nature|role|use) of\b)(?:"
    # what was [X's] ... <a measure> (of|in|?): what is the cap on bonus pay
    rf".*\bwhat (?:is|was|are|were)(?: [\w&.-]+(?:'s?)?){{0,6}}? {_EN_MEASURE}"
    r"(?= (?:of|in|on|for|by|at|during|over|from)\s+\w|\s*[?(]| (?:now|today|currently|this|last|after)\b|$)|"
    # what is Hubei's target for new urban jobs
    rf".*\bwhat (?:is|was|are|were) (?:[\w&.'-]+ ){{0,3}}?(?:target|goal)s? for (?:[\w&.-]+ ){{0,4}}?"
    rf"(?:jobs|{_EN_MEASURES})\b{_NOT_A_FIGURE}|"
    # what did Hubei's GDP reach, what did the zone's output exceed
    rf".*\bwhat (?:did|does|do|had|has|have|will) (?:[\w&.'-]+ ){{0,6}}?(?:{_EN_MEASURES})\b(?: [\w-]+)?? "
    r"(?:reach|exceed|surpass|top|hit|total|climb|rise|grow|amount|stand)\b|"
    # what export growth target did the county set
    rf".*\bwhat (?:[\w&.'-]+ ){{0,3}}?(?:growth|output|rate|gdp|{_EN_MEASURES}) (?:target|goal|ceiling|cap|limit)\b{_NOT_A_FIGURE}|"
    # what total length had the network passed, what ceiling has it set: the measure is what the verb is asked of
    # (its modifiers, not a noun it qualifies: what leap in scale is no figure)
    # (what revenue sources did, what growth engines have: a noun after the measure names a thing)
    rf".*\bwhat (?:(?!(?:in|of|on|for|to|with|by|from|at)\b)[\w&.'-]+ ){{0,3}}?(?:{_EN_MEASURES})(?: {_FIGURE_NOUN})? "
    r"(?:did|does|do|had|has|have|was|were|is|are|will|would)\b)",
    # what will the pension be raised to (in 2027)
    r"^(?=.*\bwhat\b).*\b(?:raised|risen|grown|increased|climbed|fallen|dropped|reduced|lowered|cut) "
    r"to(?:,?\s+(?:by|in|from|after|per)\b[^?]*)?\s*\??\s*$",
    # to what monthly sum; not to what level of government
    r"\bto what (?:[\w-]+ ){0,2}?(?:amount|level(?! of)|figure|sum|value)\b",
))
# 有多大影响, 影响有多大, 多大程度 ask an extent, which a report states in words (影响不大), not a figure.
_EXTENT_WORDS = ("影响", "作用", "意义", "帮助", "关系", "贡献", "难度", "风险", "好处", "必要", "把握", "信心", "区别",
                 "困难", "阻力", "挑战", "问题", "分歧", "争议", "程度")
_EXTENT = "(?:" + "|".join(_EXTENT_WORDS) + ")"
_EXTENT_BEFORE = "".join(f"(?<!{w}{v})" for w in _EXTENT_WORDS for v in ("有", "是", ""))
# which minister, which vice premier: a role asks for the person holding it
_WHICH_ROLE = (r"\bwhich (?:[\w-]+ ){0,2}?(?:minister|official|mayor|governor|premier|professor|legislator|lawmaker|"
               r"councill?or|commissioner|chair(?:man|woman|person)|spokes(?:man|woman|person)|academician|captain|"
               r"director|expert|scholar|leader|person)s?\b" + _NOT_HOLDER)
_CUES = [
    ("date", r"哪一?年|哪一?个?月|何年|何时|几时|[什甚]么时[候间]|几月|几号|哪一?天|哪一日|日期|"
             r"(?:(?:西元|公元)前?|民国)几年|"  # Taiwan's Republic era (民国几年); 民国前几年 is its first years
             # a question's "when" comes before its verb (when will, by when must); a clause's before a subject
             r"\bwhen\s+(?:and\b|did|does|do|was|were|is|are|will|would|can|could|should|must|has|have|had|shall|may|might)\b|"
             r"what year|which year|(?:what|which) (?:calendar )?dates?\b|\bwhat time(?![\w-]| of year)|"
             # what is the (exact) date of the holiday, on what day did they meet; not the date's name or format
             r"\bwhat (?:is|was|are|were|will be) the (?:[\w-]+ ){0,2}?(?:calendar )?dates?\b(?! (?:format|name|type)\b)|"
             r"\b(?:on|by) what day\b|"
             # what period does the plan cover (2021—2025)
             r"\b(?:what|which) (?:time )?period (?:does|did|do|will|is|was)\b[^?]*\b(?:cover(?:s|ed|ing)?|span(?:s|ned|ning)?|run(?:s|ning)?|ran)\b"),
    ("number", r"多少|" + _EXTENT_BEFORE + r"多(?:大(?!的?" + _EXTENT + r")|[高长远久重])|百分之|"
               # 几 and a measure named beside no other question word: beside one, 几 is "several"
               # (几家银行中哪一家, 哪位选手赢过几次) and the measure its topic (哪一种原料的比例);
               # 哪吒 is a name, not 哪
               r"^(?!.*(?:哪(?!吒)|谁|何[人处地时者种]|[什甚]么)).*(?:(?<![哪这那近前后])几(?!乎)|"
               r"比例|比率|占比|数量|规模(?!以上))|"
               r"\bhow (many|much|long|far|large|big|fast|old)\b|\b(?:at )?what age\b(?! group)|what (percentage|proportion|share|number|ratio)|\bnumber of\b|\bpercent|"
               r"\bwhat(?: [\w-]+){0,2} rate\b|" + _EN_FIGURE),
    ("person", r"谁|何人|哪一?位|哪几位|哪些人|" + ROLE_PATTERN + r"(?:的)?(?:名字|姓名|叫什么|是什么人|是哪一?位|是哪一?个人)|"
               r"\bwho\b|\bwhom\b|\bwhose\b|\bname of the (?:[\w-]+ ){0,3}?(?:chair\w*|president|secretary|director|head|mayor|leader|"
               r"captain|official|minister|professor|spokes(?:man|woman|person))\b" + _NOT_HOLDER + "|" + _WHICH_ROLE),
    ("name", r"哪[一几]?[个家些所里座项种类条部届国省市款批支]|哪一|[什甚]么|何种|何[处地者]|叫什么|名称|称号|\bwhich\b|\bwhat\b|\bwhere\b|\bname\b"),
]
_CUE_RE = [(kind, re.compile(pattern, re.I)) for kind, pattern in _CUES]
# An English question opening with "which" asks for a name, whatever measure
# it names on the way (which port handled the largest number of ships).
_WHICH_ROLE_RE = re.compile(_WHICH_ROLE, re.I)
_WHATS = re.compile(r"\bwhat's\b", re.I)
_WHICH_FIRST = re.compile(r"\s*(?:(?:in|at|for|from|of|to|on|by|under|with) )?which\b(?!.*\bhow (?:many|much)\b)", re.I)

# Question words and function characters: they say what is asked, not about what.
QUESTION_WORDS = re.compile(
    r"请问|一下|多少|几[个家名位项次场所条期届]?|哪一?[个家些位年里所座项]?|[什甚]么|怎么样?|如何|是否|有没有|是不是|"
    r"为[什甚]么|何时|何种|何[处地人者]|谁|吗|呢|吧|呀|啊|了|的|得|地|和|与|及|是|有|在|被|把|对|于|都|也|还|就|"
    r"报告|文中|提到|提及|介绍|说|讲|请|告诉|我们?|你们?"
)

@lru_cache(maxsize=4096)  # the reader asks it of one question many times
def qtype(question: str) -> str:
    """``date``, ``number``, ``person``, ``name`` or ``other``.

    哪几 asks *which*, not *how many*, and 这几年 is no question at all;
    Traditional cues (幾, 誰) count too.

    >>> qtype("被哪几个部门表彰"), qtype("請過哪幾位院士"), qtype("有幾家"), qtype("这几年做了什么")
    ('name', 'person', 'number', 'name')
    >>> qtype("现任主席叫什么名字"), qtype("黨組書記是哪一位"), qtype("漁會總幹事叫什麼名字")
    ('person', 'person', 'person')
    >>> qtype("What was Sichuan's grain output in 2025?"), qtype("What is the growth target?")
    ('number', 'number')
    >>> qtype("What price ceiling did the landlords accept?"), qtype("What is the cap on bonus pay?")
    ('number', 'number')
    >>> qtype("What will the pension be raised to in 2030?"), qtype("To what weekly sum will fares rise?")
    ('number', 'number')
    >>> qtype("What total length had the network passed?"), qtype("What role does the fund play?")
    ('number', 'name')
    >>> qtype("What did the plan reach?"), qtype("What is the purpose of the subsidy?"), qtype("What price cap policy came in?")
    ('name', 'name', 'name')
    >>> qtype("What is the fee for?"), qtype("To what level of government does it report?")
    ('name', 'name')
    >>> qtype("How fast did the economy grow?"), qtype("What growth rate does Sichuan target?")
    ('number', 'number')
    >>> qtype("Which ministers will plan it?"), qtype("Which leaders' meeting will it serve?")
    ('person', 'name')
    >>> qtype("Which official website lists it?"), qtype("Which mayor’s office runs it?"), qtype("Which expert spoke?")
    ('name', 'name', 'person')
    >>> qtype("What is the name of the city official who spoke?"), qtype("What is the name of the official website?")
    ('person', 'name')
    >>> qtype("When was the handbook sent?"), qtype("When they met, what did they note?"), qtype("What is paid when it rains?")
    ('date', 'name', 'name')
    >>> qtype("According to the plan, when will the line open?"), qtype("By when must it finish?"), qtype("When and where?")
    ('date', 'date', 'date')
    >>> qtype("图书馆是在哪一个月开放的"), qtype("哪一个月份召开")
    ('date', 'date')
    >>> qtype("Which port handled the largest number of ships?"), qtype("In which city did output grow fastest?")
    ('name', 'name')
    >>> qtype("他是甚麼時候出生的"), qtype("被稱為甚麼"), qtype("首府位於何處"), qtype("由何人主持")
    ('date', 'name', 'name', 'person')
    >>> qtype("几乎每道菜都放什么香料"), qtype("产量与哪一种原料的比例有关"), qtype("占多大比例"), qtype("哪一座桥最长")
    ('name', 'name', 'number', 'name')
    >>> qtype("南朝几个政权中哪个最长"), qtype("哪位将军打了几次胜仗"), qtype("幾何學又叫什麼"), qtype("民國幾年建校")
    ('name', 'person', 'name', 'date')
    >>> qtype("哪吒汽车建了几家工厂"), qtype("项目总投资几何"), qtype("民国前几年发生了什么"), qtype("大桥几时通车")
    ('number', 'number', 'name', 'date')
    >>> qtype("Which bureau did the officer who spoke come from?"), qtype("In which city did the man who spoke live?")
    ('name', 'name')
    >>> qtype("對勤務會有多大影響？"), qtype("在多大程度上缓解了压力"), qtype("占多大比重"), qtype("面积有多大")
    ('other', 'other', 'number', 'number')
    >>> qtype("对勤务的影响有多大"), qtype("管道能承受多大压力"), qtype("What period is the plan covering?")
    ('other', 'number', 'date')
    >>> qtype("What price increase did the board approve?"), qtype("What budget deficit did the city post?")
    ('number', 'number')
    >>> qtype("How old is Yu, who filed the proposal?"), qtype("At what age did she retire?")
    ('number', 'number')
    >>> qtype("What is the registered capital of the firm?"), qtype("What is the capital of Hubei?")
    ('number', 'name')

    A noun after the measure names a thing; "what's" and a curly apostrophe read as typed out.

    >>> qtype("What revenue sources did the city tap?"), qtype("What growth engines has it built?")
    ('name', 'name')
    >>> qtype("What’s the grain output?"), qtype("What's Hubei’s GDP?"), qtype("What output figure did it hit?")
    ('number', 'number', 'number')
    >>> qtype("What time-honored brands were listed?"), qtype("What time did it open?")
    ('name', 'date')
    >>> qtype("Which period does the plan cover?"), qtype("What period was covered?")
    ('date', 'date')
    >>> qtype("What is the exact calendar date of the holiday?"), qtype("On what day did they meet?")
    ('date', 'date')
    >>> qtype("What was the date format used?"), qtype("What is the update rate?")
    ('name', 'number')
    """
    question = _WHATS.sub("what is", to_simplified(question).replace("’", "'"))
    which = _WHICH_FIRST.match(question)
    for kind, pattern in _CUE_RE:
        # after an opening which, a who right after a noun is relative (the officer who spoke): only a
        # role (which minister), a partitive (which of the candidates) or a second question asks a person
        if pattern.search(question) and not (which and (kind == "number" or kind == "person" and _relative_who(question))):
            return kind
    return "other"



_WHO_AFTER_NOUN = re.compile(r"\b(?!(?:of|and|or|but)\b)[a-z]+\s+(?:who|whom|whose)\b", re.I)


def _relative_who(question: str) -> bool:
    """Whether an opening-which question's who-cue is only a relative clause.

    >>> _relative_who("Which bureau did the officer who spoke come from?"), _relative_who("Which of the men who ran won?")
    (True, False)
    >>> _relative_who("Which agency, and who leads it?"), _relative_who("Which minister who spoke?")
    (False, False)
    """
    return (not _WHICH_ROLE_RE.search(question) and not re.search(r"\bwhich of\b", question, re.I)
            and bool(_WHO_AFTER_NOUN.search(question))
            and not re.search(r"(?:[,;]|\band\b|\bor\b)\s*(?:who|whom|whose)\b", question, re.I))
