"""Quote verification: verdicts, offsets, changes, CLI, and the eval quote set.

Uses the fake embedder (verification itself is lexical) and an index built
once per module over the shipped corpus.
"""
from __future__ import annotations

import json
import statistics
import time
from collections import Counter

import opencc
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st
from typer.testing import CliRunner

from conftest import FAKE, REPORT, REPORT_DIR, ROOT
from rag.cli import app
from rag.text.normalize import normalize
from rag.verify import Change, QuoteError, check_quote, verify

TEXT = REPORT.read_text(encoding="utf-8")
QUOTES = ROOT / "eval" / "quotes_report.jsonl"
S2T = opencc.OpenCC("s2t")
PUNCT_SWAP = str.maketrans({"，": ",", ",": "，", "；": ";", ";": "；", "：": ":", ":": "：", "（": "(", "(": "（",
                            "）": ")", ")": "）", "“": "「", "”": "」", "、": ","})


@pytest.fixture(scope="module")
def index(report_engine):
    return report_engine.index


def _full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def _check(index, quote: str, **expected):
    """Verify and assert the contract invariants common to every verdict."""
    v = verify(index, quote)
    d = v.to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    if v.match:
        c = v.match.citation
        assert v.match.text == TEXT[c.start:c.end]
        doc = index.docs[c.doc]
        prev_end = doc.paragraph(c.paragraph - 1).end if c.paragraph > 1 else 0
        if c.paragraph:  # 0 is the header: the title line, the dateline
            assert prev_end <= c.start < doc.paragraph(c.paragraph).end  # or in the heading just before it
        assert all(p.text == TEXT[p.citation.start:p.citation.end] for p in v.match.pieces)
    for key, value in expected.items():
        assert {"verdict": v.verdict, "paragraph": v.match and v.match.citation.paragraph,
                "text": v.match and v.match.text, "changes": v.match and list(v.match.changes)}[key] == value, key
    return v


# --- property: any body substring, re-punctuated / Traditional / full-width, is exact ---

def _off_numbers(start: int, end: int) -> tuple[int, int]:
    """Move the bounds out of any number they cut: 5.3% cut from 15.3% is another number."""
    def num(i: int) -> bool:
        ch = TEXT[i] if 0 <= i < len(TEXT) else ""
        return ch.isdigit() or (ch in ".．" and TEXT[i - 1].isdigit() and TEXT[i + 1].isdigit())
    while num(start) and num(start - 1):
        start -= 1
    while num(end - 1) and num(end):
        end += 1
    return start, end


def _body_bounds(index):
    doc = next(iter(index.docs.values()))
    return doc.paragraphs[0].start, doc.paragraphs[-1].end


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), form=st.sampled_from(["as-is", "punct", "traditional", "full-width"]))
def test_any_substring_verifies_exact_at_its_offsets(index, data, form):
    lo, hi = _body_bounds(index)
    start = data.draw(st.integers(lo, hi - 8), label="start")
    end = data.draw(st.integers(start + 8, min(hi, start + 120)), label="end")
    start, end = _off_numbers(start, end)
    original = TEXT[start:end]
    quote = {"as-is": original, "punct": original.translate(PUNCT_SWAP),
             "traditional": S2T.convert(original), "full-width": _full_width(original)}[form]
    try:
        check_quote(quote)
    except QuoteError:
        assume(False)
    v = _check(index, quote, verdict="exact")
    c = v.match.citation
    want = normalize(original.strip()).text
    assert normalize(v.match.text).text == want
    occurrences = []
    pos = normalize(TEXT).text.find(want)
    while pos >= 0:
        occurrences.append(pos)
        pos = normalize(TEXT).text.find(want, pos + 1)
    # the span overlaps the original place, or the same text occurs elsewhere too
    assert (c.start < end and c.end > start) or len(occurrences) > 1


# --- one hand-written case per verdict and change kind -----------------------------------

def test_changed_number(index):
    v = _check(index, "科学教师队伍壮大至2900多人", verdict="altered", paragraph=11,
               text="科学教师队伍壮大至2800多人", changes=[Change("number", "2900多人", "2800多人")])
    assert v.match.changes[0].describe() == "引文为“2900多人”，原文为“2800多人”"


def test_changed_percentage_reports_whole_numbers(index):
    v = _check(index, "2024年，黄石市公民具备科学素质比例达25.3%", verdict="altered", paragraph=9,
               changes=[Change("number", "25.3%", "15.3%")])
    ops = [(d.op, d.quote, d.source) for d in v.match.diff]
    assert ("replace", "2", "1") in ops and ops[0][1] == "2024年，黄石市公民具备科学素质比例达"


def test_decimal_point_is_not_punctuation(index):
    _check(index, "全市科技志愿者注册人数33万人", verdict="altered", changes=[Change("number", "33万人", "3.3万人")])


def test_changed_name(index):
    _check(index, "邀请航天英雄聂海胜、“雪龙号”船长沈权、孙和平院士、王建芳院士", verdict="altered", paragraph=11,
           changes=[Change("name", "王建芳", "桂建芳")])


