"""Saved web page (.html/.htm) reader: the article, not the site around it.

A saved government page is mostly chrome: nav bars, breadcrumbs, 【字号】,
打印本页/关闭窗口, share buttons, related links and a 版权所有/ICP备 footer.
Telling the article from that is a solved problem we do not re-solve with
tag stripping: trafilatura extracts the main content (as its XML tree, so
``<head>`` elements keep heading levels) and the metadata.

Bytes are decoded the way a browser would before trafilatura sees them: a
byte-order mark, else the charset the page declares (GB2312/GBK read as
their superset GB18030, Big5 as Big5-HKSCS), else UTF-8, else
charset-normalizer's guess, because many Chinese pages are GBK or Big5 and
some declare a charset that is wrong.

Fields ``title``, ``date``, ``author``, ``source``, ``site`` and ``url`` are
located in the extracted text when their value occurs there literally, else
their offsets are -1.  ``source`` is the ``ContentSource`` meta of Chinese
government sites (the original publisher, e.g. a newspaper) when present,
else the site name.
"""
from __future__ import annotations

import re
from pathlib import Path

from .assemble import field_at, join_pieces
from .decode import decode as decode_bytes
from .base import Extracted, Field, IngestError

SUFFIXES = (".html", ".htm")

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
             "big5": "big5hkscs", "x-x-big5": "big5hkscs"}
_HEAD_SCAN = 8192
# Metadata of the national standard for government websites (政府网站发展指引):
# trafilatura reads og:/Dublin Core/generic tags, not these.
_GOV_META = {"ArticleTitle": "title", "PubDate": "date", "ContentSource": "source", "SiteName": "site",
             "Author": "author", "Url": "url"}
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_LABELLED_DATE = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|发稿时间|时间|日期)\s*[:：]\s*"
                            r"(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
_SITE_ENDINGS = ("网", "网站", "门户", "官网", "網", "網站")
_SENT_END = "。！？!?；;"
_PROSE_MIN = 50
_BLOCK_TAGS = {"p", "head", "item", "row", "cell", "list", "table", "quote", "code", "graphic", "lb", "div"}


def _declared(raw: bytes) -> str | None:
    """The charset the page declares in its first bytes, mapped to a superset codec."""
    head = raw[:_HEAD_SCAN]
    match = _XML_DECL.search(head) or _DECLARED.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    return _SUPERSET.get(name, name)


def decode(raw: bytes) -> str:
    """Page text: the charset the page declares, else what ``rag.ingest.decode`` detects."""
    declared = _declared(raw)
    if declared and not raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(raw)[0]


def _flatten(element) -> str:
    """Text of an inline run, ``<lb/>`` as a line break (the joiner splits there)."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _flatten(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _Walker:
    """Turns trafilatura's XML body into pieces; tracks what it leaves out."""

    def __init__(self):
        self.pieces: list[tuple[str, int, str]] = []
        self.dropped: list[str] = []

    def block(self, element) -> None:
        """One element of trafilatura's body: a heading, paragraph, table or container."""
        tag = element.tag
        if tag == "head":
            level = re.search(r"\d", element.get("rend") or "")
            self.pieces.append(("heading", int(level.group()) if level else 0, _flatten(element)))
        elif tag == "graphic":
            self.dropped.append(f"图片：{element.get('alt') or element.get('src') or ''}".rstrip("："))
        elif tag == "code":
            self.dropped.append("代码块")
        elif tag == "table":
            self.table(element)
        elif any(child.tag in _BLOCK_TAGS - {"lb"} for child in element):
            self.container(element)  # a list, quote or div holding blocks
        else:
            self.pieces.append(("paragraph", 0, _flatten(element)))

    def table(self, element) -> None:
        """A one-cell row (a layout table) yields its blocks, a wider row one tab-joined block."""
        for row in (r for r in element if r.tag == "row"):
            cells = [c for c in row if c.tag == "cell"]
            if len(cells) == 1:
                self.container(cells[0])
            else:
                self.pieces.append(("paragraph", 0, "\t".join(" ".join(_flatten(c).split()) for c in cells)))

    def container(self, element) -> None:
        """Blocks of a container; loose text between them is a paragraph too."""
        if (element.text or "").strip():
            self.pieces.append(("paragraph", 0, element.text))
        for child in element:
            self.block(child)
            if (child.tail or "").strip():
                self.pieces.append(("paragraph", 0, child.tail))


