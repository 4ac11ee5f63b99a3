"""One report in several formats gives the same Document body, and answers the same."""
from __future__ import annotations

import pytest

from office_fixtures import corpus_dev, make_docx, make_html
from rag.ingest import parse_document

HUBEI = corpus_dev("hubei-gwr-2026.txt")
needs_dev = pytest.mark.skipif(HUBEI is None, reason="../shared/corpus-dev is beside the project root")
TITLE = "2026年湖北省政府工作报告"


def _body(doc):
    return [(p.section, doc.text[p.start:p.end]) for p in doc.paragraphs]


def blocks_of(doc) -> list[tuple[str, str]]:
    """The text form's sections and paragraphs as (h1 | p, text) blocks for another format."""
    out, section = [], ""
    for p in doc.paragraphs:
        if p.section != section:
            section = p.section
            out.append(("h1", section))
        out.append(("p", doc.text[p.start:p.end]))
    return out


@needs_dev
@pytest.mark.parametrize("fmt", ["docx", "html", "gbk.html"])
def test_word_and_html_forms_have_the_text_forms_paragraphs_and_sections(tmp_path, fmt):
    txt = parse_document(HUBEI)
    blocks = blocks_of(txt)
    path = tmp_path / f"hubei.{fmt.split('.')[-1]}"
    if fmt == "docx":
        make_docx(path, TITLE, blocks, author="李殿勋", date="2026-02-05")
    else:
        make_html(path, TITLE, "2026-02-05", blocks, encoding="gbk" if fmt.startswith("gbk") else "utf-8")
    doc = parse_document(path)
    assert doc.title == TITLE and doc.date == "2026-02-05" and doc.origin == "extracted"
    assert _body(doc) == _body(txt)
    for s in doc.sentences:
        assert doc.text[s.start:s.end].strip() == doc.text[s.start:s.end] != ""


@needs_dev
@pytest.mark.parametrize("columns", [1, 2])
def test_a_pdf_form_has_the_text_forms_paragraphs_sections_and_pages(tmp_path, columns):
    from pdf_fixtures import make_pdf

    txt = parse_document(HUBEI)
    blocks = [("heading" if kind == "h1" else "paragraph", text) for kind, text in blocks_of(txt)]
    layout = make_pdf(tmp_path / "hubei.pdf", TITLE, blocks, header=TITLE, columns=columns)
    doc = parse_document(tmp_path / "hubei.pdf")
    assert doc.title == TITLE and doc.format == "pdf" and doc.origin == "extracted"
    assert _body(doc) == _body(txt)
    paragraph_pages = [page for (kind, _), page in zip(blocks, layout.starts) if kind == "paragraph"]
    assert [p.page for p in doc.paragraphs] == paragraph_pages
    assert max(paragraph_pages) > 10
