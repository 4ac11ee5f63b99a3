"""What the page's events do: ask, check a draft, bring back a visitor's questions, open the reader, fill the landing.

Each handler parses what the page sends, calls the library and returns
HTML made by the other ``rag/app`` modules; ``ui.py`` wires them to
components.  ``ask`` is also the ``/ask`` API endpoint, ``check_draft`` the
``/check_draft`` one.
"""
from __future__ import annotations

import json
from datetime import date

import gradio as gr

from .. import cite
from ..engine import MAX_TOP_K, QuestionError
from ..verify import DraftError
from . import cards
from . import chat_view
from . import draft_view
from . import links
from . import reader_view
from .holder import EngineHolder, Unavailable

MAX_TURNS = 30
EXAMPLE_DOCS = 30  # cards given example questions (each asked up to six times once): a big corpus stays quick to open
RESTORE_LIMIT = 6
DRAFT_ERROR = "无法核查稿件"


class Handlers:
    def __init__(self, holder: EngineHolder):
        self.holder = holder
        self._asked: tuple = (None, {})  # (engine, example questions by document id)

    def docs(self):
        return self.holder.get().index.docs

    def respond(self, message: str, turns: list):
        """Conversation, turns, box, note.  A rejected question (empty, too
        long, engine not ready) is explained under the box in Chinese; the
        conversation and the question stay as they were."""
        yield gr.skip(), gr.skip(), gr.skip(), '<p class="busy" role="status">正在从报告中查找答案……</p>'
        try:
            engine = self.holder.get()
            r = engine.ask(message)
        except QuestionError as exc:
            yield gr.skip(), gr.skip(), gr.skip(), chat_view.error(str(exc))
            return
        except Unavailable as exc:
            yield gr.skip(), gr.skip(), gr.skip(), chat_view.error(exc.text)
            return
        turns = (list(turns or []) + [chat_view.turn(engine.index.docs, r, date.today())])[-MAX_TURNS:]
        yield chat_view.conversation(turns), turns, "", ""

    def draft_page(self, draft: str):
        """Results, note.  A rejected draft (empty, too long, engine not ready) is
        explained under the box in Chinese; the previous results and the draft stay."""
        yield gr.skip(), '<p class="busy" role="status">正在找出稿件中的引语并逐条核查……</p>'
        try:
            engine = self.holder.get()
            checks = engine.check_draft(draft)
        except (DraftError, Unavailable) as exc:
            yield gr.skip(), chat_view.error(getattr(exc, "text", str(exc)), DRAFT_ERROR)
            return
        yield draft_view.results(engine.index.docs, checks, date.today()), ""

    def check_draft(self, draft: str) -> str:
        """Check every quotation of a draft; returns a JSON list of `rag verify --draft --json`'s lines.

        A JSON string, as from ``/verify``: gradio_client would take a ``path`` for a file.
        """
        try:
            engine = self.holder.get()
            checks = engine.check_draft(draft)
        except DraftError as exc:
            raise gr.Error(str(exc), title=DRAFT_ERROR, print_exception=False)
        docs, today = engine.index.docs, date.today()
        return json.dumps([cite.add_to_check(c, docs, today) for c in checks], ensure_ascii=False)

    def restore(self, saved: str, turns: list):
        """The visitor's last questions (from their browser) asked again after a reload."""
        try:
            questions = [q for q in json.loads(saved or "[]") if isinstance(q, str)][-RESTORE_LIMIT:]
            engine = self.holder.get()
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

    def open_reader(self, query: str):
        try:
            found = self.docs()
        except Unavailable as exc:
            return chat_view.error(exc.text)
        return reader_view.reader_html(found, links.parse_place(query or ""), date.today())

    def landing(self):
        """The report cards, each marked ``data-ready``: the page's script waits for
        this first answer from the server before it clicks for a link, since a
        click made before Gradio has bound its events is lost."""
        try:
            engine = self.holder.get()
        except Unavailable:
            return cards.LOADING_ANSWERED
        return cards.cards_html(engine.index.docs, self._examples(engine))

    def _examples(self, engine) -> dict:
        """Each document's example questions that its own text answers, asked once per engine."""
        if self._asked[0] is not engine:
            first = cards.ordered(engine.index.docs)[:EXAMPLE_DOCS]
            self._asked = (engine, {d.id: cards.answered(engine, d) for d in first})
        return self._asked[1]

    def ask(self, question: str, top_k: int = 5) -> str:
        """Ask the report; returns the same JSON text as `rag ask --json`.

        A JSON string, not a dict: gradio_client would take the citation's
        ``path`` key for a file to download.
        """
        try:
            engine = self.holder.get()
            r = engine.ask(question, top_k=parse_top_k(top_k))
        except QuestionError as exc:
            raise gr.Error(str(exc), title="无法提问", print_exception=False)
        return json.dumps(cite.add_to_answer(r.to_dict(), r, engine.index.docs, date.today()), ensure_ascii=False)


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
