"""The reader's hand-made signals: what a candidate sentence covers of the question, and what it lacks.

* lexical: IDF-weighted coverage of the question's character bigrams and
  characters (question words removed); IDF over the candidates, so a subject
  named in every candidate sentence counts for little; for an English
  question, its dictionary terms or the sentence's English glosses;
* evidence misses: a name or number of the question missing from the
  passage, an asked-for type (number, date, sum, list) the sentence lacks,
  a count in another class of unit (strong); a topic noun (weak).  A
  who-question's sentence naming no one is a feature of its own
  (``features.unnamed``), not a miss.

They are features of the learned reader (``features.py``), not a score.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np

from ..text.gloss import idf_share
from ..index import Index
from ..text.normalize import simple
from ..text.persons import asks_holder, person_spans
from ..text.qtype import qtype
from .counts import unit_compatible
from .change import total_for_period
from .units import asks_money, unit_fits
from .span import short_span
from ..text.deixis import WHOLE_REPORT, named_by_deixis, plain
from ..text.periods import other_period, other_plan, unstated_year
from ..text.terms import content, grams, missing_terms
from ..types import Answer, Document
from .candidates import Candidate, Query, citation
from .fits import contrast_fits, part_fits, role_fits, year_fits
from .lists import lists_fit
from .places import place_fits


def lexical_coverage(question: str, texts: list[str]) -> np.ndarray:
    """IDF-weighted share of the question's bigrams (+0.3 x characters) in each text."""
    q_chars, q_bi = grams(content(question))
    sets = [grams(simple(t)) for t in texts]
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


def term_coverage(groups: tuple[tuple[str, ...], ...], texts: list[str]) -> np.ndarray:
    """IDF-weighted share of the groups (one per English phrase: its
    alternative Chinese terms) that each text holds a term of."""
    plain = [simple(t) for t in texts]
    return idf_share([[any(simple(t) in p for t in g) for g in groups] for p in plain])


def names_slot(index: Index, query: Query, cand: Candidate) -> bool:
    """A what/which question meets a quoted name in the clause that echoes it."""
    doc = index.docs[cand.doc]
    return short_span(query.simplified, doc.view[cand.start:cand.end], query.lexical, doc.title, strict=True) is not None


def evidence_misses(index: Index, query: Query, cand: Candidate) -> tuple[int, int, int]:
    """(strong, weak, misfit) counts of what the passage lacks: names, numbers, the
    asked-for type, the role a who-question names, the list a which-ones
    question wants, the place a which-city question wants and the year a
    which-year question wants are strong;
    common nouns are weak.  ``misfit`` is the part of ``strong`` that is the
    sentence's shape, not a missing word (type, unit, list, role, place,
    year, contrast, part of a whole, period), which the model weighs on its
    own: a missing word and a misfit do not err alike."""
    doc = index.docs[cand.doc]
    para = doc.paragraph(cand.paragraph)
    context = " ".join((doc.title, para.section, doc.lead_in(cand.paragraph), doc.view[para.start:para.end]))
    question = query.simplified
    strong, weak = missing_terms(question, context)
    about, year = subject(doc), doc_year(doc)
    # The title's year is the report's own (2026年政府工作报告), not the passage's.
    passage = " ".join((para.section, doc.view[para.start:para.end]))
    unstated = [w for w in strong if unstated_year(w, passage, year)]
    weak += unstated
    strong = [w for w in strong if not (w in unstated or named_by_deixis(w, context, doc.view)
                                       or (not w[0].isdigit() and w in about))]
    plain = simple(context)
    absent_names = [g for g in query.names
                    if not any(n in plain or n in about or named_by_deixis(n, context, doc.view) for n in g)]
    # A name the corpus never mentions at all is more than missing from this paragraph.
    misses = len(strong) + 2 * query.unknown + len(absent_names)
    misfit = _misfits(query, doc, cand)
    if other_period(question, year, period_section(doc, cand.paragraph), doc.view[para.start:para.end]):
        misfit += 1
    elif other_plan(question, passage):
        misfit += 1
    return misses + misfit, len(weak), misfit


def other_subject(index: Index, query: Query, cand: Candidate) -> str:
    """A name of the question that another document is about (its title or header) and this
    document never says: 广东's figure asked of a Sichuan report's sentence answers for the
    wrong province ('' when none).  Only a whole report's silence says so: an encyclopedia
    paragraph (CMRC2018, DRCD: under 1,100 characters) need not name 中国 to answer about China's rice.
    """
    doc = index.docs[cand.doc]
    if len(doc.view) < WHOLE_REPORT or len(index.docs) < 2:
        return ""
    # the question's names (missing from an empty context), an English one's groups of alternatives
    # (台北, 台北市: absent only when every one is); a role (省长) or a common noun is no subject
    asked = query.names if query.latin else [(w,) for w in missing_terms(query.simplified, "")[0]]
    about, others = subject(doc), [_about(d) for d in index.docs.values() if d.id != doc.id]
    for group in asked:
        named = [w for w in group if len(w) >= 2 and not w[0].isdigit() and any(w in o for o in others)]
        if named and not any(w in about or w in plain(doc.view) for w in group):
            return named[0]
    return ""


