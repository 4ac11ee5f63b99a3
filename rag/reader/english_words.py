"""Reading an English question's own words before any lookup: calendar
months and days (May the month, not the modal), acronyms, words kept as
written, dashed compounds and runs of words (``bridge.py`` looks them up).
"""
from __future__ import annotations

import re

from ..text.numerals import chinese_numeral

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A capitalised month names a month; May opening a sentence or a clause is the modal
# (May I ask..., (May we...), "Q: May...") unless a day follows it (May 28).
_MONTH_RE = re.compile(r"\b(" + "|".join(m.title() for m in _MONTHS) + r")\b")
_CLAUSE_START = re.compile(r"(?:^|[.?!:;(\[\"“‘「])[^\w']*$")  # not ': the factories' May sales


def is_acronym(word: str) -> bool:
    """Two capitals or a figure beside letters: PDIS, WeChat, 5G, PM2.5; not Join, 2024.

    >>> [is_acronym(w) for w in ("PDIS", "WeChat", "5G", "Join", "2024")]
    [True, True, True, False, False]
    """
    return sum(c.isupper() for c in word) > 1 or (any(c.isdigit() for c in word) and any(c.isalpha() for c in word))


def as_written(segments, verbatim: dict[str, bool]):
    """``segments`` with each ``verbatim`` word read as itself.  A word that is a
    segment of its own takes itself as its term; an acronym keeps its dictionary
    reading beside (APEC: 亚太经合组织), a word does not (the Join platform is no
    连接).  A word the segments split (pm2.5: pm, 2.5) is the term of its letters.

    >>> as_written([(("join",), ("连接",)), (("apec",), ("亚太经合组织",))], {"join": False, "apec": True})
    [(('join',), ('join',)), (('apec',), ('apec', '亚太经合组织'))]
    >>> as_written([(("pm",), ()), (("2.5",), ("2.5",))], {"pm2.5": True})
    [(('pm',), ('pm2.5',)), (('2.5',), ('2.5',))]
    """
    out = []
    for words, terms in segments:
        word = words[0] if len(words) == 1 else None
        if word in verbatim:
            terms = (word,) + (tuple(terms) if verbatim[word] else ())
        elif word and not terms:
            terms = next(((v,) for v in verbatim if word in re.findall("[a-z]+", v)), ())
        out.append((words, terms))
    return out


def months(question: str) -> dict[str, list[str]]:
    """The calendar months a question names, each with the forms a report writes it in.

    >>> months("What is the May festival?"), months("May I ask about March 2019?")
    ({'may': ['5月', '五月']}, {'march': ['3月', '三月']})
    >>> months('(May we ask?) "May I?" Q:  May it?'), months("March figures: what rose?"), months("May 28?")
    ({}, {'march': ['3月', '三月']}, {'may': ['5月', '五月']})
    >>> months("What were the factories' May sales?"), months("The 'May' festival?")
    ({'may': ['5月', '五月']}, {'may': ['5月', '五月']})
    """
    named = {m.group().lower() for m in _MONTH_RE.finditer(question) if not _modal(question, m)}
    return {m: [f"{i + 1}月", f"{chinese_numeral(i + 1)}月"] for i, m in enumerate(_MONTHS) if m in named}


def day_of_month(pair: list[str], calendar: dict[str, list[str]]) -> list[str]:
    """A month and its day, either way round, as a report writes them; [] if ``pair`` is none.

    >>> cal = months("On April 1 or 2 April?")
    >>> day_of_month(["april", "1"], cal), day_of_month(["2", "april"], cal), day_of_month(["april", "2025"], cal)
    (['4月1日', '4月', '四月'], ['4月2日', '4月', '四月'], [])
    """
    if len(pair) < 2:
        return []
    month, day = (pair[0], pair[1]) if pair[0] in calendar else (pair[1], pair[0])
    day = re.sub(r"(?:st|nd|rd|th)$", "", day)
    if month not in calendar or not day.isdigit() or not 1 <= int(day) <= 31:
        return []
    return [f"{_MONTHS.index(month) + 1}月{int(day)}日"] + calendar[month]


def _modal(question: str, month: re.Match) -> bool:
    return (month.group() == "May" and _CLAUSE_START.search(question[:month.start()]) is not None
            and not re.match(r"\s+\d", question[month.end():]))


def is_calendar(word: str) -> bool:
    return word.lower() in _MONTHS or word.lower() in _DAYS


_COMPOUND = re.compile(r"[A-Z][\w']*(?:\s*[–—-]\s*[A-Z][\w']*)+")


def joined_to(name: str, known, question: str) -> bool:
    """Whether ``name`` is a part of a dashed compound (the Yichang–Fuling section,
    Sichuan–Tibet) a part of which the corpus mentions (``known``): reports shorten
    such compounds (宜涪段, 川藏), so the part they drop is no sign of another subject.

    >>> joined_to("Fuling", {"yichang"}.__contains__, "the Yichang–Fuling section")
    True
    >>> joined_to("Ezhou", {"yichang"}.__contains__, "Ezhou"), joined_to("Tibet", {"chuanzang"}.__contains__, "Sichuan–Tibet")
    (False, False)
    """
    for compound in _COMPOUND.findall(question):
        parts = [p.lower().split("'")[0] for p in re.split(r"\s*[–—-]\s*", compound)]
        if name.lower() in parts and any(known(p) for p in parts):
            return True
    return False


def runs(n: int) -> list[tuple[int, int]]:
    """(start, length) of every run of ``n`` words, longest first.

    >>> runs(3)
    [(0, 3), (0, 2), (1, 2), (0, 1), (1, 1), (2, 1)]
    """
    return [(i, k) for k in range(n, 0, -1) for i in range(n - k + 1)]
