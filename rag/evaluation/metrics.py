"""Answer-matching metrics: the official CMRC2018 EM/F1 and gold containment.

Short-answer EM/F1 follow the official CMRC2018 script
(``cmrc2018_evaluate.py``): punctuation removed, F1 over the longest common
*contiguous* run of segments (the official ``find_lcs`` is a longest common
substring despite its name), maximised over the gold answers.  Segments are
single CJK characters and, between them, Latin/number words.

>>> round(cmrc_f1(["4家院士"], "4家"), 4)
0.6667
>>> cmrc_em(["《新小说》"], "新小说")
1.0
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..text.normalize import simple

# The official script's list, verbatim; '……' is two characters and so never
# matches a single character there either: kept for faithfulness.
SP_CHAR = ['-', ':', '_', '*', '^', '/', '\\', '~', '`', '+', '=',
           '，', '。', '：', '？', '！', '“', '”', '；', '’', '《', '》', '……', '·', '、',
           '「', '」', '（', '）', '－', '～', '『', '』']
_SP_SET = {c for c in SP_CHAR if len(c) == 1}
_CJK_OFFICIAL = re.compile(r"[\u4e00-\u9fa5]")
# Stand-in for nltk.word_tokenize on the non-CJK runs (no nltk dependency):
# words keep inner . , ' - (4.5, 1,000, U.S.), other symbols stand alone.
_WORD = re.compile(r"\w+(?:[.,'’-]\w+)*|[^\w\s]")


def remove_punctuation(text: str) -> str:
    """Lower-case, strip, drop the official punctuation list.

    >>> remove_punctuation(" 《新小说》、ABC ")
    '新小说abc'
    """
    return "".join(c for c in str(text).lower().strip() if c not in _SP_SET)


def mixed_segmentation(text: str, rm_punc: bool = False) -> list[str]:
    """CJK characters one by one, other runs tokenised into words.

    >>> mixed_segmentation("光荣和ω-force开发", rm_punc=True)
    ['光', '荣', '和', 'ωforce', '开', '发']
    >>> mixed_segmentation("1,000 km以上")
    ['1,000', 'km', '以', '上']
    """
    out, run = [], ""
    for ch in str(text).lower().strip():
        if rm_punc and ch in _SP_SET:
            continue
        if _CJK_OFFICIAL.match(ch) or ch in _SP_SET:
            out.extend(_WORD.findall(run))
            run = ""
            out.append(ch)
        else:
            run += ch
    out.extend(_WORD.findall(run))
    return out


def longest_common_run(a: list[str], b: list[str]) -> int:
    """Length of the longest common contiguous run (official ``find_lcs``).

    >>> longest_common_run(list("abcde"), list("xbcdy"))
    3
    """
    best, prev = 0, [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b):
            if x == y:
                cur[j + 1] = prev[j] + 1
                best = max(best, cur[j + 1])
        prev = cur
    return best


def cmrc_f1(answers, prediction: str) -> float:
    """Official CMRC2018 F1 (0..1), max over gold answers; no golds gives 0."""
    pred = mixed_segmentation(prediction, rm_punc=True)
    scores = [0.0]
    for ans in answers:
        gold = mixed_segmentation(ans, rm_punc=True)
        n = longest_common_run(gold, pred)
        if n:
            p, r = n / len(pred), n / len(gold)
            scores.append(2 * p * r / (p + r))
    return max(scores)


def cmrc_em(answers, prediction: str) -> float:
    """Official CMRC2018 exact match (0 or 1) after removing punctuation."""
    pred = remove_punctuation(prediction)
    return float(any(remove_punctuation(a) == pred for a in answers))


@lru_cache(maxsize=200_000)
def _norm(text: str) -> str:
    return simple(text)


def contains_gold(text: str | None, answers) -> bool:
    """True when ``text`` contains a gold answer, both normalised (黃=黄, ，=,).

    >>> contains_gold("黄石有4家院士工作站。", ["4家", "四家"])
    True
    >>> contains_gold(None, ["4家"])
    False
    """
    return bool(text) and any(a and _norm(a) in _norm(text) for a in answers)
