"""The 「引文核查」 tab of the Gradio app, and the ``/verify`` API endpoint.

``ui.py`` calls ``verify_tab(holder)`` inside its Blocks; ``holder.get()``
returns the Engine.  The page shows a verdict badge, the quote and its
source side by side with the differing characters marked, each changed fact
in plain words (「引文为“25.3%”，原文为“15.3%”」) and a citation to copy.
Quote and report text is shown literally: ``html.escape`` in the HTML
panels, ``rag.escape.verbatim`` in the Markdown list of changes.
``gradio_client`` gets ``rag verify --json``'s JSON from ``/verify``.
"""
from __future__ import annotations

import html
import json
from datetime import date

import gradio as gr

from ..app.quote_view import citation_panel
from ..cite import add_to_verdict
from ..escape import verbatim
from ..normalize import is_punct, normalize
from .diff import KINDS
from .verdict import QuoteError, Verdict

EXAMPLES = ["2024年,黄石市公民具备科学素质比例达25.3%", "黃石市成功入選首批全國全域科普試點單位",
            "深入实施“党建强会”行动……实现学会党建工作“两个全覆盖”", "黄石市科协荣获湖北省五一劳动奖状"]
COLORS = {"exact": "#1b7f3b", "near": "#2f6fb3", "altered": "#b3261e", "not_found": "#6b6b6b"}
CSS = """
.vbadge {display:inline-block; color:#fff; padding:4px 12px; border-radius:12px; font-weight:700}
.vpair {display:flex; gap:16px} .vpair > div {flex:1; border:1px solid #ddd; border-radius:6px; padding:8px}
mark.vq {background:#ffd6d6; font-weight:700} mark.vs {background:#d6f0ff; font-weight:700}
span.velide {color:#888}
"""


def badge(v: Verdict) -> str:
    """The verdict as a coloured Chinese badge.

    >>> badge(Verdict("x", "near", None))
    '<span class="vbadge" style="background:#2f6fb3">基本一致</span>'
    """
    return f'<span class="vbadge" style="background:{COLORS[v.verdict]}">{v.label}</span>'


def side_by_side(v: Verdict) -> str:
    """Quote and source in two columns; characters that differ are marked.

    An elision (``……`` replacing skipped source text) is shown greyed, not
    as a change, since eliding is legitimate.

    >>> from rag.verify import DiffOp
    >>> _marked([DiffOp("equal", "达", "达"), DiffOp("replace", "2", "1")], "quote", "vq")
    '达<mark class="vq">2</mark>'
    """
    if v.match is None:
        return ""
    diff = v.match.diff
    return (f'<div class="vpair"><div><b>引文</b><p>{_marked(diff, "quote", "vq")}</p></div>'
            f'<div><b>原文</b><p>{_marked(diff, "source", "vs")}</p></div></div>')


def _marked(diff, side: str, cls: str) -> str:
    out = []
    for d in diff:
        text = html.escape(getattr(d, side))
        if d.op == "equal" or not text:
            out.append(text)
        elif _is_elision(d.quote):  # an elision mark and what it skips
            out.append(f'<span class="velide">{text}</span>')
        else:
            out.append(f'<mark class="{cls}">{text}</mark>')
    return "".join(out)


def _is_elision(quote: str) -> bool:
    """``……``/``...`` with nothing but punctuation around it.

    >>> _is_elision("，……"), _is_elision("2")
    (True, False)
    """
    q = normalize(quote).text
    return "…" in q and all(is_punct(ch) for ch in q)


def changes_markdown(v: Verdict) -> str:
    """The verdict's own sentence, then each fact-bearing change in plain words; numbers first.

    The quoted words are the visitor's and the report's: shown literally.

    >>> from rag.verify import Change, Match
    >>> m = Match("", 1.0, None, (), (Change("wording", "<b>粗</b>", "细"),))
    >>> print(changes_markdown(Verdict("x", "altered", m, "引文与第1段的原文不符。")))
    引文与第1段的原文不符。
    <BLANKLINE>
    - **措辞**：引文为“&lt;b&gt;粗&lt;/b&gt;”，原文为“细”
    """
    lines = [verbatim(v.explanation)]
    if v.match is not None and v.verdict == "altered":
        order = sorted(v.match.changes, key=lambda c: list(KINDS).index(c.kind))
        lines += [""] + [f"- **{KINDS[c.kind]}**：{verbatim(c.describe())}" for c in order]
    return "\n".join(lines)


ERROR_TITLE = "无法核查"
EMPTY = ("", "", "", "")  # verdict badge, side by side, changes, citation


def verify_tab(holder) -> None:
    """Add the quote-checking tab and the ``verify`` API endpoint."""
    def check(quote: str):
        try:
            v = holder.get().verify(quote)
        except QuoteError as exc:
            # a raised gr.Error would leave the previous quote's verdict on
            # screen (and stamp "Error" on every output): clear them, then warn
            gr.Warning(str(exc), title=ERROR_TITLE)
            return EMPTY
        return (badge(v), side_by_side(v), changes_markdown(v), citation_panel(v, holder.get().index.docs))

    def verify(quote: str) -> str:
        """Check a quote; returns the same JSON text as `rag verify --json`.

        A JSON string, not a dict: gradio_client would take the citation's
        ``path`` key for a file to download.
        """
        try:
            engine = holder.get()
            v = engine.verify(quote)
            return json.dumps(add_to_verdict(v.to_dict(), v, engine.index.docs, date.today()), ensure_ascii=False)
        except QuoteError as exc:
            raise gr.Error(str(exc), title=ERROR_TITLE, print_exception=False)

    with gr.Tab("引文核查"):
        gr.HTML(f"<style>{CSS}</style>")
        gr.Markdown("粘贴一段引文，核查它是否出自报告、出处在哪里、改动了什么（尤其是数字、人名、否定词）。")
        box = gr.Textbox(label="引文", lines=3, placeholder="例如：2024年,黄石市公民具备科学素质比例达25.3%（回车核查，Shift+回车换行）",
                         elem_id="verify-quote")
        go = gr.Button("核查", variant="primary", elem_id="verify-btn")
        gr.Examples(EXAMPLES, inputs=box, label="示例引文")
        verdict = gr.HTML(elem_id="verify-verdict")
        pair = gr.HTML(elem_id="verify-diff")
        changes = gr.Markdown(elem_id="verify-changes", latex_delimiters=[])
        cite = gr.HTML(elem_id="verify-cite")
        outputs = [verdict, pair, changes, cite]
        go.click(check, box, outputs, api_visibility="private", show_progress="hidden")
    gr.api(verify, api_name="verify")
