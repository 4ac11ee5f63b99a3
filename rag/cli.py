"""``rag``: a thin command-line shell over the library.

Commands parse input, call ``rag``, and format output; domain errors become
one friendly line and a non-zero exit code.
"""
from __future__ import annotations

import json
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from . import cite
from .reader import ABSTAIN_MESSAGE, TENTATIVE_NOTE, level, tentative, unmentioned_note
from .config import Settings
from .engine import Engine, QuestionError
from .text.normalize import clean_input
from .index import IndexProblem
from .types import Response
from .cli_input import echo_error, fail, given_lines, read_text

app = typer.Typer(help="中文报告检索问答：建索引、提问、核查引文。", no_args_is_help=True, add_completion=False)

CorpusOpt = typer.Option(None, "--corpus", help="语料目录（环境变量 RAG_CORPUS，默认 corpus/）")
IndexOpt = typer.Option(None, "--index", help="索引目录（环境变量 RAG_INDEX，默认 index/）")
ModelOpt = typer.Option(None, "--model", help="sentence-transformers 模型名或路径（环境变量 RAG_MODEL）")
BackendOpt = typer.Option(None, "--backend", help="嵌入后端 onnx（int8，默认）| onnx-fp32 | torch（环境变量 RAG_BACKEND）")


# Exit codes: 0 done, 2 a usage or domain error, 3 the build left files out.
PARTIAL = 3


def _settings(corpus, index, model, backend=None) -> Settings:
    try:
        return Settings.resolve(corpus=corpus, index=index, model=model, backend=backend)
    except ValueError as exc:  # an unknown backend
        echo_error(str(exc))
        raise typer.Exit(2)


def _rag_command() -> str:
    """How the user can call this CLI again: ``rag`` if on PATH, else its full path."""
    if shutil.which("rag"):
        return "rag"
    exe = Path(sys.argv[0])
    return str(exe) if exe.name == "rag" else ".venv/bin/rag"


def _open(settings: Settings) -> Engine:
    """Open the engine without rebuilding; explain exactly what to run otherwise."""
    try:
        return Engine.open(settings, rebuild=False, progress=echo_error)
    except IndexProblem as problem:
        cmd = (f"{_rag_command()} build --corpus {settings.corpus_dir} --index {settings.index_dir}"
               f" --model {settings.model} --backend {settings.backend}")
        echo_error(f"索引不可用（{problem.reason}）。\n请先运行：{cmd}")
        raise typer.Exit(2)
    except (FileNotFoundError, ValueError) as exc:
        echo_error(f"无法打开语料或索引：{exc}")
        raise typer.Exit(2)


def _build_cmd(corpus, index, model, backend) -> None:
    settings = _settings(corpus, index, model, backend)
    try:
        engine = Engine.open(settings, rebuild=True, progress=echo_error)
    except (IndexProblem, FileNotFoundError, ValueError) as exc:
        echo_error(f"建索引失败：{exc}")
        raise typer.Exit(2)
    counts = engine.index.manifest["counts"]
    typer.echo(f"索引可用：{settings.index_dir}（{counts['documents']} 篇文档，{counts['chunks']} 个文本块，"
               f"{counts['sentences']} 个句子，模型 {settings.model}，后端 {settings.backend}）")
    skipped = engine.index.manifest.get("skipped") or []
    if skipped:
        typer.echo(f"有 {len(skipped)} 个文件未能读入，索引不完整：")
        for row in skipped:
            typer.echo(f"  {row['path']}：{row['reason']}")
        raise typer.Exit(PARTIAL)


@app.command()
def build(corpus: Optional[Path] = CorpusOpt, index: Optional[Path] = IndexOpt, model: Optional[str] = ModelOpt,
          backend: Optional[str] = BackendOpt):
    """建立（或在过期/损坏时重建）索引。"""
    _build_cmd(corpus, index, model, backend)


def format_response(r: Response) -> str:
    """Human-readable answer with citation and supporting passages."""
    lines = []
    if r.answer:
        a = r.answer
        note = f"（{TENTATIVE_NOTE}）" if tentative(r.question, a.confidence) else ""
        lines += [f"答：{a.text}", f"原句：{a.sentence}", f"出处：{a.citation.label()}", f"置信度：{level(a.confidence)}（{a.confidence:.2f}）{note}"]
        lines.append("参考段落：")
    else:
        why = r.note or unmentioned_note(r.unmentioned)
        lines += [ABSTAIN_MESSAGE + "。" + (why + "。" if why else ""), "以下是最接近的段落（仅供参考，并非答案）："]
    for i, p in enumerate(r.passages, 1):
        lines.append(f"  [{i}] {p.text}\n      —— {p.citation.label()}（排序分 {p.score:.2f}，本次检索内的相对分）")
    return "\n".join(lines)


