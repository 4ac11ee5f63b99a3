"""Checking a draft: quotations found in every style, each verified, offsets into the draft."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import FAKE, engine_for
from rag.cli import app
from rag.verify.drafts import DraftError, DraftQuote, check_draft, extract

REPORT = """测试市科协年度工作综述
2025-01-02 10:00|文章来源:测试市科协

一年来,测试市科协扎实推进各项工作,全市建成院士工作站12家,专家工作站30家。

全市科技馆年接待观众18万人次,科普大篷车行程5000公里,惠及群众3万人。
"""

DRAFT = ("记者从测试市科协获悉，该会负责人表示：“全市建成院士工作站12家，专家工作站30家。”\n"
         "报告指出：全市科技馆年接待观众19万人次。另一位负责人称「科普大篷车行程5000公里」，"
         "他强调要落实“四服务”。\n"
         '文中写道"测试市科协召开年度表彰大会"，并称『惠及群众3万人』。\n')


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return engine_for(tmp_path_factory, "drafts", {"report.txt": REPORT})


def test_every_quotation_style_is_found_in_reading_order():
    found = extract(DRAFT)
    assert [(q.text, q.style) for q in found] == [
        ("全市建成院士工作站12家，专家工作站30家。", "“”"),
        ("全市科技馆年接待观众19万人次", "："),
        ("科普大篷车行程5000公里", "「」"),
        ("四服务", "“”"),
        ("测试市科协召开年度表彰大会", '""'),
        ("惠及群众3万人", "『』"),
    ]
    assert all(DRAFT[q.start:q.end] == q.text for q in found)


@pytest.mark.parametrize("draft, quotes", [
    ("他说：“甲乙「丙丁」戊己”。", ["甲乙「丙丁」戊己"]),            # the outer pair only
    ("报告指出：打造“东楚讲堂”品牌，成效明显。", ["打造“东楚讲堂”品牌，成效明显"]),  # marks inside a colon quote
    ("单位名称：测试市科协。", []),                                   # 名称： is no speech verb
    ("他表示：\n“全市建成院士工作站12家”", ["全市建成院士工作站12家"]),
    ("他说“没有合上的引号\n下一行", ["没有合上的引号"]),              # an open quote ends with its line
    ("没有任何引语的一段话。", []),
])
def test_extraction_edge_cases(draft, quotes):
    assert [q.text for q in extract(draft)] == quotes


def test_check_draft_verifies_each_quotation(engine):
    checks = check_draft(engine, DRAFT)
    assert [(c.quote.text, c.verdict and c.verdict.verdict) for c in checks] == [
        ("全市建成院士工作站12家，专家工作站30家。", "exact"),
        ("全市科技馆年接待观众19万人次", "altered"),
        ("科普大篷车行程5000公里", "exact"),
        ("四服务", None),
        ("测试市科协召开年度表彰大会", "not_found"),
        ("惠及群众3万人", "exact"),
    ]
    changed = checks[1].verdict.match
    assert [(c.kind, c.quote, c.source) for c in changed.changes] == [("number", "19万人次", "18万人次")]
    assert REPORT[changed.citation.start:changed.citation.end] == changed.text
    assert checks[3].skipped == "引文太短（有效字符少于 6 个），多为名称或术语"
    assert checks[3].to_dict() == {"quote": "四服务", "start": DRAFT.index("四服务"), "end": DRAFT.index("四服务") + 3,
                                   "style": "“”", "skipped": checks[3].skipped, "verdict": None,
                                   "explanation": checks[3].skipped, "match": None}
    assert check_draft(engine.index, DRAFT) == checks  # an Index does as well as an Engine


def test_invalid_code_points_keep_the_draft_offsets(engine):
    draft = "他说\x00：“全市建成院士工作站12家”"
    (c,) = check_draft(engine, draft)
    assert draft[c.quote.start:c.quote.end] == "全市建成院士工作站12家" and c.verdict.verdict == "exact"


@pytest.mark.parametrize("draft, message", [("", "稿件为空"), ("  \n", "稿件为空"), ("字" * 50_001, "稿件过长")])
def test_unusable_draft_is_a_clear_error(engine, draft, message):
    with pytest.raises(DraftError, match=message):
        engine.check_draft(draft)


def test_draft_quote_is_a_frozen_record():
    q = DraftQuote("甲乙丙丁", 0, 4, "“”")
    with pytest.raises(AttributeError):
        q.start = 1  # type: ignore[misc]


# --- CLI -------------------------------------------------------------------------------------

runner = CliRunner()


def _args(engine):
    s = engine.settings
    return ["--corpus", str(s.corpus_dir), "--index", str(s.index_dir), "--model", FAKE]


def test_cli_draft_json_reads_any_encoding(engine, tmp_path):
    path = tmp_path / "draft.txt"
    path.write_bytes(DRAFT.encode("gb18030"))
    out = runner.invoke(app, ["verify", "--draft", str(path), "--json", *_args(engine)])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.strip().splitlines()]
    assert [(r["quote"], r["verdict"]) for r in rows] == [
        ("全市建成院士工作站12家，专家工作站30家。", "exact"), ("全市科技馆年接待观众19万人次", "altered"),
        ("科普大篷车行程5000公里", "exact"), ("四服务", None), ("测试市科协召开年度表彰大会", "not_found"),
        ("惠及群众3万人", "exact")]
    assert all(DRAFT[r["start"]:r["end"]] == r["quote"] for r in rows)
    assert rows[1]["explanation"] == "引文与第2段的原文不符：引文为“19万人次”，原文为“18万人次”。"
    assert rows[4]["match"] is None


def test_cli_draft_text_lists_each_quotation(engine, tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT, encoding="utf-8")
    out = runner.invoke(app, ["verify", "--draft", str(path), *_args(engine)])
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith("稿件中找到 6 处引语。")
    # counted from 1: the quotation's first character is the 50th of the draft
    assert DRAFT.index("全市科技馆年接待观众19万人次") == 49
    assert "[2] 第 50–64 字：全市科技馆年接待观众19万人次\n结论：与原文不符（altered）" in out.stdout
    assert "未核查：引文太短（有效字符少于 6 个），多为名称或术语" in out.stdout


def test_a_short_quotation_with_a_figure_is_checked(engine):
    # “5000公里” is a fact a reporter may have changed, not a term: checked, however short.
    checks = check_draft(engine, "报道说大篷车跑了“5000公里”，又称“四服务”。")
    assert [(c.quote.text, c.verdict and c.verdict.verdict, bool(c.skipped)) for c in checks] == [
        ("5000公里", "exact", False), ("四服务", None, True)]


def test_cli_draft_refuses_a_quote_beside_it(engine, tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT, encoding="utf-8")
    out = runner.invoke(app, ["verify", "全市建成院士工作站12家", "--draft", str(path), *_args(engine)])
    assert out.exit_code == 2 and "--draft" in out.output
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    out = runner.invoke(app, ["verify", "--draft", str(empty), *_args(engine)])
    assert out.exit_code == 2 and "稿件为空" in out.output
