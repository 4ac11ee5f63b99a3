"""Checks an index must pass before it answers anything.

Checksums catch a damaged file; these catch an index whose files are each
intact but do not fit together or with the corpus: a manifest of the wrong
shape, vectors of another dimension or not finite, counts that disagree, a
document whose text no longer hashes to its file.  Every failure is an
``IndexProblem`` naming what is wrong, never a traceback at question time.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import faiss
import numpy as np

from .dense import DenseSettings, all_finite, dense_stale, stored_vectors
from .problem import IndexProblem

_TYPES = {"format": int, "model": str, "corpus": dict, "artefacts": dict, "dim": int, "counts": dict}


def read_manifest(index_dir: Path) -> dict:
    """The manifest, checked for the keys and types everything else relies on."""
    path = index_dir / "manifest.json"
    if not path.exists():
        # a folder of the user's own files (refused later, never deleted) holds no index either
        held = index_dir.is_dir() and any(index_dir.iterdir())
        raise IndexProblem("missing", f"索引目录中没有索引清单 manifest.json：{index_dir}" if held else f"索引不存在：{index_dir}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexProblem("corrupt", f"索引清单 manifest.json 已损坏：{exc}") from exc
    if not isinstance(manifest, dict):
        raise IndexProblem("corrupt", "索引清单 manifest.json 已损坏：不是 JSON 对象")
    for key, kind in _TYPES.items():
        if not isinstance(manifest.get(key), kind) or isinstance(manifest.get(key), bool):
            raise IndexProblem("corrupt", f"索引清单 manifest.json 已损坏：字段 {key} 缺失或类型不对")
    return manifest


def check_artefacts(index_dir: Path, manifest: dict, names) -> None:
    """Every artefact exists as a regular file and has the checksum the manifest recorded."""
    for name in names:
        path = index_dir / name
        if not path.is_file():
            raise IndexProblem("corrupt", f"索引文件缺失或不是文件：{name}")
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise IndexProblem("corrupt", f"索引文件无法读取：{name}（{exc}）") from exc
        if manifest["artefacts"].get(name) != digest:
            raise IndexProblem("corrupt", f"索引文件已损坏（校验和不符）：{name}")


def check_loaded(manifest: dict, docs, chunks, dense: faiss.Index, sent: np.ndarray, lexical_size: int) -> None:
    """Dimensions, counts, finiteness and document hashes agree with the manifest."""
    dim, counts = manifest["dim"], manifest["counts"]
    if dense.d != dim or sent.ndim != 2 or (len(sent) and sent.shape[1] != dim):
        raise IndexProblem("corrupt", f"索引向量的维度与清单不符（清单 {dim}，文本块 {dense.d}，句子 {sent.shape}）")
    total = sum(len(d.sentences) for d in docs)
    if (dense.ntotal, len(chunks), lexical_size, len(sent), len(docs)) != (
            counts.get("chunks"), counts.get("chunks"), counts.get("chunks"), total, counts.get("documents")) \
            or counts.get("sentences") != total:
        raise IndexProblem("corrupt", "索引各文件的条目数不一致")
    if not all_finite(sent) or not all_finite(stored_vectors(dense)):
        raise IndexProblem("corrupt", "索引向量中有非数值（NaN 或无穷大）")
    recorded = set(manifest["corpus"].values())
    for d in docs:
        if d.sha256 not in recorded:
            raise IndexProblem("corrupt", f"索引中的文档 {d.id} 与语料文件的校验和不符")
        if d.origin == "file" and d.encoding == "utf-8" and hashlib.sha256(d.text.encode()).hexdigest() != d.sha256:
            raise IndexProblem("corrupt", f"索引中文档 {d.id} 的文字与其文件不符")


def _corpus_change(found: dict, expected: dict) -> str:
    """Name the files added, removed or changed since the build.

    >>> _corpus_change({"a.txt": "1", "b.txt": "2"}, {"a.txt": "9", "c.txt": "3"})
    '新增 c.txt；删除 b.txt；修改 a.txt'
    """
    found = found if isinstance(found, dict) else {}
    parts = [("新增", sorted(set(expected) - set(found))), ("删除", sorted(set(found) - set(expected))),
             ("修改", sorted(k for k in set(found) & set(expected) if found[k] != expected[k]))]
    return "；".join(f"{label} {'、'.join(names)}" for label, names in parts if names)


def stale_reason(found: dict, expected: dict) -> str | None:
    labels = {"format": "索引格式版本", "ingest": "文档解析规则", "model": "嵌入模型", "chunking": "切分设置",
              "tokenizer": "分词设置", "bm25": "BM25 参数"}
    if found.get("corpus") != expected["corpus"]:
        return f"语料文件已变化（{_corpus_change(found.get('corpus'), expected['corpus'])}）"
    for key, label in labels.items():
        if found.get(key) != expected[key]:
            return f"{label}已变化（索引：{str(found.get(key))[:80]}，当前：{str(expected[key])[:80]}）"
    if "dense_settings" in expected:
        return dense_stale(found, DenseSettings(**expected["dense_settings"]))
    return None
