"""The index folder on disk: whose it is, and how a new build takes its place.

An index folder is ours when it holds the marker file ``MARKER``; a build
writes into a fresh temporary sibling and swaps it in, and never removes a
folder that is not ours.  The swap is two renames (target -> old, tmp ->
target); a process killed between them leaves the old index in
``.NAME.old-PID``, which ``recover`` renames back.  Leftover temporary folders
of dead processes are removed the next time anything opens the index.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

MARKER = ".rag-index"
MARKER_TEXT = "This folder is an index built by rag (rag-reports). `rag build` may replace it.\n"
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<what>tmp|old)-(?P<pid>\d+)$")


class FolderRefused(Exception):
    """The index path is a folder the tool must not replace; ``str()`` says why."""


def is_ours(folder: Path) -> bool:
    """True when ``folder`` is an index this tool wrote.

    It holds the marker, or (indexes built before the marker existed) a
    manifest with this tool's keys.
    """
    if (folder / MARKER).is_file():
        return True
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and {"format", "model", "corpus", "artefacts"} <= set(manifest)


def _inside(a: Path, b: Path) -> bool:
    """True when ``a`` is ``b`` or lies inside it."""
    a, b = a.resolve(), b.resolve()
    return a == b or b in a.parents


def check_target(index_dir: Path, corpus_dir: Path) -> None:
    """Refuse an index path that would overwrite the corpus or a user's folder.

    >>> import tempfile; d = Path(tempfile.mkdtemp())
    >>> (d / "notes").mkdir(); _ = (d / "notes" / "keep.txt").write_text("x")
    >>> check_target(d / "notes", d / "corpus")
    Traceback (most recent call last):
    ...
    rag.index.folder.FolderRefused: 索引目录 ... 已存在且不是本工具建立的索引（其中有 1 个文件或文件夹），为避免删除你的文件，拒绝覆盖。请换一个索引目录，或先自行清空它。
    """
    if _inside(index_dir, corpus_dir) or _inside(corpus_dir, index_dir):
        raise FolderRefused(f"索引目录 {index_dir} 与语料目录 {corpus_dir} 重叠；建索引会覆盖语料，已拒绝。"
                            "请把索引放在语料目录之外（例如 --index index）。")
    if index_dir.is_symlink() or (index_dir.exists() and not index_dir.is_dir()):
        raise FolderRefused(f"索引路径 {index_dir} 已存在且不是文件夹，拒绝覆盖。请换一个索引目录。")
    if index_dir.is_dir() and not is_ours(index_dir):
        entries = list(index_dir.iterdir())
        if entries:
            raise FolderRefused(f"索引目录 {index_dir} 已存在且不是本工具建立的索引（其中有 {len(entries)} 个文件或"
                                "文件夹），为避免删除你的文件，拒绝覆盖。请换一个索引目录，或先自行清空它。")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(index_dir: Path):
    """``(path, kind)`` of temporary and old siblings left by dead processes."""
    parent = index_dir.parent
    if not parent.is_dir():
        return
    for path in parent.iterdir():
        m = _LEFTOVER.match(path.name)
        if m and m["name"] == index_dir.name and not _alive(int(m["pid"])) and is_ours(path):
            yield path, m["what"]


def recover(index_dir: Path) -> None:
    """Restore an index a dead build had moved aside; remove dead builds' debris.

    Only folders holding the marker are touched, so nothing of a user's goes.
    """
    for path, what in sorted(_leftovers(index_dir), key=lambda x: x[1] != "old"):
        if what == "old" and not index_dir.exists():
            try:
                os.replace(path, index_dir)
                continue
            except OSError:
                pass
        shutil.rmtree(path, ignore_errors=True)


def new_tmp(index_dir: Path) -> Path:
    """A fresh, marked temporary sibling of ``index_dir`` for this process."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = index_dir.with_name(f".{index_dir.name}.tmp-{os.getpid()}")
    if tmp.exists() and is_ours(tmp):
        shutil.rmtree(tmp)
    tmp.mkdir()
    (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return tmp


def swap_into_place(tmp: Path, target: Path) -> None:
    """Put ``tmp`` where ``target`` is; at every instant one of them is complete.

    ``target`` was checked with ``check_target`` before the build began: it is
    missing, empty, or ours.
    """
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        if not is_ours(target) and any(target.iterdir()):
            raise FolderRefused(f"索引目录 {target} 在建索引期间被放入了其他文件，拒绝覆盖。")
        if not is_ours(target):
            target.rmdir()
        else:
            os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