@app.command()
def ask(question: Optional[str] = typer.Argument(None, help="问题"),
        as_json: bool = typer.Option(False, "--json", help="输出 JSON（每个问题一行）"),
        top_k: int = typer.Option(5, "--top-k", min=1, max=50, help="返回的参考段落数"),
        file: Optional[Path] = typer.Option(None, "--file", help="问题文件，每行一个；- 表示标准输入"),
        corpus: Optional[Path] = CorpusOpt, index: Optional[Path] = IndexOpt, model: Optional[str] = ModelOpt,
        backend: Optional[str] = BackendOpt):
    """向报告提问：返回原文句子、简短答案和可核查的出处。"""
    questions = given_lines(question, file)
    engine = _open(_settings(corpus, index, model, backend))
    for q in questions:
        try:
            r = engine.ask(q, top_k=top_k)
        except QuestionError as exc:
            if as_json:  # a JSON reader gets the reason on stdout too; a batch goes on to its next line
                typer.echo(json.dumps({"question": clean_input(q), "error": str(exc)}, ensure_ascii=False))
                if file is not None:
                    continue
            fail(str(exc))
        row = cite.add_to_answer(r.to_dict(), r, engine.index.docs, date.today()) if as_json else None
        typer.echo(json.dumps(row, ensure_ascii=False) if as_json else format_response(r))


@app.command("eval")
def eval_cmd(set_: str = typer.Option("all", "--set", help="report | report2 | quotes | dev | cmrc2018 | drcd | cross | all"),
             limit: Optional[int] = typer.Option(None, "--limit", min=1,
                                                 help="每个集合只取 N 个问题（基准集为固定种子抽样）"),
             json_path: Optional[Path] = typer.Option(None, "--json", help="把指标写成 JSON 文件"),
             mode: Optional[str] = typer.Option(None, "--mode", help="hybrid | bm25 | dense（默认三种都跑）"),
             peer: bool = typer.Option(True, "--peer/--no-peer", help="同时运行 LangChain 对照管线"),
             corpus: Optional[Path] = CorpusOpt, model: Optional[str] = ModelOpt,
             backend: Optional[str] = BackendOpt):
    """评测：开发集与公开基准（CMRC2018、DRCD），输出 Markdown 表格。"""
    from .evaluation.evaluate import ALL_SETS, MODES, EvalOptions, format_results, run_eval

    sets = ALL_SETS if set_ == "all" else tuple(s.strip() for s in set_.split(","))
    if not set(sets) <= set(ALL_SETS) or (mode and mode not in MODES):
        echo_error(f"--set 只能是 {'/'.join(ALL_SETS)}/all，--mode 只能是 {'/'.join(MODES)}")
        raise typer.Exit(2)
    settings = _settings(corpus, None, model, backend)
    opts = EvalOptions(sets=sets, limit=limit, modes=(mode,) if mode else MODES, peer=peer,
                       model=settings.model, backend=settings.backend, corpus=str(settings.corpus_dir))
    results = run_eval(opts, progress=echo_error)
    typer.echo(format_results(results))
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


@app.command()
def calibrate(qa: list[Path] = typer.Option([Path("eval/qa_report.jsonl"), Path("eval/qa_report2.jsonl")], "--qa",
                                            help="开发集问题文件（JSONL，可重复给出）"),
              corpus: Optional[Path] = CorpusOpt, index: Optional[Path] = IndexOpt, model: Optional[str] = ModelOpt,
              backend: Optional[str] = BackendOpt):
    """拒答阈值标定：不同阈值下答对率与拒答率的对照表。"""
    from .evaluation.calibrate import collect, report

    engine = _open(_settings(corpus, index, model, backend))
    t = engine.reader_settings.model().threshold
    rows = [row for path in qa for row in collect(engine, path)]
    typer.echo(report(rows, {"zh": t, "en": t}))


