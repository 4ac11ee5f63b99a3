"""Shared fixtures: every path points into tmp_path; the fake embedder by default."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny"
REPORT_DIR = ROOT / "corpus"
REPORT = REPORT_DIR / "huangshi-kexie-2025-12-17.txt"
FAKE = "hash-256"

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def tiny_corpus(tmp_path) -> Path:
    """A writable copy of the tiny two-document corpus."""
    dest = tmp_path / "corpus"
    shutil.copytree(TINY, dest)
    return dest


@pytest.fixture(scope="module")
def report_engine(tmp_path_factory):
    """The shipped report indexed with the fake embedder."""
    from rag.config import Settings
    from rag.engine import Engine

    index = tmp_path_factory.mktemp("report-index") / "index"
    return Engine.open(Settings.resolve(corpus=str(REPORT_DIR), index=str(index), model=FAKE), rebuild=True)


@pytest.fixture(scope="session")
def real_engine(tmp_path_factory):
    """The shipped report indexed with the real model (materialised offline)."""
    from rag.config import Settings
    from rag.engine import Engine

    index = tmp_path_factory.mktemp("real-index") / "index"
    return Engine.open(Settings.resolve(corpus=str(REPORT_DIR), index=str(index)), rebuild=True)


def engine_for(tmp_path_factory, name: str, files: dict[str, str]):
    """An engine with the fake embedder over a corpus of ``files`` (name -> UTF-8 text), built afresh."""
    from rag.config import Settings
    from rag.engine import Engine

    root = tmp_path_factory.mktemp(name)
    (root / "corpus").mkdir()
    for file, text in files.items():
        (root / "corpus" / file).write_text(text, encoding="utf-8")
    return Engine.open(Settings.resolve(corpus=str(root / "corpus"), index=str(root / "index"), model=FAKE),
                       rebuild=True)
