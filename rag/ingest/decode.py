"""Bytes to text: UTF-8 (with or without BOM), UTF-16/32, GB18030/GBK and Big5.

UTF-8 is decoded as plain ``utf-8`` (a BOM stays as U+FEFF) so offsets index
the text exactly as ``open(path, encoding="utf-8", newline="")`` reads it.
Other encodings are detected with charset-normalizer and named, so a user
can read the file the same way; a file that no encoding explains is refused,
never guessed.

>>> decode("黄石".encode("gb18030") * 20)
('黄石黄石黄石黄石黄石黄石黄石黄石黄石黄石黄石黄石黄石黄石黄石黄石黄石黄石黄石黄石', 'gb18030')
>>> decode("漁港開放".encode("big5") * 20)[1]
'big5'
>>> decode(b"\\xff\\xfe" + "报告".encode("utf-16-le"))
('报告', 'utf-16')
"""
from __future__ import annotations

import codecs

from .base import IngestError

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Chinese text in a legacy encoding is one of these; charset-normalizer's
# guesses outside them (cp1252, koi8...) are mojibake for a Chinese report.
_CHINESE = ("gb18030", "big5", "gbk", "gb2312", "big5hkscs", "cp950", "cp936", "hz", "euc_tw")


def decode(raw: bytes) -> tuple[str, str]:
    """``(text, encoding)``; raises IngestError for binary or undecodable files."""
    if not raw.strip():
        raise IngestError("文件为空")
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(name), name
            except UnicodeDecodeError as exc:
                raise IngestError(f"文件以 {name} 标记开头，但无法按 {name} 解码（{exc.reason}）") from exc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw:
        raise IngestError("看起来是二进制文件，不是文本")
    return _detect(raw)


def _detect(raw: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    for guess in from_bytes(raw, cp_isolation=list(_CHINESE)):
        name = "gb18030" if guess.encoding in ("gbk", "gb2312", "cp936") else guess.encoding
        name = "big5" if name in ("cp950", "big5hkscs") else name
        try:
            return raw.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    raise IngestError("无法识别文件编码（支持 UTF-8、UTF-16、GB18030/GBK、Big5），请另存为 UTF-8")
