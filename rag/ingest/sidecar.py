"""The optional sidecar ``<file>.meta.json``: metadata that overrides the page layout.

It is checked against a small schema; a wrong one is an IngestError naming
the file and the field, never a crash.  Only a regular file is opened (a FIFO
of that name would block a build forever).

>>> import tempfile, json; d = Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt.meta.json").write_text(json.dumps({"title": "T", "date": 5}))
>>> read_sidecar(d / "a.txt")
Traceback (most recent call last):
...
rag.ingest.base.IngestError: 元数据文件 a.txt.meta.json 的字段 date 应为文本（字符串），实为 int
"""
from __future__ import annotations

import json
import stat
from pathlib import Path

from .base import Field, IngestError

KEYS = ("title", "date", "source", "author", "url")
_MAX_BYTES = 64 * 1024


def _load(meta: Path) -> object:
    name = meta.name
    try:
        info = meta.stat()
    except OSError as exc:
        raise IngestError(f"元数据文件 {name} 无法访问（{exc.strerror or exc}）") from exc
    if not stat.S_ISREG(info.st_mode):
        raise IngestError(f"元数据文件 {name} 不是普通文件")
    if info.st_size > _MAX_BYTES:
        raise IngestError(f"元数据文件 {name} 过大（超过 64 KB）")
    try:
        return json.loads(meta.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise IngestError(f"元数据文件 {name} 不是 UTF-8 编码") from exc
    except json.JSONDecodeError as exc:
        raise IngestError(f"元数据文件 {name} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）") from exc


def read_sidecar(path: Path) -> tuple[Field, ...]:
    """The sidecar's fields (no place in the text: start = end = -1), or ()."""
    meta = path.with_name(path.name + ".meta.json")
    if not meta.exists() and not meta.is_symlink():
        return ()
    data = _load(meta)
    if not isinstance(data, dict):
        raise IngestError(f"元数据文件 {meta.name} 应为 JSON 对象（{{\"title\": \"…\"}}），实为 {type(data).__name__}")
    fields = []
    for key in KEYS:
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise IngestError(f"元数据文件 {meta.name} 的字段 {key} 应为文本（字符串），实为 {type(value).__name__}")
        if value.strip():
            fields.append(Field(key, value.strip()))
    return tuple(fields)
