"""Rebuild e5.c's tokenizer as a ``tokenizers`` library ``tokenizer.json``.

e5.c's per-codepoint normalisation map is compiled into a SentencePiece-style
``precompiled_charsmap`` (a darts-clone double-array trie + replacement blob)
for ``normalizers.Precompiled``; the rest is a Unigram model over the file's
pieces with a normaliser / pre-tokenizer chain that mimics e5.c.

Token ids match e5.c's tokenizer (checked against a build of e5.c on the
report and on 80 000 random strings), including its quirks: no stripping
(a trailing space becomes a final U+2581 token), one ``<unk>`` per unknown
character (tokenizers would fuse them), no lstrip on ``<mask>``. Remaining
differences: (1) exact score ties, seen only in runs of one repeated
character ("……", "哈哈哈哈哈哈哈", "iii"): same pieces and count, other order,
because e5.c breaks the tie by float32 rounding and tokenizers in float64;
(2) the literal text "<unk>" (a special token here, plain characters in
e5.c).

>>> from rag.model.e5_convert import source_path
>>> from rag.model.e5_format import read_e5_file
>>> build_tokenizer(read_e5_file(source_path())).encode("黄石 ＡＢＣ ").tokens
['<s>', '▁', '黄', '石', '▁ABC', '▁', '</s>']
"""
from __future__ import annotations

import struct
from collections import deque

import numpy as np

from .e5_format import E5File

_META = "\u2581"               # SentencePiece whitespace marker
_MASK = "<mask>"
_SPLITTER = "\x01"             # control char the map deletes (see _normalizer)


# --------------------------------------------------------------------------
# precompiled charsmap (darts-clone double array)
# --------------------------------------------------------------------------
def _byte_trie(keys: dict[bytes, int]) -> dict:
    """Nested dict trie; a node's value (if any) is stored under key ``None``.

    >>> _byte_trie({b"ab": 1, b"a": 0})
    {97: {98: {None: 1}, None: 0}}
    """
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

    >>> taken, is_base = np.zeros(1 << 13, bool), np.zeros(1 << 13, bool)
    >>> taken[[0, 2]] = True          # base 1 needs cell 0, bases 2, 3 need cell 2
    >>> _find_base(taken, is_base, [1, 2], 1)
    4
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

    Key ``b"a"`` (0x61) with value 5: the root (cell 0) takes base 1, so "a"
    sits at 1 ^ 0x61 = 0x60; that node takes base 2 and its value unit
    sits at cell 2.

    >>> [hex(u) for u in _double_array(_byte_trie({b"a": 5}))[:3]]
    ['0x400', '0x0', '0x80000005']
    >>> hex(_double_array(_byte_trie({b"a": 5}))[0x60])
    '0x18961'
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

    >>> from tokenizers import normalizers
    >>> charsmap = precompiled_charsmap({0xFF21: "A", 1: ""})
    >>> normalizers.Precompiled(charsmap).normalize_str("\\uff21x\\x01y")
    'Axy'
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
# tokenizer.json and tokenizer_config.json
# --------------------------------------------------------------------------
def _unknown_char_pattern(pieces: list[str]) -> str:
    """Regex class of characters that no vocabulary piece contains.

    e5.c emits one ``<unk>`` per such character, whereas the tokenizers
    Unigram model fuses consecutive unknowns into one token. Isolating each
    unknown character as its own pre-token restores e5.c's ids; it cannot
    break a real piece because every character that occurs inside some
    piece also exists as a one-character piece (checked in ``_check_vocab``).

    >>> print(_unknown_char_pattern(["<s>", "a", "b", "c", "x"]))
    [^\\x{61}-\\x{63}\\x{78}]
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
    """Fail loudly if the assumptions behind ``build_tokenizer`` do not hold.

    >>> _check_vocab(E5File({}, ["<s>", "<mask>", "a"], None, {}, {}))
    Traceback (most recent call last):
    ValueError: expected <mask> as the last piece, got 'a'
    """
    if f.pieces[-1] != _MASK:
        raise ValueError(f"expected {_MASK} as the last piece, got {f.pieces[-1]!r}")
    if f.norm.get(ord(_SPLITTER)) != "":
        raise ValueError("normalisation map does not delete U+0001")
    inner = {c for p in f.pieces[4:] if len(p) > 1 for c in p}
    if not inner <= {p for p in f.pieces if len(p) == 1}:
        raise ValueError("vocabulary has characters without a one-character piece")


def _normalizer(f: E5File):
    """e5.c: per-codepoint map, then runs of 2+ spaces collapse to one.

    >>> f = E5File({}, [], None, {}, {0xFF21: "A", 0x3000: " ", 1: ""})
    >>> _normalizer(f).normalize_str("Ａ\\u3000  b")
    'A b'
    """
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
    """e5.c: U+2581 prepended unless the text starts with a space; spaces -> U+2581.

    >>> f = E5File({}, ["a", "b", "\\u2581"], None, {}, {})
    >>> [w for w, _ in _pre_tokenizer(f).pre_tokenize_str("ab zb")]
    ['▁ab', '▁', 'z', 'b']
    """
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
    tokenizers) -> ``<s>`` ... ``</s>``. Example: module docstring.
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


def tokenizer_config(f: E5File, max_length: int) -> dict:
    """``tokenizer_config.json``: load ``tokenizer.json`` verbatim.

    With ``XLMRobertaTokenizer`` transformers 5 rebuilds its own normaliser
    and pre-tokenizer (different whitespace handling from e5.c), so the
    generic fast class is named instead.

    >>> f = E5File({}, ["<s>", "<pad>", "</s>", "<unk>"], None,
    ...            {"bos": 0, "pad": 1, "eos": 2, "unk": 3}, {})
    >>> cfg = tokenizer_config(f, 512)
    >>> cfg["tokenizer_class"], cfg["cls_token"], cfg["sep_token"], cfg["mask_token"]
    ('PreTrainedTokenizerFast', '<s>', '</s>', '<mask>')
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
