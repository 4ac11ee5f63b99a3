"""Paste-ready citations: a news sentence and a GB/T 7714-2015 reference.

A journalist pastes these into copy, so they hold words, never file paths or
character offsets (those stay in the JSON ``citation``).  Both are built
from the document's own metadata: the publishing organisation (``source``,
or ``author``), its date, its title, its ``url`` (from a sidecar
``.meta.json``) and where the cited text stands, in words:

>>> from rag.types import Document, Paragraph
>>> doc = Document("d", "corpus/d.txt", "", "年度工作综述", "2025-12-17", "某市科协",
...                (Paragraph(1, "", 0, 1), Paragraph(2, "强化引领", 2, 3), Paragraph(3, "强化引领", 4, 5),
...                 Paragraph(4, "优化生态", 6, 7)), (), "", url="https://example.org/a.html")
>>> news(doc, 3, "全市建成站点12个。")
'据某市科协2025年12月17日发布的《年度工作综述》第一部分（强化引领）第2段（全文第3段）：“全市建成站点12个。”'
>>> gbt7714(doc, date(2026, 1, 5))
'某市科协. 年度工作综述[EB/OL]. (2025-12-17)[2026-01-05]. https://example.org/a.html.'

No citation is offered for a quote that is not in the report
(:func:`for_verdict` gives None for ``not_found``).
"""
from __future__ import annotations

from datetime import date

from .types import Citation, Document

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (larger numbers stay digits).

    >>> [chinese_number(n) for n in (1, 10, 12, 20, 35, 100)]
    ['一', '十', '十二', '二十', '三十五', '100']
    """
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "")


def date_words(value: str) -> str:
    """An ISO date in Chinese words; anything else is kept as it is.

    >>> date_words("2025-12-17"), date_words("2025-03"), date_words("2025"), date_words("去年")
    ('2025年12月17日', '2025年3月', '2025年', '去年')
    """
    parts = value.strip().split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4 or len(parts) > 3 or not all(p.isdigit() for p in parts):
        return value.strip()
    units = ("年", "月", "日")
    return "".join(f"{int(p)}{u}" for p, u in zip(parts, units))


def headed_sections(doc: Document) -> list[str]:
    """The document's section headings in order (the text before the first heading has none)."""
    seen: list[str] = []
    for p in doc.paragraphs:
        if p.section and p.section not in seen:
            seen.append(p.section)
    return seen


def place(doc: Document, paragraph: int, page: int = 0) -> str:
    """Where paragraph ``paragraph`` stands, in words: part, heading, paragraph within it.

    >>> from rag.types import Paragraph
    >>> d = Document("d", "d", "", "T", "", "", (Paragraph(1, "", 0, 1), Paragraph(2, "一、总体", 2, 3)), (), "")
    >>> place(d, 1), place(d, 2), place(d, 2, page=4), place(d, 0)
    ('导语第1段', '第一部分（一、总体）第1段（全文第2段）', '第4页，第一部分（一、总体）第1段（全文第2段）', '标题处')

    A paragraph counted within its section also gets its number in the whole
    document, the number every other citation and the quote checker use.
    """
    if paragraph < 1 or paragraph > len(doc.paragraphs):
        return "标题处"  # paragraph 0: the header (title, date line)
    para = doc.paragraph(paragraph)
    within = sum(1 for q in doc.paragraphs[:paragraph] if q.section == para.section)
    sections = headed_sections(doc)
    if not para.section:
        where = f"导语第{within}段" if sections else f"第{within}段"
    else:
        where = f"第{chinese_number(sections.index(para.section) + 1)}部分（{para.section}）第{within}段"
    if within != paragraph:
        where += f"（全文第{paragraph}段）"
    return f"第{page}页，{where}" if page else where


def publisher(doc: Document) -> str:
    """Who published the document: its source organisation, else its author."""
    return (doc.source or doc.author).strip()


def news(doc: Document, paragraph: int, text: str, page: int = 0) -> str:
    """The news-style attribution of ``text`` (verbatim from the report).

    >>> d = Document("d", "d", "", "T", "", "", (), (), "")
    >>> news(d, 0, "标题")
    '据《T》标题处：“标题”'
    """
    who = publisher(doc) + date_words(doc.date)
    lead = f"据{who}发布的" if who else "据"
    return f"{lead}《{doc.title}》{place(doc, paragraph, page)}：“{text}”"


def gbt7714(doc: Document, accessed: date) -> str:
    """A GB/T 7714-2015 reference to an online document ([EB/OL]), cited on ``accessed``.

    The URL closes it only when the document has one; no file path stands in for it.

    >>> d = Document("d", "corpus/d.txt", "", "T", "", "", (), (), "")
    >>> gbt7714(d, date(2026, 1, 5))
    'T[EB/OL]. [2026-01-05].'
    """
    who = publisher(doc)
    parts = [f"{who}. " if who else "", f"{doc.title}[EB/OL]. ",
             f"({doc.date.strip()})" if doc.date.strip() else "", f"[{accessed.isoformat()}]."]
    if doc.url.strip():
        parts.append(f" {doc.url.strip()}.")
    return "".join(parts)


def both(doc: Document, citation: Citation, text: str, accessed: date) -> dict:
    """``{"news": …, "gbt7714": …}`` for ``text`` found at ``citation``."""
    return {"news": news(doc, citation.paragraph, text, citation.page), "gbt7714": gbt7714(doc, accessed)}


def for_answer(response, docs: dict, accessed: date) -> dict | None:
    """Citations of an answer's sentence; None after a refusal."""
    a = response.answer
    if a is None or a.citation.doc not in docs:
        return None
    return both(docs[a.citation.doc], a.citation, a.sentence, accessed)


def for_verdict(verdict, docs: dict, accessed: date) -> dict | None:
    """Citations of a quote's source text; None when the quote is not in the report."""
    m = verdict.match
    if verdict.verdict == "not_found" or m is None or m.citation.doc not in docs:
        return None
    return both(docs[m.citation.doc], m.citation, m.text, accessed)


def add_to_answer(row: dict, response, docs: dict, accessed: date) -> dict:
    """``rag ask --json``'s object with the answer's ``cite`` added (JSON shells share this)."""
    cites = for_answer(response, docs, accessed)
    if cites is not None and row.get("answer") is not None:
        row["answer"]["cite"] = cites
    return row


def add_to_verdict(row: dict, verdict, docs: dict, accessed: date) -> dict:
    """``rag verify --json``'s object with the match's ``cite`` added, except for ``not_found``."""
    cites = for_verdict(verdict, docs, accessed)
    if cites is not None and row.get("match") is not None:
        row["match"]["cite"] = cites
    return row


def add_to_check(check, docs: dict, accessed: date) -> dict:
    """One line of ``rag verify --draft --json`` (and one item of ``/check_draft``): a draft's
    quotation with its verdict, ``cite`` added as for a single quote; a skipped one as it is."""
    row = check.to_dict()
    return row if check.verdict is None else add_to_verdict(row, check.verdict, docs, accessed)
