"""The report reader: a document's whole text, its sections, and a cited place marked.

The text is drawn from ``doc.text`` alone, cut at offsets and escaped piece
by piece, so the page's text is the source character for character and a
mark holds exactly ``doc.text[start:end]``.  Headings, paragraphs and the
rest (title, dateline, page chrome) are told apart only by class.

>>> from rag.types import Document, Paragraph
>>> d = Document("d", "d.txt", "标题\\n一、总体\\n正文<b>甲</b>。", "标题", "", "", (Paragraph(1, "一、总体", 8, 20),), (), "")
>>> headings(d)
[('一、总体', 3, 7)]
>>> body(d, (8, 20), (10, 13))[-88:]
'<mark class="sent">正文<mark class="span">&lt;b&gt;</mark>甲&lt;/b&gt;。</mark></span></div>'
"""
from __future__ import annotations

from .. import cite
from ..escape import attribute, verbatim
from ..types import Document
from .links import Place, link

Span = tuple[int, int] | None


def headings(doc: Document) -> list[tuple[str, int, int]]:
    """Each section heading with where it stands in the text (searched between its neighbours)."""
    found, prev_end = [], 0
    for p in doc.paragraphs:
        if p.section and (not found or found[-1][0] != p.section) and p.section not in [f[0] for f in found]:
            at = doc.text.rfind(p.section, prev_end, p.start)
            if at >= 0:
                found.append((p.section, at, at + len(p.section)))
        prev_end = p.end
    return found


def _segments(doc: Document) -> list[tuple[int, int, str]]:
    """The text cut into (start, end, class): title, headings, paragraphs; the rest between them."""
    marked = [(a, b, f"rd-h\" id=\"rd-sec-{i}") for i, (_, a, b) in enumerate(headings(doc), 1)]
    marked += [(p.start, p.end, f"rd-p\" data-p=\"{p.number}") for p in doc.paragraphs]
    marked += [(a, b, "rd-t") for name, _, a, b in doc.fields if name == "title" and 0 <= a < b]
    out, pos = [], 0
    for a, b, cls in sorted(marked):
        if a < pos:  # overlapping labels (a title repeated as a heading): the first wins
            continue
        if a > pos:
            out.append((pos, a, "rd-x"))
        out.append((a, b, cls))
        pos = b
    if pos < len(doc.text):
        out.append((pos, len(doc.text), "rd-x"))
    return out


def _clip(span: Span, a: int, b: int) -> Span:
    if span is None or span[1] <= a or span[0] >= b:
        return None
    return max(a, span[0]), min(b, span[1])


def _marked(text: str, a: int, b: int, sentence: Span, highlight: Span) -> str:
    """``text[a:b]`` escaped, with the sentence and (inside it) the highlight marked."""
    s = _clip(sentence, a, b)
    if s is None:
        h = _clip(highlight, a, b)
        if h is None:
            return verbatim(text[a:b])
        return (verbatim(text[a:h[0]]) + f'<mark class="span">{verbatim(text[h[0]:h[1]])}</mark>'
                + verbatim(text[h[1]:b]))
    inner = _marked(text, s[0], s[1], None, highlight)
    return verbatim(text[a:s[0]]) + f'<mark class="sent">{inner}</mark>' + verbatim(text[s[1]:b])


def body(doc: Document, sentence: Span = None, highlight: Span = None) -> str:
    """The whole text as HTML, every piece escaped, the place marked."""
    parts = [f'<span class="{cls}">{_marked(doc.text, a, b, sentence, highlight)}</span>'
             for a, b, cls in _segments(doc)]
    return f'<div class="rd-text" lang="zh">{"".join(parts)}</div>'


def toc(doc: Document) -> str:
    """The sections as a table of contents; a tap scrolls to the heading."""
    items = "".join(f'<li><a href="#rd-sec-{i}" data-jump="rd-sec-{i}">{verbatim(name)}</a></li>'
                    for i, (name, _, _) in enumerate(headings(doc), 1))
    return f'<details class="rd-toc" open><summary>目录</summary><ol>{items}</ol></details>' if items else ""


def _in_range(doc: Document, span: Span) -> Span:
    return span if span is not None and span[1] <= len(doc.text) else None


def place_citations(doc: Document, sentence: tuple[int, int], accessed) -> str:
    """Copyable citations of the marked text (the paragraph holding its start)."""
    para = next((p for p in doc.paragraphs if p.start <= sentence[0] < p.end), None)
    number = para.number if para else 0
    text = doc.text[sentence[0]:sentence[1]]
    return cite_box(cite.news(doc, number, text, para.page if para else 0), cite.gbt7714(doc, accessed))


def cite_box(news: str, gbt: str) -> str:
    """The two citation styles with a copy button each."""
    return ('<div class="citebox"><p><strong>新闻引用</strong></p>'
            f'<p class="verbatim cite-news">{verbatim(news)}</p>'
            f'<div class="acts"><button class="act" data-copy="{attribute(news)}">复制新闻引用</button></div>'
            f'<p><strong>GB/T 7714-2015</strong></p><p class="verbatim cite-gbt">{verbatim(gbt)}</p>'
            f'<div class="acts"><button class="act" data-copy="{attribute(gbt)}">复制参考文献</button></div></div>')


def reader_html(docs: dict, place: Place | None, accessed) -> str:
    """The reader for ``place`` (or a note when the document is unknown)."""
    if place is None or place.doc not in docs:
        return '<p class="muted">从答案、参考段落或引文核查结果中点击「在原文中查看」，或在报告卡片上点击「阅读全文」。</p>'
    doc = docs[place.doc]
    sentence, highlight = _in_range(doc, place.sentence), _in_range(doc, place.highlight)
    meta = " · ".join(verbatim(x) for x in (cite.publisher(doc), cite.date_words(doc.date)) if x)
    url = f'<p class="muted verbatim">来源网址：{verbatim(doc.url)}</p>' if doc.url else ""
    share = link(doc=doc.id, s=sentence, h=highlight)
    note = ('<p class="ask-error">链接中的位置超出了这篇文档的范围，已显示全文。</p>'
            if place.sentence and sentence is None else "")
    cites = place_citations(doc, sentence, accessed) if sentence else ""
    return (f'<div class="rd-head"><h2 class="verbatim">《{verbatim(doc.title)}》</h2><p class="muted">{meta}</p>{url}'
            f'<div class="acts"><button class="act" data-share="{attribute(share)}">复制此处链接</button></div>'
            f'{note}{cites}</div>{toc(doc)}{body(doc, sentence, highlight)}')
