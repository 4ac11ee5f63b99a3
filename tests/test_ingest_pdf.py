"""PDF ingestion: report text typeset into PDFs here, read back block for block."""
from __future__ import annotations

import doctest
import os
import re
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pdf_fixtures import FONT, Layout, make_pdf
from rag.ingest import pdf, pdf_blocks
from rag.ingest.base import Extracted, IngestError

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DEV = Path(os.environ.get("RAG_SHARED") or ROOT.parent / "shared") / "corpus-dev"
HUBEI_TITLE = "2026年湖北省政府工作报告"
PDIS_HEADER = "行政院公共數位創新空間 PDIS"


def _source(name: str) -> Path:
    path = CORPUS_DEV / name
    if not path.exists():
        pytest.skip(f"{path} is not here (shared/corpus-dev is laid beside the project)")
    return path


def hubei_blocks() -> list[tuple[str, str]]:
    """Body lines 16-30 and 43-46 of the Hubei report; "一、"/"二、" lines are headings."""
    lines = _source("hubei-gwr-2026.txt").read_text(encoding="utf-8").splitlines()
    body = lines[15:30] + lines[42:46]
    return [("heading" if re.match(r"[一二三四五六七八九十]+、", t) else "paragraph", t) for t in body]


def pdis_blocks() -> tuple[str, list[tuple[str, str]]]:
    """Title and plain body of the PDIS post: Markdown links become their text; headings,
    lists, HTML and front matter are dropped except "####" headings, kept as body-size headings."""
    text = _source("pdis-fishing-port-2019.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    title = re.search(r"^title: (.+)$", front, re.M).group(1)
    blocks = []
    for line in body.splitlines():
        if line.startswith("#### "):
            blocks.append(("subheading", line[5:].strip()))
        elif line and not re.match(r"[\s#<*!\-|>]", line):
            blocks.append(("paragraph", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)))
    return title, blocks


def read(path: Path) -> Extracted:
    extracted = pdf.read(path, path.read_bytes())
    _check_offsets(extracted)
    return extracted


def _check_offsets(e: Extracted) -> None:
    """Blocks index the text exactly, one newline apart, with no whitespace at their edges."""
    spans = [e.text[b.start:b.end] for b in e.blocks]
    assert e.origin == "extracted"
    assert e.text == "\n".join(spans)
    assert all(s == s.strip() and s and "\n" not in s for s in spans)


def _blocks(e: Extracted) -> list[tuple[str, str]]:
    return [(b.kind, e.text[b.start:b.end]) for b in e.blocks]


HUBEI_LAYOUTS = {
    # indented paragraphs set ragged-right: lines stop short where 禁则 moved a character on
    "indented-ragged": dict(justify=False),
    # justified, two columns under a full-width title, indents typed as two U+3000
    "two-columns": dict(columns=2, indent_with="\u3000"),
    # block style (a gap, no indent), "第 N 页" numbers, a diagonal watermark on every page
    "block-watermark": dict(indent=False, paragraph_gap=6, number_format="第 {n} 页", watermark="内部资料 注意保存"),
}


@pytest.mark.parametrize("name", HUBEI_LAYOUTS)
def test_hubei_report_reads_back_paragraph_for_paragraph(tmp_path, name):
    blocks = hubei_blocks()
    path = tmp_path / "hubei.pdf"
    layout = make_pdf(path, HUBEI_TITLE, blocks, header=HUBEI_TITLE, info_title=HUBEI_TITLE, author="湖北省人民政府",
                      **HUBEI_LAYOUTS[name])
    assert layout.pages >= 3 and len(layout.crossing()) >= 2  # paragraphs run over page breaks
    e = read(path)
    assert _blocks(e) == [("heading", HUBEI_TITLE)] + blocks
    assert [b.page for b in e.blocks] == [1] + layout.starts
    assert [b.level for b in e.blocks if b.kind == "heading"] == [1, 2, 2]
    assert e.text.count(HUBEI_TITLE) == 1  # the running header is gone, the title stays
    assert not re.search(r"- \d+ -|第 \d+ 页|内部资料", e.text)
    rotated = len("内部资料 注意保存") * layout.pages
    watermark = (f"斜排或竖排的文字 {rotated} 字（水印、印章等，未提取）",) * (name == "block-watermark")
    assert e.dropped == (f"页眉：{HUBEI_TITLE}", "页码") + watermark
    assert [(f.name, f.value, f.start, f.end) for f in e.fields] == [
        ("title", HUBEI_TITLE, -1, -1), ("author", "湖北省人民政府", -1, -1)]


