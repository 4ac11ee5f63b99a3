"""Reading what the command line is given: a question, a quote, or a file of
them (``-``: standard input), decoded as ingest decodes corpus files.

A problem ends the command with one friendly line and exit code 2.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer


def echo_error(message: str) -> None:
    typer.echo(message, err=True)


MAX_INPUT_FILE = 20 * 1024 * 1024


def read_lines(file: Path) -> list[str]:
    """Non-empty lines of a question or quote file (``-``: standard input), in any encoding ingest knows."""
    return [line.strip() for line in read_text(file).splitlines() if line.strip()]


def read_text(file: Path) -> str:
    """A text file (``-``: standard input) decoded as ingest decodes corpus files, newlines kept."""
    from .ingest.base import IngestError
    from .ingest.decode import decode

    if str(file) == "-":
        raw = sys.stdin.buffer.read(MAX_INPUT_FILE + 1)
    else:
        if not file.exists():
            fail(f"文件不存在：{file}")
        if not file.is_file():
            fail(f"不是普通文件：{file}（请给出一个文本文件，每行一条）")
        if file.stat().st_size > MAX_INPUT_FILE:
            fail(f"文件过大：{file}（超过 20 MB）")
        raw = file.read_bytes()
    if len(raw) > MAX_INPUT_FILE:
        fail("输入过大（超过 20 MB）")
    try:
        return decode(raw)[0] if raw.strip() else ""
    except IngestError as exc:
        fail(f"无法读取 {file}：{exc}")


def fail(message: str) -> None:
    echo_error(message)
    raise typer.Exit(2)


def given_lines(question: Optional[str], file: Optional[Path], what: str = "问题") -> list[str]:
    if file is not None and question is not None:
        fail(f"请只给出一个{what}，或只用 --file，不要同时使用")
    if file is not None:
        return read_lines(file)
    if question is None or not question.strip():
        fail(f"{what}为空：请给出{what}，或用 --file 指定文件（每行一条）")
    return [question]
