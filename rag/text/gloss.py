"""English glosses of Chinese sentences, for English questions.

Looking English words up in a Chinese dictionary is ambiguous (``science``
has a dozen headwords); looking Chinese words up is not: a sentence's words
each have a short list of English glosses in CC-CEDICT.  So an English
question is also matched against the stemmed glosses of each candidate
sentence: ``科普大篷车累计行程2万公里`` covers ``popular``, ``scienc``,
``caravan``, ``travel``, ``kilomet``... and answers "How far has the science
popularization caravan travelled?".  The reader takes, per sentence, the
better of this and the bridge's Chinese-term coverage.

>>> sorted(gloss_bag("大篷车行程"))[:4]
['caravan', 'cours', 'cover', 'distanc']
>>> question_stems("How far has the caravan travelled?")
['far', 'caravan', 'travel']
"""
from __future__ import annotations

import math
import re
import threading
from functools import lru_cache

import numpy as np

from .cedict import STOP, american, cedict_entries
from .normalize import simple

_WORD = re.compile(r"[a-z]+")
# Single words, not bridge.py's phrase keys: "covered-wagon" must give "wagon".
_PAREN = re.compile(r"\([^)]*\)")
# Glosses that describe the entry rather than translate it.
_META = re.compile(r"^(?:variant of|old variant|see |used in|surname|abbr\. for|CL:|Taiwan pr\.|also written)", re.I)
# Words that frame an English question, never its topic.
_FRAME = set("""many much how what which who whom whose when where why name title total number
report according roughly approximately exactly about time times year years""".split())


_LOCAL = threading.local()


def _stemmer():
    """This thread's stemmer: a snowball stemmer keeps the word being stemmed
    in itself, so two threads sharing one corrupt each other's words
    (IndexError under the app's concurrent questions, seen in bench.load)."""
    if not hasattr(_LOCAL, "stemmer"):
        import snowballstemmer

        _LOCAL.stemmer = snowballstemmer.stemmer("english")
    return _LOCAL.stemmer


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """One key for an English word's forms: lemma (held -> hold), American
    spelling, then the snowball stem.

    >>> [stem(w) for w in ("held", "holds", "organised", "organization", "honoured")]
    ['hold', 'hold', 'organiz', 'organiz', 'honor']
    """
    import simplemma

    return _stemmer().stemWord(american(simplemma.lemmatize(word, lang="en")))


# A gloss that points to another headword: "abbr. for 中國科協|中国科协[...], CAST".
_REFERENCE = re.compile(r"^(?:old )?(?:variant of|abbr\. for|see also|see|also written)\s+"
                        r"(?:[^|\s\[,]+\|)?([^|\s\[,]+)(?:\[[^\]]*\])?,?\s*(.*)$", re.I)


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, ...]]:
    """Simplified headword -> the content words of its glosses (stemmed on use).

    An abbreviation or variant takes the glosses of the headword it points to.
    """
    table: dict[str, set[str]] = {}
    pointers: list[tuple[str, str]] = []
    for simplified, _, glosses in cedict_entries():
        for g in glosses.split("/"):
            ref = _REFERENCE.match(g.strip())
            if ref:
                pointers.append((simplified, ref.group(1)))
                g = ref.group(2)
            elif _META.match(g.strip()):
                continue
            table.setdefault(simplified, set()).update(_words(g))
    for word, target in pointers:
        table.setdefault(word, set()).update(table.get(target, ()))
    return {k: tuple(v) for k, v in table.items() if v}


def _words(gloss: str) -> list[str]:
    return [w for w in _WORD.findall(_PAREN.sub(" ", gloss.lower())) if w not in STOP]


@lru_cache(maxsize=4096)
def gloss_bag(text: str) -> frozenset[str]:
    """Stems of the English glosses of the words of a Chinese text (and of
    the shorter words inside them, as a search engine splits 大篷车 / 篷车)."""
    import jieba

    table = glossary()
    return frozenset(stem(w) for word in jieba.cut_for_search(simple(text)) for w in table.get(word, ()))


def question_stems(question: str) -> list[str]:
    """Content-word stems of an English question, in order, without repeats."""
    return list(dict.fromkeys(stem(w) for w in _content_words(question.lower())))


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w not in STOP and w not in _FRAME]


def absent_words(segments, bag: frozenset[str], corpus: str) -> tuple[tuple[str, ...], int]:
    """(the question's content words the corpus never mentions, how many content words).

    ``segments`` are ``Bridge.segments``; a word is mentioned when its phrase
    has bridged terms (a number: when it occurs) or its stem is in ``bag``,
    the corpus's gloss stems.

    >>> absent_words([(("weather",), ()), (("huangshi",), ("黄石",)), (("2019",), ("2019",))], frozenset(), "黄石 2024")
    (('weather', '2019'), 3)
    """
    absent, total = [], 0
    for words, terms in segments:
        for w in _content_words(" ".join(words)) if not words[0][0].isdigit() else list(words):
            total += 1
            found = any(simple(t) in corpus for t in terms) if w[0].isdigit() else bool(terms) or stem(w) in bag
            if not found:
                absent.append(w)
    return tuple(absent), total


def gloss_coverage(question: str, texts: list[str]) -> np.ndarray:
    """IDF-weighted share of the question's stems among each text's glosses.

    >>> [round(float(x), 2) for x in gloss_coverage("How far has the caravan travelled?", ["大篷车行程2万公里", "举办科普大会"])]
    [0.57, 0.0]
    """
    return coverage(question, [gloss_bag(t) for t in texts])


def coverage(question: str, bags: list[frozenset[str]]) -> np.ndarray:
    """``gloss_coverage`` over gloss bags already made (an index keeps its chunks')."""
    q = question_stems(question)
    return idf_share([[s in b for s in q] for b in bags])


def idf_share(hits: list[list[bool]]) -> np.ndarray:
    """Per text, the IDF-weighted share of the question's items it holds
    (``hits[text][item]``); an item few texts hold weighs more.

    >>> [round(float(x), 2) for x in idf_share([[True, True], [True, False]])]
    [1.0, 0.44]
    """
    if not hits or not hits[0]:
        return np.zeros(len(hits), dtype=np.float32)
    idf = [math.log(1 + len(hits) / (1 + sum(row[j] for row in hits))) + 0.1 for j in range(len(hits[0]))]
    return np.asarray([sum(w for w, h in zip(idf, row) if h) / sum(idf) for row in hits], dtype=np.float32)
