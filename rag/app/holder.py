"""The engine behind the page, opened once in the background, and its status line.

``holder.get()`` waits for the engine (raising :class:`Unavailable` when it
is still building past the wait, or failed); ``holder.status()`` is the
line the page shows while it loads.
"""
from __future__ import annotations

import html
import os
import threading

import gradio as gr

from ..config import Settings
from ..engine import Engine
from ..escape import verbatim


class Unavailable(gr.Error):
    """The engine is still loading or failed to load (shown as a toast, logged without a traceback)."""

    def __init__(self, message: str, title: str):
        # a toast shows its message as HTML: the load error may quote a file name
        super().__init__(html.escape(message), title=title, print_exception=False)
        self.text = message


ASK_WORKERS = int(os.environ.get("RAG_ASK_WORKERS", "2"))
WARM_DELAY = float(os.environ.get("RAG_WARM_DELAY", "10"))  # seconds after ready before the English bridge is made


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
            # The English bridge takes seconds of CPU (and the GIL) to make:
            # make it soon, not on the first English question, but not while
            # the first visitor's question is being answered either.
            warm = threading.Timer(WARM_DELAY, engine.bridge)
            warm.daemon = True
            warm.start()
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
