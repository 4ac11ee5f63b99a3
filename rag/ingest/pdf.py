"""Read a PDF into ``Extracted``: body text in reading order, paragraphs rebuilt from layout.

This module reads glyphs (text, position, size, font) page by page and
groups them into lines; ``pdf_blocks`` turns lines into blocks.  PDFium
(``pypdfium2``, Apache-2.0/BSD) reads the glyphs: it is fast, survives
damaged files, and decodes CJK CID fonts that pdfminer maps wrongly (for
instance Adobe-CNS1 ``MSung-Light``, common in Traditional Chinese PDFs).
"""
from __future__ import annotations

import ctypes
import math
import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .base import Extracted, Field, IngestError
from .pdf_blocks import layout
from .pdf_lines import GAP_SPACE, Line

SUFFIXES = (".pdf",)
_BOLD_NAME = re.compile(r"bold|black|heavy|demi|semibold", re.I)
_VOID_META = {"", "untitled", "anonymous", "unknown", "administrator", "admin", "user", "微软用户", "作者"}
_SCAN = "PDF 中没有可提取的文字（可能是扫描件，需要先做文字识别）"


def _open(raw: bytes) -> pdfium.PdfDocument:
    """Open the bytes, turning PDFium's failures into reasons a user can act on."""
    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise IngestError("PDF 已加密，需要密码才能打开；请提供未加密的版本") from exc
        raise IngestError("无法解析 PDF 文件（文件损坏或不是 PDF）") from exc
    if len(pdf) == 0:
        pdf.close()
        raise IngestError("PDF 文件中没有页面（文件可能已损坏）")
    return pdf


class _Fonts:
    """Font name and boldness per text object, cached: most glyphs share their object's font."""

    def __init__(self) -> None:
        self.cache: dict[int, tuple[str, bool]] = {}
        self.buf = ctypes.create_string_buffer(256)

    def of(self, textpage, index: int) -> tuple[str, bool]:
        obj = pdfium_c.FPDFText_GetTextObject(textpage, index)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        if key not in self.cache:
            font = pdfium_c.FPDFTextObj_GetFont(obj)
            n = pdfium_c.FPDFFont_GetBaseFontName(font, self.buf, len(self.buf)) if font else 0
            name = self.buf.raw[: max(n - 1, 0)].decode("latin-1").split("+")[-1]
            bold = bool(font) and (pdfium_c.FPDFFont_GetWeight(font) >= 600 or bool(_BOLD_NAME.search(name)))
            self.cache[key] = (name, bold)
        return self.cache[key]


def _page_lines(textpage, page: int, fonts: _Fonts) -> tuple[list[Line], int]:
    """Group a page's glyphs into lines; also count rotated glyphs (watermarks, stamps), left out."""
    lines: list[Line] = []
    x, y = ctypes.c_double(), ctypes.c_double()
    rotated = 0
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        if pdfium_c.FPDFText_IsGenerated(textpage, i):
            if code == 32 and lines:
                lines[-1].add(GAP_SPACE, lines[-1].rights[-1], lines[-1].rights[-1], lines[-1].styles[-1])
            continue
        if pdfium_c.FPDFText_IsHyphen(textpage, i) == 1:
            code = 0xAD  # a word broken at the line's end: the hyphen goes when lines are joined
        elif code in (0xFFFE, 0xFFFF) or chr(code) in "\r\n\x02":
            continue
        elif code == 0 or pdfium_c.FPDFText_HasUnicodeMapError(textpage, i) == 1:
            code = 0xFFFD
        if abs(math.sin(pdfium_c.FPDFText_GetCharAngle(textpage, i))) > 0.05:
            rotated += 1
            continue
        pdfium_c.FPDFText_GetCharOrigin(textpage, i, x, y)
        left, _, right, _ = textpage.get_charbox(i, loose=True)  # advance widths: ink boxes of ，。 end early
        size = round(pdfium_c.FPDFText_GetFontSize(textpage, i), 1)
        if not lines or not lines[-1].continued_by(min(left, x.value), y.value, size):
            lines.append(Line(page, y.value))
        lines[-1].add(chr(code), min(left, x.value), max(right, x.value), (size, *fonts.of(textpage, i)))
    return [line for line in lines if line.strip().chars], rotated


def _read_pages(pdf: pdfium.PdfDocument) -> tuple[list[list[Line]], list[float], list[str]]:
    """Lines of every page, top to bottom, the page widths, and notes on what was left out."""
    pages, widths, notes, fonts, images, rotated = [], [], [], _Fonts(), 0, 0
    for number in range(1, len(pdf) + 1):
        page = pdf[number - 1]
        textpage = page.get_textpage()
        lines, turned = _page_lines(textpage, number, fonts)
        rotated += turned
        lines.sort(key=lambda line: (-round(line.y, 0), line.x0))
        pages.append(lines)
        widths.append(page.get_width())
        count = sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
        images += count
        if count and not lines:
            notes.append(f"第 {number} 页：只有图片、没有文字（可能是扫描页）")
        textpage.close()
        page.close()
    if images:
        notes.append(f"图片 {images} 张（未提取）")
    if rotated:
        notes.append(f"斜排或竖排的文字 {rotated} 字（水印、印章等，未提取）")
    return pages, widths, notes


def _fields(meta: dict) -> tuple[Field, ...]:
    """Title and author from the info dictionary, unless they are placeholders or file names."""
    out = []
    for key, name in (("Title", "title"), ("Author", "author")):
        value = re.sub(r"\s+", " ", meta.get(key) or "").strip()
        junk = value.lower() in _VOID_META or re.search(r"\.(docx?|wps|pdf|xlsx?|pptx?|txt|tmp)$|^microsoft \w+ - ", value, re.I)
        if not junk and not re.fullmatch(r"[\d\W_]+", value):
            out.append(Field(name, value))
    return tuple(out)


def _check_decodable(pages: list[list[Line]]) -> None:
    """Refuse text that is mostly glyphs without a Unicode mapping: indexing it would be noise."""
    chars = [ch for lines in pages for line in lines for ch in line.text if not ch.isspace()]
    bad = sum(ch == "\ufffd" or unicodedata.category(ch) == "Co" for ch in chars)
    if bad > 0.3 * len(chars):
        raise IngestError("PDF 的字体没有文字编码，提取不出正确的文字（可按扫描件处理，先做文字识别）")


def read(path: Path, raw: bytes) -> Extracted:
    """Extract ``raw`` (the bytes of ``path``) into blocks in reading order."""
    pdf = _open(raw)
    try:
        pages, widths, notes = _read_pages(pdf)
        meta = pdf.get_metadata_dict()
    finally:
        pdf.close()
    if not any(pages):
        raise IngestError(_SCAN)
    _check_decodable(pages)
    text, blocks, chrome = layout(pages, widths)
    if not blocks:
        raise IngestError(_SCAN)
    return Extracted(text, blocks, _fields(meta), "extracted", tuple(chrome + notes))
