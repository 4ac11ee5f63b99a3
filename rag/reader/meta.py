"""Questions about a document itself: when it was published, its source, author or title.

They are answered from the metadata ingestion found in the header (the
dateline, ``来源：``, the speaker line, front matter), citing the header line
the value stands on, never from body text that merely looks similar.

>>> [meta_kind(q) for q in ["这篇报告是哪天发布的？", "文章來源是哪家報紙", "作者是谁", "Who wrote this post?"]]
['date', 'source', 'author', 'author']
>>> [meta_kind(q) for q in ["科技成果的来源是什么", "2024年新增了多少家企业", "报告提到的发布会在哪天举行"]]
[None, None, None]
>>> [meta_kind(q) for q in ["這份報告是在哪一天的湖北省人代會上作的", "报告是在第几次会议上作的", "这篇文章有什么标签"]]
['delivered', 'occasion', 'tags']
>>> meta_kind("这篇文章的标题是什么"), meta_kind("按照这篇文章的小标题，哪一节讲预算？")
('title', None)
>>> meta_kind("这份报告刊登在哪家报纸上？"), meta_kind("On what date was this work report delivered?")
('source', 'delivered')
>>> meta_kind("When did the governor deliver this report?"), meta_kind("When did the mayor deliver the keynote speech?")
('delivered', None)
>>> [meta_kind(q) for q in ["这份政府工作报告是由哪位省长代表省政府作的？", "报告中哪位院士作了讲座"]]
['author', None]
>>> [meta_kind(q) for q in ["该年度报告由哪位董事长提出？", "这篇评论文章是谁发表的", "这份报告中哪位专家提出的？"]]
['author', 'author', None]
>>> [meta_kind(q) for q in ["该市这份预算报告是什么时候在议会上提出的", "本文提到的倡议是何时提出的", "成本报告中的建议由谁提出的"]]
['delivered', None, None]
>>> meta_kind("Which governor delivered Hubei's 2026 work report?"), meta_kind("Which mayor presented the awards?")
('author', None)
>>> meta_kind("湖北省长是在哪一天向省人大会议作这份政府工作报告的？"), meta_kind("哪一天在会上作了动员讲话和工作报告")
('delivered', None)
>>> meta_kind("代表省政府向省人大會議報告工作的省長是誰？"), meta_kind("在市人大会议上作这份政府工作报告的市长是谁")
('author', 'author')
>>> meta_kind("这份政府工作报告是由哪位领导向大会作的"), meta_kind("四川這份政府工作報告是由誰向大會報告的？")
('author', 'author')
>>> meta_kind("广东省长是在省人大的哪一次会议上作这份报告的"), meta_kind("这份湖北政府工作报告是在哪次人代会上作的？")
('occasion', 'occasion')
>>> meta_kind("What official title did Li Dianxun hold when he delivered the report?"), meta_kind("在哪次会议上提出了这项倡议")
(None, None)
>>> meta_kind("這篇報告網頁的責任編輯是誰？"), meta_kind("Who is the responsible editor of this page?"), meta_kind("编辑部设在哪里")
('editor', 'editor', None)
>>> [meta_kind(q) for q in ("本文提到的责编培训人数是多少", "失信记录的来源有哪些", "这项世界纪录是谁做的", "报告中提到的企业在哪个国际博览会上签约")]
[None, None, None, None]
>>> meta_kind("本报告中作了表态发言报告的县长是谁"), meta_kind("作这份报告的代省长是谁"), meta_kind("代表市政府作报告的是谁")
(None, 'author', 'author')
>>> meta_kind("Do you know when the governor delivered this report?"), meta_kind("Could you tell me what date this report was delivered?")
('delivered', 'delivered')
>>> meta_kind("这篇协作会议纪录的作者署名是谁"), meta_kind("在科普大会上作报告的专家是谁"), meta_kind("省长在报告中表扬了哪位市长")
('author', None, None)
"""
from __future__ import annotations

import re

from ..ingest.text import strip_span
from ..text.normalize import is_english, simple, to_simplified
from ..types import Answer, Citation, Document