def _about(doc) -> str:
    """What a document is about, by its title and header, not who delivered it (a speaker's 省长 is no subject)."""
    return _subject((doc.title,) + tuple(v for name, v, *_ in doc.fields if name not in ("date", "speaker")))


def _misfits(query: Query, doc: Document, cand: Candidate) -> int:
    """How many of the sentence's shape checks fail (0 to 2): the asked-for type or unit, and the wording's fits."""
    question, sentence = query.simplified, doc.view[cand.start:cand.end]
    kind = qtype(question)
    misfit = 0
    # The sentence must hold a number or date that the question does not already say.  Not
    # a person: who-questions are answered by groups and offices (漁會代表, 地方政府) as
    # often as by names, and the name finder misses many names (the gold sentence failed
    # for 91 of 126 development who-questions); features.py weighs that check on its own.
    valued = kind in ("number", "date")
    span = short_span(question, sentence, query.lexical, doc.title, strict=True) if valued else None
    if valued and (span is None or kind == "number" and total_for_period(question, sentence, span)):
        misfit += 1
    # A count in another class of unit (多少次 asked, 30万人次 given) answers something else:
    # the development reports' gold sentences fail this check for 3 of 314 count questions.
    elif (kind == "number" or asks_money(question)) and not unit_fits(question, sentence) \
            or kind == "number" and not unit_compatible(question, sentence):
        misfit += 1
    if (not lists_fit(question, sentence) or not role_fits(question, sentence, query.lexical)
            or not place_fits(question, sentence, query.lexical) or not year_fits(question, sentence)
            or not contrast_fits(query.lexical if query.latin else question, sentence, query.latin)
            or not query.latin and not part_fits(question, sentence)):
        misfit += 1
    return misfit


# A top-level heading (一、2025年工作回顾; 第二章) sets the period of the
# subsections under it ((一)全力促进经济平稳健康发展), which name no year.
_TOP_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十\d]+[章部编篇])")
_SUBSECTION = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}\s*[.、．](?!\d))")


def period_section(doc, number: int) -> str:
    """Paragraph ``number``'s section, with the top-level heading above it when it is a subsection.

    >>> from types import SimpleNamespace as N
    >>> doc = N(paragraphs=tuple(N(section=s) for s in
    ...         ["一、2025年工作回顾", "（一）促进经济发展", "二、2026年主要任务", "（一）扩大内需"]))
    >>> [period_section(doc, n) for n in (2, 3, 4)]
    ['一、2025年工作回顾 （一）促进经济发展', '二、2026年主要任务', '二、2026年主要任务 （一）扩大内需']
    >>> period_section(N(paragraphs=(N(section="一、2025年工作回顾"), N(section="今年主要目标任务"))), 2)
    '今年主要目标任务'
    """
    return _periods(tuple(p.section for p in doc.paragraphs))[number - 1]


@lru_cache(maxsize=64)
def _periods(sections: tuple[str, ...]) -> tuple[str, ...]:
    top, out = "", []
    for section in sections:
        if _SUBSECTION.match(section):
            out.append(f"{top} {section}" if top else section)
            continue
        top = section if _TOP_HEADING.match(section) else ""  # an unnumbered heading stands alone
        out.append(section)
    return tuple(out)


def subject(doc) -> str:
    """What the whole document is about: its title and header fields, simplified.

    A name they give (广东 in 「在广东省第十四届人民代表大会」) is the subject of
    every passage, which says 全省 or nothing instead.
    """
    return _subject((doc.title,) + tuple(v for name, v, *_ in doc.fields if name != "date"))


def doc_year(doc) -> int | None:
    """The year the document speaks from: when it was delivered, else dated.

    >>> doc_year(type("D", (), {"date": "2026-02-05", "fields": (("delivered", "2026-01-27", 0, 0),)})())
    2026
    """
    dates = [v for name, v, *_ in doc.fields if name == "delivered"] + [getattr(doc, "date", "")]
    return next((int(d[:4]) for d in dates if d[:4].isdigit()), None)


@lru_cache(maxsize=256)
def _subject(values: tuple[str, ...]) -> str:
    return simple(" ".join(values))


def names_nobody(query: Query, sentence: str) -> bool:
    """A who-question naming a role (协会会长是谁, who is the party secretary)
    whose sentence names no person.  The question model weighs an English
    question's strong misses lightly (the bridge makes many false ones), and
    such questions are too few in the training data to teach it otherwise.

    >>> q = Query("Who is the president of the society?", "学会 会长")
    >>> names_nobody(q, "学会会员达3.3万人"), names_nobody(q, "会长李文华主持会议")
    (True, False)
    """
    return qtype(query.text) == "person" and asks_holder(query.text) and not person_spans(sentence)


def make_answer(index: Index, query: Query, cand: Candidate, conf: float) -> Answer:
    doc = index.docs[cand.doc]
    span = short_span(query.simplified, doc.view[cand.start:cand.end], query.lexical, doc.title)
    a, b = (cand.start + span[0], cand.start + span[1]) if span else (cand.start, cand.end)
    return Answer(doc.text[a:b], doc.text[cand.start:cand.end], conf, citation(index, cand.doc, cand.paragraph, cand.start, cand.end), a, b)