def _extract(page: str):
    """trafilatura's Document for the page, or None when it finds no main text."""
    import trafilatura

    try:
        # favor_precision: without it trafilatura falls back to the whole page
        # (nav bar, footer and all) as one paragraph when the article is short.
        return trafilatura.bare_extraction(page, with_metadata=True, include_formatting=True,
                                           include_tables=True, include_images=True, favor_precision=True,
                                           include_comments=False, include_links=False,
                                           # no guessing a date from any year in the text
                                           date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # lxml and trafilatura raise many types on malformed input
        raise IngestError(f"网页无法解析：{type(exc).__name__}: {exc}") from exc


def _has_main_text(text: str, blocks) -> bool:
    """Whether any paragraph reads as prose: a sentence end or a long run of text.

    On a page whose article is empty (an attachment or a video page)
    trafilatura still returns the title and the 来源/字号/打印 info line;
    those are short and have no sentence punctuation.
    """
    for block in blocks:
        body = text[block.start:block.end]
        if block.kind == "paragraph" and (len(body) > _PROSE_MIN or any(ch in _SENT_END for ch in body)):
            return True
    return False


def _page_tree(page: str):
    """The whole page as an lxml tree, for metadata trafilatura does not read; None if unparsable."""
    from lxml import html as lxml_html

    try:
        # lxml refuses a str that still carries an XML encoding declaration.
        return lxml_html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", page))
    except Exception:  # lxml raises ParserError, ValueError... on pages with no markup
        return None


def _gov_meta(tree) -> dict[str, str]:
    """Values of the government-site ``<meta name=...>`` tags that are set."""
    found = {}
    for meta in tree.iter("meta") if tree is not None else ():
        key = _GOV_META.get((meta.get("name") or "").strip())
        value = " ".join((meta.get("content") or "").split())
        if key and value and key not in found:
            found[key] = value
    return found


def _labelled_date(tree) -> str | None:
    """The date after a 发布时间/发布日期 label on the page, wherever it stands.

    trafilatura drops the article's info line with the rest of the chrome and
    htmldate misses Chinese dates, guessing ``2025-01-01`` from a year in the
    text instead, so such a label is the better evidence.
    """
    if tree is None:
        return None
    match = _LABELLED_DATE.search(tree.text_content())
    return _iso_date(match.group(1)) if match else None


def _site_suffix_removed(title: str, site: str | None) -> str:
    """``标题_湖北省人民政府门户网站`` -> ``标题``: the <title> often ends with the site."""
    for sep in ("_", " - ", " | ", "｜", " — ", " – ", "--"):
        head, found, tail = title.rpartition(sep)
        tail = tail.strip()
        if found and head.strip() and (tail == site or tail.endswith(_SITE_ENDINGS)):
            return head.strip()
    return title


def _iso_date(value: str | None) -> str | None:
    """``2026-02-05 09:30``, ``2026/2/5``, ``2026年2月5日`` -> ``2026-02-05``."""
    match = _DATE.search(value or "")
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else None


def _fields(text: str, doc, page: str) -> tuple[Field, ...]:
    """Metadata fields: the government tags where set (they are exact), else trafilatura's."""
    tree = _page_tree(page)
    gov = _gov_meta(tree)
    saved_from = _SAVED_FROM.search(page[:_HEAD_SCAN])
    site = gov.get("site") or doc.sitename
    values = {
        "title": gov.get("title") or _site_suffix_removed(doc.title or "", site),
        "date": _iso_date(gov.get("date")) or _labelled_date(tree) or doc.date,
        "author": gov.get("author") or doc.author,
        "source": gov.get("source") or site,
        "site": site,
        "url": gov.get("url") or doc.url or (saved_from.group(1) if saved_from else None),
    }
    return tuple(field_at(text, name, " ".join(value.split())) for name, value in values.items() if value)


def read(path: Path, raw: bytes) -> Extracted:
    """Read a saved web page into main-text blocks and metadata fields."""
    page = decode(raw)
    doc = _extract(page)
    if doc is None or doc.body is None:
        raise IngestError("网页中没有找到正文（可能只有导航、图片或脚本生成的内容）")
    walker = _Walker()
    walker.container(doc.body)
    text, blocks = join_pieces(walker.pieces)
    if not _has_main_text(text, blocks):
        raise IngestError("网页中没有找到正文（可能只有导航、图片或脚本生成的内容）")
    return Extracted(text, blocks, _fields(text, doc, page), "extracted", tuple(walker.dropped))
