"""Turn corpus files into Documents: metadata, paragraphs, sections, sentences.

One reader per format (``rag.ingest.formats``) makes an ``Extracted``; the
layout step (``rag.ingest.layout``) finds header fields, chrome and body the
same way for every format; this module splits paragraphs into sentences,
applies a sidecar ``<file>.meta.json`` (``title``, ``date``, ``source``,
``author``, ``url``) and keeps offsets the truth: ``doc.text[start:end]`` is
the text shown, for ``.txt``/``.md`` the file as decoded, for PDF, Word and
HTML the extracted text the index keeps.

A file that cannot be read never stops a corpus: ``load_corpus`` returns the
documents it could read and, for each file it skipped, the reason.
"""
from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path

from ..types import Document, Paragraph, Sentence
from . import formats
from .base import Extracted, Field, IngestError
from .layout import Laid, lay_out
from .sidecar import read_sidecar

# Bump when the rules change what a file parses into: indexes built with
# other rules are then stale.
INGEST_VERSION = 13
SUFFIXES = formats.suffixes()
_SENT_END = "。！？!?；;"
_CLOSERS = "”’」』）)】》\"'"


@dataclass(frozen=True)
class Skipped:
    """A corpus file left out of the index, and why (in Chinese, for the user)."""

    path: str
    reason: str


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]``; closing quotes stay attached.

    >>> s = "他说：“好。”然后走了；完。"
    >>> [s[a:b] for a, b in split_sentences(s, 0, len(s))]
    ['他说：“好。”', '然后走了；', '完。']
    """
    from .text import strip_span

    spans, sent_start, i = [], start, start
    while i < end:
        if text[i] in _SENT_END:
            j = i + 1
            while j < end and (text[j] in _SENT_END or text[j] in _CLOSERS):
                j += 1
            spans.append(strip_span(text, sent_start, j))
            sent_start = i = j
            continue
        i += 1
    if sent_start < end:
        spans.append(strip_span(text, sent_start, end))
    return [(a, b) for a, b in spans if b > a]


def _structure(view: str, laid: Laid) -> tuple[tuple[Paragraph, ...], tuple[Sentence, ...]]:
    """Numbered paragraphs with their section, and their sentences (split on the masked view)."""
    paragraphs, sentences, section = [], [], ""
    for block in laid.body:
        if block.kind == "heading":
            section = view[block.start:block.end].lstrip("# ").strip()
            continue
        number = len(paragraphs) + 1
        paragraphs.append(Paragraph(number, section, block.start, block.end, block.page))
        for a, b in split_sentences(view, block.start, block.end):
            sentences.append(Sentence(len(sentences), number, a, b))
    return tuple(paragraphs), tuple(sentences)


def display_path(path: Path, root: Path | None = None) -> str:
    """Path relative to ``root`` (the project root) when inside it, else absolute."""
    path = path.absolute()
    root = (root or Path.cwd()).absolute()
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _first(fields, name: str) -> Field | None:
    return next((f for f in fields if f.name == name and f.value), None)


def _read(path: Path) -> tuple[Extracted, bytes]:
    """The reader's output for one file, and the bytes it read (hashed once, read once)."""
    reader = formats.reader_for(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"无法读取文件（{exc.strerror or exc}）") from exc
    return reader.read(path, raw), raw


def extract(path: Path) -> Extracted:
    """The reader's output for one file (``rag inspect`` shows it)."""
    return _read(path)[0]


def parse_document(path: Path, root: Path | None = None) -> Document:
    """Read one corpus file into a Document; raises IngestError with a reason."""
    ex, raw = _read(path)
    laid = lay_out(ex)
    fields = read_sidecar(path) + laid.fields
    view = Document("", "", ex.text, "", "", "", (), (), "", mask=tuple(ex.mask)).view
    paragraphs, sentences = _structure(view, laid)
    if not paragraphs:
        raise IngestError("没有找到正文段落（文件只有标题、页面控件或空行）")
    value = {name: (f.value if (f := _first(fields, name)) else "") for name in ("title", "date", "source",
                                                                              "author", "url")}
    value["date"] = value["date"] or ((f := _first(fields, "delivered")) and f.value or "")
    return Document(
        id=path.stem, path=display_path(path, root), text=ex.text, title=value["title"] or path.stem,
        date=value["date"], source=value["source"], paragraphs=paragraphs, sentences=sentences,
        sha256=hashlib.sha256(raw).hexdigest(), format=formats.name_of(path), origin=ex.origin,
        encoding=ex.encoding, author=value["author"], url=value["url"],
        fields=tuple((f.name, f.value, f.start, f.end) for f in fields), mask=tuple(ex.mask))


