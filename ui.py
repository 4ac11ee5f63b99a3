"""Gradio app: ask the report in Chinese, read it, check a quote or a whole draft.

``python ui.py`` serves on 127.0.0.1:7860 (``--port``/``RAG_PORT``).  The
index is built on first run in a background thread; the page shows progress
and questions wait for it.  ``gradio_client`` gets the same JSON as
``rag ask --json`` from the ``/ask`` endpoint, and a list of ``rag verify
--draft --json``'s lines from ``/check_draft``.

This file only wires components to the library: the HTML of every panel is
made in ``rag/app/`` (every report or visitor text escaped there), and the
page's behaviour that Gradio lacks (Enter and IME, links, copy, history) is
``rag/app/page.js``.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

# Gradio's queue rebuilds a pandas summary of its last 10,000 events after
# every event, for a monitoring page this app does not show: each request
# cost more than the one before (a cached answer went from 49 to 86 ms over
# 6,000 requests).  Keep a few events, summarised rarely; set before import.
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "200")
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")

import gradio as gr  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from rag.app import cards, reader_view, theme  # noqa: E402
from rag.app.handlers import Handlers  # noqa: E402
from rag.app.holder import ASK_WORKERS, EngineHolder  # noqa: E402
from rag.app.locale import ChinesePage  # noqa: E402
from rag.config import Settings  # noqa: E402

PAGE_JS = (Path(__file__).resolve().parent / "rag" / "app" / "page.js").read_text(encoding="utf-8")
HEAD = f"<style>{theme.OUTER}</style><script>{PAGE_JS}</script>"
# The corpus is the user's: the hint names no report (each card offers questions its own report answers).
PLACEHOLDER = "问报告里的数字、人名、时间或做法，例如：某项指标是多少？（回车提问，Shift+回车换行）"
# A draft has many lines: there Enter is a newline, and Ctrl/Shift+Enter (or the button) checks (page.js).
DRAFT_PLACEHOLDER = "粘贴一段话或整篇稿件。（回车换行，Ctrl+回车或 Shift+回车核查）"
DRAFT_INTRO = ("粘贴稿件，逐条核查其中的引语：「」『』“”内的话，以及“表示：”“指出：”“称：”之后的话。"
               "每条给出结论、改动之处、出处与引用格式。")
HISTORY = ('<div id="history" hidden><details><summary>最近的提问与核查（保存在本机浏览器中）</summary>'
           '<ol id="history-list"></ol></details></div>')


def build_app(holder: EngineHolder) -> gr.Blocks:
    on = Handlers(holder)
    quiet = {"api_visibility": "private", "show_progress": "hidden"}
    with gr.Blocks(title="报告问答") as app:
        gr.Markdown("## 中文报告问答与引文核查\n答案都是报告原文，每条都可以在原文中查看、复制出处。",
                    elem_id="app-title", latex_delimiters=[])
        status = gr.Markdown(holder.status(), elem_id="status", latex_delimiters=[])
        turns = gr.State([])
        with gr.Tabs():
            with gr.Tab("问答", id="ask"):
                landing_cards = gr.HTML(cards.LOADING, elem_id="cards")
                box = gr.Textbox(placeholder=PLACEHOLDER, label="你的问题", lines=2, max_lines=6, elem_id="question")
                send = gr.Button("提问", variant="primary", elem_id="ask-btn")
                note = gr.HTML("", elem_id="ask-error")
                chat = gr.HTML("", elem_id="chat")
                gr.HTML(HISTORY)
            extra_tabs(holder)
            draft_tab(on)
            with gr.Tab("阅读原文", id="reader"):
                reader = gr.HTML(reader_view.reader_html({}, None, None), elem_id="reader")
        # The page's script fills these to open the reader or bring back the visitor's questions.
        target = gr.Textbox(visible="hidden", elem_id="open-target")
        open_btn = gr.Button(visible="hidden", elem_id="open-btn")
        saved = gr.Textbox(visible="hidden", elem_id="restore-in")
        restore_btn = gr.Button(visible="hidden", elem_id="restore-btn")
        # Questions share one pool of ASK_WORKERS threads (one per core: torch
        # runs one thread each); bench/load.py measures it under 50 clients.
        pool = {"concurrency_id": "ask", "concurrency_limit": ASK_WORKERS}
        send.click(on.respond, [box, turns], [chat, turns, box, note], **quiet, **pool)
        restore_btn.click(on.restore, [saved, turns], [chat, turns], **quiet, **pool)
        open_btn.click(on.open_reader, target, reader, **quiet)
        extra_endpoints(holder)
        app.load(on.landing, None, landing_cards, **quiet)
        gr.api(on.ask, api_name="ask", **pool)
        gr.api(on.check_draft, api_name="check_draft", **pool)
        timer = gr.Timer(1.0)
        timer.tick(holder.status, None, status, **quiet)
    return app


def draft_tab(on: Handlers) -> None:
    """「核查稿件」: its own tab, since a phone has no room beside the quote box for a long draft."""
    with gr.Tab("核查稿件", id="draft"):
        gr.Markdown(DRAFT_INTRO, latex_delimiters=[])
        draft = gr.Textbox(label="稿件", lines=8, max_lines=30, placeholder=DRAFT_PLACEHOLDER, elem_id="draft-text")
        check = gr.Button("核查全部引语", variant="primary", elem_id="draft-btn")
        note = gr.HTML("", elem_id="draft-error")
        found = gr.HTML("", elem_id="draft-results")
    # one pool with the questions: a long draft is as much work as a question
    check.click(on.draft_page, draft, [found, note], api_visibility="private", show_progress="hidden",
                concurrency_id="ask", concurrency_limit=ASK_WORKERS)


def extra_tabs(holder: EngineHolder) -> None:
    """Further tabs (the quote checker) register here."""
    try:
        from rag.verify.ui import verify_tab
    except ImportError:
        return
    verify_tab(holder)


def extra_endpoints(holder: EngineHolder) -> None:
    """Their API endpoints, outside the tabs."""
    try:
        from rag.verify.ui import verify_endpoint
    except ImportError:
        return
    verify_endpoint(holder)


SESSIONS = int(os.environ.get("RAG_SESSIONS", "300"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="报告问答 Gradio 应用")
    parser.add_argument("--corpus")
    parser.add_argument("--index")
    parser.add_argument("--model")
    parser.add_argument("--backend", help="onnx (int8, default) | onnx-fp32 | torch (RAG_BACKEND)")
    parser.add_argument("--host", default=os.environ.get("RAG_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("RAG_PORT", "7860")))
    args = parser.parse_args(argv)
    holder = EngineHolder(Settings.resolve(corpus=args.corpus, index=args.index, model=args.model, backend=args.backend))
    # The app takes no files: Gradio's upload route would store and serve any
    # visitor's file, so uploads are capped at one byte (an empty file at most).
    # Gradio's footer (API page, settings, "built with") is for developers: hidden; /ask and
    # /verify and /check_draft still answer gradio_client.  The page is served as Chinese (rag/app/locale.py).
    # Every API call without a page is a session of its own, and Gradio keeps
    # each one's state (about 80 KB here) until 10,000 are held: 0.8 GB.  The
    # oldest go past SESSIONS (a page keeps its own history in the browser).
    build_app(holder).launch(server_name=args.host, server_port=args.port, css=theme.css(), head=HEAD,
                             show_error=True, max_file_size=1, footer_links=[], state_session_capacity=SESSIONS,
                             app_kwargs={"middleware": [Middleware(ChinesePage)]})


if __name__ == "__main__":
    main()
