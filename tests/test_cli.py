"""The CLI is a thin shell: exercise it with typer's CliRunner."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from rag.cli import app
from conftest import FAKE

runner = CliRunner()


def _args(corpus, index):
    return ["--corpus", str(corpus), "--index", str(index), "--model", FAKE]


def test_build_then_ask_json(tiny_corpus, tmp_path):
    index = tmp_path / "ix"
    out = runner.invoke(app, ["build", *_args(tiny_corpus, index)])
    assert out.exit_code == 0, out.output
    assert "2 篇文档" in out.output and "5 个文本块" in out.output
    out = runner.invoke(app, ["ask", "全市建成了几家院士工作站?", "--json", "--top-k", "2", *_args(tiny_corpus, index)])
    assert out.exit_code == 0, out.output
    row = json.loads(out.stdout.strip().splitlines()[-1])
    assert row["abstained"] is False and row["answer"]["text"] == "12家"
    cite = row["answer"]["citation"]
    assert set(cite) == {"doc", "path", "title", "date", "section", "paragraph", "start", "end", "page", "origin"}
    assert (cite["doc"], cite["paragraph"], cite["section"]) == ("alpha", 1, "")
    assert len(row["passages"]) == 2


def test_ask_file_keeps_order_and_reports_bad_lines(tiny_corpus, tmp_path):
    index = tmp_path / "ix"
    runner.invoke(app, ["build", *_args(tiny_corpus, index)])
    qfile = tmp_path / "q.txt"
    qfile.write_text("科普大篷车跑了多少公里\n\n明天武汉会下雨吗\n" + "问" * 600 + "\n", encoding="utf-8")
    out = runner.invoke(app, ["ask", "--file", str(qfile), "--json", *_args(tiny_corpus, index)])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.strip().splitlines()]
    assert [r["question"][:6] for r in rows] == ["科普大篷车跑", "明天武汉会下", "问问问问问问"]
    assert rows[0]["answer"]["text"] == "5000公里"
    assert rows[1]["abstained"] is True
    assert "过长" in rows[2]["error"]


def test_a_rejected_question_in_json_mode_says_why_on_stdout(tiny_corpus, tmp_path):
    index = tmp_path / "ix"
    runner.invoke(app, ["build", *_args(tiny_corpus, index)])
    out = runner.invoke(app, ["ask", "😀😀😀", "--json", *_args(tiny_corpus, index)])
    assert out.exit_code == 2
    row = json.loads(out.stdout.strip().splitlines()[0])
    assert row == {"question": "😀😀😀", "error": "问题中没有可检索的中文、英文或数字，请用中文或英文提问"}


def test_human_output_and_abstention(tiny_corpus, tmp_path):
    index = tmp_path / "ix"
    runner.invoke(app, ["build", *_args(tiny_corpus, index)])
    out = runner.invoke(app, ["ask", "明天武汉会下雨吗", *_args(tiny_corpus, index)])
    assert out.exit_code == 0
    assert "报告中没有找到直接回答这个问题的内容" in out.stdout and "仅供参考" in out.stdout


def test_ask_on_missing_or_stale_index_says_what_to_run(tiny_corpus, tmp_path):
    index = tmp_path / "ix"
    out = runner.invoke(app, ["ask", "问题", *_args(tiny_corpus, index)])
    assert out.exit_code == 2
    assert "索引不存在" in out.output and f"rag build --corpus {tiny_corpus} --index {index} --model {FAKE}" in out.output
    runner.invoke(app, ["build", *_args(tiny_corpus, index)])
    (tiny_corpus / "beta.md").write_text("# 改了\n\n内容改了。\n", encoding="utf-8")
    out = runner.invoke(app, ["ask", "问题", *_args(tiny_corpus, index)])
    assert out.exit_code == 2 and "语料文件已变化" in out.output and "rag build" in out.output


def test_settings_come_from_environment(tiny_corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("RAG_CORPUS", str(tiny_corpus))
    monkeypatch.setenv("RAG_INDEX", str(tmp_path / "envix"))
    monkeypatch.setenv("RAG_MODEL", FAKE)
    out = runner.invoke(app, ["build"])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "envix" / "manifest.json").exists()


def test_empty_corpus_is_a_clear_error(tmp_path):
    (tmp_path / "empty").mkdir()
    out = runner.invoke(app, ["build", "--corpus", str(tmp_path / "empty"), "--index", str(tmp_path / "i"), "--model", FAKE])
    assert out.exit_code == 2 and "没有可读的文档" in out.output


def test_missing_corpus_folder_is_a_clear_error_for_ask(tmp_path):
    out = runner.invoke(app, ["ask", "问题", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "i"),
                              "--model", FAKE])
    assert out.exit_code == 2 and "语料目录不存在" in out.output
    assert "Traceback" not in out.output
    (tmp_path / "report.txt").write_text("报告。", encoding="utf-8")
    out = runner.invoke(app, ["build", "--corpus", str(tmp_path / "report.txt"), "--index", str(tmp_path / "i"),
                              "--model", FAKE])
    assert out.exit_code == 2 and "语料应是一个目录" in out.output and "Traceback" not in out.output


def test_stale_message_names_the_changed_files(tiny_corpus, tmp_path):
    index = tmp_path / "ix"
    runner.invoke(app, ["build", *_args(tiny_corpus, index)])
    (tiny_corpus / "beta.md").write_text("# 改了\n\n内容改了。\n", encoding="utf-8")
    (tiny_corpus / "gamma.txt").write_text("标题\n\n新的一段内容。\n", encoding="utf-8")
    out = runner.invoke(app, ["ask", "问题", *_args(tiny_corpus, index)])
    assert "语料文件已变化（新增 gamma.txt；修改 beta.md）" in out.output


def test_calibrate_prints_a_threshold_table(tiny_corpus, tmp_path):
    index = tmp_path / "ix"
    runner.invoke(app, ["build", *_args(tiny_corpus, index)])
    qa = tmp_path / "qa.jsonl"
    rows = [{"id": "a", "question": "全市建成了几家院士工作站?", "lang": "zh-Hans", "answers": ["12家"], "paragraph": 1},
            {"id": "b", "question": "明天武汉会下雨吗", "lang": "zh-Hans", "answers": [], "paragraph": None}]
    qa.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = runner.invoke(app, ["calibrate", "--qa", str(qa), *_args(tiny_corpus, index)])
    assert out.exit_code == 0, out.output
    assert "### zh: 1 answerable, 1 unanswerable" in out.stdout
    assert "| 0.50 ← |" in out.stdout and "| 0.45 |" in out.stdout and "| 0.10 | 100.0 |" in out.stdout


def test_an_answer_just_above_the_threshold_carries_a_warning():
    from rag.cli import format_response
    from rag.types import Answer, Citation, Response

    cite = Citation("d", "corpus/d.txt", "T", "2025-12-17", "S", 1, 0, 6)
    def shown(conf):
        return format_response(Response("有几家工作站？", Answer("4家", "工作站4家。", conf, cite, 3, 5)))
    assert "置信度：低（0.55）（置信度偏低，请对照原文核实）" in shown(0.55)
    assert "置信度：高（0.90）\n" in shown(0.90) + "\n" and "偏低" not in shown(0.90)


def test_a_refusal_says_which_name_no_report_mentions(tiny_corpus, tmp_path):
    index = tmp_path / "ix"
    runner.invoke(app, ["build", *_args(tiny_corpus, index)])
    question = "How many academician workstations does Ezhou have?"
    out = runner.invoke(app, ["ask", question, "--json", *_args(tiny_corpus, index)])
    row = json.loads(out.stdout.strip().splitlines()[-1])
    assert row["abstained"] is True and row["unmentioned"] == ["Ezhou"]
    out = runner.invoke(app, ["ask", question, *_args(tiny_corpus, index)])
    assert out.exit_code == 0 and "问题提到的 Ezhou 在报告中没有出现。" in out.output


def test_train_writes_into_a_folder_it_makes_first(tmp_path, monkeypatch):
    # The fit takes minutes: a missing --out folder must not lose them at the end.
    from rag.evaluation import training
    from rag.reader.model import load_model, MODEL_PATH

    shipped = load_model(MODEL_PATH)
    fitted = type(shipped)(shipped.sentence, shipped.question, shipped.threshold, shipped.veto, {})
    out = tmp_path / "new" / "folder" / "model.json"

    def fit(*args, **kwargs):
        assert out.parent.is_dir()  # made before the minutes of fitting, not after
        return fitted, {"devreports": {"questions": 1}}

    monkeypatch.setattr(training, "train", fit)
    result = runner.invoke(app, ["train", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["threshold"] == shipped.threshold
    assert "devreports: questions 1" in result.output
