"""Files derived from slow-to-parse sources, kept in the cache folder (``rag.config.cache_dir``).

Every start of the app used to parse the e5 vocabulary (17 MB of JSON) and
CC-CEDICT (7.7 MB) for the little it needs of them.  Each result is stored
once under the SHA-256 of its source, so a changed source is parsed again,
and written atomically, so a reader never sees half a file.  A folder that
cannot be written only costs the parse on every start.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     path = Path(d) / "x" / "y.txt"
...     write_atomic(path, lambda f: f.write(b"hi")), path.read_bytes(), len(digest(b"hi"))
(True, b'hi', 32)
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable


def digest(source: bytes) -> str:
    """The part of a stored file's name that says which source it came from."""
    return hashlib.sha256(source).hexdigest()[:32]


def write_atomic(path: Path, write: Callable[[BinaryIO], object]) -> bool:
    """Write ``path`` through a temporary file renamed into place; False when the folder cannot be written."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=path.suffix, delete=False) as f:
            tmp = Path(f.name)
            write(f)
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        return False
