"""All seven real reports (the shipped one and ../shared/corpus-dev) parse right, and bad files are skipped."""
from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from conftest import REPORT, ROOT
from rag.ingest import IngestError, Skipped, extract, load_corpus, parse_document
from rag.ingest.layout import lay_out

DEV = ROOT.parent / "shared" / "corpus-dev"
needs_dev = pytest.mark.skipif(not DEV.is_dir(), reason="../shared/corpus-dev is beside the project root")

# file: (title, date, source, author, first section, number of sections, first words of paragraph 1, of the last)
EXPECTED = {
    "huangshi-kexie-2025-12-17.txt": ("黄石市科协第八次代表大会以来工作综述", "2025-12-17", "黄石市科协", "",
                                      "强化政治引领 凝聚科技力量", 5, "春华秋实", "奋楫扬帆"),
    "hubei-gwr-2026.txt": ("2026年湖北省政府工作报告", "2026-02-05", "湖北日报", "李殿勋",
                           "一、“十四五”时期和2025年工作回顾", 4, "各位代表：", "各位代表！新的征程"),
    "guangdong-gwr-2026.txt": ("政府工作报告", "2026-01-26", "", "孟凡利",
                               "一、2025年和“十四五”时期工作回顾", 5, "各位代表：", "指县级以上人民政府"),
    "sichuan-gwr-2026.txt": ("2026年四川省人民政府工作报告", "2026-02-10", "四川日报", "施小琳",
                             "一、2025年工作回顾和“十四五”发展主要成绩", 4, "各位代表：", "20.“一件事”全链条"),
    "shanghai-gwr-2026.txt": ("2026年上海市政府工作报告", "2026-02-09", "解放日报", "龚正",
                              "一、2025年工作回顾", 9, "各位代表：", "各位代表，团结凝聚力量"),
    "pdis-firefighter-leave-2018.md": ("警消休假可行嗎？協作會議發想相關配套", "", "", "雨蒼",
                                       "回歸問題，從過勞成因開始分析", 5, "網友認為", "分組協作狀況"),
    "pdis-fishing-port-2019.md": ("漁港開放有共識：釣魚不應影響漁民作業", "", "", "雨蒼",
                                  "漁港釣魚爭議多 釣客、漁民均不滿", 6, "2019年4月3日", "在議程上"),
}
CONTROLS = {"下载", "打印", "全屏", "收藏", "加大", "还原", "减小", "大", "中", "小", "】", "打印本页", "关闭窗口"}
PREFIXES = ("【字号", "【字体", "分享：", "相关报道", "相关链接", "来源：", "来源:", "时间：", "所在位置", "<figure",
            "</figure>", "<img", "![", "责任编辑", "——20")


def _path(name: str) -> Path:
    return REPORT if name == REPORT.name else DEV / name


@needs_dev
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_report_has_its_metadata_sections_and_no_chrome(name):
    title, date, source, author, first_section, n_sections, first, last = EXPECTED[name]
    doc = parse_document(_path(name))
    assert (doc.title, doc.date, doc.source, doc.author) == (title, date, source, author)
    sections = list(dict.fromkeys(p.section for p in doc.paragraphs if p.section))
    assert sections[0] == first_section and len(sections) == n_sections
    texts = [doc.text[p.start:p.end] for p in doc.paragraphs]
    assert texts[0].startswith(first) and texts[-1].startswith(last)
    for line in texts + sections:
        assert line not in CONTROLS and not line.startswith(PREFIXES), line
        assert "<figure" not in line and "<img" not in line and "版权所有" not in line and "ICP备" not in line
    for s in doc.sentences:  # offsets are the truth
        assert doc.text[s.start:s.end] == doc.text[s.start:s.end].strip() != ""


@needs_dev
def test_markdown_links_keep_their_text_images_are_not_paragraphs_and_captions_are():
    doc = parse_document(DEV / "pdis-fishing-port-2019.md")
    ex = extract(DEV / "pdis-fishing-port-2019.md")
    assert any(d.startswith("HTML：<figure>") for d in ex.dropped)
    captions = [doc.text[p.start:p.end] for p in doc.paragraphs if doc.text[p.end:p.end + 13] == "</figcaption>"]
    assert captions[:3] == ["釣客於漁港釣魚", "第二會場", "主持人釐清議題"]
    para = next(p for p in doc.paragraphs if "漁港法" in doc.text[p.start:p.end])
    shown, seen = doc.text[para.start:para.end], doc.view[para.start:para.end]
    assert "](https://" in shown and "](https://" not in seen and "《 漁港法" in seen
    assert len(shown) == len(seen)


