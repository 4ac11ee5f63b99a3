"""Numbers written in digits or Chinese numerals: their values, and whether
two spellings say the same number (三十三个 / 33个, 两万公里 / 2万公里)."""
from __future__ import annotations

import re

from .normalize import is_english
from .spans import NUMBER_PATTERN

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


_SCALES = {"thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12}
SCALED_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion)\b", re.I)
ORDINAL_RE = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b", re.I)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def without_separators(text: str) -> str:
    """English writes 10,000 and 1,800; Chinese reports 10000, 1800 (or 1万).

    >>> without_separators("for 20,000 people, 2,700 staff, 3,5 and 2,10")
    'for 20000 people, 2700 staff, 3,5 and 2,10'
    """
    return _THOUSANDS.sub("", text)


# A figure standing alone in English text: not 5G, 14th, PM2.5 nor COVID-19.
_EN_FIGURE = re.compile(r"(?<![\w.,-])\d+(?:,\d{3})*(?:\.\d+)?(?![\w-]|[.,]\d)")


def english_figures(question: str) -> frozenset[float]:
    """The values an English question states (a Chinese question's figures are
    compared with a span whole, unit and all: ``reader/span._as_stated``).

    >>> sorted(english_figures("How many of the 1,200 students, 3.5% of them, are from abroad?"))
    [3.5, 1200.0]
    >>> english_figures("How many 5G stations in the 14th plan, PM2.5 and COVID-19?"), english_figures("这1200名学生中")
    (frozenset(), frozenset())
    """
    if not is_english(question):
        return frozenset()
    return frozenset(float(f.replace(",", "")) for f in _EN_FIGURE.findall(question))


def span_value(text: str) -> float | None:
    """The value of a span's first figure, 万 and 亿 applied; None without digits.

    >>> span_value("1,200 名"), span_value("约50处"), span_value("5万个"), span_value("五十处")
    (1200.0, 50.0, 50000.0, None)
    """
    text = without_separators(text)
    m = re.search(r"\d", text)
    return float(number_value(text[m.start():])[1]) if m else None


def in_wan(number: str) -> str | None:
    """A round whole number from 10000 on as a report may write it in 万, else None.

    >>> in_wan("10000"), in_wan("35000"), in_wan("1800"), in_wan("123456789")
    ('1万', '3.5万', None, None)
    """
    if not number.isdigit() or int(number) < 10 ** 4 or int(number) % 100:
        return None
    return f"{int(number) / 10 ** 4:g}万"


def written_otherwise(number: str, context: str) -> bool:
    """A round number the passage writes in 万 (20000: 2万, not 12万), or per 10,000 as 每万.

    >>> written_otherwise("20000", "服务2万人"), written_otherwise("20000", "服务12万人"), written_otherwise("10000", "每万人")
    (True, False, True)
    """
    wan = in_wan(number)
    return bool(wan and re.search(rf"(?<![\d.]){re.escape(wan)}", context)) or (number == "10000" and "每万" in context)


def chinese_amount(number: str, scale: str) -> list[str]:
    """How a Chinese report writes an English amount; a round 万/亿 may stand alone (亿元以上).

    >>> chinese_amount("100", "million"), chinese_amount("2", "trillion"), chinese_amount("3.5", "billion")
    (['1亿', '亿'], ['2万亿'], ['35亿'])
    >>> chinese_amount("50", "thousand"), chinese_amount("1.5", "million"), chinese_amount("5", "thousand")
    (['5万'], ['150万'], ['5000'])
    """
    value = float(number) * _SCALES[scale.lower()]
    for unit, size in (("万亿", 10 ** 12), ("亿", 10 ** 8), ("万", 10 ** 4)):
        if value >= size:
            coef = f"{value / size:.6g}"
            return [coef + unit] + ([unit] if coef == "1" else [])
    return [f"{value:.6g}"]


def chinese_numeral(n: int) -> str:
    """A whole number under 100 in Chinese numerals: the 14th plan is the 十四五.

    >>> [chinese_numeral(n) for n in (14, 20, 10, 8, 99)]
    ['十四', '二十', '十', '八', '九十九']
    """
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (digits[ones] if ones else "")


def english_number(tokens: list[str]) -> tuple[int, list[str]]:
    """(how many of the lower-cased English ``tokens`` one number takes, the
    forms a Chinese report writes it in): an ordinal in Chinese numerals too,
    an amount in 万/亿.

    >>> english_number(["14th", "five"]), english_number(["100", "million", "yuan"]), english_number(["2025"])
    ((1, ['十四', '14']), (2, ['1亿', '亿']), (1, ['2025']))
    >>> english_number(["20,000", "people"]), english_number(["2,700"])
    ((1, ['2万', '20000']), (1, ['2700']))
    """
    if m := ORDINAL_RE.fullmatch(tokens[0]):
        n = int(m.group(1))
        return 1, ([chinese_numeral(n)] if 10 <= n < 100 else []) + [m.group(1)]
    number = without_separators(tokens[0])
    if len(tokens) > 1 and tokens[1] in _SCALES:
        return 2, chinese_amount(number, tokens[1])
    return 1, [form for form in (in_wan(number), number) if form]
