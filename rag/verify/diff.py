"""What a quote changed: a character diff and the fact-bearing changes.

``rag.verify`` finds where a quote lies; this module compares the two.
``diff`` tiles quote and source in their ORIGINAL characters and reads as
the edits that turn the source into the quote; ``changes`` keeps only the
edits that alter a fact, widened to whole words, and names their kind::

    source  比例达15.3%，位居全省前列        quote  比例达25.3%，位居全省前列
    diff    equal "比例达" · replace "2"/"1" · equal "5.3%，位居全省前列"
    change  Change(kind='number', quote='25.3%', source='15.3%')

A change is a ``number`` if either side holds a digit or a numeral unit,
else a ``negation`` if the count of 不/未/非… differs, else a ``name`` if
jieba tags a proper noun (or a place ending in 市/县/…), else ``wording``.
Edits touching only particles (的/了/之/地/得/着) are not changes.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from rapidfuzz.distance import Levenshtein

from ..text.normalize import Normalized, normalize
from ..text.numerals import same_number
from ..text.persons import SURNAMES
from ..text.spans import number_spans
from .words import is_name, load_jieba, whole_names, words

PARTICLES = frozenset("的了之地得着")
NEGATIONS = frozenset("不未非无没否勿莫")
KINDS = {"number": "数字", "negation": "否定", "name": "名称", "omission": "删节", "wording": "措辞"}
SHORT = 40  # a longer text is shortened in a sentence (never in the JSON)
_NUM_CHARS = "0123456789.%‰零〇一二两三四五六七八九十百千万亿"
_NAME_SUFFIX = tuple("市县区省镇乡村州")
_SURNAMES = SURNAMES


class _Record:
    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class DiffOp(_Record):
    op: str
    quote: str
    source: str


@dataclass(frozen=True)
class Change(_Record):
    kind: str
    quote: str
    source: str

    def describe(self) -> str:
        """Plain words for a journalist.

        >>> Change("number", "25.3%", "15.3%").describe()
        '引文为“25.3%”，原文为“15.3%”'
        >>> Change("negation", "并未", "").describe()
        '引文增加了“并未”'
        >>> Change("omission", "", "科学教师队伍壮大至2800多人").describe()
        '引文未加省略号，删去了原文的“科学教师队伍壮大至2800多人”'
        """
        if self.kind == "omission":
            return f"引文未加省略号，删去了原文的“{shorten(self.source)}”"
        if not self.source:
            return f"引文增加了“{self.quote}”"
        if not self.quote:
            return f"引文删去了原文的“{self.source}”"
        return f"引文为“{self.quote}”，原文为“{self.source}”"


def shorten(text: str) -> str:
    """A long text cut in its middle, for a sentence.

    >>> shorten("一" * 30 + "二" * 30)
    '一一一一一一一一一一一一一一一一一一一一……二二二二二二二二二二二二'
    """
    return text if len(text) <= SHORT else text[:SHORT // 2] + "……" + text[-(SHORT * 3 // 10):]


# --- the character diff -------------------------------------------------------

def diff(quote: str, text: str, q_ranges, s_ranges) -> list[DiffOp]:
    """Per-segment character diffs; an elision replaces the skipped source text.

    ``q_ranges[i]`` in ``quote`` was matched to ``s_ranges[i]`` in ``text``.

    >>> q, s = "达25.3%……完成", "达15.3%,全年完成"
    >>> [tuple(d.to_dict().values()) for d in diff(q, s, [(0, 6), (8, 10)], [(0, 6), (9, 11)])]
    [('equal', '达', '达'), ('replace', '2', '1'), ('equal', '5.3%', '5.3%'), ('replace', '……', ',全年'), ('equal', '完成', '完成')]
    """
    out: list[DiffOp] = []
    for i, (q, s) in enumerate(zip(q_ranges, s_ranges)):
        if i:
            out.append(DiffOp("replace", quote[q_ranges[i - 1][1]:q[0]], text[s_ranges[i - 1][1]:s[0]]))
        out += _display(quote, text, q, s)
    return out


def _display(quote: str, text: str, qr: tuple[int, int], sr: tuple[int, int]) -> list[DiffOp]:
    """Character diff of two original ranges, punctuation included, tiling both."""
    q, s = normalize(quote[qr[0]:qr[1]]), normalize(text[sr[0]:sr[1]])

    # normalising drops whitespace, so an op's end is the next kept character's offset
    def cut(n: Normalized, k: int, size: int) -> int:
        return 0 if k == 0 else (n.origin[k] if k < len(n.text) else size)
    out = []
    for op in Levenshtein.opcodes(s.text, q.text):
        qa, qb = (qr[0] + cut(q, k, qr[1] - qr[0]) for k in (op.dest_start, op.dest_end))
        sa, sb = (sr[0] + cut(s, k, sr[1] - sr[0]) for k in (op.src_start, op.src_end))
        if qa < qb or sa < sb:
            out.append(DiffOp(op.tag, quote[qa:qb], text[sa:sb]))
    return out


# --- fact-bearing changes -----------------------------------------------------

def changes(seg: Normalized, src: Normalized, quote: str, text: str, before: str = "", after: str = "",
            cuts: frozenset = frozenset()) -> list[Change]:
    """Fact-bearing differences between a quote segment and its source span.

    ``seg`` and ``src`` are normalised views of ``quote`` and ``text``;
    ``before``/``after`` is the paragraph's text around the span.  Particle
    edits and a number written in another form (三十三个/33个) are dropped;
    each other edit grows to whole words on both sides, overlapping ones
    merge, and the ORIGINAL characters are kept.  Source text the quote
    leaves out between two of ``cuts`` (where clauses start, in ``src``)
    is an ``omission``: whole clauses dropped without an elision mark.

    >>> q, s = "黄石市科协并未完成目标", "黄石市科协圆满完成了目标"
    >>> changes(normalize(q), normalize(s), q, s)
    [Change(kind='negation', quote='并未完成', source='圆满完成')]

    Words a quote adds at its edge that the paragraph has just before (or
    after) the span are framing, such as the subject of the sentence:

    >>> q, s = "黄石市科协并未被评为先进", "被评为先进"
    >>> changes(normalize(q), normalize(s), q, s, before="五年来黄石市科协屡获殊荣")
    [Change(kind='negation', quote='并未', source='')]
    >>> q, s = "学校配备副校长，基础不断夯实", "学校配备副校长，教师壮大至2800人，基础不断夯实"
    >>> changes(normalize(q, drop_punct=True), normalize(s, drop_punct=True), q, s, cuts=frozenset({7, 17}))
    [Change(kind='omission', quote='', source='教师壮大至2800人')]
    """
    out = []
    for sa, sb, qa, qb in _spans(seg.text, src.text):
        if sa == sb:
            qa, qb = _unframed(seg.text, qa, qb, before, after)
        if (qa == qb and sa == sb) or same_number(seg.text[qa:qb], src.text[sa:sb]):
            continue
        dropped = qa == qb and sa in cuts and sb in cuts
        kind = "omission" if dropped else _kind(seg.text[qa:qb], src.text[sa:sb], src.text[sa - 1:sa])
        if kind == "name":
            sa, sb, qa, qb = whole_names(seg.text, src.text, sa, sb, qa, qb)
        out.append(Change(kind, _original(seg, qa, qb, quote), _original(src, sa, sb, text)))
    return out


def _unframed(q: str, qa: int, qb: int, before: str, after: str) -> tuple[int, int]:
    """Narrow an insertion at the quote's edge to words the paragraph lacks.

    Only at an edge: a quote may name the subject the source gave earlier
    in the sentence; inside the quote an added word is always a change.  A
    negation is never framing.

    >>> _unframed("黄石市科协并未被评为", 0, 7, "黄石市科协屡获殊荣", "")
    (5, 7)
    """
    context = (before if qa == 0 else "") + "|" + (after if qb == len(q) else "")
    inside = [(a, b) for a, b in words(q) if qa <= a and b <= qb]
    kept = [(a, b) for a, b in inside if q[a:b] not in context or set(q[a:b]) & NEGATIONS]
    return (kept[0][0], kept[-1][1]) if kept else (qa, qa)


def _spans(q: str, s: str) -> list[list[int]]:
    """``[sa, sb, qa, qb]`` of each edit grown to whole words, overlaps merged.

    >>> _spans("比例达25.3%", "比例达15.3%")
    [[3, 8, 3, 8]]
    """
    qw, sw = words(q), words(s)
    spans: list[list[int]] = []
    for s0, s1, q0, q1 in _edits(s, q):
        sa, sb = _expand(sw, s0, s1)
        qa, qb = _expand(qw, q0, q1)
        # context outside the edit is the same text on both sides: grow both alike
        left, right = max(s0 - sa, q0 - qa), max(sb - s1, qb - q1)
        sa, sb = max(0, s0 - left), min(len(s), s1 + right)
        qa, qb = max(0, q0 - left), min(len(q), q1 + right)
        if spans and (sa <= spans[-1][1] or qa <= spans[-1][3]):
            spans[-1] = [min(spans[-1][0], sa), max(spans[-1][1], sb), min(spans[-1][2], qa), max(spans[-1][3], qb)]
        else:
            spans.append([sa, sb, qa, qb])
    return spans


def _edits(src: str, quote: str) -> list[tuple[int, int, int, int]]:
    """Runs of adjacent non-equal opcodes, minus those touching only particles.

    >>> _edits("圆满完成目标", "未完成了目标")
    [(0, 2, 0, 1)]
    """
    runs: list[list[int]] = []
    for op in Levenshtein.opcodes(src, quote):
        if op.tag == "equal":
            continue
        if runs and runs[-1][1] == op.src_start and runs[-1][3] == op.dest_start:
            runs[-1][1], runs[-1][3] = op.src_end, op.dest_end
        else:
            runs.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    return [tuple(r) for r in runs if not set(src[r[0]:r[1]] + quote[r[2]:r[3]]) <= PARTICLES]


def _expand(spans, a: int, b: int) -> tuple[int, int]:
    """Grow ``[a, b)`` to whole words; an empty range stays empty.

    >>> _expand([(0, 2), (2, 5)], 3, 4), _expand([(0, 2), (2, 5)], 3, 3)
    ((2, 5), (3, 3))
    """
    if a == b:
        return a, b
    touching = [w for w in spans if w[0] < b and w[1] > a]
    return min([a] + [w[0] for w in touching]), max([b] + [w[1] for w in touching])


def _numeric(word: str) -> bool:
    """A figure: digits, a numeral with its unit (三个, 两批), or numerals alone (三十万);
    not a name that holds a numeral (八斗子, 三星堆, 十堰).

    >>> [_numeric(w) for w in ("25.3%", "三个", "三十万", "八斗子", "三星堆", "")]
    [True, True, True, False, False, False]
    """
    return (any(ch in _NUM_CHARS[:10] for ch in word) or next(number_spans(word), None) is not None
            or bool(word) and all(ch in _NUM_CHARS[13:] for ch in word))


def _kind(q: str, s: str, before: str) -> str:
    """number > negation > name > wording, from the two changed words.

    ``before`` is the source character just left of the change: a surname
    there makes a one- or two-character change a given name.  jieba tags
    many common words as person names (文明/nr), so a person name must also
    start with a surname.

    >>> _kind("鄂州市", "黄石市", ""), _kind("光辉", "光明", "刘"), _kind("推进", "推动", "")
    ('name', 'name', 'wording')
    >>> _kind("", "文明创建", "")
    'wording'
    >>> _kind("八斗子", "草里", ""), _kind("三十万", "四十万", "")
    ('wording', 'number')
    """
    if _numeric(q) or _numeric(s):
        return "number"
    if sum(ch in NEGATIONS for ch in q) != sum(ch in NEGATIONS for ch in s):
        return "negation"
    if any(is_name(p.word, p.flag) for w in (q, s) if w for p in load_jieba().posseg.lcut(w)):
        return "name"
    if before in _SURNAMES and max(len(q), len(s)) <= 2:
        return "name"
    if all(w.endswith(_NAME_SUFFIX) and len(w) >= 3 for w in (q, s)):
        return "name"
    return "wording"


def _original(n: Normalized, a: int, b: int, text: str) -> str:
    """Original characters behind normalised ``[a, b)`` (empty stays empty)."""
    return text[slice(*n.to_original(a, b))]