def test_negation(index):
    _check(index, "黄石市科协未持续开展“科研诚信与学风建设”宣讲教育10多场", verdict="altered", paragraph=5,
           text="黄石市科协持续开展“科研诚信与学风建设”宣讲教育10多场", changes=[Change("negation", "未", "")])


def test_antonym(index):
    _check(index, "全市科普基础设施网络日趋落后", verdict="altered", paragraph=10,
           text="全市科普基础设施网络日趋完善", changes=[Change("wording", "日趋落后", "日趋完善")])


def test_elided_quote_is_near_and_spans_the_gap(index):
    v = _check(index, "黄石市科协精心打造“东楚科普大讲堂”……在全市持续掀起科普热潮", verdict="near", paragraph=11,
               changes=[])
    assert v.match.text.startswith("黄石市科协精心打造") and v.match.text.endswith("持续掀起科普热潮")
    elision = [d for d in v.match.diff if d.quote == "……"]
    assert len(elision) == 1 and elision[0].op == "replace" and "聂海胜" in elision[0].source


def test_particle_and_punctuation_are_near(index):
    _check(index, "构建起会地协同、会企联动的长效的创新机制", verdict="near", paragraph=14,
           text="构建起会地协同、会企联动的长效创新机制")
    _check(index, "黄石科技馆年均参观量突破30万人次科普大篷车累计行程2万公里", verdict="near", paragraph=10)


def test_two_sentence_quote(index):
    _check(index, "推动党的创新理论入脑入心、见行见效。紧抓“全国科技工作者日”等关键节点", verdict="exact", paragraph=3,
           text="推动党的创新理论入脑入心、见行见效。紧抓“全国科技工作者日”等关键节点")


def test_quote_from_another_document(index):
    v = _check(index, "上海市科协召开年度工作会议，部署2026年重点任务", verdict="not_found")
    assert v.match is None and v.to_dict()["match"] is None


def test_clause_dropped_without_elision_is_an_omission(index):
    v = _check(index, "全市275所学校配备科学副校长,青少年科学教育基础不断夯实。", verdict="altered", paragraph=11,
               changes=[Change("omission", "", "科学教师队伍壮大至2800多人")])
    assert [p.text for p in v.match.pieces] == ["全市275所学校配备科学副校长", "青少年科学教育基础不断夯实。"]


def test_the_report_title_is_exact(index):
    v = _check(index, "黄石市科协第八次代表大会以来工作综述", verdict="exact", paragraph=0,
               text="黄石市科协第八次代表大会以来工作综述", changes=[])
    assert v.match.citation.start == TEXT.index("黄石市科协第八次代表大会以来工作综述")


# --- regressions: numbers cut at the edges, clean change spans, reordered clauses ------------

@pytest.mark.parametrize("quote, text, change", [
    ("5.3%,圆满完成“十四五”既定目标", "15.3%,圆满完成“十四五”既定目标", Change("number", "5.3%", "15.3%")),
    ("58项,有力促进我市科技成果转化", "258项,有力促进我市科技成果转化", Change("number", "58项", "258项")),
    ("黄石市公民具备科学素质比例达1", "黄石市公民具备科学素质比例达15.3%", Change("number", "1", "15.3%")),
])
def test_quote_cutting_a_number_is_altered(index, quote, text, change):
    _check(index, quote, verdict="altered", text=text, changes=[change])


def test_whole_number_at_the_edge_is_still_exact(index):
    _check(index, "15.3%,圆满完成“十四五”既定目标", verdict="exact", paragraph=9)


def test_changed_unit_shows_whole_words(index):
    _check(index, "科普大篷车累计行程2万米", verdict="altered", paragraph=10, text="科普大篷车累计行程2万公里",
           changes=[Change("number", "2万米", "2万公里")])


def test_numeral_in_another_form_is_near(index):
    _check(index, "所属学会发展至三十三个", verdict="near", text="所属学会发展至33个", changes=[])


def test_added_negation_with_framing_subject(index):
    v = _check(index, "黄石市科协并未被中科协评为“全国科普日优秀组织单位”", verdict="altered", paragraph=2,
               text="被中科协评为“全国科普日优秀组织单位”", changes=[Change("negation", "并未", "")])
    assert v.match.changes[0].describe() == "引文增加了“并未”"
    # the subject alone, taken from earlier in the sentence, is framing; another subject is not
    _check(index, "黄石市科协被中科协评为“全国科普日优秀组织单位”", verdict="near", changes=[])
    _check(index, "湖北省科协被中科协评为“全国科普日优秀组织单位”", verdict="altered",
           changes=[Change("name", "湖北省", "")])


def test_dropped_list_item_is_wording(index):
    _check(index, "全市科协系统圆满完成疫情防控、脱贫攻坚等重大任务", verdict="altered",
           text="全市科协系统圆满完成疫情防控、脱贫攻坚、文明创建等重大任务", changes=[Change("wording", "", "文明创建")])


