"""Word reader: a report saved as .docx reads back paragraph for paragraph."""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from rag.ingest.base import IngestError
from rag.ingest.docx import SUFFIXES, read
from office_fixtures import corpus_dev, make_docx, report_blocks

HUBEI = corpus_dev("hubei-gwr-2026.txt")
TITLE = "2026年湖北省政府工作报告"


def _read(path: Path):
    return read(path, path.read_bytes())


def _kinds(extracted) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, extracted.text[b.start:b.end]) for b in extracted.blocks]


def _expected(blocks) -> list[tuple[str, int, str]]:
    return [("paragraph", 0, t) if k == "p" else ("heading", int(k[1:]), t) for k, t in blocks]


@pytest.fixture(scope="module")
def hubei_blocks():
    if HUBEI is None:
        pytest.skip("shared/corpus-dev is not here")
    return report_blocks(HUBEI, 16, 129)


def test_report_reads_back_exactly(tmp_path, hubei_blocks):
    path = make_docx(tmp_path / "hubei.docx", TITLE, hubei_blocks, author="湖北省人民政府", date="2026-02-05")
    e = _read(path)
    assert e.origin == "extracted" and ".docx" in SUFFIXES
    assert _kinds(e) == [("heading", 1, TITLE)] + _expected(hubei_blocks)
    assert sum(1 for k, _ in hubei_blocks if k == "h1") == 4 and sum(1 for k, _ in hubei_blocks if k == "h2") == 9
    assert e.text == "\n".join(t for _, _, t in _kinds(e))
    assert all(b.page == 0 for b in e.blocks)
    fields = {f.name: f for f in e.fields}
    assert (fields["title"].value, fields["title"].start, fields["title"].end) == (TITLE, 0, len(TITLE))
    assert (fields["author"].value, fields["author"].start) == ("湖北省人民政府", -1)
    assert (fields["date"].value, fields["date"].start) == ("2026-02-05", -1)


def test_tool_defaults_are_not_metadata(tmp_path):
    """python-docx writes author "python-docx" and a 2013 date: neither is the report's."""
    e = _read(make_docx(tmp_path / "plain.docx", "", [("p", "正文。")]))
    assert e.fields == ()
    assert _kinds(e) == [("paragraph", 0, "正文。")]


def _set_outline(paragraph, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    ppr.append(outline)


def _tiny_png() -> bytes:
    """A 1x1 black PNG, so the test needs no image file or imaging library."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def test_localized_styles_tables_breaks_and_images(tmp_path):
    doc = docx.Document()
    doc.core_properties.title = "文档1"  # a placeholder title, ignored
    localized = doc.styles.add_style("标题 2", WD_STYLE_TYPE.PARAGRAPH)
    doc.add_paragraph("（一）总体要求", style=localized)
    _set_outline(doc.add_paragraph("三级大纲标题"), 2)
    doc.add_paragraph("\u3000\u3000首段。")
    doc.add_paragraph("   ")
    doc.add_paragraph().add_run("第一行。").add_break()
    doc.paragraphs[-1].add_run("第二行。")
    layout = doc.add_table(rows=1, cols=1)
    layout.cell(0, 0).paragraphs[0].text = "表格里的段落一。"
    layout.cell(0, 0).add_paragraph("表格里的段落二。")
    data = doc.add_table(rows=2, cols=2)
    for r, row in enumerate([("指标", "数值"), ("地区生产总值", "62661亿元")]):
        for c, value in enumerate(row):
            data.cell(r, c).text = value
    doc.add_picture(io.BytesIO(_tiny_png()))
    doc.add_paragraph("尾段。")
    path = tmp_path / "styles.docx"
    doc.save(str(path))
    e = _read(path)
    assert _kinds(e) == [
        ("heading", 2, "（一）总体要求"), ("heading", 3, "三级大纲标题"), ("paragraph", 0, "首段。"),
        ("paragraph", 0, "第一行。"), ("paragraph", 0, "第二行。"),
        ("paragraph", 0, "表格里的段落一。"), ("paragraph", 0, "表格里的段落二。"),
        ("paragraph", 0, "指标\t数值"), ("paragraph", 0, "地区生产总值\t62661亿元"), ("paragraph", 0, "尾段。"),
    ]
    assert e.fields == ()
    assert e.dropped == ("图片 1 张",)


def test_tracked_insertions_count_and_deletions_do_not(tmp_path):
    doc = docx.Document()
    p = doc.add_paragraph("保留")
    for tag, text_tag, text in (("w:ins", "w:t", "插入"), ("w:del", "w:delText", "删除")):
        wrapper, run, t = OxmlElement(tag), OxmlElement("w:r"), OxmlElement(text_tag)
        wrapper.set(qn("w:id"), "1")
        wrapper.set(qn("w:author"), "审稿人")
        t.text = text
        run.append(t)
        wrapper.append(run)
        p._p.append(wrapper)
    path = tmp_path / "tracked.docx"
    doc.save(str(path))
    assert _kinds(_read(path)) == [("paragraph", 0, "保留插入")]


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("name, raw, reason", [
    ("broken.docx", b"PK\x03\x04 this is not really a zip", "不是有效的 Word (.docx) 文件"),
    ("text.docx", "这只是一个改了后缀名的文本文件。".encode(), "不是有效的 Word (.docx) 文件"),
    ("other.docx", _zip({"hello.txt": b"hi"}), "不是有效的 Word (.docx) 文件"),
    ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "另存为 .docx"),
    ("rtf.doc", b"{\\rtf1\\ansi Word 97 saved as RTF}", "另存为 .docx"),
    ("encrypted.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "另存为 .docx"),
])
def test_broken_files_raise_a_reason(tmp_path, name, raw, reason):
    path = tmp_path / name
    path.write_bytes(raw)
    with pytest.raises(IngestError, match=re.escape(reason)):
        _read(path)


def test_docx_under_a_doc_name_reads(tmp_path):
    path = make_docx(tmp_path / "renamed.docx", "", [("p", "正文。")]).rename(tmp_path / "renamed.doc")
    assert _kinds(_read(path)) == [("paragraph", 0, "正文。")]


def test_creation_time_is_read_at_utc_plus_8(tmp_path):
    """Word stores UTC: a file made at 07:00 in Beijing was made the day before in UTC."""
    import datetime as dt

    doc = docx.Document()
    doc.add_paragraph("正文。")
    doc.core_properties.created = dt.datetime(2026, 2, 4, 23, 0)
    path = tmp_path / "early.docx"
    doc.save(str(path))
    assert [(f.name, f.value) for f in _read(path).fields] == [("date", "2026-02-05")]


def test_document_without_text_raises(tmp_path):
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    with pytest.raises(IngestError, match="没有正文"):
        _read(path)
