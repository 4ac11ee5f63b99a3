"""``rag``: a thin command-line shell over the library.

Commands parse input, call ``rag``, and format output; domain errors become
one friendly line and a non-zero exit code.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .answer import ABSTAIN_MESSAGE
from .config import Settings
from .engine import Engine, QuestionError
from .index import IndexProblem
from .types import Response

app = typer.Typer(help="中文报告检索问答：建索引、提问、核查引文。", no_args_is_help=True, add_completion=False)

CorpusOpt = typer.Option(None, "--corpus", help="语料目录（环境变量 RAG_CORPUS，默认 corpus/）")
IndexOpt = typer.Option(None, "--index", help="索引目录（环境变量 RAG_INDEX，默认 index/）")
ModelOpt = typer.Option(None, "--model", help="sentence-transformers 模型名或路径（环境变量 RAG_MODEL）")


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _settings(corpus, index, model) -> Settings:
    return Settings.resolve(corpus=corpus, index=index, model=model)


def _open(settings: Settings) -> Engine:
    """Open the engine without rebuilding; explain exactly what to run otherwise."""
    try:
        return Engine.open(settings, rebuild=False, progress=_err)
    except IndexProblem as problem:
        cmd = f"rag build --corpus {settings.corpus_dir} --index {settings.index_dir} --model {settings.model}"
        _err(f"索引不可用（{problem.reason}）。\n请先运行：{cmd}")
        raise typer.Exit(2)


def _build_cmd(corpus, index, model) -> None:
    settings = _settings(corpus, index, model)
    try:
        engine = Engine.open(settings, rebuild=True, progress=_err)
    except (IndexProblem, FileNotFoundError, ValueError) as exc:
        _err(f"建索引失败：{exc}")
        raise typer.Exit(2)
    counts = engine.index.manifest["counts"]
    typer.echo(f"索引可用：{settings.index_dir}（{counts['documents']} 篇文档，{counts['chunks']} 个文本块，"
               f"{counts['sentences']} 个句子，模型 {settings.model}）")


@app.command()
def build(corpus: Optional[Path] = CorpusOpt, index: Optional[Path] = IndexOpt, model: Optional[str] = ModelOpt):
    """建立（或在过期/损坏时重建）索引。"""
    _build_cmd(corpus, index, model)


def format_response(r: Response) -> str:
    """Human-readable answer with citation and supporting passages."""
    lines = []
    if r.answer:
        a = r.answer
        lines += [f"答：{a.text}", f"原句：{a.sentence}", f"出处：{a.citation.label()}", f"置信度：{a.confidence:.2f}"]
        lines.append("参考段落：")
    else:
        lines += [ABSTAIN_MESSAGE + "。", "以下是最接近的段落（仅供参考，并非答案）："]
    for i, p in enumerate(r.passages, 1):
        lines.append(f"  [{i}] {p.text}\n      —— {p.citation.label()}（相关度 {p.score:.2f}）")
    return "\n".join(lines)


def _questions(question: Optional[str], file: Optional[Path]) -> list[str]:
    if file is not None:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        return [line.strip() for line in text.splitlines() if line.strip()]
    if not question:
        _err("请给出问题，或用 --file 指定问题文件（每行一个）")
        raise typer.Exit(2)
    return [question]


@app.command()
def ask(question: Optional[str] = typer.Argument(None, help="问题"),
        as_json: bool = typer.Option(False, "--json", help="输出 JSON（每个问题一行）"),
        top_k: int = typer.Option(5, "--top-k", min=1, max=50, help="返回的参考段落数"),
        file: Optional[Path] = typer.Option(None, "--file", help="问题文件，每行一个；- 表示标准输入"),
        corpus: Optional[Path] = CorpusOpt, index: Optional[Path] = IndexOpt, model: Optional[str] = ModelOpt):
    """向报告提问：返回原文句子、简短答案和可核查的出处。"""
    questions = _questions(question, file)
    engine = _open(_settings(corpus, index, model))
    for q in questions:
        try:
            r = engine.ask(q, top_k=top_k)
        except QuestionError as exc:
            if as_json:
                typer.echo(json.dumps({"question": q, "error": str(exc)}, ensure_ascii=False))
                continue
            _err(str(exc))
            raise typer.Exit(2)
        typer.echo(json.dumps(r.to_dict(), ensure_ascii=False) if as_json else format_response(r))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