def test_changed_surname_shows_whole_name(index):
    _check(index, "推荐湖北师范大学李杰教授作为黄石唯一代表", verdict="altered",
           changes=[Change("name", "李杰", "吴杰")])


def test_reordered_true_clauses_are_near(index):
    v = _check(index, "专家工作站77家,院士工作站4家", verdict="near", text="院士工作站4家,专家工作站77家", changes=[])
    assert [d.op for d in v.match.diff] == ["replace"]
    # one false clause keeps the quote altered, whatever the order
    _check(index, "专家工作站77家,院士工作站5家", verdict="altered")


@pytest.mark.parametrize("quote", ["", "  ", "好", "黄石", "“科协”"])
def test_too_short_is_a_clear_error(index, quote):
    with pytest.raises(QuoteError, match="引文"):
        verify(index, quote)


# --- CLI ---------------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture(scope="module")
def cli_args(report_engine):
    return ["--corpus", str(REPORT_DIR), "--index", str(report_engine.settings.index_dir), "--model", FAKE]


def test_cli_verify_json(cli_args):
    out = runner.invoke(app, ["verify", "现建有院士工作站4家,专家工作站87家", "--json", *cli_args])
    assert out.exit_code == 0, out.output
    row = json.loads(out.stdout.strip().splitlines()[-1])
    assert row["verdict"] == "altered"
    assert row["match"]["changes"] == [{"kind": "number", "quote": "87家", "source": "77家"}]
    assert set(row["match"]["citation"]) == {"doc", "path", "title", "date", "section", "paragraph", "start", "end", "page", "origin"}
    human = runner.invoke(app, ["verify", "现建有院士工作站4家,专家工作站87家", *cli_args])
    assert "与原文不符" in human.stdout and "引文为“87家”，原文为“77家”" in human.stdout


def test_cli_verify_rejects_short_quote(cli_args):
    out = runner.invoke(app, ["verify", "好", *cli_args])
    assert out.exit_code == 2 and "引文太短" in out.output


def test_cli_verify_file_keeps_order_and_reports_bad_lines(cli_args, tmp_path):
    qfile = tmp_path / "quotes.txt"
    qfile.write_text("黄石市科协 精心打造“东楚科普大讲堂”\n好\n全市275所学校配备科学副校长\n", encoding="utf-8")
    out = runner.invoke(app, ["verify", "--file", str(qfile), "--json", *cli_args])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.strip().splitlines()]
    assert [r.get("verdict") for r in rows] == ["exact", None, "exact"]
    assert rows[1] == {"quote": "好", "error": "引文太短（有效字符少于 4 个），无法核查，请粘贴完整的一句话"}


# --- the development quote set -------------------------------------------------------------

@pytest.mark.skipif(not QUOTES.exists(), reason="eval/quotes_report.jsonl not written yet")
def test_eval_quote_set_accuracy_and_latency(index):
    rows = [json.loads(line) for line in QUOTES.read_text(encoding="utf-8").splitlines() if line.strip()]
    confusion, times, wrong_para = Counter(), [], []
    verify(index, rows[0]["quote"])  # warm the per-index cache and jieba
    for r in rows:
        t = time.perf_counter()
        v = verify(index, r["quote"])
        times.append(time.perf_counter() - t)
        confusion[(r["verdict"], v.verdict)] += 1
        if r["paragraph"] is not None and v.match and v.match.citation.paragraph != r["paragraph"]:
            wrong_para.append(r["id"])
    accuracy = sum(n for (gold, got), n in confusion.items() if gold == got) / len(rows)
    print(f"\nverdict accuracy {accuracy:.3f} on {len(rows)} quotes; median {1000 * statistics.median(times):.1f} ms")
    for (gold, got), n in sorted(confusion.items()):
        print(f"  {gold:>9} -> {got:<9} {n}")
    assert accuracy >= 0.9 and not wrong_para
    assert statistics.median(times) < 0.05


# --- the Gradio tab ------------------------------------------------------------------------

def test_ui_explains_a_rejected_quote_inline_and_keeps_the_verdict(report_engine):
    """As in the question tab: a Chinese note under the box, no toast, the previous verdict stays."""
    import gradio as gr

    from rag.verify.ui import KEEP, verify_tab

    class Holder:
        def get(self):
            return report_engine

    with gr.Blocks() as demo:
        verify_tab(Holder())
    check = next(f.fn for f in demo.fns.values() if f.name == "check")
    badge, _, changes, cite, note = check("黄石科技馆年均参观量突破40万人次")
    assert "与原文不符" in badge and "40万人次" in changes and "第10段" in cite and note == ""
    *kept, note = check("黄")
    assert tuple(kept) == KEEP
    assert note == ('<p class="ask-error" role="alert">无法核查：引文太短（有效字符少于 4 个），无法核查，'
                    '请粘贴完整的一句话</p>')


def test_markup_pasted_with_a_quote_is_not_a_change(index):
    from rag.verify import verify as check

    assert check(index, "<b>黄石市成功入选首批全国全域科普试点单位</b>").verdict == "exact"
    assert check(index, '<span class="q">现建有院士工作站4家</span>').verdict == "exact"
