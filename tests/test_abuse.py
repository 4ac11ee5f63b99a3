"""Bad inputs at every edge: a clear message and exit code, never a traceback or a hang."""
from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from conftest import FAKE
from rag.cli import app
from rag.engine import QuestionError

runner = CliRunner()
SURROGATE = "黄石" + chr(0xD800) + "有几家院士工作站"
CONTROL = "院士工作站\x00有\x07几家\x1b"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil

    from conftest import TINY

    root = tmp_path_factory.mktemp("abuse")
    shutil.copytree(TINY, root / "corpus")
    out = runner.invoke(app, ["build", "--corpus", str(root / "corpus"), "--index", str(root / "ix"), "--model", FAKE])
    assert out.exit_code == 0, out.output
    return root


def _run(built, *args):
    out = runner.invoke(app, [*args, "--corpus", str(built / "corpus"), "--index", str(built / "ix"), "--model", FAKE])
    assert out.exception is None or isinstance(out.exception, SystemExit), repr(out.exception)
    assert "Traceback" not in out.output
    return out


def _files(tmp_path):
    (tmp_path / "folder").mkdir()
    cases = {"folder": tmp_path / "folder", "missing": tmp_path / "nope.txt", "devzero": "/dev/zero",
             "devnull": "/dev/null"}
    for name, data in {"binary": bytes(range(256)) * 4, "latin1": "caf\xe9 cr\xe8me".encode("latin-1") * 9,
                       "empty": b""}.items():
        (tmp_path / name).write_bytes(data)
        cases[name] = tmp_path / name
    return cases


@pytest.mark.parametrize("command", ["ask", "verify"])
@pytest.mark.parametrize("case", ["folder", "missing", "devzero", "devnull", "binary", "latin1"])
def test_unreadable_files_are_a_message(built, tmp_path, command, case):
    out = _run(built, command, "--file", str(_files(tmp_path)[case]), "--json")
    assert out.exit_code == 2 and out.output.strip()


@pytest.mark.parametrize("command", ["ask", "verify"])
@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig", "big5"])
def test_files_in_other_encodings_are_read(built, tmp_path, command, encoding):
    line = "全市建成院士工作站12家,专家工作站30家" if command == "verify" else "全市建成了几家院士工作站？"
    if encoding == "big5":  # Big5 holds Traditional characters only
        import opencc

        line = opencc.OpenCC("s2t").convert(line)
    path = tmp_path / "in.txt"
    path.write_bytes(f"{line}\n\n{line}\n".encode(encoding))
    out = _run(built, command, "--file", str(path), "--json")
    rows = [json.loads(x) for x in out.stdout.strip().splitlines()]
    assert out.exit_code == 0 and len(rows) == 2 and "error" not in rows[0]


def test_an_empty_file_gives_no_rows(built, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    out = _run(built, "ask", "--file", str(tmp_path / "empty.txt"), "--json")
    assert out.exit_code == 0 and out.stdout.strip() == ""


@pytest.mark.parametrize("question", ["", " ", "\u3000\t", "\x00", chr(0xD800)])
@pytest.mark.parametrize("as_json", [True, False])
def test_empty_questions_exit_2_alike(built, question, as_json):
    out = _run(built, "ask", question, *(["--json"] if as_json else []))
    assert out.exit_code == 2 and "为空" in out.output


@pytest.mark.parametrize("text", [SURROGATE, CONTROL, "黄石\ufffe院士工作站有几家"])
def test_invalid_code_points_in_a_question_are_cleaned(built, text):
    out = _run(built, "ask", text, "--json")
    row = json.loads(out.stdout.strip().splitlines()[-1])
    assert out.exit_code == 0 and chr(0xD800) not in row["question"] and "\x00" not in row["question"]


@pytest.mark.parametrize("text", ["全市共建成院士工作站" + chr(0xDC80) + "12家", "全市共建成院士工作站\x0012家,专家工作站30家"])
def test_invalid_code_points_in_a_quote_are_cleaned(built, text):
    out = _run(built, "verify", text, "--json")
    assert out.exit_code == 0 and json.loads(out.stdout)["verdict"] == "exact"


def test_a_quote_and_a_file_together_are_refused(built, tmp_path):
    (tmp_path / "q.txt").write_text("全市建成院士工作站12家\n", encoding="utf-8")
    out = _run(built, "verify", "全市建成院士工作站12家", "--file", str(tmp_path / "q.txt"))
    assert out.exit_code == 2 and "不要同时使用" in out.output


@pytest.mark.parametrize("top_k", [-1, 0, 51, 2.5, "3", True, [3]])
def test_library_top_k_is_checked(report_engine, top_k):
    with pytest.raises(QuestionError, match="top_k"):
        report_engine.ask("黄石有几家院士工作站", top_k=top_k)


def test_unknown_model_says_how_to_make_one_available(tmp_path, tiny_corpus):
    out = runner.invoke(app, ["build", "--corpus", str(tiny_corpus), "--index", str(tmp_path / "ix"),
                              "--model", "no-such-org/no-such-model"])
    assert out.exit_code == 2 and "Traceback" not in out.output
    assert "no-such-org/no-such-model" in out.output and "离线" in out.output


def test_a_fifo_sidecar_does_not_hang_a_build(tmp_path, tiny_corpus):
    os.mkfifo(tiny_corpus / "beta.md.meta.json")
    out = runner.invoke(app, ["build", "--corpus", str(tiny_corpus), "--index", str(tmp_path / "ix"), "--model", FAKE])
    assert out.exit_code == 3 and "beta.md" in out.output and "不是普通文件" in out.output