HEADER_SECTION = "（页头信息）"
CONFIDENCE = 0.95
AMBIGUOUS_NOTE = "语料中有多篇文档，问题没有指明问的是哪一篇（可以加上地名、标题或主题）"
_NOUN = r"(?:报告|文章|文件|稿件|新闻|通稿|帖子|网页|页面|会议[纪记]录|纪要|文)"  # not 失信记录, 世界纪录
_DOC = rf"(?:这篇|这份|本篇|该篇|此篇|本|该|此|这)?{_NOUN}"
# This very document, opening the question (after a place or year at most): not
# 报告中/本文提到的 (what it mentions), not the 本 of 成本 or a 文 of 文旅.
_THIS = (r"^[^，。？！\s]{0,8}?(?:(?:这|本|该|此)[篇份个]?[^，。？！]{0,12}?(?:报告|文章|文件|稿件|新闻|通稿|帖子|网页|页面)"
         r"|(?:本|该|此)文)(?![中里内上会所]|提到)")
# A field belongs to this document only when the question points at it: a
# demonstrative before the noun (这份…报告, this … post), or a noun phrase
# opening the question with no relative clause (四川2026年政府工作报告的…,
# Hubei's 2026 government work report).  Without that, 那篇党建调研报告的题目 or
# "the title of the survey report" asks about a report the text mentions.
_ANCHOR_ZH = rf"(?:这|本|该|此)[篇份个则]?[^，。？！]{{0,14}}?{_NOUN}|^[^，。？！的\s]{{0,14}}?{_NOUN}"
_EN_NOUN = r"(?:report|post|article|document|speech|text|page|piece)s?\b"
_EN_META_VERB = r"(?:published|delivered|released|posted|issued)"
_ANCHOR_EN = (rf"\b(?i:this|these)\s+(?:[\w'-]+\s+){{0,5}}?{_EN_NOUN}"
              rf"|(?:\b(?i:the)\s+|\b[A-Z][a-z]+'s\s+)(?:(?:[A-Z0-9][\w'-]*|blog|web|news|government|work|annual|full|provincial|municipal|city)"
              rf"\s+){{0,5}}"
              rf"{_EN_NOUN}(?!\s+(?!{_EN_META_VERB}\b)\w+ed\b)")
# The office itself, not its deputy (副省长, 常务副市长), asked of no other year than the report's.
_OFFICES_HELD = "(省长|市长|县长|区长|州长|镇长)"
_OFFICE = "(?<![副代])" + _OFFICES_HELD
_NO_YEAR = r"^(?!.*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年?)"
_HOLDER_ZH = rf"{_NO_YEAR}[^，。？！\s]{{0,10}}?{_OFFICE}(?:是谁|叫什么(?:名字)?|是哪位|姓什么|的名字是什么)\W*$"
_HOLDER_EN = (r"^(?!.*\b(?:1[89]|20)\d\d\b)(?:who|who's) (?:is |was )?(?:the )?(?:[\w-]+'s )?"
              r"(?<!vice )(?<!vice-)(governor|mayor)\b(?: of [\w -]+)?\W*$")
