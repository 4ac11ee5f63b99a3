"""Word (.docx) reader: body paragraphs and headings in document order.

Word keeps structure that plain text loses, so this reader passes it on
instead of leaving the layout step to guess: Heading 1-9 styles (under their
English or localized names such as 「标题 1」, or any style with an outline
level) become heading blocks of that level, and the Title style becomes a
level-1 heading whose text is also the ``title`` field.  Table rows are read
in order: a row with one cell (a table used for page layout) gives that
cell's paragraphs, a row with several cells one block of the cell texts
joined by tabs, so a label stays with its value.  Headers, footers,
footnotes, text boxes and the table of contents are not body text and are
left out; images are counted in ``dropped``.

Core properties give ``title``, ``author`` and ``date`` (creation day) with
offsets -1, unless they hold a value some tool writes by default.  Word has
no fixed pages, so every block has page 0.  A legacy binary ``.doc`` cannot
be read: it raises an IngestError that says to save it as ``.docx``.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from .assemble import clean, field_at, join_pieces
from .base import Extracted, Field, IngestError

SUFFIXES = (".docx", ".doc")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LEGACY = "这是旧版 Word (.doc) 文件或加密的 Word 文件，无法读取：请在 Word 或 WPS 中另存为 .docx（并取消密码）后再导入"
_HEADING_STYLE = re.compile(r"^(?:heading|标题|標題)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLES = {"title", "标题", "標題"}
_TOC_STYLE = re.compile(r"^(?:toc|目录|目錄)\s*\d", re.IGNORECASE)
_PLACEHOLDER_NAMES = {"python-docx", "administrator", "admin", "user", "unknown", "author", "作者",
                      "microsoft office user", "microsoft office 用户", "windows user", "windows 用户", "用户"}
_PLACEHOLDER_TITLE = re.compile(r"^(?:文档|文件|document|word 文档|microsoft word 文档)\s*\d*$", re.IGNORECASE)
_UTC8 = dt.timezone(dt.timedelta(hours=8))
# The creation time stored in python-docx's template: not a real date.
_TEMPLATE_CREATED = "2013-12-23"
_TEXT_XPATH = ("./descendant::*[self::w:t or self::w:tab or self::w:br or self::w:cr]"
               "[not(ancestor::w:txbxContent)][not(ancestor::w:del)]")
_IMAGE_XPATH = ".//w:drawing | .//w:pict"
_OUTLINE_XPATH = "./w:pPr/w:outlineLvl/@w:val"


def _open(path: Path, raw: bytes):
    """The python-docx Document, or an IngestError a user can act on.

    The suffix alone does not decide: a .docx saved under a .doc name reads
    fine, and an OLE2 file under a .docx name is a legacy or encrypted file.
    """
    import docx

    if raw.startswith(_OLE_MAGIC):
        raise IngestError(_LEGACY)
    try:
        return docx.Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx raises BadZipFile, KeyError, ValueError, lxml errors...
        if path.suffix.lower() == ".doc":
            raise IngestError(_LEGACY) from exc
        if isinstance(exc, zipfile.BadZipFile):
            raise IngestError("不是有效的 Word (.docx) 文件：文件不是 ZIP 包，可能已损坏或只是改了后缀名") from exc
        raise IngestError(f"不是有效的 Word (.docx) 文件：{type(exc).__name__}: {exc}") from exc


def _run_text(p_element) -> str:
    """A paragraph's text, including tracked insertions and content controls.

    ``Paragraph.text`` only sees runs that are direct children, so it would
    lose text inside ``w:ins`` or ``w:sdt``; deleted text and text boxes are
    not part of the paragraph as read.
    """
    out = []
    for node in p_element.xpath(_TEXT_XPATH):
        tag = node.tag.rsplit("}", 1)[-1]
        out.append((node.text or "") if tag == "t" else "\t" if tag == "tab" else "\n")
    return "".join(out)


def _style_level(style) -> int | None:
    """Heading level of a paragraph style (0 for Title), following its base styles."""
    for _ in range(10):  # base-style chains are short; the bound guards against loops
        if style is None:
            return None
        name = (style.name or "").strip()
        if name.lower() in _TITLE_STYLES:
            return 0
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
        outline = style.element.xpath(_OUTLINE_XPATH)
        if outline and outline[0].isdigit() and int(outline[0]) < 9:
            return int(outline[0]) + 1
        style = style.base_style
    return None


def _style_name(paragraph) -> str:
    """The paragraph's style name, or "" when its style id is undefined."""
    try:
        style = paragraph.style
    except (KeyError, ValueError):
        return ""
    return (style.name or "").strip() if style is not None else ""


