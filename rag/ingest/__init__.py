"""Turn corpus files into Documents: metadata, paragraphs, sections, sentences.

The rules are generic for reports captured from web pages or written as
Markdown:

* a line with a date (``2025-12-17``, ``2025年12月17日``) near the top is the
  dateline; the non-empty line before it is the title, anything above that is
  breadcrumb.  ``来源:``/``文章来源:`` on the dateline names the source.
* a trailing run of lines without sentence-ending punctuation is site footer.
* a short body line without sentence punctuation (or a Markdown ``#`` line) is
  a section heading; every other body line is a paragraph.

An optional sidecar ``<file>.meta.json`` overrides ``title``, ``date`` and
``source``.  Offsets always index the file text as read as UTF-8.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ..types import Document, Paragraph, Sentence

SUFFIXES = (".txt", ".md")
# Bump when the rules below change what a file parses into: indexes built
# with other rules are then stale.
INGEST_VERSION = 2
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_SOURCE_RE = re.compile(r"(?:文章来源|来源|發布單位|来源单位|发布机构)\s*[:：]\s*([^|｜\s]+)")
_SENT_END = "。！？!?；;"
_CLOSERS = "”’」』）)】》\"'"
_HEADING_MAX = 30
_FOOTER_MAX = 40
_SPACE = " \t\u00a0\u3000\ufeff\u200b"
_DATELINE_SCAN = 8
_FOOTER_KEYS = ("copyright", "版权所有", "ICP备", "公网安备", "地址:", "地址：", "主办", "技术支持")


def _lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line, without its newline."""
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past leading/trailing whitespace (NBSP and U+3000 too)."""
    while start < end and (text[start].isspace() or text[start] in _SPACE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _SPACE):
        end -= 1
    return start, end


def _has_sentence_end(line: str) -> bool:
    return any(ch in _SENT_END for ch in line)


def _is_footer_line(line: str) -> bool:
    """No sentence punctuation, or a short line with a site-footer keyword.

    A long paragraph that mentions 主办 or 地址 is still body text.
    """
    lowered = line.lower()
    if not _has_sentence_end(line):
        return True
    return len(line) <= _FOOTER_MAX and any(k.lower() in lowered for k in _FOOTER_KEYS)


def _is_heading(line: str) -> bool:
    if line.startswith("#"):
        return True
    return len(line) <= _HEADING_MAX and not _has_sentence_end(line) and not line.endswith((",", "，", ":", "："))


def _find_dateline(texts: list[str]) -> int | None:
    for i, line in enumerate(texts[:_DATELINE_SCAN]):
        if _DATE_RE.search(line) and len(line) <= 80:
            return i
    return None


def _parse_header(texts: list[str]) -> tuple[str, str, str, int]:
    """Return title, date, source and the index of the first body line."""
    nonempty = [i for i, t in enumerate(texts) if t]
    if not nonempty:
        return "", "", "", len(texts)
    date_i = _find_dateline(texts)
    if date_i is None:
        first = nonempty[0]
        return texts[first].lstrip("# ").strip(), "", "", first + 1
    before = [i for i in nonempty if i < date_i]
    title = texts[before[-1]].lstrip("# ").strip() if before else ""
    y, m, d = _DATE_RE.search(texts[date_i]).groups()
    source = _SOURCE_RE.search(texts[date_i])
    return title, f"{y}-{int(m):02d}-{int(d):02d}", source.group(1) if source else "", date_i + 1


def _body_end(texts: list[str], first: int) -> int:
    """Index one past the last body line: trailing footer lines are dropped."""
    end = len(texts)
    while end > first and (not texts[end - 1] or _is_footer_line(texts[end - 1])):
        end -= 1
    return end


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]``; closing quotes stay attached.

    >>> s = "他说：“好。”然后走了；完。"
    >>> [s[a:b] for a, b in split_sentences(s, 0, len(s))]
    ['他说：“好。”', '然后走了；', '完。']
    """
    spans, sent_start, i = [], start, start
    while i < end:
        if text[i] in _SENT_END:
            j = i + 1
            while j < end and (text[j] in _SENT_END or text[j] in _CLOSERS):
                j += 1
            spans.append(_strip_span(text, sent_start, j))
            sent_start = i = j
            continue
        i += 1
    if sent_start < end:
        spans.append(_strip_span(text, sent_start, end))
    return [(a, b) for a, b in spans if b > a]


def _structure(text: str, line_spans, first: int, last: int):
    """Paragraphs and sentences of body lines ``first..last``."""
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    section = ""
    for a, b in line_spans[first:last]:
        a, b = _strip_span(text, a, b)
        if a == b:
            continue
        line = text[a:b]
        if _is_heading(line):
            section = line.lstrip("# ").strip()
            continue
        number = len(paragraphs) + 1
        paragraphs.append(Paragraph(number, section, a, b))
        for sa, sb in split_sentences(text, a, b):
            sentences.append(Sentence(len(sentences), number, sa, sb))
    return tuple(paragraphs), tuple(sentences)


def _sidecar(path: Path) -> dict:
    meta = path.with_name(path.name + ".meta.json")
    if not meta.exists():
        return {}
    return json.loads(meta.read_text(encoding="utf-8"))


def display_path(path: Path, root: Path | None = None) -> str:
    """Path relative to ``root`` (the project root) when inside it, else absolute."""
    path = path.resolve()
    root = (root or Path.cwd()).resolve()
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def parse_document(path: Path, root: Path | None = None) -> Document:
    """Read one corpus file into a Document."""
    raw = path.read_bytes()
    try:
        # Plain utf-8 (not utf-8-sig): offsets must index the text as read as UTF-8.
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: 不是 UTF-8 编码的文本（{exc.reason}）") from exc
    line_spans = _lines(text)
    texts = [text[a:b].strip(_SPACE) for a, b in line_spans]
    title, date, source, first = _parse_header(texts)
    paragraphs, sentences = _structure(text, line_spans, first, _body_end(texts, first))
    meta = _sidecar(path)
    return Document(
        id=path.stem,
        path=display_path(path, root),
        text=text,
        title=meta.get("title", title) or path.stem,
        date=meta.get("date", date),
        source=meta.get("source", source),
        paragraphs=paragraphs,
        sentences=sentences,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Corpus files in a stable order."""
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"语料目录不存在：{corpus_dir}")
    return sorted(p for p in corpus_dir.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def load_corpus(corpus_dir: Path, root: Path | None = None) -> list[Document]:
    """Every ``.txt``/``.md`` file under ``corpus_dir`` as a Document."""
    docs = [parse_document(p, root) for p in corpus_files(corpus_dir)]
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        raise ValueError("语料中有重名文件（文件名去掉后缀后必须唯一）")
    return docs


def file_hashes(corpus_dir: Path) -> dict[str, str]:
    """sha256 of every corpus file (and sidecar), keyed by path relative to the corpus."""
    paths = corpus_files(corpus_dir) + sorted(corpus_dir.rglob("*.meta.json"))
    return {p.relative_to(corpus_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
