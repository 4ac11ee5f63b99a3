"""Text from a report or a visitor, made safe to show verbatim in the app.

Gradio shows a Chatbot bubble, a ``gr.Markdown`` and a ``gr.HTML`` by
parsing their value as Markdown and/or HTML, so a report sentence holding
``<img src=…>`` or ``![x](http://…)`` would be fetched and drawn instead of
shown.  ``verbatim(text)`` returns markup that displays exactly ``text``
whichever of the two reads it:

* ``& < > " '`` become HTML entities, so no tag, attribute or entity of the
  text survives;
* every ASCII character Markdown (CommonMark, GFM, Gradio's ``$$`` LaTeX) can
  read as syntax becomes a numeric character reference (``*`` → ``&#42;``):
  Markdown treats a reference as literal text, never as structure, and HTML
  decodes it back to the same character.  ``:``, ``.`` and ``@`` are among
  them, so ``http://…``, ``www.…`` and ``a@b.c`` are not auto-linked;
* a line break becomes ``<br>`` and the spaces or tabs that open a line
  become references, so no line of the text can start a Markdown block
  (heading, list, quote, indented code).

Wrap the result in an element with ``white-space: pre-wrap`` to keep runs
of spaces.  Everything else (Chinese text, digits, letters, ``,;?/%``) is
left as it is.

>>> verbatim('<img src=x onerror="alert(1)">')
'&lt;img src&#61;x onerror&#61;&quot;alert&#40;1&#41;&quot;&gt;'
>>> verbatim("比例达15.3%")
'比例达15&#46;3%'
"""
from __future__ import annotations

import re

# HTML first (readable named entities), then every ASCII character that
# Markdown or Gradio's LaTeX/template layers can read as syntax.
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
MARKDOWN_SYNTAX = "\\`*_~[]()!#+-=|:.@${}^"
_TABLE = str.maketrans({**_HTML, **{c: f"&#{ord(c)};" for c in MARKDOWN_SYNTAX}})
_NEWLINE = re.compile(r"\r\n|\r|\n")
_LINE_INDENT = re.compile(r"(^|<br>)([ \t]+)")


def verbatim(text: str) -> str:
    """Markup that shows ``text`` character for character, as HTML or as Markdown.

    >>> verbatim("![x](http://127.0.0.1:9/t.png)")
    '&#33;&#91;x&#93;&#40;http&#58;//127&#46;0&#46;0&#46;1&#58;9/t&#46;png&#41;'
    >>> verbatim("  # 标题\\n- 一项")
    '&#32;&#32;&#35; 标题<br>&#45; 一项'
    """
    out = _NEWLINE.sub("<br>", str(text).translate(_TABLE))
    return _LINE_INDENT.sub(lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)), out)


_ATTRIBUTE = str.maketrans({**_HTML, **{c: f"&#{ord(c)};" for c in "`${}"}})


def attribute(text: str) -> str:
    """``text`` safe inside a double-quoted HTML attribute (``data-copy="…"``), read back exactly.

    >>> attribute('a"b<c>${1}')
    'a&quot;b&lt;c&gt;&#36;&#123;1&#125;'
    """
    return str(text).translate(_ATTRIBUTE)