_OFFICES = {"governor": "省长", "mayor": "市长"}
# on whose behalf and to whom a report is delivered may stand before the verb (代表省政府向大会作的)
_ON_BEHALF = r"(?:(?:代表|向)\w{1,8}?){0,2}"
_KINDS = {
    "date": [rf"{_DOC}.{{0,6}}(?:哪天|哪一天|什么时候|何时|几月几日|几号|哪年|日期|时间).{{0,4}}(?:发布|发表|刊发|刊登|公布|上线)",
             r"(?:发布|发表|刊发|刊登)(?:日期|时间|于)", rf"{_DOC}.{{0,4}}(?:的)?(?:日期|时间)是",
             r"\b(?:when|what date)\b.{0,40}\b(?:publish|published|released|posted|issued)\b",
             r"\b(?:publication|release) date\b"],
    "delivered": [rf"{_DOC}.{{0,8}}(?:哪天|什么时候|何时|哪一天).{{0,12}}(?:作|做|宣读|所作)",
                  # 哪一天向省人大会议作这份政府工作报告: to whom it was delivered may stand between
                  r"(?:哪一?天|什么时候|何时)[^，。？！]{0,10}?(?:作|做)(?:的)?(?:这份|这个|本|该)?(?:政府)?工作报告",
                  # 这份报告是哪一天在人代会上报告/发表的: with a demonstrative, as 报告中 does not ask of this one
                  rf"{_THIS}[是在于]{{0,3}}(?:哪天|什么时候|何时|哪一天)[^，。？！]{{0,12}}(?:报告|发表|提出)的?\W*$",
                  r"(?:^\W*|[,;:]\s*|\b(?:on|at|in|and|know|me|ask|asking|wondering)\s+)(?:when|what date|which day)\b.{0,60}"
                  r"\b(?:deliver|present|give|read out)(?:ed|s|n)?\b"],
    "source": [rf"{_DOC}.{{0,6}}(?:来源|出处|出自)", r"^(?:来源|出处)(?:是|为)", r"(?:哪家|哪个|什么)(?:报纸|媒体|网站|报社).{0,6}(?:发布|刊登|刊发|登载|转载|发表)",
               r"(?:发布|刊登|刊发|登载|转载|发表)(?:在|于)(?:哪家|哪个|什么)(?:报纸|媒体|网站|报社)",
               r"\b(?:source|which newspaper|which outlet)\b"],
    "editor": [r"(?:责任编辑|责编)(?:是谁|是哪位|叫什么|为谁|是什么人)", r"^(?:责任编辑|责编)(?:是|为)",
               r"\bwho(?:'s| is| was)\b.{0,30}\b(?:responsible |managing )?editor\b"],
    "author": [rf"{_DOC}.{{0,6}}(?:作者|撰稿|执笔|报告人)", r"^(?:作者|撰稿人|执笔人|报告人)(?:是|为)",
               rf"谁(?:写|撰写|发布|作|做)(?:了|的)?(?:这篇|这份|本|该)?{_DOC}?", r"(?:由谁|是谁)(?:作|做|写|撰写)",
               rf"{_DOC}.{{0,4}}(?:由谁|谁|哪位\w{{0,3}})(?:来)?{_ON_BEHALF}(?:作|做|写|撰写|宣读)的?\W*$",
               rf"{_THIS}[是由为被]{{0,3}}(?:由谁|谁|哪位\w{{0,3}})(?:来)?{_ON_BEHALF}(?:提出|发表|报告)的?\W*$",
               # the office that reported (向大会报告工作的省长, 作这份工作报告的市长) is the speaker
               rf"(?:报告工作|(?:作|做|宣读)了?(?:(?:这份|这个|本|该)[^，。？！]{{0,10}}?|(?:政府)?工作)报告)的"
               rf"(?<!副)(?:代理?)?{_OFFICES_HELD}(?:是谁|是哪位|叫什么|姓什么)",
               r"代表\w{1,6}?政府(?:向\w{1,8}?)?(?:作|做)了?(?:这份|本)?(?:政府)?(?:工作)?报告的(?:人)?是(?:谁|哪位)",
               r"\bwho (?:wrote|authored|delivered|gave|presented|issued)\b", r"\bauthor\b",
               r"\bwhich (?:[\w-]+ ){0,2}?(?:governor|mayor|premier|minister|official|leader)s? (?:wrote|authored|delivered|gave|"
               r"presented) (?:this|the|[\w-]+'s)\b[^?]{0,40}?\b(?:report|speech|article|post|document)s?\b"],
    # 小标题/副标题 name a section's heading or a subtitle, not the document's title
    "title": [rf"{_DOC}.{{0,6}}(?<![小副分子])(?:标题|题目|名称)", r"^(?:标题|题目)(?:是|为)", r"\btitle of\b"],
    "occasion": [rf"{_DOC}.{{0,8}}(?:哪次|哪一次|第几次|哪个|什么)(?:人代|人大)?(?:会议|大会|会)上",
                 rf"(?:哪次|哪一次|第几次|哪个)(?:人代|人大)?(?:会议|大会|会)上(?:作|做|宣读)的?(?:这份|这个|本|该)[^，。？！]{{0,8}}?{_NOUN}",
                 r"\b(?:at|during) (?:which|what) (?:meeting|session|congress)\b"],
    # who holds the office the speaker line names now (湖北省长是谁: 湖北省人民政府省长 李殿勋)
    "holder": [_HOLDER_ZH, _HOLDER_EN],
    "category": [rf"{_DOC}.{{0,12}}(?:分类|类别|栏目)", r"\bcategory\b"],
    "tags": [rf"{_DOC}.{{0,12}}(?:标签|关键词)", r"\b(?:tags?|keywords)\b"],
}
_FIELDS = {"date": ("date",), "delivered": ("delivered", "date"), "source": ("source",),
           "author": ("speaker", "author"), "editor": ("editor",), "title": ("title",), "occasion": ("occasion",),
           "category": ("category",), "tags": ("tags",), "holder": ("speaker",)}


