"""The Gradio app, started as users start it: `python ui.py`, then asked over HTTP and in a browser."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import FAKE, REPORT_DIR, ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _client(url: str, proc, timeout: float = 180):
    from gradio_client import Client

    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"ui.py exited early: {proc.stdout.read() if proc.stdout else ''}")
        try:
            return Client(url, verbose=False)
        except Exception:
            time.sleep(0.5)
    raise AssertionError("ui.py did not come up")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    port = _free_port()
    index = tmp_path_factory.mktemp("app") / "index"
    env = {**os.environ, "RAG_MODEL": FAKE, "RAG_INDEX": str(index), "RAG_CORPUS": str(REPORT_DIR),
           "GRADIO_ANALYTICS_ENABLED": "False"}
    proc = subprocess.Popen([sys.executable, "ui.py", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _client(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_ask_endpoint_returns_the_cli_json(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    row = json.loads(client.predict("2024年黄石市民科学素质比例是多少？", 3, api_name="/ask"))
    assert set(row) == {"question", "abstained", "answer", "passages", "unmentioned", "note"}
    assert row["unmentioned"] == [] and row["note"] == ""
    assert row["answer"]["text"] == "15.3%"
    cite = row["answer"]["citation"]
    assert (cite["paragraph"], cite["section"]) == (9, "打造全域科普 健全惠民体系")
    text = (ROOT / cite["path"]).read_bytes().decode("utf-8")
    assert text[cite["start"]:cite["end"]] == row["answer"]["sentence"]
    assert len(row["passages"]) == 3


class _Holder:
    """An engine holder whose engine is ``engine`` or, when None, failed to load."""

    def __init__(self, engine=None):
        self.engine = engine

    def get(self):
        from rag.app.holder import Unavailable

        if self.engine is None:
            raise Unavailable("引擎不可用", title="出错了")
        return self.engine


def test_the_landing_is_marked_as_the_servers_answer_whether_or_not_the_engine_loaded(report_engine):
    # the page's script clicks for a ?q= link only once it sees this mark (an earlier click is lost)
    from rag.app import cards
    from rag.app.handlers import Handlers

    assert "data-ready" not in cards.LOADING  # the page's first paint is not an answer
    assert Handlers(_Holder()).landing() == cards.LOADING_ANSWERED
    assert '<section aria-label="报告" data-ready>' in Handlers(_Holder(report_engine)).landing()


def test_a_cards_example_questions_are_those_its_own_report_answers():
    # a chip refused, or answered from another report, is the first thing a visitor would see go wrong
    from types import SimpleNamespace as N

    from rag.app import cards
    from rag.types import Document, Paragraph

    text = "一、强化引领 凝聚力量\n正文。\n二、科普惠民 成效显著\n正文。\n三、下一步工作\n正文。"
    doc = Document("a", "a.txt", text, "甲报告", "2025-12-17", "", (Paragraph(1, "一、强化引领 凝聚力量", 12, 15),
                   Paragraph(2, "二、科普惠民 成效显著", 28, 31), Paragraph(3, "三、下一步工作", 40, 43)), (), "")
    cited = {"《甲报告》是哪天发布的？": "a", "“强化引领”方面取得了哪些成效？": "b", "“科普惠民”方面取得了哪些成效？": "a"}

    class Engine:
        def ask(self, question):
            by = cited.get(question)
            return N(answer=N(citation=N(doc=by)) if by else None)

    assert cards.example_questions(doc) == ["《甲报告》是哪天发布的？", "“强化引领”方面取得了哪些成效？",
                                            "“科普惠民”方面取得了哪些成效？", "“下一步工作”方面取得了哪些成效？"]
    assert cards.answered(Engine(), doc) == ["《甲报告》是哪天发布的？", "“科普惠民”方面取得了哪些成效？"]
    assert cards.answered(Engine(), doc, limit=1) == ["《甲报告》是哪天发布的？"]


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium is installed by `make test`")
def test_chat_in_a_real_browser(app_url, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        page.goto(app_url)
        page.get_by_text("就绪").wait_for(timeout=60_000)
        page.locator("#question textarea").fill("2024年黄石市民的科学素质比例是多少？")
        page.locator("#ask-btn").click()
        page.locator("#evidence mark.span").wait_for(timeout=60_000)
        assert page.locator("#evidence mark.span").inner_text() == "15.3%"
        assert "第9段" in page.locator("#chat").inner_text()
        page.screenshot(path=os.environ.get("RAG_SCREENSHOT", str(tmp_path / "chat.png")), full_page=True)

        page.get_by_role("tab", name="引文核查").click()
        page.locator("#verify-quote textarea").fill("黄石科技馆年均参观量突破40万人次")
        page.locator("#verify-btn").click()
        page.locator("#verify-verdict").get_by_text("与原文不符").wait_for(timeout=60_000)
        assert "40万人次" in page.locator("#verify-changes").inner_text()
        assert "第10段" in page.locator("#verify-cite").inner_text()
        page.screenshot(path=os.environ.get("RAG_SCREENSHOT", str(tmp_path / "chat.png")).replace(".png", "-verify.png"),
                        full_page=True)
        browser.close()


def test_verify_endpoint_flags_a_changed_number(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    row = json.loads(client.predict("2024年,黄石市公民具备科学素质比例达25.3%", api_name="/verify"))
    assert row["verdict"] == "altered"
    assert {"kind": "number", "quote": "25.3%", "source": "15.3%"} in row["match"]["changes"]
    cite = row["match"]["citation"]
    text = (ROOT / cite["path"]).read_bytes().decode("utf-8")
    assert cite["paragraph"] == 9 and text[cite["start"]:cite["end"]] == row["match"]["text"]


# A draft with a quotation of each kind: exact in 「」, a changed number in “”, one after 表示： that the
# report does not hold, and a term too short to check.
DRAFT = ("记者从黄石市科协获悉，「2024年,黄石市公民具备科学素质比例达15.3%」。该会负责人称“黄石科技馆年均参观量突破40万人次”。\n"
         "一位市民表示：月球上已建成三座科普基地并对外开放。他还提到“四服务”。")


def test_check_draft_endpoint_returns_the_cli_json(app_url, report_engine, tmp_path):
    from gradio_client import Client
    from typer.testing import CliRunner

    from rag.cli import app

    rows = json.loads(Client(app_url, verbose=False).predict(DRAFT, api_name="/check_draft"))
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT, encoding="utf-8")
    s = report_engine.settings
    out = CliRunner().invoke(app, ["verify", "--draft", str(path), "--json", "--corpus", str(s.corpus_dir),
                                   "--index", str(s.index_dir), "--model", FAKE])
    assert out.exit_code == 0, out.output
    assert rows == [json.loads(line) for line in out.stdout.splitlines()]
    assert [(r["quote"], r["style"], r["verdict"]) for r in rows] == [
        ("2024年,黄石市公民具备科学素质比例达15.3%", "「」", "exact"), ("黄石科技馆年均参观量突破40万人次", "“”", "altered"),
        ("月球上已建成三座科普基地并对外开放", "：", "not_found"), ("四服务", "“”", None)]
    assert all(DRAFT[r["start"]:r["end"]] == r["quote"] for r in rows)
    assert rows[1]["match"]["changes"] == [{"kind": "number", "quote": "40万人次", "source": "30万人次"}]
    assert rows[1]["match"]["cite"]["news"].endswith("第三部分（打造全域科普 健全惠民体系）第2段（全文第10段）：“黄石科技馆年均参观量突破30万人次”")
    assert rows[2]["match"] is None and rows[3]["skipped"].startswith("引文太短")


def test_check_draft_endpoint_rejects_an_empty_draft(app_url):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="稿件为空"):
        Client(app_url, verbose=False).predict("  ", api_name="/check_draft")


# --- markup in a report or a question is shown, never rendered ----------------------------------
# Nothing serves 127.0.0.1:9 or 127.0.0.3:8: a request for them can only come from rendering a payload.
PAYLOAD_DOC = r"""载荷测试报告<img src="http://127.0.0.1:9/title.png">
2025-12-17 09:24|文章来源: 测试

