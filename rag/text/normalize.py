"""Normalisation for matching, with a map back to original offsets.

Shown text and offsets always refer to the original file; the normalised
form exists only so that ``，`` matches ``,``, ``黃`` matches ``黄`` and a
non-breaking space matches nothing.  Every normalised character remembers
the original offset it came from.

>>> n = normalize("黃石，１５.3%\\u00a0")
>>> n.text
'黄石,15.3%'
>>> n.to_original(0, 2)
(0, 2)
>>> n.to_original(3, 5)
(3, 5)
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Punctuation that NFKC leaves alone but that people swap freely when quoting.
_PUNCT_MAP = {
    "、": ",", "。": ".", "“": '"', "”": '"', "‘": '"', "’": '"', "'": '"',
    "「": '"', "」": '"', "『": '"', "』": '"', "〝": '"', "〞": '"',
    "—": "-", "–": "-", "―": "-", "─": "-", "－": "-", "～": "~",
    "〈": "《", "〉": "》", "【": "[", "】": "]", "〔": "(", "〕": ")",
    "·": "·", "•": "·", "・": "·",
}
_ELLIPSIS = "…"
_PUNCT_CHARS = set(",.;:!?()[]《》\"-~·…/|") | {"、", "。"}


@dataclass(frozen=True)
class Normalized:
    """Normalised text plus, for each of its characters, the original offset."""

    text: str
    origin: tuple[int, ...]
    source_len: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span ``[start, end)`` to an original span."""
        if start >= end:
            pos = self.origin[start] if start < len(self.origin) else self.source_len
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> Simplified, keeping the length when OpenCC allows it.

    OpenCC converts phrases, which almost always keeps the length; when it
    does not, convert character by character so offsets stay aligned.

    >>> to_simplified("臺灣科學發展")
    '台湾科学发展'
    """
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    conv = _t2s().convert
    return "".join(c if len(c := conv(ch)) == 1 else ch for ch in text)


def _is_space(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Zs", "Cf")


def _char_pairs(text: str) -> list[tuple[str, int]]:
    """NFKC + punctuation map per character, dropping all whitespace."""
    pairs: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if _is_space(ch):
            continue
        if ch == _ELLIPSIS:
            pairs.append((_ELLIPSIS, i))
            continue
        for out in unicodedata.normalize("NFKC", ch):
            out = _PUNCT_MAP.get(out, out).lower()
            if not _is_space(out):
                pairs.append((out, i))
    return pairs


def _collapse_ellipses(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Turn ``...``, ``……`` and longer runs into a single ``…``."""
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] in (".", _ELLIPSIS):
            j += 1
        run = "".join(c for c, _ in pairs[i:j])
        if j - i >= 2 and (len(run) >= 3 or _ELLIPSIS in run):
            out.append((_ELLIPSIS, pairs[i][1]))
            i = j
        else:
            out.append(pairs[i])
            i += 1
    return out


def normalize(text: str, *, drop_punct: bool = False) -> Normalized:
    """Normalise ``text`` for matching and keep the offset map.

    ``drop_punct`` also removes punctuation, for punctuation-blind matching.

    >>> normalize("科普（試點）……完成", drop_punct=True).text
    '科普试点完成'
    """
    pairs = _collapse_ellipses(_char_pairs(text))
    if drop_punct:
        pairs = [(c, i) for c, i in pairs if not is_punct(c)]
    chars = to_simplified("".join(c for c, _ in pairs))
    return Normalized(chars, tuple(i for _, i in pairs), len(text))


_INVALID = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_input(text: object) -> str:
    """A visitor's text with what cannot be text removed: lone surrogates, control characters.

    Input from a terminal or a browser can hold them (a broken paste, bytes
    that were not UTF-8); they would crash OpenCC or the tokenizer further on.

    >>> clean_input("黄石" + chr(0xD800) + "有几家" + chr(0) + "院士站")
    '黄石有几家院士站'
    >>> clean_input(None), clean_input(5)
    ('', '5')
    """
    if text is None:
        return ""
    return _INVALID.sub("", text if isinstance(text, str) else str(text))


def is_punct(ch: str) -> bool:
    """True for punctuation and symbols (after normalisation)."""
    return ch in _PUNCT_CHARS or unicodedata.category(ch)[0] in ("P", "S") and ch not in "%‰℃$¥￥+"


@lru_cache(maxsize=1 << 16)  # the reader asks it of the same sentences and paragraphs many times
def simple(text: str) -> str:
    """Normalised text alone, for tokenising queries and documents."""
    return normalize(text).text


CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    return bool(CJK_RE.search(text))


_LATIN_WORD = re.compile(r"[A-Za-z]+")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def is_english(text: str) -> bool:
    """A question written in English, perhaps quoting the report's own Chinese
    terms, as journalists do: "rafts (膠筏)", "the term 十四五".

    >>> is_english("What did they suggest doing with rafts (膠筏)?"), is_english("Audrey Tang说了什么"), is_english("GDP增长多少")
    (True, False, False)
    """
    words = len(_LATIN_WORD.findall(text))
    return not has_cjk(text) or words >= max(3, len(CJK_RE.findall(text)))


_JOINING_DASH = re.compile(r"(?<=[A-Za-z])\s?[-\u2010-\u2013\u2212\ufe63\uff0d]\s?(?=[A-Za-z])")
_PARENTHETIC_DASH = re.compile(r"(?<=[A-Za-z])\s*[\u2014\u2015\ufe58]+\s*(?=[A-Za-z])")


def one_dash(text: str) -> str:
    """English words joined by a hyphen or an en dash, however typed (‐, –, −, a
    space either side), joined by a hyphen; an em dash sets words apart (the
    mayor—who spoke—announced), spaced alike: one question, one answer.

    >>> one_dash("the Yichang–Fuling section, Sichuan - Tibet, 2021–2025")
    'the Yichang-Fuling section, Sichuan-Tibet, 2021–2025'
    >>> one_dash("What did the mayor—who spoke Monday — announce?")
    'What did the mayor — who spoke Monday — announce?'
    """
    return _PARENTHETIC_DASH.sub(" — ", _JOINING_DASH.sub("-", text))


def chinese_inserts(text: str) -> tuple[str, list[str]]:
    """An English question without its Chinese terms, and those terms.

    >>> chinese_inserts("What did they suggest doing with rafts (膠筏)?")
    ('What did they suggest doing with rafts ?', ['膠筏'])
    """
    inserts = _CJK_RUN.findall(text)
    latin = re.sub(rf"[(（「“\"']*{_CJK_RUN.pattern}[)）」”\"']*", " ", text)  # with its brackets or quotes
    return " ".join(latin.split()), inserts
