"""The page's state in its URL: ``?q=`` asks, ``?quote=`` checks, ``?doc=&s=`` opens the reader.

A link holds what a stranger needs to see the same result, and nothing
else: the question or quote as typed, or a document id with character
offsets into its text (``s`` the cited sentence, ``h`` the short answer
or quoted span inside it, both ``START-END``).

>>> link(q="黄石有几家院士工作站？")
'?q=%E9%BB%84%E7%9F%B3%E6%9C%89%E5%87%A0%E5%AE%B6%E9%99%A2%E5%A3%AB%E5%B7%A5%E4%BD%9C%E7%AB%99%EF%BC%9F'
>>> link(doc="report-1", s=(10, 20), h=(12, 14))
'?doc=report-1&s=10-20&h=12-14'
>>> parse_place("doc=report-1&s=10-20&h=12-14")
Place(doc='report-1', sentence=(10, 20), highlight=(12, 14))
"""
from __future__ import annotations

from typing import NamedTuple
from urllib.parse import parse_qs, urlencode


class Place(NamedTuple):
    """A place in a document: the cited sentence and the span marked inside it (either may be None)."""

    doc: str
    sentence: tuple[int, int] | None
    highlight: tuple[int, int] | None


def link(**params) -> str:
    """A relative link (``?…``) for the given parameters; spans become ``START-END``."""
    pairs = [(k, f"{v[0]}-{v[1]}" if isinstance(v, tuple) else str(v)) for k, v in params.items() if v not in (None, "")]
    return "?" + urlencode(pairs)


def parse_span(value: str | None) -> tuple[int, int] | None:
    """``"10-20"`` → ``(10, 20)``; anything malformed, empty or reversed → None.

    >>> parse_span("10-20"), parse_span("20-10"), parse_span("x"), parse_span(None), parse_span("5-5")
    ((10, 20), None, None, None, None)
    """
    try:
        a, b = (int(x) for x in (value or "").split("-"))
    except ValueError:
        return None
    return (a, b) if 0 <= a < b else None


def parse_place(query: str) -> Place | None:
    """The reader's place from a query string (with or without ``?``); None without ``doc``.

    >>> parse_place("?doc=d&s=bad") , parse_place("q=x")
    (Place(doc='d', sentence=None, highlight=None), None)
    """
    params = parse_qs(query.lstrip("?"), keep_blank_values=False)
    doc = (params.get("doc") or [""])[0]
    if not doc:
        return None
    return Place(doc, parse_span((params.get("s") or [None])[0]), parse_span((params.get("h") or [None])[0]))
