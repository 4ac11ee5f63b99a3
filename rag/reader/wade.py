"""Toneless pinyin to Wade–Giles as Taiwan writes names in Latin letters:
no apostrophes, no umlauts (陳其邁 is Chen Chi-mai, 張景森 Chang Ching-sen).

An English question about a Taiwanese report spells its people so; the
corpus is read in both systems (``pinyin.Readings``), so either finds them.

>>> " ".join(wade(s) for s in ["chen", "qi", "mai", "zhang", "jing", "sen", "zheng", "wen", "can"])
'chen chi mai chang ching sen cheng wen tsan'
>>> " ".join(wade(s) for s in ["lin", "jia", "long", "xu", "guo", "yong", "ze", "zi", "shi", "ri", "er", "lv"])
'lin chia lung hsu kuo yung tse tzu shih jih erh lu'
"""
from __future__ import annotations

# Whole syllables whose Wade–Giles is not initial + final.
_WHOLE = {"zhi": "chih", "chi": "chih", "shi": "shih", "ri": "jih", "zi": "tzu", "ci": "tzu", "si": "ssu",
          "yi": "i", "you": "yu", "yan": "yen", "ye": "yeh", "yong": "yung", "yue": "yueh", "er": "erh",
          "ge": "ko", "ke": "ko", "he": "ho", "gui": "kuei", "kui": "kuei", "lve": "lueh", "nve": "nueh"}
# Longest first: zh/ch/sh before z/c/s.
_INITIALS = (("zh", "ch"), ("ch", "ch"), ("sh", "sh"), ("b", "p"), ("p", "p"), ("d", "t"), ("t", "t"),
             ("g", "k"), ("k", "k"), ("z", "ts"), ("c", "ts"), ("j", "ch"), ("q", "ch"), ("x", "hs"), ("r", "j"))
# Finals that change; after zh/ch/r/z/c/s/d/t/n/l, uo is written o (多 to, 作 tso), after g/k/h/sh kept (國 kuo).
_FINALS = {"iong": "iung", "ong": "ung", "ian": "ien", "ie": "ieh", "ue": "ueh", "ve": "ueh", "v": "u"}
_UO_KEPT = ("g", "k", "h", "sh")


def wade(syllable: str) -> str:
    """One toneless pinyin syllable (``lv`` for lü) in Wade–Giles, ASCII only.

    >>> wade("jiang"), wade("xie"), wade("duo"), wade("shuo"), wade("que"), wade("a")
    ('chiang', 'hsieh', 'to', 'shuo', 'chueh', 'a')
    """
    s = syllable.lower()
    if s in _WHOLE:
        return _WHOLE[s]
    initial = next((i for i in ("zh", "ch", "sh") if s.startswith(i)), s[:1] if s[:1] in "bpmfdtnlgkhjqxrzcsyw" else "")
    final = s[len(initial):]
    if final.startswith("uo") and initial not in _UO_KEPT and initial:
        final = "o" + final[2:]
    final = _FINALS.get(final, final)
    return dict(_INITIALS).get(initial, initial) + final


def wade_reading(text: str) -> list[str]:
    """The Wade–Giles reading of Chinese text, one string per character as pypinyin reads it.

    >>> wade_reading("陈其迈")
    ['chen', 'chi', 'mai']
    """
    from pypinyin import lazy_pinyin

    return [wade(s) if s.isascii() and s.isalpha() else s for s in lazy_pinyin(text)]