PDIS_LAYOUTS = {
    # block style: no indents, a gap between paragraphs, "第 N 頁" page numbers
    "block": dict(indent=False, paragraph_gap=6, number_format="第 {n} 頁"),
    "two-columns": dict(columns=2),
}


@pytest.mark.parametrize("name", PDIS_LAYOUTS)
def test_traditional_post_reads_back(tmp_path, name):
    """Justified Traditional text with Latin words and body-size headings standing alone."""
    title, blocks = pdis_blocks()
    path = tmp_path / "pdis.pdf"
    layout = make_pdf(path, title, blocks, header=PDIS_HEADER, author="雨蒼", **PDIS_LAYOUTS[name])
    assert layout.pages >= 3 and layout.crossing()
    e = read(path)
    assert _blocks(e) == [("heading", title)] + [("heading" if k == "subheading" else k, t) for k, t in blocks]
    assert [b.page for b in e.blocks] == [1] + layout.starts
    assert {b.level for b in e.blocks if b.kind == "heading"} == {1, 2}
    assert "PDIS" not in e.text.replace("PDIS 於", "")  # the header's Latin word is gone with it
    assert not re.search(r"第 \d+ 頁|- \d+ -", e.text)
    assert e.dropped == (f"页眉：{PDIS_HEADER}", "页码")
    # ReportLab writes the placeholder /Title "untitled": it is not a title.
    assert [(f.name, f.value) for f in e.fields] == [("author", "雨蒼")]


@pytest.mark.parametrize("name", ["hubei", "guangdong", "sichuan", "shanghai"])
def test_whole_work_reports_read_back(tmp_path, name):
    """Every line after the title of a 15-25 page report, web chrome and all, comes back as one block."""
    lines = _source(f"{name}-gwr-2026.txt").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if "政府工作报告" in line)
    body = [line.strip() for line in lines[at + 1:] if line.strip()]
    blocks = [("heading" if re.match(r"[一二三四五六七八九十]+、.{,30}$", t) else "paragraph", t) for t in body]
    path = tmp_path / f"{name}.pdf"
    assert make_pdf(path, lines[at], blocks, header=lines[at]).pages >= 15
    e = read(path)
    assert [t for _, t in _blocks(e)] == [lines[at]] + body
    assert all(b.kind == "heading" for b, (kind, _) in zip(e.blocks[1:], blocks) if kind == "heading")


def test_latin_words_broken_over_lines_keep_their_space(tmp_path):
    text = ("本段混排英文：The Public Digital Innovation Space works with civil servants and citizens "
            "to co-create policy, using tools such as Sli.do and open data portals since 2016. "
            "数字 123456789 与 987654321 不被拆开，version 2.0 也一样。")
    path = tmp_path / "latin.pdf"
    make_pdf(path, "", [("paragraph", text)] * 3, page_numbers=False)
    assert _blocks(read(path)) == [("paragraph", text)] * 3


def test_no_title_no_header_single_page(tmp_path):
    path = tmp_path / "plain.pdf"
    make_pdf(path, "", [("paragraph", "第一段。"), ("paragraph", "第二段很短，也要分开。")], page_numbers=False)
    e = read(path)
    assert _blocks(e) == [("paragraph", "第一段。"), ("paragraph", "第二段很短，也要分开。")]
    assert e.dropped == () and e.fields == ()