def meta_kind(question: str) -> str | None:
    """Which document field a question asks for, or None when it asks about the content."""
    text = to_simplified(question.strip())
    q = text.lower()
    for kind, patterns in _KINDS.items():
        # A pattern tied to the question's start (来源是…) names the field alone: it needs no pointer.
        if any(re.search(p, q) and (p.startswith("^") or _anchored(text)) for p in patterns):
            return kind
    return None


def office(question: str) -> str:
    """The office a holder question asks about, as a speaker line writes it.

    >>> meta_kind("湖北省长是谁？"), office("湖北省长是谁？"), meta_kind("Who is the governor of Hubei?"), office("Who is the mayor?")
    ('holder', '省长', 'holder', '市长')
    >>> meta_kind("省长在报告中提出了哪些目标？"), meta_kind("谁是那位获奖的市长"), meta_kind("省长是谁提名的")
    (None, None, None)
    >>> meta_kind("湖北副省长是谁"), meta_kind("Who was the mayor of Wuhan in 2020?"), office("四川省长宁县县长是谁")
    (None, None, '县长')
    """
    m = re.search(_HOLDER_ZH, to_simplified(question)) or re.search(_HOLDER_EN, question.lower())
    return _OFFICES.get(m.group(1), m.group(1)) if m else ""


def holds(speaker_line: str, question: str, words: list[str]) -> bool:
    """Whether a speaker line answers who holds the office asked: it names the office and
    the places the question names.

    >>> holds("湖北省人民政府省长 李殿勋", "湖北省长是谁", ["湖北"]), holds("上海市市长 龚 正", "Who is the mayor?", ["台北"])
    (True, False)
    """
    line, asked = simple(speaker_line), office(question)
    return bool(asked) and asked in line and all(simple(w) in line for w in words if w != asked)


def _anchored(question: str) -> bool:
    """Whether the question points at this document (see ``_ANCHOR_ZH``).

    >>> [_anchored(q) for q in ["这篇关于渔港的文章是谁写的", "湖北省2026年政府工作报告是谁作的", "获奖的那篇党建调研报告题目是什么"]]
    [True, True, False]
    >>> [_anchored(q) for q in ["Who delivered Hubei's 2026 government work report?", "the title of the survey report",
    ...                         "the title of the report produced from the survey", "when was this blog post published"]]
    [True, False, False, True]
    """
    return bool(re.search(_ANCHOR_ZH, question) or re.search(_ANCHOR_EN, question))


def header_line(text: str, start: int, end: int) -> tuple[int, int]:
    """The header line (or front matter line) a field stands on, stripped (quotable as it is).

    >>> header_line("标题\\n  来源：黄石市科协  \\n正文", 8, 13)  # the value 黄石市科协 at 8:13
    (5, 13)
    """
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    while a < start and text[a] in " \t\u3000\u00a0\ufeff":
        a += 1
    while b > end and text[b - 1] in " \t\r\u3000\u00a0":
        b -= 1
    return a, b


def wrapped_end(text: str, end: int) -> int:
    r"""The end of an occasion line wrapped onto the next one (…第十四届 /
    人民代表大会第五次会议上): a line that stops short of its 上 goes on.

    >>> t = "——2026年1月26日在广东省第十四届\r\n人民代表大会第五次会议上\n正文"
    >>> t[:wrapped_end(t, t.index("\r"))], wrapped_end("——在某省人民代表大会上\n正文", 12)
    ('——2026年1月26日在广东省第十四届\r\n人民代表大会第五次会议上', 12)
    """
    at = text.find("\n", end)
    if text[:end].rstrip().endswith("上") or at < 0 or text[end:at].strip():
        return end
    nxt = text.find("\n", at + 1)
    line = text[at + 1:len(text) if nxt < 0 else nxt].rstrip()
    return at + 1 + len(line) if 0 < len(line) <= 40 and line.endswith("上") else end


