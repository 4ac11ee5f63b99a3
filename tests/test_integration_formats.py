"""The real model: one report as text, Word and PDF answers the same questions the same way."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT
from office_fixtures import corpus_dev, make_docx
from rag.config import Settings
from rag.engine import Engine
from rag.ingest import parse_document

pytestmark = pytest.mark.model
HUBEI = corpus_dev("hubei-gwr-2026.txt")
PARAGRAPHS = 30  # the opening of the report: enough for the questions below, quick to embed


def _questions(text: str) -> list[str]:
    rows = [json.loads(x) for x in (ROOT / "eval" / "qa_dev" / "hubei-gwr-2026.a.jsonl").read_text("utf-8").splitlines()]
    return [r["question"] for r in rows if r["answers"] and r["type"] != "meta" and r["evidence"] in text]


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    from pdf_fixtures import make_pdf

    if HUBEI is None:
        pytest.skip("../shared/corpus-dev is beside the project root")
    full = parse_document(HUBEI)
    head = full.text[:full.paragraph(1).start]
    body = [(p.section, full.text[p.start:p.end]) for p in full.paragraphs[:PARAGRAPHS]]
    blocks, section = [], ""
    for sec, text in body:
        if sec != section:
            section = sec
            blocks.append(("heading", sec))
        blocks.append(("paragraph", text))
    root = tmp_path_factory.mktemp("formats")
    out = {}
    for fmt in ("txt", "docx", "pdf"):
        corpus = root / f"corpus-{fmt}"
        corpus.mkdir()
        path = corpus / f"hubei.{fmt}"
        if fmt == "txt":
            path.write_text(head + "\n".join(t if k == "paragraph" else t for k, t in blocks) + "\n", encoding="utf-8")
        elif fmt == "docx":
            make_docx(path, "2026年湖北省政府工作报告", [("h1" if k == "heading" else "p", t) for k, t in blocks])
        else:
            make_pdf(path, "2026年湖北省政府工作报告", blocks, header="湖北省政府工作报告")
        out[fmt] = Engine.open(Settings.resolve(corpus=str(corpus), index=str(root / f"ix-{fmt}")), rebuild=True)
    return out, "\n".join(t for _, t in body)


def test_paragraphs_are_the_same_in_every_format(engines):
    engines, _ = engines
    bodies = {fmt: [(p.section, e.index.docs["hubei"].text[p.start:p.end]) for p in e.index.docs["hubei"].paragraphs]
              for fmt, e in engines.items()}
    assert bodies["docx"] == bodies["txt"] == bodies["pdf"]


def test_answers_are_the_same_in_every_format(engines):
    engines, text = engines
    questions = _questions(text)
    assert len(questions) >= 5
    for q in questions:
        rows = {fmt: e.ask(q) for fmt, e in engines.items()}
        got = {fmt: (r.answer.sentence if r.answer else None, r.answer.text if r.answer else None)
               for fmt, r in rows.items()}
        assert got["docx"] == got["txt"] == got["pdf"], q
        pdf = rows["pdf"].answer
        if pdf:
            doc = engines["pdf"].index.docs["hubei"]
            assert doc.text[pdf.citation.start:pdf.citation.end] == pdf.sentence and pdf.citation.page >= 1
