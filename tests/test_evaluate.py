"""``rag eval`` and its metrics, on hand-checked toy cases (fake embedder, seconds)."""
from __future__ import annotations

import importlib.util
import json

import pytest
from typer.testing import CliRunner

from rag.evaluation.benchmarks import ROOT
from rag.cli import app
from rag.evaluation.evaluate import Outcome, QAItem, markdown_table, summarize
from rag.evaluation.metrics import cmrc_em, cmrc_f1, contains_gold, mixed_segmentation

A = "黄石市共有4家院士工作站。市科技馆每年接待游客20万人次。"
B = "武汉大学位于武昌珞珈山。学校创办于1893年。"
# q3 is a trap: it names 武汉大学 and 珞珈山 (context B) but asks about A,
# so the dense retriever (hash-256) ranks B first and the gold chunk second.
SQUAD = {"version": "toy", "data": [
    {"id": "A", "title": "黄石科协", "paragraphs": [{"id": "A_0", "context": A, "qas": [
        {"id": "q1", "question": "黄石市有几家院士工作站？", "answers": [{"text": "4家", "answer_start": 5}]},
        {"id": "q3", "question": "武汉大学珞珈山的科技馆每年接待多少游客？",
         "answers": [{"text": "20万人次", "answer_start": 23}]}]}]},
    {"id": "B", "title": "武汉大学", "paragraphs": [{"id": "B_0", "context": B, "qas": [
        {"id": "q2", "question": "武汉大学创办于哪一年？",
         "answers": [{"text": "1893年", "answer_start": 17}, {"text": "1893", "answer_start": 17}]}]}]}]}


# --- official CMRC2018 EM/F1 -------------------------------------------------

def test_f1_short_prediction_of_longer_gold():
    # gold 4 segments [4,家,院,士], prediction [4,家]: P=1, R=1/2, F1=2/3
    assert cmrc_f1(["4家院士"], "4家") == pytest.approx(2 / 3)
    # and the other way round: P=1/2, R=1
    assert cmrc_f1(["4家"], "4家院士") == pytest.approx(2 / 3)


def test_f1_uses_longest_common_contiguous_run_like_the_official_script():
    # 黄石市科协 vs 黄石科协: a subsequence LCS would be 4, the official find_lcs
    # (a longest common substring) finds 2: P=2/4, R=2/5, F1=4/9
    assert cmrc_f1(["黄石市科协"], "黄石科协") == pytest.approx(4 / 9)


def test_f1_max_over_golds_punctuation_and_latin_words():
    assert cmrc_f1(["完全不同", "《新小说》"], "新小说杂志") == pytest.approx(2 * 0.6 / 1.6)
    assert mixed_segmentation("光荣和ω-force", rm_punc=True) == ["光", "荣", "和", "ωforce"]
    assert cmrc_f1(["ω-force"], "光荣和ω-force") == pytest.approx(2 * 0.25 / 1.25)
    assert cmrc_f1(["4家"], "") == 0.0 and cmrc_f1([], "4家") == 0.0


def test_em_removes_punctuation_and_case():
    assert cmrc_em(["4家"], "4家。") == 1.0
    assert cmrc_em(["RoboCup Junior"], "robocup junior") == 1.0
    assert cmrc_em(["4家"], "4家院士") == 0.0
    assert cmrc_em(["4家"], "") == 0.0


def test_contains_gold_normalises_script_and_width():
    assert contains_gold("黃石有４家院士工作站", ["4家"])
    assert not contains_gold("黄石有5家", ["4家"])


# --- summarize on hand-built outcomes ----------------------------------------

def _o(answers, rank, answered, ok, short, seconds, guess=None):
    item = QAItem("x", "q?", tuple(answers))
    return Outcome(item, rank, answered, ok, ok if guess is None else guess, None, short, seconds)