@app.command()
def verify(quote: Optional[str] = typer.Argument(None, help="要核查的引文"),
           as_json: bool = typer.Option(False, "--json", help="输出 JSON（每条引文一行）"),
           file: Optional[Path] = typer.Option(None, "--file", help="引文文件，每行一条；- 表示标准输入"),
           draft: Optional[Path] = typer.Option(None, "--draft", help="稿件文件：找出其中所有引语逐条核查；- 表示标准输入"),
           corpus: Optional[Path] = CorpusOpt, index: Optional[Path] = IndexOpt, model: Optional[str] = ModelOpt,
           backend: Optional[str] = BackendOpt):
    """核查引文：是否出自报告、出处在哪、改动了什么（尤其是数字）。"""
    from .verify import QuoteError, check_quote, format_verdict

    if draft is not None:
        if quote is not None or file is not None:
            fail("--draft 不能与引文或 --file 同时使用")
        _verify_draft(read_text(draft), as_json, _settings(corpus, index, model, backend))
        return
    quotes = given_lines(quote, file, "引文")
    if file is None:
        try:  # a bad single quote fails fast, before the model loads
            check_quote(quotes[0])
        except QuoteError as exc:
            fail(str(exc))
    engine = _open(_settings(corpus, index, model, backend))
    for q in quotes:
        try:
            v = engine.verify(q)
        except QuoteError as exc:
            if as_json and file is not None:  # batch: report the bad line and go on
                typer.echo(json.dumps({"quote": clean_input(q), "error": str(exc)}, ensure_ascii=False))
                continue
            fail(str(exc))
        row = cite.add_to_verdict(v.to_dict(), v, engine.index.docs, date.today()) if as_json else None
        typer.echo(json.dumps(row, ensure_ascii=False) if as_json else format_verdict(v))


def _verify_draft(text: str, as_json: bool, settings: Settings) -> None:
    """Every quotation of a draft: one JSON object a line, or a numbered list."""
    from .verify import DraftError, format_verdict
    from .verify.drafts import NO_QUOTES

    engine = _open(settings)
    try:
        checks = engine.check_draft(text)
    except DraftError as exc:
        fail(str(exc))
    if not as_json:
        typer.echo(f"稿件中找到 {len(checks)} 处引语。" if checks else NO_QUOTES)
    for n, c in enumerate(checks, 1):
        if as_json:
            typer.echo(json.dumps(cite.add_to_check(c, engine.index.docs, date.today()), ensure_ascii=False))
            continue
        head = f"\n[{n}] 第 {c.quote.start + 1}–{c.quote.end} 字：{c.quote.text}"  # counted from 1, as people count
        typer.echo(head + "\n" + (f"未核查：{c.skipped}" if c.verdict is None else format_verdict(c.verdict)))


@app.command()
def train(out: Path = typer.Option(None, "--out", help="模型文件（默认 rag/reader/model.json；英文映射写在其旁 .english.npz）"),
          model: Optional[str] = ModelOpt,
          backend: Optional[str] = BackendOpt):
    """训练阅读模型：在 CMRC2018 和开发报告上按文章交叉验证（DRCD 只作评测），写出模型与指标。"""
    import hashlib
    import shutil

    from .evaluation.english_fit import fitted_map
    from .evaluation.training import train as fit
    from .reader.english_map import map_path
    from .reader.model import MODEL_PATH

    settings = _settings(None, None, model, backend)
    path = out or MODEL_PATH
    path.parent.mkdir(parents=True, exist_ok=True)  # before the fit: its minutes are not lost to a missing folder
    reader, report = fit(settings.model, progress=echo_error, backend=settings.backend)
    english = map_path(path)  # the map first: a model is never beside another fit's map
    english.unlink(missing_ok=True)
    if reader.info.get("english_map"):
        shutil.copyfile(fitted_map(), english)
        if hashlib.sha256(english.read_bytes()).hexdigest() != reader.info["english_map"]["sha256"]:
            echo_error(f"英文映射文件 {english} 与模型记录的不一致，请重新运行 rag train")
            raise typer.Exit(1)
    path.write_text(reader.to_json() + "\n", encoding="utf-8")
    typer.echo(f"阅读模型已写入 {path}（阈值 {reader.threshold}）")
    for name, row in report.items():
        typer.echo(f"  {name}: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                             for k, v in row.items()))


@app.command()
def inspect(file: Path = typer.Argument(..., help="要查看的语料文件（.txt .md .html .docx .pdf）"),
            text: bool = typer.Option(False, "--text", help="同时输出抽取出的全文（引用的字符位置即指这段文字）")):
    """查看解析结果：元数据、章节、段落数，以及被当作页面控件丢弃的内容。"""
    from .ingest import IngestError, describe

    try:
        typer.echo(describe(file, with_text=text))
    except IngestError as exc:
        echo_error(f"无法读入 {file}：{exc}")
        raise typer.Exit(2)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
