"""Gradio app: ask the report in Chinese, see the answer and where it is.

``python ui.py`` serves on 127.0.0.1:7860 (``--port``/``RAG_PORT``).  The
index is built on first run in a background thread; the page shows progress
and questions wait for it.  ``gradio_client`` gets the same JSON as
``rag ask --json`` from the ``/ask`` endpoint.

Every text from a report or a visitor reaches the page through
``rag.escape.verbatim`` (or ``html.escape`` in the evidence panel): the chat
bubble is HTML this module builds, and a sentence holding ``<img>`` or
``![x](…)`` is shown as those characters, never drawn or fetched.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import threading

import gradio as gr

from rag.reader import ABSTAIN_MESSAGE, TENTATIVE_NOTE, level, tentative
from rag.config import Settings
from rag.engine import MAX_TOP_K, Engine, QuestionError
from rag.escape import verbatim
from rag.types import Response

EXAMPLES = ["黄石现在有多少家院士工作站？", "2024年黄石市民的科学素质比例是多少？",
            "東楚科普大講堂請來了哪些嘉賓？", "How many expert workstations are there?"]
CSS = """
mark.sent {background:#fff3b0; padding:1px 0}
mark.span {background:#ffd166; font-weight:700}
.cite {color:#555; font-size:0.9em}
.passage {border-left:3px solid #ccc; padding-left:8px; margin:8px 0}
.abstain {color:#a33; font-weight:700}
.verbatim {white-space:pre-wrap}
#chat blockquote {margin:6px 0; padding-left:8px; border-left:3px solid #ccc}
.ask-error {color:#a33; font-weight:700; margin:4px 0}
"""


class Unavailable(gr.Error):
    """The engine is still loading or failed to load (shown as a toast, logged without a traceback)."""

    def __init__(self, message: str, title: str):
        # a toast shows its message as HTML: the load error may quote a file name
        super().__init__(html.escape(message), title=title, print_exception=False)
        self.text = message


ASK_WORKERS = int(os.environ.get("RAG_ASK_WORKERS", "2"))


class EngineHolder:
    """Opens the engine once in the background and reports its progress."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine: Engine | None = None
        self.error: str | None = None
        self.log: list[str] = ["正在加载模型与索引……"]
        self.ready = threading.Event()
        threading.Thread(target=self._open, daemon=True).start()

    def _progress(self, message: str) -> None:
        self.log.append(message)
        print(message, flush=True)

    def _open(self) -> None:
        try:
            engine = Engine.open(self.settings, rebuild=True, progress=self._progress)
            self._progress("正在加载嵌入模型……")
            engine.embedder.queries(["预热"])  # load the model now, not on the first question
            self.engine = engine
            skipped = engine.index.manifest.get("skipped") or []
            note = f"（{len(skipped)} 个文件未能读入：" + "；".join(
                f"{r['path']}：{r['reason']}" for r in skipped[:3]) + ("……）" if len(skipped) > 3 else "）") if skipped else ""
            self._progress(f"可以提问了。共 {len(engine.index.docs)} 篇文档{note}")
        except Exception as exc:  # shown on the page instead of a dead app
            self.error = f"无法加载：{exc}"
            self._progress(self.error)
        finally:
            self.ready.set()

    def get(self, timeout: float = 1800) -> Engine:
        if not self.ready.wait(timeout):
            raise Unavailable("索引仍在建立中，请稍后再试。", title="请稍候")
        if self.engine is None:
            raise Unavailable(self.error or "引擎不可用", title="出错了")
        return self.engine

    def status(self) -> str:
        # Words, not emoji: machines without an emoji font show empty boxes.
        state = "【就绪】" if self.engine else ("【出错】" if self.error else "【准备中】")
        return f"{state} {verbatim(self.log[-1])}"  # a load error may quote a file name


def highlight_paragraph(engine: Engine, r: Response) -> str:
    """The answer's paragraph with the sentence and the short answer marked."""
    a = r.answer
    doc = engine.index.docs[a.citation.doc]
    para = doc.paragraph(a.citation.paragraph)
    t = doc.text
    s0, s1, a0, a1 = a.citation.start, a.citation.end, a.span_start, a.span_end
    inner = (html.escape(t[s0:a0]) + f'<mark class="span">{html.escape(t[a0:a1])}</mark>' + html.escape(t[a1:s1])
             if (a0, a1) != (s0, s1) else html.escape(t[s0:s1]))
    return (html.escape(t[para.start:s0]) + f'<mark class="sent">{inner}</mark>' + html.escape(t[s1:para.end]))


def passages_html(r: Response) -> str:
    items = [f'<div class="passage">{html.escape(p.text)}<div class="cite">{html.escape(p.citation.label())}'
             f' · 排序分 {p.score:.2f}（本次检索内的相对分）</div></div>' for p in r.passages]
    return "".join(items)


def question_html(question: str) -> str:
    """The visitor's bubble: the question as typed, nothing rendered."""
    return f'<p class="verbatim">{verbatim(question)}</p>'


def answer_html(r: Response) -> str:
    """The chat reply as HTML: short answer, verbatim sentence, citation.

    The bubble is HTML built here (the Chatbot renders no Markdown), and
    every report string in it goes through ``verbatim``.
    """
    if r.answer is None:
        return (f"<p><strong>{verbatim(ABSTAIN_MESSAGE)}。</strong></p>"
                "<p>右侧列出最接近的段落，仅供参考，并非答案。</p>")
    a = r.answer
    head = (f'<p><strong>答：<span class="verbatim">{verbatim(a.text)}</span></strong></p>'
            if a.text != a.sentence else "")
    note = f"（{verbatim(TENTATIVE_NOTE)}）" if tentative(r.question, a.confidence) else ""
    return (f'{head}<blockquote class="verbatim">{verbatim(a.sentence)}</blockquote>'
            f'<p class="cite">出处：<span class="verbatim">{verbatim(a.citation.label())}</span></p>'
            f"<p>置信度：<span title='答对的概率约为 {a.confidence:.2f}'>{level(a.confidence)}</span>{note}</p>")


def error_html(message: str) -> str:
    """A rejected question, explained under the question box."""
    return f'<p class="ask-error" role="alert">无法提问：{verbatim(message)}</p>'


def evidence_html(engine: Engine, r: Response) -> str:
    if r.answer is None:
        return f'<p class="abstain">{ABSTAIN_MESSAGE}。以下段落仅供参考：</p>' + passages_html(r)
    cite = html.escape(r.answer.citation.label())
    return (f"<h4>原文段落</h4><p>{highlight_paragraph(engine, r)}</p><p class='cite'>{cite}</p>"
            f"<h4>参考段落</h4>{passages_html(r)}")


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
    def respond(message: str, history: list):
        """Chat, box, evidence, error note.  A rejected question (empty, too
        long, engine not ready) is explained under the box in Chinese; the
        chat, the evidence and the question stay as they were."""
        try:
            engine = holder.get()
            r = engine.ask(message)
        except QuestionError as exc:
            return gr.skip(), gr.skip(), gr.skip(), error_html(str(exc))
        except Unavailable as exc:
            return gr.skip(), gr.skip(), gr.skip(), error_html(exc.text)
        history = list(history or []) + [{"role": "user", "content": question_html(message)},
                                         {"role": "assistant", "content": answer_html(r)}]
        return history, "", evidence_html(engine, r), ""

    def ask(question: str, top_k: int = 5) -> str:
        """Ask the report; returns the same JSON text as `rag ask --json`.

        A JSON string, not a dict: gradio_client would take the citation's
        ``path`` key for a file to download.
        """
        try:
            return json.dumps(holder.get().ask(question, top_k=parse_top_k(top_k)).to_dict(), ensure_ascii=False)
        except QuestionError as exc:
            raise gr.Error(str(exc), title="无法提问", print_exception=False)

    with gr.Blocks(title="报告问答") as app:
        gr.Markdown("## 中文报告问答\n输入问题，系统从报告原文中找出回答它的句子，并给出可核查的出处（文档、章节、段落、字符位置）。")
        status = gr.Markdown(holder.status(), elem_id="status", latex_delimiters=[])
        with gr.Tab("问答"):
            with gr.Row():
                with gr.Column(scale=3):
                    # Bubbles are HTML built by question_html/answer_html: no Markdown, no
                    # LaTeX, Gradio's sanitiser kept as a second line.  The copy buttons
                    # would copy that HTML source, so there are none; select the text.
                    chat = gr.Chatbot(label="对话", height=420, elem_id="chat", render_markdown=False,
                                      sanitize_html=True, latex_delimiters=[], allow_tags=False, buttons=[])
                    box = gr.Textbox(placeholder="例如：黄石有几家院士工作站？", label="你的问题", elem_id="question")
                    note = gr.HTML("", elem_id="ask-error")
                    send = gr.Button("提问", variant="primary", elem_id="ask-btn")
                    gr.Examples(EXAMPLES, inputs=box, label="示例问题")
                with gr.Column(scale=2):
                    evidence = gr.HTML("<p class='cite'>答案所在段落会显示在这里。</p>", elem_id="evidence")
        extra_tabs(holder)
        # Questions share one pool of ASK_WORKERS threads (one per core: torch
        # runs one thread each); bench/load.py measures it under 50 clients.
        pool = {"concurrency_id": "ask", "concurrency_limit": ASK_WORKERS}
        send.click(respond, [box, chat], [chat, box, evidence, note], api_visibility="private", **pool)
        box.submit(respond, [box, chat], [chat, box, evidence, note], api_visibility="private", **pool)
        gr.api(ask, api_name="ask", **pool)
        timer = gr.Timer(1.0)
        timer.tick(holder.status, None, status, api_visibility="private")
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
    parser.add_argument("--backend", help="onnx-fp32 | onnx (int8) | torch (RAG_BACKEND; default onnx-fp32)")
    parser.add_argument("--host", default=os.environ.get("RAG_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("RAG_PORT", "7860")))
    args = parser.parse_args(argv)
    holder = EngineHolder(Settings.resolve(corpus=args.corpus, index=args.index, model=args.model, backend=args.backend))
    # The app takes no files: Gradio's upload route would store and serve any
    # visitor's file, so uploads are capped at one byte (an empty file at most).
    build_app(holder).launch(server_name=args.host, server_port=args.port, css=CSS, show_error=True,
                             max_file_size=1)


if __name__ == "__main__":
    main()
