"""HTML reader: a saved government page yields the article and nothing of the site."""
from __future__ import annotations

from pathlib import Path

import pytest

from rag.ingest.base import IngestError
from rag.ingest.html import SUFFIXES, decode, read
from office_fixtures import CHROME, corpus_dev, make_html, report_blocks

HUBEI = corpus_dev("hubei-gwr-2026.txt")
TITLE = "2026年湖北省政府工作报告"
DATE = "2026-02-05"


@pytest.fixture(scope="module")
def hubei_blocks():
    if HUBEI is None:
        pytest.skip("shared/corpus-dev is not here")
    return report_blocks(HUBEI, 16, 129)


def _read(path: Path):
    return read(path, path.read_bytes())


def _texts(extracted) -> list[str]:
    return [extracted.text[b.start:b.end] for b in extracted.blocks]


def _swap_body(path: Path, body: str) -> Path:
    """The same page with the article body replaced (another CMS's markup)."""
    page = path.read_text(encoding="utf-8")
    start = page.index('<div class="article-content"')
    end = page.index('<div class="article-tools">')
    path.write_text(page[:start] + body + page[end:], encoding="utf-8")
    return path


def test_no_chrome_text_in_the_source(hubei_blocks):
    """The chrome markers would prove nothing if the report itself said them."""
    assert not [c for c in CHROME if any(c in t for _, t in hubei_blocks)]


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_report_page_reads_back_exactly(tmp_path, hubei_blocks, encoding):
    path = make_html(tmp_path / f"hubei-{encoding}.html", TITLE, DATE, hubei_blocks, encoding)
    if encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    e = _read(path)
    assert e.origin == "extracted" and ".htm" in SUFFIXES
    assert _texts(e) == [t for _, t in hubei_blocks]
    # The page's title is its <h1>, so section heading hN is <h{N+1}>.
    assert [(b.kind, b.level) for b in e.blocks] == [
        ("paragraph", 0) if k == "p" else ("heading", int(k[1:]) + 1) for k, _ in hubei_blocks]
    assert e.text == "\n".join(_texts(e))
    assert [c for c in CHROME if c in e.text] == []
    fields = {f.name: f.value for f in e.fields}
    assert (fields["title"], fields["date"], fields["source"]) == (TITLE, DATE, "湖北日报")


def test_bold_paragraph_headings_and_layout_table(tmp_path, hubei_blocks):
    """Older CMS pages: headings as centred <strong>, the article inside a <td>."""
    paragraphs = "\n".join(f'<p align="center"><strong>{t}</strong></p>' if k != "p" else f"<p>{t}</p>"
                           for k, t in hubei_blocks)
    body = (f'<table width="100%"><tr><td class="bt_content">'
            f'<div class="TRS_Editor">{paragraphs}</div></td></tr></table>')
    e = _read(_swap_body(make_html(tmp_path / "old.html", TITLE, DATE, hubei_blocks), body))
    assert _texts(e) == [t for _, t in hubei_blocks]
    assert {b.kind for b in e.blocks} == {"paragraph"}
    assert [c for c in CHROME if c in e.text] == []


def test_br_separated_body_keeps_every_paragraph(tmp_path, hubei_blocks):
    """Text split only by <br>: all of it comes out, in order; no nav, share or footer.

    trafilatura then takes the whole article box, so the title and the
    来源/字号/打印 info line lead the blocks: finding those is the layout
    step's job, as for a .txt capture of the same page.
    """
    body = '<div id="zoom">' + "<br>\n".join(f"\u3000\u3000{t}" for _, t in hubei_blocks) + "</div>"
    e = _read(_swap_body(make_html(tmp_path / "br.html", TITLE, DATE, hubei_blocks), body))
    texts = _texts(e)
    expected = [t for _, t in hubei_blocks]
    assert texts[-len(expected):] == expected
    lead = "\n".join(texts[:-len(expected)])
    assert TITLE in lead and len(lead) < 60
    for chrome in ("分享到", "QQ空间", "当前位置", "长者模式", "版权所有", "ICP备", "相关链接"):
        assert chrome not in e.text
    title = next(f for f in e.fields if f.name == "title")
    assert e.text[title.start:title.end] == TITLE


