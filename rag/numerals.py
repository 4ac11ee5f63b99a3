"""Numbers written in digits or Chinese numerals: their values, and whether
two spellings say the same number (三十三个 / 33个, 两万公里 / 2万公里)."""
from __future__ import annotations

import re

from .qtype import NUMBER_PATTERN

_NUM_RE = re.compile(rf"第?{NUMBER_PATTERN}")
_NUMERALS = re.compile(r"[零〇一二两三四五六七八九十百千]+")


def same_number(q: str, s: str) -> bool:
    """The same number in another form: 三十三个/33个, 两万公里/2万公里.

    >>> same_number("三十三个", "33个"), same_number("两万公里", "2万公里"), same_number("三十个", "33个")
    (True, True, False)
    """
    if q == s or not (_NUM_RE.fullmatch(q) and _NUM_RE.fullmatch(s)):
        return False
    return number_value(q) == number_value(s)


_CN_DIGITS = {**{c: i for i, c in enumerate("零一二三四五六七八九")}, "〇": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10 ** 4, "亿": 10 ** 8}


def number_value(word: str) -> tuple[str, float, str]:
    """``(第, value, unit)`` of a number word; 万/亿 scale the value.

    >>> number_value("三十三个"), number_value("2.5万人"), number_value("二〇二四年")
    (('', 33, '个'), ('', 25000.0, '人'), ('', 2024, '年'))
    """
    m = re.match(r"(第?)(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+)", word)
    core, rest = m.group(2), word[m.end():]
    value = float(core) if core[0].isdigit() else chinese_value(core)
    while rest[:1] in _CN_BIG and rest:
        value, rest = value * _CN_BIG[rest[0]], rest[1:]
    return m.group(1), value, rest


def chinese_value(core: str) -> int:
    """三十三 → 33, 两万 → 20000; a bare digit run reads digit by digit (二〇二四 → 2024)."""
    if all(c in _CN_DIGITS for c in core):
        return int("".join(str(_CN_DIGITS[c]) for c in core))
    total = section = digit = 0
    for c in core:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            section, digit = section + (digit or 1) * _CN_UNITS[c], 0
        else:
            total, section, digit = (total + section + digit) * _CN_BIG[c], 0, 0
    return total + section + digit


def written_as_numeral(number: str, text: str) -> bool:
    """Whether a whole number in digits appears in ``text`` as a Chinese
    numeral (the 20th congress is the 二十大, the 8th the 第八次).

    >>> written_as_numeral("20", "党的二十大精神"), written_as_numeral("8", "第八次代表大会"), written_as_numeral("15", "第五届")
    (True, True, False)
    """
    return number.isdigit() and any(chinese_value(m.group()) == int(number) for m in _NUMERALS.finditer(text))
