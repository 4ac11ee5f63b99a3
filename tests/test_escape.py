"""rag.escape.verbatim: report and visitor text shown literally, as HTML or as Markdown."""
from __future__ import annotations

import html

import pytest

from rag.escape import verbatim

CASES = [
    ('<img src=x onerror="alert(1)">', "&lt;img src&#61;x onerror&#61;&quot;alert&#40;1&#41;&quot;&gt;"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert&#40;1&#41;&lt;/script&gt;"),
    ("<style>body{display:none}</style>", "&lt;style&gt;body&#123;display&#58;none&#125;&lt;/style&gt;"),
    ("<iframe src='http://127.0.0.1:9/f'></iframe>",
     "&lt;iframe src&#61;&#x27;http&#58;//127&#46;0&#46;0&#46;1&#58;9/f&#x27;&gt;&lt;/iframe&gt;"),
    ("<video autoplay src=v.mp4>", "&lt;video autoplay src&#61;v&#46;mp4&gt;"),
    ('<form><input type="password"></form>',
     "&lt;form&gt;&lt;input type&#61;&quot;password&quot;&gt;&lt;/form&gt;"),
    ("![x](http://127.0.0.1:9/t.png)", "&#33;&#91;x&#93;&#40;http&#58;//127&#46;0&#46;0&#46;1&#58;9/t&#46;png&#41;"),
    ("[link](javascript:alert(1))", "&#91;link&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;"),
    ("`code`", "&#96;code&#96;"),
    ("**bold** __b__ ~~s~~", "&#42;&#42;bold&#42;&#42; &#95;&#95;b&#95;&#95; &#126;&#126;s&#126;&#126;"),
    ("$math$ $$x^2$$", "&#36;math&#36; &#36;&#36;x&#94;2&#36;&#36;"),
    ("\\反斜杠\\\\ \\*", "&#92;反斜杠&#92;&#92; &#92;&#42;"),
    ("AT&T &copy &lt;b&gt;", "AT&amp;T &amp;copy &amp;lt;b&amp;gt;"),
    ("${7*7} {{7*7}}", "&#36;&#123;7&#42;7&#125; &#123;&#123;7&#42;7&#125;&#125;"),
    ("http://a.b www.example.com x@y.z", "http&#58;//a&#46;b www&#46;example&#46;com x&#64;y&#46;z"),
    ("# 标题\n> 引用\r\n    代码\r1. 列表\n| a | b |", "&#35; 标题<br>&gt; 引用<br>&#32;&#32;&#32;&#32;代码<br>"
     "1&#46; 列表<br>&#124; a &#124; b &#124;"),
    ("2024年,黄石市公民具备科学素质比例达15.3%;好吗?", "2024年,黄石市公民具备科学素质比例达15&#46;3%;好吗?"),
    ("黄石市科协第八次代表大会以来工作综述", "黄石市科协第八次代表大会以来工作综述"),
    ("", ""),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_verbatim_exact_output(text, expected):
    assert verbatim(text) == expected


@pytest.mark.parametrize("text", [t for t, _ in CASES])
def test_verbatim_decodes_back_to_the_text(text):
    """HTML reads the markup back as exactly the text (line breaks as <br>)."""
    out = verbatim(text)
    assert "<" not in out.replace("<br>", "") and ">" not in out.replace("<br>", "")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert [html.unescape(part) for part in out.split("<br>")] == lines


def test_verbatim_leaves_no_markdown_syntax():
    """No character Markdown, GFM auto-links or Gradio's LaTeX read as syntax survives."""
    payload = "".join(chr(c) for c in range(32, 127)) + "\n\t#x"
    out = verbatim(payload)
    stripped = out.replace("<br>", "")
    for ch in "\\`*_~[]()!#+-=|:.@${}^<>\"'":
        assert ch not in stripped.replace("&#", "").replace(";", ""), ch
    assert "\t" not in out  # the tab opening a line became a reference


def test_a_refusal_on_the_page_says_which_name_no_report_mentions():
    from rag.app.chat_view import answer_block
    from rag.types import Response

    block = answer_block({}, Response("How many workstations does Ezhou have?", None, (), ("Ezhou",)), None)
    assert "问题提到的 Ezhou 在报告中没有出现。" in block
    assert "没有出现" not in answer_block({}, Response("明天会下雨吗", None), None)
