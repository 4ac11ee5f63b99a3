"""Check a draft: find every quotation in a journalist's text and verify each.

A quotation is text in 「」, 『』, “” or straight ``"…"`` quotes (the
outermost pair: quotes inside a quotation are part of it), or the rest of
the sentence after a speech verb and a colon (``报告指出：…。``).  Each is
checked against the corpus, except those too short to be a claim (a name
or a term in quotes, ``“四服务”``), which are listed with the reason.

>>> [(q.text, q.style) for q in extract("他表示：“全市建成院士工作站12家。”报告指出：科普大篷车行程5000公里。")]
[('全市建成院士工作站12家。', '“”'), ('科普大篷车行程5000公里', '：')]

Offsets index the draft as given: ``draft[q.start:q.end] == q.text``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..index import Index
from ..text.normalize import clean_input
from .verdict import MIN_CHARS, QuoteError, Verdict, check_quote, verify

MAX_DRAFT = 50_000   # characters: a long article, not a book
MIN_DRAFT_QUOTE = 6  # content characters: a shorter quotation is mostly a name or a term
PAIRS = {"「": "」", "『": "』", "“": "”", '"': '"'}
SPEECH = "表示|指出|强调|介绍|提到|(?<![名简职统俗全昵尊通])称|说|说道|写道|谈到|坦言|透露|宣布|认为|显示|提出|要求"
_COLON = re.compile(rf"(?:{SPEECH})[：:]")
_SENTENCE_END = "。！？!?\n"
NO_QUOTES = "稿件中没有找到引语（引号内的话，或“表示：”“指出：”之后的话）。"


class DraftError(ValueError):
    """The draft cannot be checked as given (empty, too long)."""


@dataclass(frozen=True)
class DraftQuote:
    """A quotation found in the draft: its text, where it stands, how it was marked.

    ``style`` is the pair of marks (``「」``, ``『』``, ``“”``, ``""``) or
    ``：`` for the rest of a sentence after a speech verb and a colon.
    """

    text: str
    start: int
    end: int
    style: str


@dataclass(frozen=True)
class DraftCheck:
    """One quotation of a draft and its verdict, or why it was not checked."""

    quote: DraftQuote
    verdict: Verdict | None
    skipped: str = ""

    def to_dict(self) -> dict:
        """The verdict's JSON with where the quotation stands in the draft.

        >>> DraftCheck(DraftQuote("四服务", 5, 8, "“”"), None, "太短").to_dict()["skipped"]
        '太短'
        """
        where = {"start": self.quote.start, "end": self.quote.end, "style": self.quote.style}
        if self.verdict is None:
            return {"quote": self.quote.text, **where, "skipped": self.skipped, "verdict": None,
                    "explanation": self.skipped, "match": None}
        return {**self.verdict.to_dict(), "quote": self.quote.text, **where, "skipped": None}


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _marked(text: str) -> list[DraftQuote]:
    """Outermost quotations in marks; one left open runs to the end of its line.

    >>> [q.text for q in _marked('甲说“一「二」三”，乙说"四"，丙说「五')]
    ['一「二」三', '四', '五']
    """
    out, i = [], 0
    while i < len(text):
        close = PAIRS.get(text[i])
        if close is None:
            i += 1
            continue
        depth, j = 1, i + 1
        while j < len(text) and text[j] != "\n" and depth:
            if text[j] == close:
                depth -= 1
            elif text[j] == text[i] and close != text[i]:
                depth += 1
            j += 1
        end = j - 1 if not depth else j
        a, b = _trim(text, i + 1, end)
        if a < b:
            out.append(DraftQuote(text[a:b], a, b, text[i] + close))
        i = j
    return out


def _after_colon(text: str) -> list[DraftQuote]:
    """The rest of the sentence after ``表示：``, ``指出：`` and the like, unless it opens a quotation mark."""
    out = []
    for m in _COLON.finditer(text):
        a = m.end()
        while a < len(text) and text[a] in " \t\u3000":
            a += 1
        if a >= len(text) or text[a] in PAIRS:
            continue
        b = min((k for k in (text.find(ch, a) for ch in _SENTENCE_END) if k >= 0), default=len(text))
        a, b = _trim(text, a, b)
        if a < b:
            out.append(DraftQuote(text[a:b], a, b, "："))
    return out


def extract(draft: str) -> list[DraftQuote]:
    """Every quotation of the draft, in reading order; marks inside a colon quotation belong to it."""
    colon = _after_colon(draft)
    inside = [q for q in _marked(draft) if not any(c.start <= q.start and q.end <= c.end for c in colon)]
    overlapping = [c for c in colon if any(q.start < c.end and c.start < q.end for q in inside)]
    return sorted(inside + [c for c in colon if c not in overlapping], key=lambda q: q.start)


def check_draft(source, draft: str) -> tuple[DraftCheck, ...]:
    """Find and check every quotation of ``draft``; ``source`` is an Engine or an Index.

    Raises DraftError for an empty or over-long draft.
    """
    index: Index = getattr(source, "index", source)
    # what cannot be text becomes a space, not nothing: offsets must index the draft as given
    draft = "".join(ch if clean_input(ch) else " " for ch in (draft if isinstance(draft, str) else clean_input(draft)))
    if not draft.strip():
        raise DraftError("稿件为空，请粘贴要核查的文字")
    if len(draft) > MAX_DRAFT:
        raise DraftError(f"稿件过长（{len(draft)} 字），请控制在 {MAX_DRAFT} 字以内")
    out = []
    for q in extract(draft):
        try:
            # a short quotation with a figure (“50 個釣點”) is a fact to check, not a term
            check_quote(q.text, MIN_CHARS if re.search(r"\d|[０-９]", q.text) else MIN_DRAFT_QUOTE)
        except QuoteError as exc:
            out.append(DraftCheck(q, None, _short(str(exc))))
            continue
        out.append(DraftCheck(q, verify(index, q.text)))
    return tuple(out)


def _short(reason: str) -> str:
    """A too-short quotation in a draft is mostly a name or a term: say so."""
    return reason.replace("，无法核查，请粘贴完整的一句话", "，多为名称或术语") if "太短" in reason else reason
