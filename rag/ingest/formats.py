"""The format registry: which reader reads which file suffix.

Adding a format is one module with ``SUFFIXES`` and ``read(path, raw)``
plus its name in ``_READERS``.

>>> name_of(Path("a/报告.MD")), ".txt" in suffixes()
('md', True)
"""
from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from .base import IngestError

# format name -> module under rag.ingest; the order is the order of suffixes().
_READERS = {"txt": "text", "md": "markdown", "html": "html", "docx": "docx", "pdf": "pdf"}


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{__package__}.{_READERS[name]}")


def _table() -> dict[str, str]:
    return {suffix: name for name in _READERS for suffix in _module(name).SUFFIXES}


def suffixes() -> tuple[str, ...]:
    """Every suffix some reader takes (lower case, with the dot)."""
    return tuple(_table())


def name_of(path: Path) -> str:
    return _table().get(path.suffix.lower(), "")


def reader_for(path: Path) -> ModuleType:
    """The reader module for ``path``; IngestError for an unknown suffix."""
    name = name_of(path)
    if not name:
        raise IngestError(f"不支持的文件格式：{path.suffix or '（无后缀）'}")
    return _module(name)
