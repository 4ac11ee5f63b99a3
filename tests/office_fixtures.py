"""Build Word and saved-web-page forms of a plain-text report, in tmp_path.

Tests of the office readers (and of anything downstream that should take
.docx/.html as well as .txt) make their inputs here instead of committing
binary fixtures, so the expected text is always the source text.

A report is ``title``, ``date`` and ``blocks``: ``(kind, text)`` pairs in
reading order, where kind is ``"p"`` for a paragraph or ``"h1"``..``"h6"``
for a section heading of that depth.  In Word the title gets the Title style
and ``hN`` the Heading N style; in HTML the title is the page's ``<h1>`` so
``hN`` becomes ``<h{N+1}>`` (as on a real page, where the article title
takes h1).
"""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

SPEAKER_HEADING_1 = re.compile(r"^[一二三四五六七八九十]+、")
SPEAKER_HEADING_2 = re.compile(r"^（[一二三四五六七八九十]+）")
HEADING_MAX = 60


def corpus_dev(name: str) -> Path | None:
    """A development report from shared/corpus-dev (beside the checkout, or $RAG_SHARED)."""
    roots = [Path(os.environ["RAG_SHARED"])] if os.environ.get("RAG_SHARED") else []
    roots.append(Path(__file__).resolve().parents[2] / "shared")
    for root in roots:
        if (root / "corpus-dev" / name).is_file():
            return root / "corpus-dev" / name
    return None


def report_blocks(path: Path, first: int, last: int | None = None) -> list[tuple[str, str]]:
    """Blocks of lines ``first..last`` (1-based, inclusive) of a report text.

    「一、…」 lines become ``h1``; short 「（一）…」 lines ``h2`` (the long
    ones are paragraphs that merely start with a list number); every other
    non-empty line is a paragraph.
    """
    lines = path.read_text(encoding="utf-8").splitlines()[first - 1:last]
    blocks = []
    for line in (raw.strip() for raw in lines):
        if not line:
            continue
        if SPEAKER_HEADING_1.match(line) and len(line) <= HEADING_MAX:
            blocks.append(("h1", line))
        elif SPEAKER_HEADING_2.match(line) and len(line) <= HEADING_MAX:
            blocks.append(("h2", line))
        else:
            blocks.append(("p", line))
    return blocks


def make_docx(path: Path, title: str, blocks: list[tuple[str, str]], *,
              author: str = "", date: str = "") -> Path:
    """Write a .docx: the title in Title style, ``hN`` as Heading N.

    ``author`` and ``date`` (``YYYY-MM-DD``) go into the core properties
    when given; python-docx's own defaults (author "python-docx", a 2013
    creation date) are left as they are otherwise, as a reader must ignore
    them.
    """
    import datetime as dt

    import docx

    doc = docx.Document()
    if title:
        doc.add_paragraph(title, style="Title")
    for kind, text in blocks:
        if kind.startswith("h"):
            doc.add_heading(text, level=int(kind[1:]))
        else:
            doc.add_paragraph(text)
    props = doc.core_properties
    if author:
        props.author = author
    if date:
        props.created = dt.datetime.fromisoformat(date)
    doc.save(str(path))
    return path


def _chrome_top(title: str, date: str) -> str:
    """Header, nav bar, breadcrumb and article info line of a government site."""
    return f"""<div class="topbar">今天是2026年3月2日 星期一 <a href="/wza/">无障碍浏览</a> <a href="/zzms/">长者模式</a>
 <a href="/en/">English</a> <a href="/login/">登录</a> <a href="/reg/">注册</a></div>
<div class="header"><a href="/"><img src="/images/logo.png" alt="湖北省人民政府门户网站"></a>
 <form class="search" action="/search/"><input name="q" placeholder="请输入关键词"><button>搜索</button></form></div>
<nav class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
 <li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li>
 <li><a href="/zjhb/">走进湖北</a></li><li><a href="/sjfb/">数据发布</a></li></ul></nav>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
 <a href="/zwgk/gzbg/">政府工作报告</a></div>
<div class="article">
<h1 class="article-title">{html.escape(title)}</h1>
<div class="article-info"><span class="source">来源：湖北日报</span>
 <span class="time">发布时间：<time datetime="{date}">{date} 09:30</time></span>
 <span class="font">【字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span>
 <a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
"""


_CHROME_BOTTOM = """<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a>
 <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="related"><h3>相关链接</h3><ul>
 <li><a href="/zwgk/gzbg/2025.shtml">2025年湖北省政府工作报告</a></li>
 <li><a href="/zwgk/gzbg/2024.shtml">2024年湖北省政府工作报告</a></li></ul></div>
</div>
<footer class="footer"><p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/ysbh/">隐私声明</a></p>
<p>主办：湖北省人民政府办公厅　承办：湖北省政府门户网站编辑部</p>
<p>版权所有：湖北省人民政府　<a href="https://beian.miit.gov.cn/">鄂ICP备05003317号-1</a>　鄂公网安备 42010602000206号</p>
<p>网站标识码：4200000003</p></footer>
<script>var _hmt = _hmt || []; (function(){ var hm = document.createElement("script"); })();</script>
"""


def _body_html(blocks: list[tuple[str, str]]) -> str:
    """Article body: headings one level below the title, indented paragraphs."""
    out = []
    for kind, text in blocks:
        if kind.startswith("h"):
            level = min(int(kind[1:]) + 1, 6)
            out.append(f"<h{level}>{html.escape(text)}</h{level}>")
        else:
            # Chinese sites indent with two ideographic spaces inside the <p>.
            out.append(f'<p style="text-indent:2em">\u3000\u3000{html.escape(text)}</p>')
    return "\n".join(out)


def make_html(path: Path, title: str, date: str, blocks: list[tuple[str, str]],
              encoding: str = "utf-8") -> Path:
    """Write a saved government-site page in ``encoding`` (declared in a meta charset).

    Characters the encoding cannot hold become numeric references, as a
    browser's "save page" does.
    """
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{encoding}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{html.escape(title)}_湖北省人民政府门户网站</title>
<meta name="SiteName" content="湖北省人民政府门户网站">
<meta name="ArticleTitle" content="{html.escape(title)}">
<meta name="PubDate" content="{date} 09:30">
<meta name="ContentSource" content="湖北日报">
<meta name="keywords" content="政府工作报告,湖北">
<link rel="stylesheet" href="/css/main.css">
</head>
<body>
{_chrome_top(title, date)}<div class="article-content" id="zoom">
{_body_html(blocks)}
</div>
{_CHROME_BOTTOM}</body>
</html>
"""
    path.write_bytes(page.encode(encoding, errors="xmlcharrefreplace"))
    return path


# Text of the page chrome above, none of which may come out of an HTML reader.
# The Hubei report's body contains none of it; other reports may ("老字号",
# "相关链接"), so check a report's own text before asserting on these.
CHROME = ("无障碍浏览", "长者模式", "English", "登录", "搜索", "首页", "办事服务", "互动交流", "当前位置",
          "字号", "打印本页", "关闭窗口", "分享到", "QQ空间", "相关链接", "2025年湖北省政府工作报告",
          "网站地图", "联系我们", "隐私声明", "主办", "版权所有", "ICP备", "公网安备", "网站标识码")