def test_summarize_hand_computed():
    outs = [_o(["4家"], 1, True, True, "4家", 0.010),
            _o(["20万人次"], 2, False, False, "", 0.030, guess=True),
            _o(["1893年"], None, True, False, "武汉", 0.020),
            _o([], None, False, False, "", 0.040)]           # unanswerable, abstained: right
    m = summarize(outs)
    assert m["answerable"] == 3 and m["unanswerable"] == 1
    assert m["r1"] == pytest.approx(1 / 3) and m["r5"] == pytest.approx(2 / 3)
    assert m["mrr10"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert m["sent_acc"] == pytest.approx(1 / 3) and m["guess_acc"] == pytest.approx(2 / 3)
    assert m["em"] == pytest.approx(1 / 3) and m["f1"] == pytest.approx(1 / 3)
    assert m["abstain"] == pytest.approx(1 / 3) and m["unans_abstain"] == 1.0
    assert m["overall"] == pytest.approx(2 / 4)
    assert m["p50_ms"] == pytest.approx(25.0)
    assert "| 33.3 |" in markdown_table({"s": m})


# --- rag eval end to end on a toy SQuAD file ----------------------------------

@pytest.fixture()
def toy_env(tmp_path):
    (tmp_path / "shared" / "benchmarks" / "cmrc2018").mkdir(parents=True)
    (tmp_path / "shared" / "benchmarks" / "cmrc2018" / "cmrc2018_dev.json").write_text(
        json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    return {"RAG_SHARED": str(tmp_path / "shared"), "RAG_CACHE": str(tmp_path / "cache"), "RAG_MODEL": "hash-256",
            "RAG_CORPUS": str(ROOT / "corpus")}


def _run(args, env, out):
    result = CliRunner().invoke(app, ["eval", *args, "--json", str(out)], env=env)
    assert result.exit_code == 0, result.output
    return result.output, json.loads(out.read_text(encoding="utf-8"))


def test_eval_toy_squad_retrieval_hand_checked(toy_env, tmp_path):
    text, res = _run(["--set", "cmrc2018", "--mode", "dense", "--no-peer"], toy_env, tmp_path / "r.json")
    s = res["sets"]["cmrc2018"]
    m = s["systems"]["ours-dense"]
    # ranks of the gold chunk: q1 1, q3 2 (trap), q2 1
    assert m["questions"] == 3
    assert m["r1"] == pytest.approx(2 / 3) and m["r5"] == 1.0
    assert m["mrr10"] == pytest.approx((1 + 0.5 + 1) / 3)
    assert s["info"]["contexts"] == 2 and s["info"]["chunks"] == 2 and s["info"]["contexts_lost_by_ingest"] == 0
    assert "| ours-dense | 3 | 66.7 | 100.0 | 83.3 |" in text
    # The second run reuses the cached index instead of rebuilding it.
    _, again = _run(["--set", "cmrc2018", "--mode", "dense", "--no-peer"], toy_env, tmp_path / "r2.json")
    assert again["sets"]["cmrc2018"]["info"]["build_seconds"] is None


def test_eval_reader_metrics_match_engine_ask(toy_env, tmp_path, monkeypatch):
    """Sentence accuracy, EM/F1 and abstention agree with what ``Engine.ask`` returns."""
    _, res = _run(["--set", "cmrc2018", "--mode", "hybrid", "--no-peer"], toy_env, tmp_path / "r.json")
    m = res["sets"]["cmrc2018"]["systems"]["ours-hybrid"]
    for key, value in toy_env.items():
        monkeypatch.setenv(key, value)
    from rag.evaluation.benchmarks import cache_dir, model_tag
    from rag.config import Settings
    from rag.engine import Engine

    corpus = cache_dir() / "bench-corpus" / "cmrc2018"
    engine = Engine.open(Settings(corpus, cache_dir() / "bench-index" / f"cmrc2018-{model_tag('hash-256')}",
                                  "hash-256"))
    golds = {"q1": ["4家"], "q2": ["1893年", "1893"], "q3": ["20万人次"]}
    questions = {qa["id"]: qa["question"] for art in SQUAD["data"] for p in art["paragraphs"] for qa in p["qas"]}
    answers = {k: engine.ask(q).answer for k, q in questions.items()}
    # q1 is a plain lookup the reader must get: answer "4家", exact match
    assert answers["q1"] is not None and answers["q1"].text == "4家"
    texts = {k: (a.text if a else "") for k, a in answers.items()}
    assert m["em"] == pytest.approx(sum(cmrc_em(golds[k], texts[k]) for k in golds) / 3)
    assert m["f1"] == pytest.approx(sum(cmrc_f1(golds[k], texts[k]) for k in golds) / 3)
    assert m["abstain"] == pytest.approx(sum(a is None for a in answers.values()) / 3)
    assert m["sent_acc"] == pytest.approx(
        sum(a is not None and contains_gold(a.sentence, golds[k]) for k, a in answers.items()) / 3)


@pytest.mark.skipif(importlib.util.find_spec("langchain_community") is None, reason="peer extra not installed")
def test_eval_peer_hand_checked(toy_env, tmp_path):
    # The peer's chunks are whole files ("title\ncontext"); like our dense mode
    # it falls for the trap q3 (rank 2).  Its answer is the top chunk's first
    # sentence: q1 "黄石科协\n黄石市共有4家院士工作站。" holds 4家 (16 segments,
    # F1 = 2*(2/16)/(1+2/16) = 2/9); q2 and q3's first sentences hold no gold.
    _, res = _run(["--set", "cmrc2018", "--mode", "dense", "--peer"], toy_env, tmp_path / "r.json")
    p = res["sets"]["cmrc2018"]["systems"]["peer-langchain"]
    assert p["r1"] == pytest.approx(2 / 3) and p["mrr10"] == pytest.approx(2.5 / 3) and p["abstain"] == 0.0
    assert p["sent_acc"] == pytest.approx(1 / 3) and p["em"] == 0.0
    assert p["f1"] == pytest.approx((2 / 9) / 3)


def test_eval_limit_samples_and_report_set_runs(toy_env, tmp_path):
    _, res = _run(["--set", "cmrc2018", "--limit", "2", "--mode", "bm25", "--no-peer"], toy_env, tmp_path / "r.json")
    assert res["sets"]["cmrc2018"]["systems"]["ours-bm25"]["questions"] == 2
    _, rep = _run(["--set", "report", "--limit", "10", "--mode", "hybrid", "--no-peer"], toy_env, tmp_path / "p.json")
    m = rep["sets"]["report"]["systems"]["ours-hybrid"]
    assert m["questions"] == 10 and 0.0 <= m["sent_acc"] <= 1.0


def test_eval_rejects_unknown_set(toy_env):
    result = CliRunner().invoke(app, ["eval", "--set", "nope"], env=toy_env)
    assert result.exit_code == 2


def test_eval_quotes_set_runs_or_is_skipped(toy_env, tmp_path):
    _, res = _run(["--set", "quotes", "--limit", "5"], toy_env, tmp_path / "q.json")
    q = res["sets"]["quotes"]
    assert "skipped" in q or (q["quotes"]["quotes"] == 5 and 0.0 <= q["quotes"]["accuracy"] <= 1.0)
