"""The Gradio app, started as users start it: `python ui.py`, then asked over HTTP and in a browser."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
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
            raise AssertionError(f"ui.py exited early: {proc.stdout.read()}")
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
    assert set(row) == {"question", "abstained", "answer", "passages"}
    assert row["answer"]["text"] == "15.3%"
    cite = row["answer"]["citation"]
    assert (cite["paragraph"], cite["section"]) == (9, "打造全域科普 健全惠民体系")
    text = (ROOT / cite["path"]).read_bytes().decode("utf-8")
    assert text[cite["start"]:cite["end"]] == row["answer"]["sentence"]
    assert len(row["passages"]) == 3


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
        assert "第10段" in page.locator("#verify-cite textarea").input_value()
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
