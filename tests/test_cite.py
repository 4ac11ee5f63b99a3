"""Paste-ready citations (rag/cite.py) for the shipped report, exactly, and in the CLI's JSON."""
from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from conftest import FAKE, REPORT_DIR
from rag import cite
from rag.cli import app
from rag.types import Document, Paragraph

TITLE = "黄石市科协第八次代表大会以来工作综述"
SENTENCE = "2024年,黄石市公民具备科学素质比例达15.3%,圆满完成“十四五”既定目标,全民科学素质工作实现从量变到质变的系统性跃升。"
NEWS = f"据黄石市科协2025年12月17日发布的《{TITLE}》第三部分（打造全域科普 健全惠民体系）第1段（全文第9段）：“{SENTENCE}”"
GBT = f"黄石市科协. {TITLE}[EB/OL]. (2025-12-17)[2026-01-05]."
DAY = date(2026, 1, 5)


def test_answer_citations_for_the_shipped_report(report_engine):
    r = report_engine.ask("2024年黄石市民的科学素质比例是多少？")
    assert cite.for_answer(r, report_engine.index.docs, DAY) == {"news": NEWS, "gbt7714": GBT}


def test_places_in_words_for_the_shipped_report(report_engine):
    doc = next(iter(report_engine.index.docs.values()))
    assert [cite.place(doc, n) for n in (0, 1, 2, 3, 5, 9, 15, 18)] == [
        "标题处", "导语第1段", "导语第2段", "第一部分（强化政治引领 凝聚科技力量）第1段（全文第3段）",
        "第一部分（强化政治引领 凝聚科技力量）第3段（全文第5段）", "第三部分（打造全域科普 健全惠民体系）第1段（全文第9段）",
        "第五部分（正风提能实干 加强组织建设）第1段（全文第15段）", "第五部分（正风提能实干 加强组织建设）第4段（全文第18段）"]


def test_verdict_citations_and_none_for_not_found(report_engine):
    docs = report_engine.index.docs
    altered = report_engine.verify("2024年,黄石市公民具备科学素质比例达25.3%")
    assert altered.verdict == "altered"
    cites = cite.for_verdict(altered, docs, DAY)
    assert cites["gbt7714"] == GBT
    assert cites["news"] == (f"据黄石市科协2025年12月17日发布的《{TITLE}》第三部分（打造全域科普 健全惠民体系）第1段（全文第9段）："
                             f"“{altered.match.text}”")
    missing = report_engine.verify("月球上已建成三座科普基地并对外开放")
    assert missing.verdict == "not_found" and cite.for_verdict(missing, docs, DAY) is None


def test_url_closes_the_reference_and_no_paths_or_offsets_appear():
    doc = Document("d", "corpus/d.txt", "", "标题", "2025-01-02", "", (Paragraph(1, "", 0, 2),), (), "",
                   author="某报记者", url=" https://example.org/x ")
    assert cite.gbt7714(doc, DAY) == "某报记者. 标题[EB/OL]. (2025-01-02)[2026-01-05]. https://example.org/x."
    assert cite.news(doc, 1, "正文") == "据某报记者2025年1月2日发布的《标题》第1段：“正文”"
    assert "corpus/" not in cite.news(doc, 1, "正文")


def test_cli_json_carries_both_citations(tmp_path):
    runner = CliRunner()
    args = ["--corpus", str(REPORT_DIR), "--index", str(tmp_path / "ix"), "--model", FAKE]
    assert runner.invoke(app, ["build", *args]).exit_code == 0
    out = runner.invoke(app, ["ask", "2024年黄石市民的科学素质比例是多少？", "--json", *args])
    row = json.loads(out.stdout.strip().splitlines()[-1])
    today = date.today().isoformat()
    assert row["answer"]["cite"] == {"news": NEWS, "gbt7714": GBT.replace("2026-01-05", today)}
    out = runner.invoke(app, ["verify", "黄石市成功入选首批全国全域科普试点单位", "--json", *args])
    row = json.loads(out.stdout.strip().splitlines()[-1])
    assert row["verdict"] == "exact" and row["match"]["cite"]["gbt7714"] == GBT.replace("2026-01-05", today)
    assert row["match"]["cite"]["news"].startswith(f"据黄石市科协2025年12月17日发布的《{TITLE}》导语第2段：“")
    out = runner.invoke(app, ["verify", "月球上已建成三座科普基地并对外开放", "--json", *args])
    row = json.loads(out.stdout.strip().splitlines()[-1])
    assert row["verdict"] == "not_found" and (row["match"] is None or "cite" not in row["match"])


def test_an_elision_inside_one_paragraph_is_cited_as_one_place(report_engine):
    """The kept pieces of a 「……」 quote lie in one paragraph: one 出处 line, not one per piece."""
    from rag.app.quote_view import citation_panel

    v = report_engine.verify("深入实施“党建强会”行动……实现学会党建工作“两个全覆盖”")
    assert v.verdict == "near" and len(v.match.pieces) == 2
    assert len({p.citation.paragraph for p in v.match.pieces}) == 1
    assert citation_panel(v, report_engine.index.docs).count("出处：") == 1