图书馆<b>馆藏</b>

示例市图书馆藏书<img src="http://127.0.0.1:9/img.png" onerror="alert(1)">共有12万册,<video autoplay src="http://127.0.0.3:8/v.mp4"></video>馆内<a href="http://127.0.0.1:9/a">点此访问</a>登记表<form action="http://127.0.0.1:9/f"><input type="password" name="pw"></form>和<iframe src="http://127.0.0.3:8/frame"></iframe>均已更新。

年度报告附录<script>alert(1)</script><style>body{display:none}</style>共计45页,附有[下载链接](javascript:alert(1))、**加粗**、`代码`、$x^2$、$$y$$、\反斜杠\\、AT&T&copy、${7*7}、{{7*7}}以及网址 http://127.0.0.1:9/bare 和 www.example.com 等内容。

学会公众号![图](http://127.0.0.1:9/md.png)关注人数达到6万人。

首页 | 联系我们
"""
# Elements or attributes a rendered payload would leave in the page (the app itself has none).
PAYLOAD_HOSTS = ("127.0.0.1:9/", "127.0.0.3:8/")
PAYLOAD_DOM = ", ".join([f"[{attr}*='{host}']" for attr in ("src", "href", "action") for host in PAYLOAD_HOSTS] + [
    "[href^='javascript']", "video", "iframe", "form", "input[type=password]", "#chat img", "#chat a",
    "#chat script", "#chat b", "#chat em", "#chat code", "#chat .katex", "#verify-changes a", "#verify-changes em",
    "#verify-changes code", "#verify-changes img", "#evidence img", "#verify-diff img"])
# Gradio's own icons put <style> in the chat: a payload's style is told by its text.
PAYLOAD_STYLE = ("() => [...document.querySelectorAll('style')].filter(s => s.textContent.includes('body{display:none}'))"
                 ".map(s => s.outerHTML)")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def payload_app(tmp_path_factory):
    """ui.py on a one-file corpus whose sentences hold HTML, Markdown and script payloads."""
    root = tmp_path_factory.mktemp("payload")
    (root / "corpus").mkdir()
    (root / "corpus" / "payload.txt").write_text(PAYLOAD_DOC, encoding="utf-8")
    with serve(root / "corpus", root) as (url, client, log):
        yield url, client, log


@contextmanager
def serve(corpus: Path, root: Path):
    """ui.py on ``corpus`` with the fake embedder, its log in ``root``: yields (url, client, log)."""
    log = root / "ui.log"
    port = _free_port()
    env = {**os.environ, "RAG_MODEL": FAKE, "RAG_INDEX": str(root / "index"), "RAG_CORPUS": str(corpus),
           "GRADIO_ANALYTICS_ENABLED": "False"}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "ui.py", "--port", str(port)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        client = _client(url, proc)
        yield url, client, log
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _wait_for(condition, timeout: float = 60) -> bool:
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            return False
        time.sleep(0.2)
    return True


def _wait_text(locator, text: str, timeout: float = 60) -> str:
    deadline = time.time() + timeout
    while True:
        shown = locator.inner_text()
        if text in shown:
            return shown
        if time.time() > deadline:
            raise AssertionError(f"{text!r} not shown in {shown!r}")
        time.sleep(0.2)


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium is installed by `make test`")
def test_markup_in_reports_and_questions_is_shown_literally(payload_app, tmp_path):
    from playwright.sync_api import sync_playwright

    url, client, log = payload_app
    sentence = {}
    # The title (a header answer, whatever the embedder) and a body sentence, both full of markup.
    for q in ("这份报告的标题是什么？", "年度报告附录<b>共有</b>多少页？**粗**`c`"):
        row = json.loads(client.predict(q, 5, api_name="/ask"))
        assert row["answer"] and "<" in row["answer"]["sentence"], row  # a payload sentence answers it
        sentence[q] = row["answer"]["sentence"]
    abstained = "![q](http://127.0.0.1:9/q.png)<img src=http://127.0.0.3:8/q2.png>年度报告附录共有多少页？"
    matches = {}  # quotes whose changes and diff hold markup from the quote and from the report
    # (an HTML tag the report does not hold is dropped from a quote: markdown is kept)
    for quote in ('学会公众号![x](http://127.0.0.3:8/vz.png)关注人数达到7万人<img src="http://127.0.0.3:8/vz.png">',
                  "年度报告附录<script>alert(1)</script><style>body{display:none}</style>共计45页,"
                  "附有![x](http://127.0.0.3:8/vm.png)、**加粗**"):
        match = json.loads(client.predict(quote, api_name="/verify"))["match"]
        assert "](" in "".join(d["quote"] for d in match["diff"]) and any(
            "](" in c["quote"] + c["source"] or "/" in c["quote"] for c in match["changes"]), match
        matches[quote] = match

    requests, dialogs, missing = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.get_by_text("就绪").wait_for(timeout=60_000)
        chat = page.locator("#chat")
        for n, q in enumerate([*sentence, abstained], 1):
            page.locator("#question textarea").fill(q)
            page.locator("#ask-btn").click()
            assert _wait_for(lambda: chat.inner_text().count("出处：") + chat.inner_text().count("报告中没有找到") == n)
            shown = chat.inner_text()
            # the question and the report sentence, verbatim, in their bubbles and in the evidence panel
            missing += [t for t in [q, sentence.get(q, "")] if t not in shown]
            missing += [f"#evidence: {t}" for t in [sentence.get(q, "")] if t not in page.locator("#evidence").inner_text()]
        shown = chat.inner_text()
        missing += [t for t in ('<img src="http://127.0.0.1:9/img.png" onerror="alert(1)">', "<video autoplay",
                                '<a href="http://127.0.0.1:9/a">点此访问</a>', '<input type="password" name="pw">',
                                "<iframe", "<script>alert(1)</script>", "<style>body{display:none}</style>",
                                "[下载链接](javascript:alert(1))", "**加粗**", "`代码`", "$x^2$、$$y$$", "\\反斜杠\\\\",
                                "AT&T&copy", "${7*7}、{{7*7}}", "http://127.0.0.1:9/bare", "www.example.com",
                                '《载荷测试报告<img src="http://127.0.0.1:9/title.png">》', "图书馆<b>馆藏</b>")
                    if t not in shown]

        page.screenshot(path=str(tmp_path / "payload-chat.png"), full_page=True)
        page.get_by_role("tab", name="引文核查").click()
        for quote, match in matches.items():
            page.locator("#verify-quote textarea").fill(quote)
            page.locator("#verify-btn").click()
            changes = page.locator("#verify-changes")
            words = [w for c in match["changes"] for w in (c["quote"], c["source"]) if w]
            if not _wait_for(lambda: all(w in changes.inner_text() for w in words), timeout=30):
                missing += [f"#verify-changes: {w}" for w in words if w not in changes.inner_text()]
            shown = page.locator("#verify-diff").inner_text()
            missing += [f"#verify-diff: {t}" for t in ("".join(d["quote"] for d in match["diff"]),
                                                        "".join(d["source"] for d in match["diff"])) if t not in shown]
        page.wait_for_timeout(1000)  # time for any fetch a rendered payload would start
        page.screenshot(path=str(tmp_path / "payload-verify.png"), full_page=True)
        elements = page.locator(PAYLOAD_DOM).evaluate_all("els => els.map(e => e.outerHTML.slice(0, 100))")
        elements += page.evaluate(PAYLOAD_STYLE)
        browser.close()
    foreign = [u for u in requests if not u.startswith((url, "data:", "blob:"))]  # url ends in "/"
    problems = {"not shown literally": missing, "elements from a payload": elements, "requests off the app": foreign,
                "dialogs": dialogs}
    assert not any(problems.values()), json.dumps(problems, ensure_ascii=False, indent=1)
    assert "Traceback" not in log.read_text(encoding="utf-8")


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium is installed by `make test`")
def test_rejected_question_is_explained_inline(payload_app, tmp_path):
    """An empty or over-long question: a Chinese note under the box, the chat stays, no traceback."""
    from playwright.sync_api import sync_playwright

    url, _, log = payload_app
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        page = browser.new_page()
        page.goto(url)
        page.get_by_text("就绪").wait_for(timeout=60_000)
        page.locator("#question textarea").fill("这份报告的标题是什么？")
        page.locator("#ask-btn").click()
        before = _wait_text(page.locator("#chat"), "出处")
        for question, note in [("", "问题为空"), ("<b>长</b>" * 100, "问题过长（800 字）")]:
            page.locator("#question textarea").fill(question)
            # Gradio drops a click while the event before it is still finishing (trigger_mode
            # "once"); on a loaded machine that outlives the answer's text, so click again.
            for _ in range(20):
                page.locator("#ask-btn").click()
                if _wait_for(lambda: note in page.locator("#ask-error").inner_text(), timeout=3):
                    break
            _wait_text(page.locator("#ask-error"), note)
            assert page.locator("#chat").inner_text() == before  # still shown, unchanged
            assert page.locator("#question textarea").input_value() == question  # kept to be edited
            assert page.locator(".toast-body").count() == 0
        page.screenshot(path=str(tmp_path / "rejected.png"), full_page=True)
        page.locator("#question textarea").fill("这份报告的标题是什么？")
        page.locator("#ask-btn").click()
        page.locator("#ask-error").get_by_text("问题过长").wait_for(state="detached", timeout=60_000)
        browser.close()
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_ask_endpoint_rejects_an_empty_question_without_a_traceback(payload_app):
    from gradio_client.exceptions import AppError

    url, client, log = payload_app
    seen = len(log.read_text(encoding="utf-8"))
    with pytest.raises(AppError, match="问题为空"):
        client.predict("", 5, api_name="/ask")
    time.sleep(0.5)
    assert "Traceback" not in log.read_text(encoding="utf-8")[seen:]