# What kind of document a question means, as a header spells it: a blog
# post's front matter files it under ``category: blog``.
_KIND_WORDS = (("blog", re.compile(r"部落格|博客|(?:这|本|该|此)[篇则]?博文|网志|\bblog", re.I)),)
# What a question about a document says besides its topic: the pointer, the
# document noun, the field and the question words.
_NOT_TOPIC = re.compile(rf"(?:这|本|该|此)[篇份个则]?|{_NOUN}|部落格|博客|博文|网志|作者|撰稿人?|执笔人?|报告人|来源|出处|出自|"
                        r"标题|题目|名称|名字|日期|时间|时候|分类|类别|栏目|标签|关键词|发布|发表|刊发|刊登|公布|上线|"
                        r"写|撰写|作|做|请问|请告诉我|你知道|知道|谁|何人|哪[天年位家个里]|哪一[天年位家个]|什么|何时|"
                        r"几月几日|几号|网站|报纸|媒体|省长|市长|领导|叫|是|的|由|了|在|吗|呢|"
                        # digits, punctuation and a lone Latin letter; a Latin name (ChatGPT) is a topic
                        r"[\W\d_]|(?<![a-zA-Z])[a-zA-Z](?![a-zA-Z])")

_EN_NOT_TOPIC = re.compile(r"\b(?:who|whom|when|what|which|date|day|title|name|source|author|authored|wrote|written|"
                           r"can|could|you|tell|me|please|know|s|governor|mayor|premier|minister|official|leader|"
                           r"writer|deliver(?:ed|s)?|gave|given|presented|issued|publish(?:ed)?|released|posted|"
                           r"this|these|that|the|a|an|is|was|are|were|of|by|on|in|at|it|its|did|does|do|has|"
                           r"have|and|to|for|from|under|category|tags?|newspaper|outlet|government|work|annual|full|"
                           r"blog|web|news|(?:report|post|article|document|speech|text|page|piece)s?)\b|[^A-Za-z\s]", re.I)


def kind_words(question: str) -> list[str]:
    """The header words naming the kind of document a question asks about.

    >>> kind_words("這篇部落格文章的作者是誰？"), kind_words("Who wrote this blog post?"), kind_words("这份报告的作者")
    (['blog', '部落格'], ['blog'], [])
    >>> kind_words("这篇博文是谁写的"), kind_words("李博文教授提出了什么建议")
    (['blog', '这篇博文'], [])
    """
    text = to_simplified(question)
    return [w for word, pattern in _KIND_WORDS if (m := pattern.search(text)) for w in dict.fromkeys((word, m.group().lower()))]


def names_topic(question: str) -> bool:
    """Whether a question about a document says what it is about
    (这篇关于渔港的文章), so its best passages point at the document meant;
    这篇文章的作者是谁 names nothing, and its passages are any.

    >>> names_topic("这篇关于渔港的文章是谁写的？"), names_topic("這篇部落格文章的作者是誰？"), names_topic("这份报告是哪天发布的")
    (True, False, False)
    >>> names_topic("Who wrote this blog post?"), names_topic("What is the title of the post about firefighter leave?")
    (False, True)
    >>> names_topic("请问这篇文章是什么时候发布的？"), names_topic("这篇ChatGPT文章的作者是谁"), names_topic("Who's the author of this post?")
    (False, True, False)
    """
    if is_english(question):
        return bool(_EN_NOT_TOPIC.sub(" ", question).split())
    return len(_NOT_TOPIC.sub("", to_simplified(question))) >= 2


def header_overlap(doc: Document, words) -> int:
    """How many of ``words`` the document's title and header fields spell: a
    question naming 广东 (or Guangdong, bridged) asks about 广东's report,
    whatever the passages it retrieved first.

    >>> from types import SimpleNamespace
    >>> doc = SimpleNamespace(title="政府工作报告", fields=(("speaker", "广东省省长 孟凡利", 0, 9),))
    >>> header_overlap(doc, ["广东", "报告"]), header_overlap(doc, ["湖北", "报告"])
    (2, 1)
    """
    header = simple(" ".join([doc.title] + [value for _, value, *_ in doc.fields]))
    return sum(1 for w in words if w and simple(w) in header)


def meta_answer(doc: Document, kind: str) -> Answer | None:
    """The field's value as it stands in the text, cited at its header line; None if not in the text."""
    for name in _FIELDS[kind]:
        for field, value, start, end in doc.fields:
            if field == name and value and 0 <= start < end:
                a, b = header_line(doc.text, start, end)
                if name == "occasion":
                    b = wrapped_end(doc.text, b)
                if name in ("speaker", "occasion"):
                    start, end = a, b
                start, end = strip_span(doc.text, start, end)  # 2025-12-17 09:24: the date, not its space
                cite = Citation(doc.id, doc.path, doc.title, doc.date, HEADER_SECTION, 0, a, b, 0, doc.origin)
                return Answer(doc.text[start:end], doc.text[a:b], CONFIDENCE, cite, start, end)
    return None
