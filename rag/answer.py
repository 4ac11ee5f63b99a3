"""Reader: pick the answer sentence from the top chunks, trim a short span, abstain.

A sentence's score mixes four generic signals:

* lexical: IDF-weighted coverage of the question's character bigrams and
  characters (question words removed); IDF over the candidates, so a subject
  named in every candidate sentence counts for little;
* dense: cosine of question and sentence embeddings (works across languages);
* retrieval: the fused score of the chunk the sentence came from;
* type fit: a number question wants a sentence with a number, and so on.

Confidence comes from the same signals for the chosen sentence, shrunk for
each question noun, name or number the passage lacks; below the threshold the
reader abstains.  ``rag calibrate`` prints the trade-off on the development
set; ``rag eval`` measures the whole pipeline.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from .index import Index
from .normalize import has_cjk, simple
from .qtype import QUESTION_WORDS, asked_unit, candidate_spans, qtype, type_fit, unit_compatible, unit_fits
from .types import Answer, Citation, Hit, Passage

ABSTAIN_MESSAGE = "报告中没有找到直接回答这个问题的内容"


@dataclass(frozen=True)
class ReaderSettings:
    """Reader weights and thresholds.

    ``threshold`` 0.5 refused about 90% of unanswerable Chinese dev questions
    while answering about 90% of answerable ones correctly (``rag calibrate``);
    English questions, matched through the dictionary bridge, score lower
    and get their own threshold.
    """

    candidate_chunks: int = 3
    w_lexical: float = 1.0
    w_dense: float = 1.0
    w_retrieval: float = 0.3
    w_type: float = 0.25
    threshold: float = 0.5
    threshold_latin: float = 0.20
    miss_penalty: float = 0.5
    noun_penalty: float = 0.75


@dataclass(frozen=True)
class Query:
    """A question as the reader sees it.

    ``lexical`` is the text for character matching: the question itself, or
    for an English question its dictionary bridge into Chinese terms;
    ``names`` are the corpus names an English question spells in pinyin
    (Wuhan -> 武汉), and ``unknown`` counts those the corpus never mentions.
    """

    text: str
    lexical: str
    unknown: int = 0
    names: tuple[str, ...] = ()

    @classmethod
    def of(cls, question: "str | Query") -> "Query":
        return question if isinstance(question, Query) else cls(question, question)

    @property
    def latin(self) -> bool:
        return not has_cjk(self.text)


@dataclass(frozen=True)
class Candidate:
    doc: str
    sentence: int
    paragraph: int
    start: int
    end: int
    retrieval: float


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


def _grams(text: str) -> tuple[set[str], set[str]]:
    """Characters and bigrams, never across a space (the English bridge
    separates its terms with spaces: 院士 工作站 has no bigram 士工).

    >>> sorted(_grams("院士 工作站")[1])
    ['作站', '工作', '院士']
    """
    chars, bigrams = set(), set()
    for token in text.split():
        kept = "".join(c for c in token if has_cjk(c) or c.isalnum())
        chars.update(kept)
        bigrams.update(kept[i:i + 2] for i in range(len(kept) - 1))
    return chars, bigrams


def citation(index: Index, doc_id: str, paragraph: int, start: int, end: int) -> Citation:
    doc = index.docs[doc_id]
    para = doc.paragraph(paragraph)
    return Citation(doc.id, doc.path, doc.title, doc.date, para.section, paragraph, start, end)


def candidates(index: Index, hits: list[Hit], n: int) -> list[Candidate]:
    """Sentences overlapping the top ``n`` chunks, best chunk first, no repeats."""
    seen, out = set(), []
    for hit in hits[:n]:
        doc = index.docs[hit.chunk.doc]
        for s in doc.sentences:
            if s.paragraph == hit.chunk.paragraph and s.start < hit.chunk.end and s.end > hit.chunk.start:
                if (doc.id, s.id) not in seen:
                    seen.add((doc.id, s.id))
                    out.append(Candidate(doc.id, s.id, s.paragraph, s.start, s.end, hit.score))
    return out


def lexical_coverage(question: str, texts: list[str]) -> np.ndarray:
    """IDF-weighted share of the question's bigrams (+0.3 x characters) in each text."""
    q_chars, q_bi = _grams(content(question))
    sets = [_grams(simple(t)) for t in texts]
    n = len(texts)
    def idf(g, which):
        df = sum(1 for s in sets if g in s[which])
        return math.log(1 + n / (1 + df)) + 0.1
    w_bi = {g: idf(g, 1) for g in q_bi}
    w_ch = {g: 0.3 * idf(g, 0) for g in q_chars}
    total = sum(w_bi.values()) + sum(w_ch.values())
    if total == 0:
        return np.zeros(n, dtype=np.float32)
    got = [sum(w for g, w in w_bi.items() if g in s[1]) + sum(w for g, w in w_ch.items() if g in s[0]) for s in sets]
    return np.asarray(got, dtype=np.float32) / total


