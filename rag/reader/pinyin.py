"""The corpus read aloud: toneless pinyin of its words and runs, for names
an English question spells in pinyin (Daye -> 大冶, Yinjiangjihuai -> 引江济淮).

Each run of Chinese characters is read once.  Its tagger words and any two
characters in a row are kept by their reading (the tagger glues short names
to their neighbours: 同东贝 -> Dongbei is 东贝); runs of three or more
characters are kept as one string of readings, searched for names of three
to six syllables the tagger does not cut out.

>>> r = Readings("惠及百万人的引江济淮工程，同东贝合作")
>>> r.spelled["dongbei"], r.runs("yinjiangjihuai"), r.runs("yinjiang")
(['东贝'], ['引江济淮'], [])
>>> from .wade import wade_reading
>>> Readings("行政院副院长陈其迈听取陈情", wade_reading).runs("chenchimai")
['陈其迈']
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from itertools import accumulate

_RUN = re.compile(r"[\u4e00-\u9fff]+")
MIN_SYLLABLES, MAX_SYLLABLES = 3, 6  # two-syllable names are in ``spelled`` already


def chinese_word(word: str) -> bool:
    """A word of 2 to 4 Chinese characters: what a name or a compound can be.

    >>> [chinese_word(w) for w in ("生猪", "猪", "2025年", "全国运动会")]
    [True, False, False, False]
    """
    return 2 <= len(word) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in word)


class Readings:
    """``spelled``: reading -> the corpus's tagger words, then its character
    pairs, so read; ``tagged``: the tagger words; ``runs``: longer names."""

    def __init__(self, corpus: str, spell=None):
        import jieba
        from pypinyin import lazy_pinyin

        # ``spell``: text -> one reading per character (pinyin, or wade.wade_reading for Taiwan's names)
        self._spell = read = spell or lazy_pinyin
        self.spelled: dict[str, list[str]] = defaultdict(list)
        self.tagged: set[str] = set()
        for word in dict.fromkeys(jieba.lcut(corpus)):
            if chinese_word(word):
                self.spelled["".join(read(word))].append(word)
                self.tagged.add(word)
        self._runs, self._starts, parts, at = [], [], [], 0
        for run in dict.fromkeys(_RUN.findall(corpus)):
            syllables = read(run)
            if len(syllables) != len(run):  # one reading per character, or the offsets drift
                continue
            for i in range(len(run) - 1):
                pair = run[i:i + 2]
                if pair not in self.spelled[key := syllables[i] + syllables[i + 1]]:
                    self.spelled[key].append(pair)
            if len(run) >= MIN_SYLLABLES:
                self._runs.append(run)
                self._starts.append(at)
                parts.append("".join(syllables))
                at += len(parts[-1]) + 1
        self._text = "\0".join(parts)

    def runs(self, key: str) -> list[str]:
        """Runs of 3 to 6 characters read as ``key``, the commonest first."""
        found, at = Counter(), self._text.find(key)
        while at >= 0:
            k = bisect_right(self._starts, at) - 1
            run, offset = self._runs[k], at - self._starts[k]
            # character count at each syllable boundary of this run's reading (read again: few runs match)
            ends = {end: i for i, end in enumerate(accumulate((len(s) for s in self._spell(run)), initial=0))}
            a, b = ends.get(offset), ends.get(offset + len(key))
            if a is not None and b is not None and MIN_SYLLABLES <= b - a <= MAX_SYLLABLES:
                found[run[a:b]] += 1
            at = self._text.find(key, at + 1)
        return [word for word, _ in found.most_common()]
