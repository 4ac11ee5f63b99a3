"""Render the page's screenshots for the README into docs/screenshots/ (``make screenshots``).

Starts ``ui.py`` (the real model unless RAG_MODEL says otherwise) with a
temporary index on a free port, drives Debian chromium through Playwright at
1366×900 and 390×844, light and dark, and saves viewport-sized pictures.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
QUESTION = "2024年黄石市民的科学素质比例是多少？"
QUOTE = "2024年,黄石市公民具备科学素质比例达25.3%"
# A short news item quoting the report five ways: exact, shortened with …, a changed number, a dropped clause, invented.
DRAFT = ("黄石市科协近日发布工作综述。「2024年,黄石市公民具备科学素质比例达15.3%」，"
         '五年来"累计邀请院士50人次……为企业提供技术指导600余次"。'
         "该会负责人称“黄石科技馆年均参观量突破40万人次”，"
         "又称『黄石科技馆年均参观量突破30万人次,惠及群众10万余人次』。"
         "一位市民表示：月球上已建成三座科普基地并对外开放。")
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# (viewport, scheme, view): which pictures to make
SHOTS = [("phone", "light", "landing"), ("phone", "light", "answer"), ("phone", "dark", "answer"),
         ("phone", "dark", "reader"), ("desktop", "light", "answer"), ("desktop", "dark", "verify"),
         ("desktop", "light", "reader"), ("phone", "light", "verify"), ("phone", "light", "draft"),
         ("phone", "dark", "draft"), ("desktop", "light", "draft")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc, timeout: float = 300) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("ui.py exited early")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("ui.py did not come up")


def shoot(page, url: str, view: str, path: Path) -> None:
    if view == "landing":
        page.goto(url)
        page.locator("#cards .card").wait_for(timeout=300_000)
    elif view in ("answer", "reader"):
        page.goto(url + "?q=" + quote(QUESTION))
        page.locator("#evidence mark.span").wait_for(timeout=300_000)
        if view == "answer":
            page.locator("#chat .turn").first.scroll_into_view_if_needed()
            page.evaluate("document.querySelector('#chat .turn').scrollIntoView({block: 'start'})")
        else:
            page.locator("#chat .turn button[data-open]").first.click()
            page.locator("#reader mark.sent").wait_for(timeout=60_000)
    elif view == "verify":
        page.goto(url + "?quote=" + quote(QUOTE))
        page.locator("#verify-cite .citebox").wait_for(timeout=300_000)
        if page.viewport_size["width"] < 640:  # on a phone the verdict, not the box, fills the picture
            page.evaluate("document.querySelector('#verify-verdict').scrollIntoView({block: 'start'})")
    else:  # the draft check: the summary and the first quotations
        page.goto(url)
        page.get_by_role("tab", name="核查稿件").click()
        page.locator("#draft-text textarea").fill(DRAFT)
        page.locator("#draft-btn").click()
        page.locator("#draft-results .dcheck").first.wait_for(timeout=300_000)
        page.evaluate("document.querySelector('#draft-results').scrollIntoView({block: 'start'})")
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    shrink(path)


def shrink(path: Path, limit: int = 200 * 1024) -> None:
    """Keep a committed picture under 200 KB: a 256-colour palette loses nothing a reader sees in text."""
    from PIL import Image

    if path.stat().st_size <= limit:
        return
    with Image.open(path) as img:
        img.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
        proc = subprocess.Popen([sys.executable, "ui.py", "--port", str(port), "--index", str(Path(tmp) / "index")],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        try:
            wait_up(url, proc)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
                for size, scheme, view in SHOTS:
                    context = browser.new_context(viewport=VIEWPORTS[size], color_scheme=scheme)
                    path = OUT / f"{size}-{scheme}-{view}.png"
                    shoot(context.new_page(), url, view, path)
                    print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
                    context.close()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