def test_a_markdown_posts_excerpt_is_its_first_paragraph_when_it_stands_verbatim(tmp_path):
    post = ("---\ntitle: 协作会议纪要\nexcerpt: 与会者同意先行试办，再检讨成效。\n---\n\n## 缘起\n\n"
            "提案人希望增加假日。\n")
    (tmp_path / "post.md").write_text(post, encoding="utf-8")
    doc = parse_document(tmp_path / "post.md")
    shown = [doc.text[s.start:s.end] for s in doc.sentences]
    assert shown == ["与会者同意先行试办，再检讨成效。", "提案人希望增加假日。"]
    assert [p.section for p in doc.paragraphs] == ["", "缘起"]
    # A folded value is not the file's characters: no offsets, so not a paragraph.
    folded = post.replace("excerpt: 与会者同意先行试办，", "excerpt: >\n  与会者同意先行试办，\n  ")
    (tmp_path / "folded.md").write_text(folded, encoding="utf-8")
    assert [p.section for p in parse_document(tmp_path / "folded.md").paragraphs] == ["缘起"]


@needs_dev
def test_scraped_line_fragments_join_their_sentence():
    doc = parse_document(DEV / "guangdong-gwr-2026.txt")
    assert "2.5" not in {p.section for p in doc.paragraphs}
    para = next(doc.text[p.start:p.end] for p in doc.paragraphs if "PM\n2.5\n年平均浓度" in doc.text[p.start:p.end])
    assert para.endswith("。")


def _write(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)


BODY = "全市建成院士工作站4家，专家工作站77家。科普大篷车行程5000公里。"


def test_a_corpus_of_every_encoding_and_bad_file_builds_from_the_good_ones(tmp_path):
    c = tmp_path / "corpus"
    c.mkdir()
    page = f"工作报告\n2025-01-02|来源:某单位\n{BODY}\n"
    _write(c, "utf8.txt", page.encode("utf-8"))
    _write(c, "utf8bom.txt", codecs.BOM_UTF8 + page.replace("工作", "年度").encode("utf-8"))
    _write(c, "utf16.txt", page.encode("utf-16"))
    _write(c, "gbk.txt", (page * 3).encode("gbk"))
    _write(c, "big5.txt", ("漁港開放報告\n2019-04-04|來源:某單位\n漁港開放釣魚不應影響漁民作業，雙方達成共識。\n" * 3).encode("big5"))
    _write(c, "note.txt", BODY.encode())
    _write(c, "empty.txt", b"")
    _write(c, "blank.md", b"\n \n\t\n")
    _write(c, "binary.txt", bytes(range(256)) * 8)
    _write(c, "title-only.txt", "只有一个标题\n".encode())
    _write(c, "latin1.txt", "caf\xe9 \xe0 la cr\xe8me, tr\xe8s bien.".encode("latin-1") * 3)
    os.mkfifo(c / "pipe.txt")
    (c / "folder.txt").mkdir()
    skipped: list[Skipped] = []
    docs = load_corpus(c, skipped=skipped)
    assert sorted(d.id for d in docs) == ["big5", "gbk", "note", "utf16", "utf8", "utf8bom"]
    reasons = {s.path.rsplit("/", 1)[-1]: s.reason for s in skipped}
    assert set(reasons) == {"empty.txt", "blank.md", "binary.txt", "title-only.txt", "latin1.txt", "pipe.txt"}
    assert reasons["empty.txt"] == "文件为空" and reasons["blank.md"] == "文件为空"
    assert "二进制" in reasons["binary.txt"] and "没有找到正文段落" in reasons["title-only.txt"]
    assert "编码" in reasons["latin1.txt"] and "不是普通文件" in reasons["pipe.txt"]
    by_id = {d.id: d for d in docs}
    assert (by_id["gbk"].encoding, by_id["big5"].encoding, by_id["utf16"].encoding) == ("gb18030", "big5", "utf-16")
    assert by_id["note"].title == "note" and len(by_id["note"].paragraphs) == 1
    for doc in docs:
        raw = (c / f"{doc.id}.txt").read_bytes()
        assert doc.text == raw.decode(doc.encoding)
        assert all(doc.text[p.start:p.end].strip() for p in doc.paragraphs)


