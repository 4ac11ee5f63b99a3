"""The 「引文核查」 tab of the Gradio app, and the ``/verify`` API endpoint.

``ui.py`` calls ``verify_tab(holder)`` inside its tabs and
``verify_endpoint(holder)`` after them; ``holder.get()``
returns the Engine.  The page shows a verdict badge, the quote and its
source side by side with the differing characters marked, each changed fact
in plain words (「引文为“25.3%”，原文为“15.3%”」) and citations to copy; the
HTML is made in ``rag/app/quote_view.py``, every quote and report text
escaped there.  ``gradio_client`` gets ``rag verify --json``'s JSON from
``/verify``.
"""
from __future__ import annotations

import json
from datetime import date

import gradio as gr

from ..app.chat_view import error
from ..app.holder import Unavailable
from ..app.quote_view import badge, changes, citation_panel, side_by_side
from ..cite import add_to_verdict
from .verdict import QuoteError

# Quotes of the shipped report (one altered, one Traditional, one elided, one not in it): offered
# only while that report is in the corpus, since over a user's own reports they would all be 未找到.
EXAMPLES = ["2024年,黄石市公民具备科学素质比例达25.3%", "黃石市成功入選首批全國全域科普試點單位",
            "深入实施“党建强会”行动……实现学会党建工作“两个全覆盖”", "黄石市科协荣获湖北省五一劳动奖状"]
SHIPPED = "huangshi-kexie-2025-12-17.txt"
ERROR_TITLE = "无法核查"
KEEP = (gr.skip(),) * 4  # verdict badge, side by side, changes, citation: as they were


def verify_tab(holder) -> None:
    """Add the quote-checking tab (its endpoint is :func:`verify_endpoint`)."""
    def check(quote: str):
        """Badge, side by side, changes, citation, note.  A rejected quote (empty, too
        short or long, engine not ready) is explained under the box in Chinese, as in
        the question tab; the previous verdict and the quote stay on screen."""
        try:
            engine = holder.get()
            v = engine.verify(quote)
        except (QuoteError, Unavailable) as exc:
            return (*KEEP, error(getattr(exc, "text", str(exc)), ERROR_TITLE))
        return badge(v.verdict, v.label), side_by_side(v), changes(v), citation_panel(v, engine.index.docs), ""

    with gr.Tab("引文核查", id="verify"):
        gr.Markdown("粘贴一段引文，核查它是否出自报告、出处在哪里、改动了什么（尤其是数字、人名、否定词）。"
                    "整篇稿件请到「核查稿件」。")
        box = gr.Textbox(label="引文", lines=3, placeholder="粘贴报道中引用报告的一句话（回车核查，Shift+回车换行）",
                         elem_id="verify-quote")
        go = gr.Button("核查", variant="primary", elem_id="verify-btn")
        note = gr.HTML("", elem_id="verify-error")
        settings = getattr(holder, "settings", None)  # a test's holder may have none
        if settings is not None and (settings.corpus_dir / SHIPPED).is_file():
            gr.Examples(EXAMPLES, inputs=box, label="示例引文（出自随附的黄石市科协报告）")
        verdict = gr.HTML(elem_id="verify-verdict")
        pair = gr.HTML(elem_id="verify-diff")
        changed = gr.HTML(elem_id="verify-changes")
        cite = gr.HTML(elem_id="verify-cite")
        go.click(check, box, [verdict, pair, changed, cite, note], api_visibility="private", show_progress="hidden")


def verify_endpoint(holder) -> None:
    """The ``/verify`` API endpoint (registered outside the tabs: Gradio wants only tabs in there)."""
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

    gr.api(verify, api_name="verify")