def _paragraph_level(paragraph) -> int | None:
    """Heading level of a paragraph: direct outline level first, then its style."""
    outline = paragraph._p.xpath(_OUTLINE_XPATH)
    if outline and outline[0].isdigit():
        return int(outline[0]) + 1 if int(outline[0]) < 9 else None
    try:
        return _style_level(paragraph.style)
    except (KeyError, ValueError):  # a style id the styles part does not define
        return None


class _Walker:
    """Collects pieces, the Title-style text and what was dropped, in body order."""

    def __init__(self):
        self.pieces: list[tuple[str, int, str]] = []
        self.titles: list[str] = []
        self.images = 0
        self.toc = 0

    def paragraph(self, paragraph) -> None:
        """One body paragraph: skipped when empty or a TOC line, else a heading or paragraph piece."""
        self.images += len(paragraph._p.xpath(_IMAGE_XPATH))
        if _TOC_STYLE.match(_style_name(paragraph)):
            self.toc += 1
            return
        text = _run_text(paragraph._p)
        if not clean(text):
            return
        level = _paragraph_level(paragraph)
        if level == 0:
            self.titles.append(clean(" ".join(text.split("\n"))))
            self.pieces.append(("heading", 1, text))
        elif level:
            self.pieces.append(("heading", level, text))
        else:
            self.pieces.append(("paragraph", 0, text))

    def content(self, container) -> None:
        """Paragraphs and tables of a body or cell, in order."""
        from docx.table import Table

        for item in container.iter_inner_content():
            if isinstance(item, Table):
                self.table(item)
            else:
                self.paragraph(item)

    def table(self, table) -> None:
        """A one-cell row yields its paragraphs; a wider row one tab-joined block."""
        for row in table.rows:
            cells = []
            for cell in row.cells:  # a merged cell is repeated across its grid columns
                if not cells or cell._tc is not cells[-1]._tc:
                    cells.append(cell)
            if len(cells) == 1:
                self.content(cells[0])
                continue
            texts = [clean(" ".join(_cell_text(c).split())) for c in cells]
            if any(texts):
                self.pieces.append(("paragraph", 0, "\t".join(texts)))


def _cell_text(cell) -> str:
    """All text of a table cell, nested tables included, for a tab-joined row."""
    return " ".join(_run_text(p) for p in cell._tc.xpath(".//w:p[not(ancestor::w:txbxContent)]"))


def _core_fields(document) -> list[Field]:
    """title/author/date from core properties, skipping tool defaults and blanks."""
    props = document.core_properties
    fields = []
    title = clean(props.title or "")
    if title and title.lower() not in _PLACEHOLDER_NAMES and not _PLACEHOLDER_TITLE.match(title):
        fields.append(Field("title", title))
    author = clean(props.author or "")
    if author and author.lower() not in _PLACEHOLDER_NAMES:
        fields.append(Field("author", author))
    created = props.created
    if created is not None and created.date().isoformat() != _TEMPLATE_CREATED:
        # Stored in UTC; the reports are written at UTC+8 (mainland, Hong Kong, Taiwan).
        if created.tzinfo is not None:
            created = created.astimezone(_UTC8)
        fields.append(Field("date", created.date().isoformat()))
    return fields


def read(path: Path, raw: bytes) -> Extracted:
    """Read a .docx file into text, heading/paragraph blocks and metadata fields."""
    document = _open(path, raw)
    walker = _Walker()
    walker.content(document)
    text, blocks = join_pieces(walker.pieces)
    if not blocks:
        raise IngestError("Word 文件中没有正文文字（可能只有图片、文本框或扫描件）")
    fields = [field_at(text, "title", t) for t in walker.titles[:1]]
    fields += [f for f in _core_fields(document) if not (f.name == "title" and walker.titles[:1] == [f.value])]
    dropped = []
    if walker.images:
        dropped.append(f"图片 {walker.images} 张")
    if walker.toc:
        dropped.append(f"目录 {walker.toc} 行")
    return Extracted(text, blocks, tuple(fields), "extracted", tuple(dropped))