def test_garbage_and_truncated_files_are_refused(tmp_path):
    path = tmp_path / "bad.pdf"
    for raw in (b"", b"not a pdf at all " * 50, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<"):
        with pytest.raises(IngestError, match="无法解析 PDF 文件"):
            pdf.read(path, raw)


def _one_line_pdf(path: Path, text: str, **options) -> Path:
    c = canvas.Canvas(str(path), **options)
    c.setFont(FONT, 11)
    c.drawString(72, 700, text)
    c.save()
    return path


def test_password_protected_pdf_is_refused(tmp_path):
    path = _one_line_pdf(tmp_path / "locked.pdf", "机密文件。", encrypt="secret")
    with pytest.raises(IngestError, match="PDF 已加密，需要密码才能打开"):
        pdf.read(path, path.read_bytes())


def test_pdf_encrypted_only_against_copying_is_read(tmp_path):
    """An owner password with an empty user password opens in every viewer: its text is read."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    locked = StandardEncryption("", ownerPassword="owner", canCopy=0, canModify=0)
    path = _one_line_pdf(tmp_path / "owner.pdf", "仅限阅读的公开报告。", encrypt=locked)
    assert _blocks(read(path)) == [("paragraph", "仅限阅读的公开报告。")]


def test_superscripts_and_subscripts_stay_in_their_line(tmp_path):
    path = tmp_path / "sup.pdf"
    c = canvas.Canvas(str(path))
    t = c.beginText(72, 700)
    for text, size, rise in (("建成面积100万平方米（m", 11, 0), ("2", 7, 4), ("），同比增长5%。注", 11, 0),
                             ("[1]", 7, -2), ("见附表。", 11, 0)):
        t.setFont(FONT, size)
        t.setRise(rise)
        t.textOut(text)
    c.drawText(t)
    c.save()
    assert _blocks(read(path)) == [("paragraph", "建成面积100万平方米（m2），同比增长5%。注[1]见附表。")]


def test_scan_without_text_is_refused(tmp_path):
    """Image-only pages (a scan) have nothing to index, even when page numbers are text."""
    from PIL import Image, ImageDraw

    picture = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(picture).rectangle((20, 20, 380, 180), outline=0, width=5)
    for numbers in (False, True):
        path = tmp_path / f"scan-{numbers}.pdf"
        c = canvas.Canvas(str(path), pagesize=A4)
        for n in (1, 2):
            c.drawImage(ImageReader(picture), 72, 300, width=450, height=225)
            if numbers:
                c.setFont(FONT, 9)
                c.drawCentredString(A4[0] / 2, 40, f"- {n} -")
            c.showPage()
        c.save()
        with pytest.raises(IngestError, match=r"PDF 中没有可提取的文字（可能是扫描件，需要先做文字识别）"):
            pdf.read(path, path.read_bytes())


def test_image_pages_are_noted_as_dropped(tmp_path):
    from PIL import Image

    path = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 11)
    c.drawString(72, 700, "正文在第一页。")
    c.showPage()
    c.drawImage(ImageReader(Image.new("L", (50, 50), 128)), 72, 300, width=400, height=400)
    c.showPage()
    c.save()
    e = read(path)
    assert _blocks(e) == [("paragraph", "正文在第一页。")]
    assert e.dropped == ("第 2 页：只有图片、没有文字（可能是扫描页）", "图片 1 张（未提取）")


def test_line_joining_rules():
    assert doctest.testmod(pdf_blocks).failed == 0
    assert pdf_blocks._join("open", "data") == "open data"
    assert pdf_blocks._join("portals since 2016.", "数字") == "portals since 2016.数字"


def test_layout_helper_reports_pages(tmp_path):
    layout = make_pdf(tmp_path / "x.pdf", "标题", [("paragraph", "短。")])
    assert layout == Layout(1, [1], [1])
