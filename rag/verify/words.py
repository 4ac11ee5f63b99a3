"""Words of a quote and its source: jieba's segmentation, numbers whole, names in context.

jieba is loaded lazily (about 1.4 s with its dictionary): exact quotes never need it.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..text.persons import SURNAMES
from ..text.spans import NUMBER_PATTERN

_NUM_RE = re.compile(rf"第?{NUMBER_PATTERN}")
_SURNAMES = SURNAMES


@lru_cache(maxsize=1)
def load_jieba():
    # lazy: importing jieba and loading its dictionary takes ~1.4 s; exact quotes never need it
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return jieba


def words(text: str) -> list[tuple[int, int]]:
    """Word spans of ``text``; a number with its unit counts as one word.

    >>> words("建成87家")
    [(0, 2), (2, 5)]
    """
    spans, pos = [], 0
    for w in load_jieba().lcut(text, HMM=False):
        spans.append((pos, pos + len(w)))
        pos += len(w)
    for m in _NUM_RE.finditer(text):
        spans = [s for s in spans if s[1] <= m.start() or s[0] >= m.end()] + [m.span()]
    return sorted(spans)



def is_name(word: str, flag: str) -> bool:
    return flag in ("ns", "nt", "nz") or (flag.startswith("nr") and word[0] in _SURNAMES)


@lru_cache(maxsize=256)
def names(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the words jieba tags as names in ``text``, read in context.

    >>> names("推荐湖北师范大学吴杰教授")
    ((2, 4), (8, 10))
    """
    spans, pos = [], 0
    for p in load_jieba().posseg.lcut(text):
        if is_name(p.word, p.flag):
            spans.append((pos, pos + len(p.word)))
        pos += len(p.word)
    return tuple(spans)


def whole_names(q: str, s: str, sa: int, sb: int, qa: int, qb: int) -> tuple[int, int, int, int]:
    """Grow a name change to the whole name on both sides: 李杰/吴杰, not 李/吴.

    >>> whole_names("推荐李杰教授", "推荐吴杰教授", 2, 3, 2, 3)
    (2, 4, 2, 4)
    >>> whole_names("大冶特钢刘光明荣获", "大冶特钢刘光辉荣获", 5, 7, 5, 7)
    (4, 7, 4, 7)
    """
    def reach(text: str, a: int, b: int) -> tuple[int, int]:
        hit = [w for w in names(text) if a < b and w[0] < b and w[1] > a]
        return min([a] + [w[0] for w in hit]), max([b] + [w[1] for w in hit])
    (q0, q1), (s0, s1) = reach(q, qa, qb), reach(s, sa, sb)
    # the text around the change is shared, so both sides grow alike
    left, right = max(qa - q0, sa - s0), max(q1 - qb, s1 - sb)
    if left == 0 and sa > 0 and qa > 0 and s[sa - 1] == q[qa - 1] in _SURNAMES:
        left = 1  # a shared surname jieba did not join: 刘光明/刘光辉, not 光明/光辉
    left = min(left, sa, qa)
    return sa - left, min(len(s), sb + right), qa - left, min(len(q), qb + right)
