"""Ingestion: metadata, paragraphs, sections, sentences, and the offsets invariant."""
from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings, strategies as st

from rag.index.chunk import ChunkSettings, chunk_corpus, locate
from rag.ingest import load_corpus, parse_document, split_sentences
from conftest import REPORT, REPORT_DIR, TINY

SECTIONS = ["强化政治引领 凝聚科技力量", "汇聚创新动能 优化科创生态", "打造全域科普 健全惠民体系",
            "建设人才智库 培育新质生产力", "正风提能实干 加强组织建设"]


def test_report_metadata():
    doc = parse_document(REPORT, root=REPORT_DIR.parent)
    assert (doc.title, doc.date, doc.source) == ("黄石市科协第八次代表大会以来工作综述", "2025-12-17", "黄石市科协")
    assert doc.path == "corpus/huangshi-kexie-2025-12-17.txt"
    assert doc.id == "huangshi-kexie-2025-12-17"


def test_report_paragraphs_and_sections():
    doc = parse_document(REPORT)
    assert len(doc.paragraphs) == 18
    assert [p.section for p in doc.paragraphs[:3]] == ["", "", SECTIONS[0]]
    assert sorted({p.section for p in doc.paragraphs} - {""}) == sorted(SECTIONS)
    assert doc.text[doc.paragraph(7).start:].startswith("五年来,黄石市科协构筑高端科创平台")
    assert doc.text[doc.paragraph(18).start:doc.paragraph(18).end].endswith("作出新的更大贡献。")


def test_boilerplate_not_in_body():
    doc = parse_document(REPORT)
    body = "".join(doc.text[p.start:p.end] for p in doc.paragraphs)
    for junk in ("学习强国", "所在位置", "copyright", "ICP备", "地址:武汉市", "文章来源"):
        assert junk not in body


def test_sidecar_overrides_metadata_and_markdown_sections():
    alpha, beta = load_corpus(TINY)
    assert (alpha.title, alpha.date, alpha.source) == ("示例市科协2024年度工作报告", "2024-03-05", "示例市科协办公室")
    assert [p.section for p in alpha.paragraphs] == ["", "科普工作", "学会建设"]
    assert beta.title == "另一份报告：乡村振兴科技服务"
    assert [p.section for p in beta.paragraphs] == ["农技推广", "电商帮扶"]


def test_sentences_keep_closing_quotes():
    s = "他说:“好。”然后走了;完。"
    assert [s[a:b] for a, b in split_sentences(s, 0, len(s))] == ["他说:“好。”", "然后走了;", "完。"]


def test_locate_never_moves_backwards_on_repeated_text():
    assert locate(["科普", "科普"], "科普与科普", 0, 5) == [(0, 2), (3, 5)]


def _all_corpus_docs():
    return load_corpus(REPORT_DIR) + load_corpus(TINY)


def test_offsets_invariant_over_whole_corpus():
    """Every paragraph, sentence and chunk reproduces its text from the file."""
    for doc in _all_corpus_docs():
        file_text = Path(doc.path if Path(doc.path).is_absolute() else REPORT_DIR.parent / doc.path).read_bytes().decode("utf-8")
        assert file_text == doc.text
        for p in doc.paragraphs:
            assert file_text[p.start:p.end].strip() == file_text[p.start:p.end] != ""
        for s in doc.sentences:
            para = doc.paragraph(s.paragraph)
            assert para.start <= s.start < s.end <= para.end
        for c in chunk_corpus([doc], ChunkSettings()):
            assert file_text[c.start:c.end] == c.text


@settings(max_examples=40, deadline=None)
@given(size=st.integers(40, 400), overlap_frac=st.floats(0.0, 0.5))
def test_chunk_offsets_hold_for_any_settings(size, overlap_frac):
    chunking = ChunkSettings(size=size, overlap=int(size * overlap_frac))
    for doc in _all_corpus_docs():
        chunks = chunk_corpus([doc], chunking)
        covered = set()
        for c in chunks:
            assert doc.text[c.start:c.end] == c.text
            covered.update(range(c.start, c.end))
        # Every non-space body character lands in some chunk: nothing is lost.
        for p in doc.paragraphs:
            assert all(i in covered for i in range(p.start, p.end) if not doc.text[i].isspace())


def test_nbsp_and_bom_lines(tmp_path):
    text = "\ufeff标题行\n2024-01-02|来源:某单位\n\n\u00a0\u3000第一段内容很长很长很长很长很长很长很长很长很长很长很长。\u00a0\n"
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    doc = parse_document(path)
    assert doc.title == "标题行" and doc.source == "某单位"
    p = doc.paragraph(1)
    assert doc.text[p.start:p.end] == "第一段内容很长很长很长很长很长很长很长很长很长很长很长。"
    assert json.dumps(doc.date) == '"2024-01-02"'


def test_crlf_files_keep_offsets_into_the_undecoded_text(tmp_path):
    """Offsets index the bytes decoded as UTF-8, with no newline translation."""
    raw = "报告标题\r\n2024-01-02|来源:某单位\r\n\r\n第一段有一个很长的句子。第二句也在这里。\r\n\r\n小节标题\r\n\r\n第二段内容写在这里。\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw.encode("utf-8"))
    doc = parse_document(path)
    text = open(path, encoding="utf-8", newline="").read()
    assert doc.text == text and [p.section for p in doc.paragraphs] == ["", "小节标题"]
    assert [text[s.start:s.end] for s in doc.sentences] == ["第一段有一个很长的句子。", "第二句也在这里。", "第二段内容写在这里。"]
    for c in chunk_corpus([doc], ChunkSettings()):
        assert text[c.start:c.end] == c.text


def test_last_paragraph_mentioning_an_organiser_is_body_not_footer(tmp_path):
    body = "本次活动由市科协主办,市科技馆承办,吸引了来自全市各区县的大量青少年和家长踊跃参加,现场气氛热烈。"
    path = tmp_path / "x.txt"
    path.write_text(f"活动报道\n2024-05-01|来源:市科协\n\n第一段正文内容。\n\n{body}\n\n首页 | 联系我们\n版权所有\n", encoding="utf-8")
    doc = parse_document(path)
    assert [doc.text[p.start:p.end] for p in doc.paragraphs] == ["第一段正文内容。", body]


def test_a_page_saved_as_text_loses_its_scripts_and_tags_not_its_body(tmp_path):
    raw = ("活动报道\n2024-05-01|来源:市科协\n\n<div class=\"content\">\n第一段正文内容。\n"
           "<script type=\"text/javascript\">\nvar n = 1; show(n);\n</script>\n<style>p { margin: 0; }</style>\n"
           "第二段正文；仍是正文。\n</div>\n")
    path = tmp_path / "page.txt"
    path.write_text(raw, encoding="utf-8")
    doc = parse_document(path)
    assert [doc.text[p.start:p.end] for p in doc.paragraphs] == ["第一段正文内容。", "第二段正文；仍是正文。"]
    assert [doc.text[s.start:s.end] for s in doc.sentences] == ["第一段正文内容。", "第二段正文；", "仍是正文。"]