def test_inline_breaks_tables_and_images(tmp_path):
    body = ('<div class="article-content"><p>第一段。</p><p>第一行。<br>第二行。</p>'
            '<p><img src="/pic/1.jpg" alt="会议现场"></p>'
            '<table border="1"><tr><th>指标</th><th>数值</th></tr><tr><td>地区生产总值</td><td>62661亿元</td></tr></table>'
            '<p>这是一段足够长的正文，用来让页面的正文部分不至于太短而被当作导航或者页脚处理掉。</p></div>')
    e = _read(_swap_body(make_html(tmp_path / "mixed.html", TITLE, DATE, []), body))
    assert _texts(e) == ["第一段。", "第一行。", "第二行。", "指标\t数值", "地区生产总值\t62661亿元",
                         "这是一段足够长的正文，用来让页面的正文部分不至于太短而被当作导航或者页脚处理掉。"]
    assert e.dropped == ("图片：会议现场",)


def test_metadata_without_government_meta_tags(tmp_path, hubei_blocks):
    """No PubDate/ArticleTitle tags, a Chinese date in the info line, no <h1>.

    htmldate alone guesses 2025-01-01 from a year in the text here; the
    发布时间 label gives the real day, and the <title> loses its site suffix.
    """
    path = make_html(tmp_path / "bare.html", TITLE, DATE, hubei_blocks[:20])
    page = path.read_text(encoding="utf-8")
    for name in ("SiteName", "ArticleTitle", "PubDate", "ContentSource"):
        start = page.index(f'<meta name="{name}"')
        page = page[:start] + page[page.index(">", start) + 1:]
    page = page.replace(f'<time datetime="{DATE}">{DATE} 09:30</time>', "2026年02月05日 09:30")
    page = page.replace('<h1 class="article-title">', '<div class="article-title">').replace("</h1>", "</div>")
    page = "<!-- saved from url=(0043)https://www.hubei.gov.cn/zwgk/gzbg/2026.shtml -->\n" + page
    path.write_text(page, encoding="utf-8")
    e = _read(path)
    assert _texts(e) == [t for _, t in hubei_blocks[:20]]
    fields = {f.name: (f.value, f.start) for f in e.fields}
    assert fields["title"] == (TITLE, -1)
    assert fields["date"] == (DATE, -1)
    assert fields["url"] == ("https://www.hubei.gov.cn/zwgk/gzbg/2026.shtml", -1)
    assert "source" not in fields


@pytest.mark.parametrize("head, encoding", [
    ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb18030"),
    ('<meta charset="utf-8">', "gbk"),  # declared wrongly: detection takes over
    ("", "gbk"),
    ('<meta charset="big5">', "big5"),
    ('<?xml version="1.0" encoding="GBK"?>', "gbk"),
])
def test_decoding_follows_the_declared_charset_then_detection(head, encoding):
    text = "湖北省人民政府关于印发二〇二六年全省经济工作要点的通知。各市、州、县人民政府，省政府各部门：现将有关事项通知如下，请认真贯彻执行。"
    if encoding == "big5":
        text = "臺灣行政院公共數位創新空間發布會議紀錄，說明漁港開放的共識與後續配套措施。"
    page = f"{head}<html><head><title>通知</title></head><body><p>{text}</p></body></html>"
    assert text in decode(page.encode(encoding))


@pytest.mark.parametrize("raw", [b"", b"\x00\x01\x02\xff\xfe" * 400, bytes(range(256)) * 40])
def test_non_pages_raise(tmp_path, raw):
    path = tmp_path / "broken.html"
    path.write_bytes(raw)
    with pytest.raises(IngestError):
        _read(path)


def test_page_without_article_raises(tmp_path):
    """An article box with nothing in it (the report was only an attachment)."""
    path = _swap_body(make_html(tmp_path / "empty.html", TITLE, DATE, []), '<div class="article-content"></div>')
    with pytest.raises(IngestError, match="没有找到正文"):
        _read(path)


def test_assemble_examples():
    """The joiner's docstring examples (test_doctests only walks top-level modules)."""
    import doctest

    import rag.ingest.assemble

    assert doctest.testmod(rag.ingest.assemble).failed == 0