def test_a_symlink_out_of_the_corpus_is_skipped(tmp_path):
    c = tmp_path / "corpus"
    c.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text(f"秘密\n{BODY}\n", encoding="utf-8")
    (c / "link.txt").symlink_to(outside)
    (c / "real.txt").write_text(f"报告\n{BODY}\n", encoding="utf-8")
    skipped: list[Skipped] = []
    assert [d.id for d in load_corpus(c, skipped=skipped)] == ["real"]
    assert "语料目录之外" in skipped[0].reason


@pytest.mark.parametrize("meta, message", [
    (b"[1, 2]", "应为 JSON 对象"), (b'"title"', "应为 JSON 对象"), (b'{"title": 5}', "字段 title 应为文本"),
    (b'{"date": {"y": 1}}', "字段 date 应为文本"), (b"{not json", "不是有效的 JSON"), (b"\xff\xfe", "不是 UTF-8"),
])
def test_bad_sidecars_name_the_file_and_field(tmp_path, meta, message):
    (tmp_path / "a.txt").write_text(f"报告\n{BODY}\n", encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_bytes(meta)
    with pytest.raises(IngestError, match=message) as err:
        parse_document(tmp_path / "a.txt")
    assert "a.txt.meta.json" in str(err.value)


def test_sidecar_that_is_a_fifo_or_a_folder_does_not_hang(tmp_path):
    (tmp_path / "a.txt").write_text(f"报告\n{BODY}\n", encoding="utf-8")
    os.mkfifo(tmp_path / "a.txt.meta.json")
    with pytest.raises(IngestError, match="不是普通文件"):
        parse_document(tmp_path / "a.txt")


def test_layout_of_a_speech_header():
    text = "打印\n某省政府工作报告\n——2026年1月27日在某省人民代表大会上\n来源：某日报\n时间：2026-02-05\n某省省长 张 三\n各位代表：\n正文第一段。\n"
    from rag.ingest.text import read

    laid = lay_out(read(None, text.encode()))
    fields = {f.name: f.value for f in laid.fields}
    assert fields == {"title": "某省政府工作报告", "date": "2026-02-05", "delivered": "2026-01-27", "source": "某日报",
                      "author": "张三", "speaker": "某省省长 张 三", "occasion": "——2026年1月27日在某省人民代表大会上"}
    assert [text[b.start:b.end] for b in laid.body] == ["各位代表：", "正文第一段。"]
    for f in laid.fields:
        assert text[f.start:f.end] == f.value or (f.name, text[f.start:f.end]) in {("date", "2026-02-05"), ("delivered", "2026年1月27日"), ("author", "张 三")} or f.start < 0


def test_a_caption_opening_a_post_is_body_not_its_dateline(tmp_path):
    """A photo's caption that gives a date is the post's text, not its date field."""
    md = ("---\ntitle: 渔港开放\n---\n\n<figure>\n  <img src=\"a.jpg\">\n"
          "  <figcaption>2024年3月5日，渔港开放会议现场</figcaption>\n</figure>\n\n会议讨论了开放渔港的做法。\n")
    (tmp_path / "p.md").write_text(md, encoding="utf-8")
    doc = parse_document(tmp_path / "p.md")
    assert [f for f in doc.fields if f[0] == "date"] == []
    assert [doc.text[p.start:p.end] for p in doc.paragraphs] == ["2024年3月5日，渔港开放会议现场", "会议讨论了开放渔港的做法。"]


@needs_dev
def test_a_footer_names_the_responsible_editor_and_only_the_page_that_has_one():
    """责任编辑： with the name on the next line (the Sichuan page) is a field citing that name."""
    editors = {}
    for name in EXPECTED:
        doc = parse_document(_path(name))
        for f in doc.fields:
            if f[0] == "editor":
                editors[name] = f[1]
                assert doc.text[f[2]:f[3]] == f[1]
    assert editors == {"sichuan-gwr-2026.txt": "李莎莎"}