def _skip_reason(path: Path, corpus_dir: Path) -> str | None:
    """Why a path under the corpus is not a file to read, or None."""
    try:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            target = path.resolve()
            if corpus_dir.resolve() not in target.parents:
                return "符号链接指向语料目录之外，已跳过"
            mode = target.stat().st_mode
    except OSError as exc:
        return f"无法访问（{exc.strerror or exc}）"
    return None if stat.S_ISREG(mode) else "不是普通文件（设备、管道或套接字），已跳过"


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Corpus files of a known format, in a stable order (special files included, to be skipped)."""
    if corpus_dir.exists() and not corpus_dir.is_dir():
        raise FileNotFoundError(f"语料应是一个目录，而 {corpus_dir} 是一个文件：请把报告放进一个目录，再指向该目录")
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"语料目录不存在：{corpus_dir}")
    return sorted(p for p in corpus_dir.rglob("*") if p.suffix.lower() in SUFFIXES and not p.is_dir()
                  and not p.name.startswith("."))


def load_corpus(corpus_dir: Path, root: Path | None = None,
                skipped: list[Skipped] | None = None) -> list[Document]:
    """Every readable corpus file as a Document; unreadable ones go to ``skipped`` with a reason."""
    docs, seen = [], {}
    skipped = [] if skipped is None else skipped
    for path in corpus_files(corpus_dir):
        shown = display_path(path, root)
        reason = _skip_reason(path, corpus_dir)
        if reason is None and path.stem in seen:
            reason = f"与 {seen[path.stem]} 同名（文件名去掉后缀后必须唯一），已跳过"
        if reason is None:
            try:
                docs.append(parse_document(path, root))
                seen[path.stem] = shown
                continue
            except IngestError as exc:
                reason = str(exc)
        skipped.append(Skipped(shown, reason))
    return docs


def file_hashes(corpus_dir: Path) -> dict[str, str]:
    """sha256 of every regular corpus file (and sidecar), keyed by path relative to the corpus."""
    paths = corpus_files(corpus_dir) + sorted(corpus_dir.rglob("*.meta.json"))
    out = {}
    for p in paths:
        if _skip_reason(p, corpus_dir) is None:
            out[p.relative_to(corpus_dir).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def describe(path: Path, with_text: bool = False) -> str:
    """What ingestion makes of one file, for ``rag inspect`` (raises IngestError)."""
    if not path.is_file():
        raise IngestError("文件不存在或不是普通文件")
    doc, laid = parse_document(path), lay_out(extract(path))
    how = "文件原文" if doc.origin == "file" else "抽取出的文字（索引保存这段文字）"
    lines = [f"文件：{path}", f"格式：{doc.format}；字符位置指向：{how}" + (f"；编码：{doc.encoding}" if doc.encoding else ""),
             f"标题：{doc.title}", f"日期：{doc.date or '（未找到）'}", f"来源：{doc.source or '（未找到）'}",
             f"作者/报告人：{doc.author or '（未找到）'}"]
    lines += [f"  字段 {n} = {v}" + (f"  [{a}:{b}]" if a >= 0 else "  （来自文件之外）") for n, v, a, b in doc.fields]
    sections: dict[str, int] = {}
    for p in doc.paragraphs:
        sections[p.section] = sections.get(p.section, 0) + 1
    lines.append(f"正文：{len(doc.paragraphs)} 段，{len(doc.sentences)} 句，{len(sections)} 个章节")
    lines += [f"  {name or '（首个标题之前）'}：{n} 段" for name, n in sections.items()]
    lines.append(f"丢弃（页面控件、页眉页脚、图片等）：{len(laid.dropped)} 行")
    lines += [f"  {line[:70]}" for line in laid.dropped]
    if with_text:
        lines += ["—— 全文 ——", doc.text]
    return "\n".join(lines)
