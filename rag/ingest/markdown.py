"""Markdown (``.md``): parsed with markdown-it-py, offsets still into the file.

YAML front matter gives title, date and author, and its summary (``excerpt``,
``summary``, ``description``, ``abstract``) is the post's own words: the first
body block, when it stands in the file verbatim and the body does not repeat
it (its markup masked as a paragraph's is).  Headings are sections;
paragraphs, list items, quotes, table rows and figure captions are body
blocks; images, the rest of figures, raw HTML and code are not (they are
listed as dropped).  A link
keeps its text: the link's syntax and target are masked for matching, while
the shown text stays the file's own characters.

>>> md = "---\\ntitle: 标题\\nauthor: 某人\\n---\\n\\n## 小节\\n\\n见《[公路法](https://x.tw/a?b=1)》第27條。\\n\\n![图](a.png)\\n"
>>> ex = read(None, md.encode())
>>> [(f.name, f.value) for f in ex.fields]
[('title', '标题'), ('author', '某人')]
>>> [(b.kind, ex.text[b.start:b.end]) for b in ex.blocks]
[('heading', '小节'), ('paragraph', '见《[公路法](https://x.tw/a?b=1)》第27條。')]
>>> [ex.text[a:b] for a, b in ex.mask], ex.dropped
(['[', '](https://x.tw/a?b=1)'], ('图片：![图](a.png)',))
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .base import Block, Extracted, Field
from .decode import decode
from .text import line_spans, strip_span

SUFFIXES = (".md", ".markdown")
_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_FIELDS = {"title": "title", "date": "date", "author": "author", "authors": "author", "source": "source",
           "publisher": "source", "url": "url", "permalink": "url", "canonical_url": "url",
           "category": "category", "categories": "category", "tags": "tags", "keywords": "tags"}
_SUMMARIES = ("excerpt", "summary", "description", "abstract")
_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\n]*)\)")
_MARKUP = re.compile(r"<[^>\n]{1,200}>|\*\*|__|`")
_LEAD = re.compile(r"\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,3}[.)]\s+|\|)?")
_CAPTION = re.compile(r"<figcaption[^>]*>\s*([^<>]*?)\s*</figcaption>", re.I)
_ONLY_IMAGES = re.compile(r"^(?:\s|!\[[^\]]*\]\([^)]*\)|<img[^>]*>|<br\s*/?>)+$", re.I)


def _front_matter(text: str) -> tuple[list[Field], int, list[Block]]:
    """Fields of a YAML front matter block, the offset where the body starts, and
    its summary as a block (``_summary``).

    >>> md = "---\\ntitle: 标题\\nexcerpt: 试点三个街区的垃圾分类。\\n---\\n正文"
    >>> fields, body_at, [summary] = _front_matter(md)
    >>> md[body_at:], md[summary.start:summary.end]
    ('正文', '试点三个街区的垃圾分类。')
    """
    m = _FRONT.match(text)
    if not m:
        return [], 0, []
    import yaml

    try:
        data = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError:
        data = {}
    fields = []
    for key, name in _FIELDS.items():
        value = data.get(key) if isinstance(data, dict) else None
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.strftime("%Y-%m-%d")
        if value is None or not str(value).strip():
            continue
        value = str(value).strip()
        at = text.find(value, m.start(1), m.end(1))
        fields.append(Field(name, value, at, at + len(value)) if at >= 0 else Field(name, value))
    return fields, m.end(), _summary(text, data, m)


def _summary(text: str, data, m: re.Match) -> list[Block]:
    """The front matter's summary as a paragraph: only a value that stands verbatim on
    its own key's line (offsets are the truth), and not one the body repeats.

    >>> import yaml
    >>> def shown(md):
    ...     m = _FRONT.match(md)
    ...     return [(md[b.start:b.end], md[:b.start].splitlines()[-1]) for b in _summary(md, yaml.safe_load(m.group(1)), m)]
    >>> shown("---\\ntitle: 试点街区\\nsummary: 首段。\\ndescription: 试点街区\\n---\\n首段。")
    [('试点街区', 'description: ')]
    >>> shown("---\\nsummary: 首段。\\n---\\n首段。"), shown("---\\nsummary: 摘要。\\n---\\n首段。")
    ([], [('摘要。', 'summary: ')])
    """
    for key in _SUMMARIES:
        value = data.get(key) if isinstance(data, dict) else None
        line = re.search(rf"^{key}:[ \t]*", text[m.start(1):m.end(1)], re.M)
        if not isinstance(value, str) or not value.strip() or not line:
            continue
        value = value.strip()
        at = text.find(value, m.start(1) + line.end(), m.end(1))
        if at >= 0 and text.find(value, m.end()) < 0:
            return [Block("paragraph", at, at + len(value))]
    return []


def _block(text: str, spans, token) -> tuple[int, int]:
    """The span of a block token's lines, past list/quote/heading markers."""
    first, last = token.map[0], token.map[1] - 1
    start, end = spans[first][0], spans[last][1]
    lead = _LEAD.match(text, start, spans[first][1])
    start = lead.end() if lead else start
    if token.type == "heading_open":
        end = len(text[start:end].rstrip("# \t")) + start
    return strip_span(text, start, end)


def _mask(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Markup spans inside a block: link brackets and targets, images, tags, emphasis."""
    out = []
    for m in _LINK.finditer(text, start, end):
        if m.group(1):
            out.append((m.start(), m.end()))
        else:
            out += [(m.start(), m.start() + 1), (m.start(3) - 2, m.end())]
    for m in _MARKUP.finditer(text, start, end):
        if not any(a <= m.start() < b for a, b in out):
            out.append((m.start(), m.end()))
    return sorted(out)


def read(path: Path | None, raw: bytes) -> Extracted:
    from markdown_it import MarkdownIt

    text, encoding = decode(raw)
    fields, body_at, blocks = _front_matter(text)
    spans = line_spans(text)
    offset_line = sum(1 for a, _ in spans if a < body_at)
    tokens = MarkdownIt("commonmark").enable("table").parse(text[body_at:])
    mask = [span for b in blocks for span in _mask(text, b.start, b.end)]
    dropped, heading = [], None
    for tok in tokens:
        if tok.map is None:
            continue
        tok.map = [tok.map[0] + offset_line, tok.map[1] + offset_line]
        if tok.type in ("html_block", "fence", "code_block"):
            a, b = spans[tok.map[0]][0], spans[tok.map[1] - 1][1]
            dropped.append(("HTML：" if tok.type == "html_block" else "代码：") + text[a:b].strip()[:60])
            # A figure's caption is the post's own words about its photo: a body block.
            blocks += [Block("caption", *m.span(1)) for m in _CAPTION.finditer(text, a, b)
                       if tok.type == "html_block" and m.group(1).strip()]
        elif tok.type in ("heading_open", "paragraph_open", "tr_open"):
            a, b = _block(text, spans, tok)
            if tok.type == "heading_open":
                heading = int(tok.tag[1])
            line = text[a:b]
            if _ONLY_IMAGES.match(line):
                dropped.append("图片：" + line[:60])
            elif b > a and not (tok.type == "tr_open" and set(line) <= set("|-: \t")):
                blocks.append(Block("heading" if tok.type == "heading_open" else "paragraph", a, b,
                                    level=heading if tok.type == "heading_open" else 0))
                mask += _mask(text, a, b)
    return Extracted(text, tuple(blocks), tuple(fields), "file", tuple(dropped), tuple(mask), encoding)
