"""Names in an English question, read as the corpus writes them: a capitalised
word or group spelled in pinyin (Huangshi: 黄石, Daye Special Steel: 大冶), a
Taiwanese given name hyphenated in Wade–Giles (Chen Chi-mai: 陈其迈), a name the
dictionary glosses (Taipei: 台北), and the names the corpus never mentions
(Ezhou in a Huangshi report), which say the question is about something else.
``Bridge`` (``bridge.py``) reads them through this mixin.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..text.cedict import STOP, tables
from ..text.deixis import OWN_NAME
from ..text.normalize import simple
from .english_words import is_calendar, joined_to, runs

MAX_PER_WORD = 2
_NAME_RE = re.compile(r"(?<![.?!]\s)(?<!^)\b[A-Z][a-z]+(?:[- ][A-Z][a-z]+)*")
# Taiwan hyphenates a given name in Latin letters, in Wade–Giles or pinyin: Chen Chi-mai (陳其邁).
# Each part a syllable (consonants, vowels, a final n/ng/h): Hong Kong-based is no name.
_SYLLABLE = r"[b-df-hj-np-tv-z]{0,3}[aeiouv]{1,3}(?:ng|n|h|r)?"
_HYPHENATED_NAME = re.compile(rf"\b([A-Z]{_SYLLABLE}) ([A-Z]{_SYLLABLE}-{_SYLLABLE})\b")
_FIRST_RE = re.compile(r"(?:^|(?<=[.?!]\s))([A-Z][a-z]+)(?![- ][A-Z])")


class NameReading:
    """The name lookups of ``Bridge``: it supplies the corpus, its readings and its term lookups."""

    def names(self, question: str) -> tuple[list[tuple[str, ...]], list[str]]:
        """Capitalised names written in pinyin: (the corpus words each may be, names not found).

        >>> from rag.reader.bridge import Bridge
        >>> Bridge("黄石市科协").names("How big is Huangshi, and Ezhou?")
        ([('黄石',)], ['Ezhou'])
        >>> Bridge("推荐大冶特钢刘光辉").names("Which Daye Special Steel employee?")
        ([('大冶',)], [])
        >>> Bridge("湖北经济").names("Hubei's economy grew how fast?")
        ([('湖北',)], [])
        >>> Bridge("行政院副院长陈其迈听取陈情").names("What did Vice Premier Chen Chi-mai hear?")[0]
        [('陈其迈',)]
        """
        spelled, missing = self._spelled_names(question)
        return list(dict.fromkeys(tuple(hits) for hits in spelled.values())), missing

    @lru_cache(maxsize=1024)  # names(), segments() and translate() each need it for one question
    def _spelled_names(self, question: str) -> tuple[dict[str, list[str]], list[str]]:
        """(lower-case name -> corpus words, names the corpus never mentions); callers only read them."""
        found, missing = {}, []
        for surname, given in _HYPHENATED_NAME.findall(question):
            key = (surname + given).lower().replace("-", "")
            if hits := self._readings().runs(key)[:MAX_PER_WORD] or self._wade().runs(key)[:MAX_PER_WORD]:
                found.update((word, hits) for word in [given.lower()] + re.findall(r"[a-z]+", f"{surname} {given}".lower()))
        for first in _FIRST_RE.findall(question):
            # A sentence's first word is capitalised anyway: a name only when
            # the dictionary spells a corpus word so (Hubei's economy...).
            key = re.sub(r"[^a-z]", "", first.lower())
            if first.lower() not in STOP and not is_calendar(first) and (hits := self._dictionary_names(first, key)):
                found[first.lower()] = hits
        for group in _NAME_RE.findall(question):
            words = [w for w in group.split() if not is_calendar(w)]  # months and weekdays are no names
            if not words:
                continue
            # "Daye Special Steel": the whole group, else runs of its words, longest first,
            # until every word is covered (Chengdu World Games: 成都 and 世运).
            for i, n in runs(len(words)):
                if any(w.lower() in found for w in words[i:i + n]):
                    continue
                name = " ".join(words[i:i + n])
                key = re.sub(r"[^a-z]", "", name.lower())
                hits = self._name_hits(name, key, whole=n in (1, len(words)))
                if hits:
                    found.update((word, hits) for word in name.lower().split())
                elif n == len(words) and (key in tables()[1] or key in tables()[4]):
                    missing.append(name)  # a known place or name the corpus never mentions
                    break
        # a place or name the corpus writes shortened (Sichuan–Tibet: 川藏) is known by its terms;
        # a common word (Ezhou–Science Forum) knows no place
        known = lambda part: part in found or ((part in tables()[1] or part in tables()[4])  # noqa: E731
                                               and bool(self._longest([part])[1] or self._stem_terms(part)))
        return found, [name for name in missing if not joined_to(name, known, question)]

    def _name_hits(self, name: str, key: str, whole: bool) -> list[str]:
        """Corpus words ``name`` spells: the dictionary's, the tagger's, any two
        characters for a whole group or one word (东贝), or a longer run (引江济淮).  A run
        of a group's words takes no character pair nor common word: Professor Li Qiang
        is not 能力强's 力强, nor Professor Shi Wu 十五.

        >>> from rag.reader.bridge import Bridge
        >>> Bridge("惠及百万人的引江济淮工程启动建设").names("Whom does Yinjiangjihuai serve?")[0]
        [('引江济淮',)]
        >>> Bridge("第十五届运动会由顾云教授主持").names("What did Professor Shi Wu say?")  # not the pair 十五
        ([], [])
        """
        from ..text.gloss import glossary

        # within a group only a tagger word the dictionary does not gloss (吴杰, not 十五)
        spelled = [w for w in self._readings().spelled.get(key, [])
                   if whole or (w in self._readings().tagged and w not in glossary())]
        return self._dictionary_names(name, key, proper=not whole) or spelled or self._readings().runs(key)[:MAX_PER_WORD]

    def _dictionary_names(self, name: str, key: str, proper: bool = False) -> list[str]:
        """Corpus words the dictionary spells ``name``: proper nouns first, and
        only those when there are any (Shanghai is 上海, not 伤害, though both
        read shanghai), and only those when ``proper``; a name the dictionary
        glosses but does not spell in pinyin (Taipei, 台北) comes from the glosses.

        >>> from rag.reader.bridge import Bridge
        >>> Bridge("上海的安全伤害").names("Is it Shanghai?")[0], Bridge("台北市").names("Is it Taipei?")[0]
        ([('上海',)], [('台北', '台北市')])

        A country a report names only as its own (全台 for Taiwan) is found so:

        >>> Bridge("全台222个渔港").names("How many fishing ports are there in Taiwan?")
        ([('全台',)], [])
        """
        in_corpus = lambda words: [w for w in words if simple(w) in self.corpus]  # noqa: E731
        t = tables()
        names, spelled = t[3].get(key, ()), t[4].get(key, ())
        found = in_corpus(names) or in_corpus(spelled) \
            or in_corpus(list(dict.fromkeys(d for w in names + spelled for d in OWN_NAME.get(simple(w), ()))))
        return found or ([] if proper else in_corpus(t[1].get(key, ())))
