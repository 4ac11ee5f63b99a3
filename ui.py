"""Gradio app: ask the report in Chinese, read it, check a quote.

``python ui.py`` serves on 127.0.0.1:7860 (``--port``/``RAG_PORT``).  The
index is built on first run in a background thread; the page shows progress
and questions wait for it.  ``gradio_client`` gets the same JSON as
``rag ask --json`` from the ``/ask`` endpoint.

This file only wires components to the library: the HTML of every panel is
made in ``rag/app/`` (every report or visitor text escaped there), and the
page's behaviour that Gradio lacks (Enter and IME, links, copy, history) is
``rag/app/page.js``.
"""
from __future__ import annotations

import argparse
import json
import os
from datetime import date
from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware

from rag import cite
from rag.app import cards, chat_view, links, reader_view, theme
from rag.app.holder import ASK_WORKERS, EngineHolder, Unavailable
from rag.app.locale import ChinesePage
from rag.config import Settings
from rag.engine import MAX_TOP_K, QuestionError

PAGE_JS = (Path(__file__).resolve().parent / "rag" / "app" / "page.js").read_text(encoding="utf-8")
HEAD = f"<script>{PAGE_JS}</script>"
PLACEHOLDER = "例如：黄石有几家院士工作站？（回车提问，Shift+回车换行）"
HISTORY = ('<div id="history" hidden><details><summary>最近的提问与核查（保存在本机浏览器中）</summary>'
           '<ol id="history-list"></ol></details></div>')
MAX_TURNS = 30
RESTORE_LIMIT = 6


def parse_top_k(value) -> int:
    """The API's passage count: a whole number from 1 to 50 (a numeric string will do).

    >>> parse_top_k("7"), parse_top_k(3.0)
    (7, 3)
    >>> parse_top_k("abc")
    Traceback (most recent call last):
    ...
    rag.engine.QuestionError: top_k 应为 1 到 50 之间的整数，收到的是 'abc'
    """
    try:
        number = float(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or number != int(number) or not 1 <= number <= MAX_TOP_K:
        raise QuestionError(f"top_k 应为 1 到 {MAX_TOP_K} 之间的整数，收到的是 {value!r}"[:120])
    return int(number)


def build_app(holder: EngineHolder) -> gr.Blocks:
    def docs():
        return holder.get().index.docs

    def respond(message: str, turns: list):
        """Conversation, turns, box, note.  A rejected question (empty, too
        long, engine not ready) is explained under the box in Chinese; the
        conversation and the question stay as they were."""
        yield gr.skip(), gr.skip(), gr.skip(), '<p class="busy" role="status">正在从报告中查找答案……</p>'
        try:
            engine = holder.get()
            r = engine.ask(message)
        except QuestionError as exc:
            yield gr.skip(), gr.skip(), gr.skip(), chat_view.error(str(exc))
            return
        except Unavailable as exc:
            yield gr.skip(), gr.skip(), gr.skip(), chat_view.error(exc.text)
            return
        turns = (list(turns or []) + [chat_view.turn(engine.index.docs, r, date.today())])[-MAX_TURNS:]
        yield chat_view.conversation(turns), turns, "", ""

    def restore(saved: str, turns: list):
        """The visitor's last questions (from their browser) asked again after a reload."""
        try:
            questions = [q for q in json.loads(saved or "[]") if isinstance(q, str)][-RESTORE_LIMIT:]
            engine = holder.get()
        except (ValueError, TypeError, Unavailable):
            return gr.skip(), gr.skip()
        new = []
        for q in questions:
            try:
                new.append(chat_view.turn(engine.index.docs, engine.ask(q), date.today()))
            except QuestionError:
                continue
        turns = (new + list(turns or []))[-MAX_TURNS:]
        return chat_view.conversation(turns), turns

    def open_reader(query: str):
        try:
            found = docs()
        except Unavailable as exc:
            return chat_view.error(exc.text)
        return reader_view.reader_html(found, links.parse_place(query or ""), date.today())

    def landing():
        try:
            return cards.cards_html(docs())
        except Unavailable:
            return gr.skip()

    def ask(question: str, top_k: int = 5) -> str:
        """Ask the report; returns the same JSON text as `rag ask --json`.

        A JSON string, not a dict: gradio_client would take the citation's
        ``path`` key for a file to download.
        """
        try:
            engine = holder.get()
            r = engine.ask(question, top_k=parse_top_k(top_k))
        except QuestionError as exc:
            raise gr.Error(str(exc), title="无法提问", print_exception=False)
        return json.dumps(cite.add_to_answer(r.to_dict(), r, engine.index.docs, date.today()), ensure_ascii=False)

    quiet = {"api_visibility": "private", "show_progress": "hidden"}
    with gr.Blocks(title="报告问答") as app:
        gr.Markdown("## 中文报告问答与引文核查\n答案都是报告原文，每条都可以在原文中查看、复制出处。",
                    elem_id="app-title", latex_delimiters=[])
        status = gr.Markdown(holder.status(), elem_id="status", latex_delimiters=[])
        turns = gr.State([])
        with gr.Tabs():
            with gr.Tab("问答", id="ask"):
                landing_cards = gr.HTML('<p class="muted">正在载入报告……</p>', elem_id="cards")
                box = gr.Textbox(placeholder=PLACEHOLDER, label="你的问题", lines=2, max_lines=6, elem_id="question")
                send = gr.Button("提问", variant="primary", elem_id="ask-btn")
                note = gr.HTML("", elem_id="ask-error")
                chat = gr.HTML("", elem_id="chat")
                gr.HTML(HISTORY)
            extra_tabs(holder)
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
        send.click(respond, [box, turns], [chat, turns, box, note], **quiet, **pool)
        restore_btn.click(restore, [saved, turns], [chat, turns], **quiet, **pool)
        open_btn.click(open_reader, target, reader, **quiet)
        app.load(landing, None, landing_cards, **quiet)
        gr.api(ask, api_name="ask", **pool)
        timer = gr.Timer(1.0)
        timer.tick(holder.status, None, status, **quiet)
    return app


def extra_tabs(holder: EngineHolder) -> None:
    """Further tabs (the quote checker) register here."""
    try:
        from rag.verify_ui import verify_tab
    except ImportError:
        return
    verify_tab(holder)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="报告问答 Gradio 应用")
    parser.add_argument("--corpus")
    parser.add_argument("--index")
    parser.add_argument("--model")
    parser.add_argument("--host", default=os.environ.get("RAG_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("RAG_PORT", "7860")))
    args = parser.parse_args(argv)
    holder = EngineHolder(Settings.resolve(corpus=args.corpus, index=args.index, model=args.model))
    # The app takes no files: Gradio's upload route would store and serve any
    # visitor's file, so uploads are capped at one byte (an empty file at most).
    # Gradio's footer (API page, settings, "built with") is for developers: hidden; /ask and
    # /verify still answer gradio_client.  The page is served as Chinese (rag/app/locale.py).
    build_app(holder).launch(server_name=args.host, server_port=args.port, css=theme.css(), head=HEAD,
                             show_error=True, max_file_size=1, footer_links=[],
                             app_kwargs={"middleware": [Middleware(ChinesePage)]})


if __name__ == "__main__":
    main()