def score_candidates(index: Index, question: "str | Query", qvec: np.ndarray, cands: list[Candidate],
                     settings: ReaderSettings) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Score every candidate sentence; return scores and the signals behind them."""
    query = Query.of(question)
    texts = [index.docs[c.doc].text[c.start:c.end] for c in cands]
    kind = qtype(query.text)
    lexical = lexical_coverage(query.lexical, texts) if has_cjk(query.lexical) else np.zeros(len(cands), np.float32)
    signals = {
        "lexical": lexical,
        "dense": np.asarray([float(index.sentence_vector(c.doc, c.sentence) @ qvec) for c in cands], np.float32),
        "retrieval": np.asarray([c.retrieval for c in cands], np.float32),
        "type": np.asarray([type_fit(query.text, kind, t) for t in texts], np.float32),
    }
    s = settings
    score = (s.w_lexical * signals["lexical"] + s.w_dense * signals["dense"]
             + s.w_retrieval * signals["retrieval"] + s.w_type * signals["type"])
    return score, signals


def confidence(signals: dict[str, np.ndarray], i: int, latin: bool, sim_range: tuple[float, float]) -> float:
    """How sure the reader is that sentence ``i`` answers: a 0..1 number.

    Cosines are rescaled by the embedder's ``sim_range`` (e5's cosines of
    related texts sit between 0.75 and 0.95; other models spread differently).
    English questions match through their dictionary bridge, whose noisier
    coverage gets its own threshold.
    """
    lo, hi = sim_range
    dense = max(0.0, min(1.0, (float(signals["dense"][i]) - lo) / (hi - lo)))
    return 0.5 * float(signals["lexical"][i]) + 0.5 * dense


_NUM_IN_Q = re.compile(r"\d+(?:\.\d+)?")
_INTERROGATIVE = re.compile(r"什么|哪.?|几.?|多少|谁|何.?")
_NAME_FLAGS = {"nr", "ns", "nt", "nz", "nrt", "nrfg", "eng"}
# Words that frame a question rather than name its topic.
_ASKING = {"哪个", "哪家", "哪些", "哪份", "哪所", "哪位", "哪种", "哪类", "哪项", "哪里", "什么", "多少", "几个", "哪两",
           "哪几", "何种", "怎样", "哪一步", "哪方面", "哪次", "哪一", "多长"}
_DISCOURSE = {"一共", "总共", "共计", "目前", "现在", "已经", "这篇", "这个", "这些", "这类", "这件", "那些", "报告",
              "综述", "文中", "提到", "具体", "大概", "大约", "最后", "主要", "时间", "情况", "方面", "开始", "当时",
              # meta nouns that name the kind of answer, not the topic
              "名称", "名字", "全称", "简称", "称号", "称呼", "单位", "机构", "部门", "类型", "种类", "内容",
              "数量", "人数", "次数", "数字", "数据", "地方", "地点", "位置", "年份", "日期", "方式", "方法",
              "原因", "目的", "结果", "作用", "意义"}


_JOINERS = "和与及同跟或"


def _question_terms(question: str) -> list[str]:
    """Topic nouns of a question (names, places, things; verbs are paraphrased
    too freely to count).  Not stopwords, and not the noun right after a
    question word (哪家*单位*, 什么*文件*), which names the answer's kind."""
    import jieba.posseg as pseg
    from bm25s.stopwords import STOPWORDS_CHINESE

    terms, skip_next = [], False
    for word, flag in pseg.lcut(_NUM_IN_Q.sub(" ", simple(question))):
        word = word.strip()
        if word in _ASKING or _INTERROGATIVE.fullmatch(word):
            # 哪家*单位* / 什么*文件* name the answer's kind; 几名*讲解员* names the topic.
            skip_next = not word.startswith(("几", "多"))
            continue
        if QUESTION_WORDS.fullmatch(word):
            continue
        word = word.lstrip(_JOINERS)  # the tagger glues 和/与 to a name: 和东贝
        if skip_next or len(word) < 2 or word in STOPWORDS_CHINESE or word in _DISCOURSE:
            skip_next = False
            continue
        if flag.startswith("n") or flag == "eng":
            terms.append((word, flag in _NAME_FLAGS))
    return terms


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
    """
    ctx = simple(context)
    strong = [n for n in _NUM_IN_Q.findall(simple(question)) if n not in _NUM_IN_Q.findall(ctx)]
    weak = []
    for word, is_name in _question_terms(question) if has_cjk(question) else []:
        if word in ctx:
            continue
        share = sum(ch in ctx for ch in word) / len(word)
        if is_name and share < 0.75:  # 上海 is not in 海智工作站
            strong.append(word)
        elif is_name or share < 0.5:
            weak.append(word)
    return strong, weak


_CLAUSE_RE = re.compile(r"[^,，、;；:：。！？!?]+")


def _clause_of(clauses: list[tuple[int, int]], span: tuple[int, int], n: int) -> tuple[int, int]:
    """The clause holding ``span``; a clause that is nothing but the span
    (``2024年,黄石…达15.3%``) belongs with the clause after it."""
    i = next((i for i, (a, b) in enumerate(clauses) if a <= span[0] < b), None)
    if i is None:
        return 0, n
    a, b = clauses[i]
    if (a, b) == span and i + 1 < len(clauses):
        b = clauses[i + 1][1]
    return a, b


def short_span(question: str, sentence: str, lexical: str | None = None, subject: str = "",
               strict: bool = False) -> tuple[int, int] | None:
    """The span answering ``question`` inside ``sentence``, or None.

    Candidates fitting the question type are ranked by: the unit asked for
    (多少家 wants ``家``); how much of the question its clause repeats (the
    answer sits in the clause that restates the question); and closeness to
    the question words before it (Chinese puts the count after its noun).
    ``subject`` (the document title) names what the report is about: a
    person question is not answered by a word from it (黄石 tagged as a name).

    >>> s = "现建有院士工作站4家,专家工作站77家,博士创新站6家"
    >>> s[slice(*short_span("专家工作站有多少家？", s))], s[slice(*short_span("博士创新站有几个", s))]
    ('77家', '6家')
    """
    q, kind = simple(question), qtype(question)
    spans = [sp for sp in candidate_spans(kind, sentence)
             if simple(sentence[sp[0]:sp[1]]) not in q and not sentence.startswith("来", sp[1])
             and not (kind == "person" and sentence[sp[0]:sp[1]] in subject)]
    if not spans:
        return None
    _, q_bi = _grams(content(lexical or question))
    hits = [i for i in range(len(sentence) - 1) if simple(sentence[i:i + 2]) in q_bi]
    clauses = [m.span() for m in _CLAUSE_RE.finditer(sentence)]
    unit = asked_unit(question)
    generic = bool(re.search(r"(?:几|多少)个", q))

    def rank(sp):
        a, b = _clause_of(clauses, sp, len(sentence))
        overlap = sum(1 for h in hits if a <= h and h + 2 <= b and not (sp[0] <= h < sp[1]))
        before = [sp[0] - (h + 2) for h in hits if h + 2 <= sp[0]]
        gap = min(before) if before else len(sentence) + min((abs(h - sp[1]) for h in hits), default=0)
        led = any(a <= h and h + 2 <= sp[0] for h in hits)  # question words lead up to it in its clause
        text = sentence[sp[0]:sp[1]]
        # 个 is only a tie-breaker: reports count the same things in 家 or 项.
        return (bool(unit) and unit in text, led, overlap, generic and "个" in text, -gap)
    best = max(spans, key=rank)
    # A name or title is only singled out when its clause echoes the question;
    # otherwise the whole sentence is the safer answer.  ``strict`` asks the
    # same of numbers and dates: a year in a clause about something else
    # does not answer 哪一年.
    if (strict or kind in ("name", "person")) and not any(rank(best)[1:3]):
        return None
    return best


def read(index: Index, question: "str | Query", qvec: np.ndarray, hits: list[Hit],
         settings: ReaderSettings = ReaderSettings(),
         sim_range: tuple[float, float] = (0.75, 0.95)) -> tuple[Answer | None, float, Answer | None]:
    """Best answer or None (abstain), its confidence, and the best guess either way."""
    query = Query.of(question)
    cands = candidates(index, hits, settings.candidate_chunks)
    if not cands:
        return None, 0.0, None
    score, signals = score_candidates(index, query, qvec, cands, settings)
    i = int(np.argmax(score))
    conf = confidence(signals, i, query.latin, sim_range) * _evidence_factor(index, query, cands[i], settings)
    best = _make_answer(index, query, cands[i], conf)
    threshold = settings.threshold_latin if query.latin else settings.threshold
    return (best if conf >= threshold else None), conf, best


def _evidence_factor(index: Index, query: Query, cand: Candidate, settings: ReaderSettings) -> float:
    """Shrink confidence for each question term, and for an asked-for type, the passage lacks."""
    doc = index.docs[cand.doc]
    para = doc.paragraph(cand.paragraph)
    context = " ".join((doc.title, para.section, doc.text[para.start:para.end]))
    question = query.text
    strong, weak = missing_terms(question, context)
    absent_names = [n for n in query.names if n not in simple(context)]
    misses = len(strong) + query.unknown + len(absent_names)
    kind = qtype(question)
    sentence = doc.text[cand.start:cand.end]
    # The sentence must hold a number/date/name that the question does not already say.
    if kind in ("number", "date", "person") and short_span(question, sentence, query.lexical, doc.title, strict=True) is None:
        misses += 1
    elif kind == "number" and not unit_fits(question, sentence):
        misses += 1
    elif kind == "number" and not unit_compatible(question, sentence):
        weak.append("unit")
    return settings.miss_penalty ** misses * settings.noun_penalty ** len(weak)


def _make_answer(index: Index, query: Query, cand: Candidate, conf: float) -> Answer:
    doc = index.docs[cand.doc]
    sentence = doc.text[cand.start:cand.end]
    span = short_span(query.text, sentence, query.lexical, doc.title)
    a, b = (cand.start + span[0], cand.start + span[1]) if span else (cand.start, cand.end)
    return Answer(doc.text[a:b], sentence, conf, citation(index, cand.doc, cand.paragraph, cand.start, cand.end), a, b)


def passages(index: Index, hits: list[Hit]) -> tuple[Passage, ...]:
    """The supporting passages: each hit's chunk text with its citation."""
    return tuple(Passage(h.chunk.text, h.score, citation(index, h.chunk.doc, h.chunk.paragraph, h.chunk.start, h.chunk.end))
                 for h in hits)

