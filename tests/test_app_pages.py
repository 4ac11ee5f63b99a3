"""The page as a visitor meets it, in Debian chromium: links, the reader, citations, phone, IME, Chinese chrome."""
from __future__ import annotations

import re
import shutil
from datetime import date

import pytest

from conftest import REPORT, REPORT_DIR
from rag.app import theme
from rag.app.links import link
from test_app import BROWSER_ARGS, _wait_for, serve

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium is installed by `make test`")]

QUESTION = "2024年黄石市民的科学素质比例是多少？"
TITLE = "黄石市科协第八次代表大会以来工作综述"
TEXT = REPORT.read_bytes().decode("utf-8")
SENTENCE = (1804, 1867)  # the answer's sentence and short answer in the report file
SHORT = (1824, 1829)
NEWS = (f"据黄石市科协2025年12月17日发布的《{TITLE}》第三部分（打造全域科普 健全惠民体系）第1段："
        f"“{TEXT[SENTENCE[0]:SENTENCE[1]]}”")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def gbt() -> str:
    return f"黄石市科协. {TITLE}[EB/OL]. (2025-12-17)[{date.today().isoformat()}]."


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    with serve(REPORT_DIR, root) as (base, _, log):
        yield base
    assert "Traceback" not in log.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        yield b
        b.close()


def _page(browser, url: str, viewport=PHONE, scheme="light"):
    context = browser.new_context(viewport=viewport, color_scheme=scheme, locale="en-US")
    page = context.new_page()
    page.goto(url)
    page.get_by_text("就绪").wait_for(timeout=60_000)
    return page


def test_a_question_link_reproduces_the_answer_and_opens_the_reader(browser, url):
    page = _page(browser, url + link(q=QUESTION))
    page.locator("#evidence mark.span").wait_for(timeout=60_000)
    assert page.locator("#evidence mark.span").inner_text() == "15.3%"
    assert page.locator("#evidence .cite-news").inner_text() == NEWS
    assert page.locator("#evidence .cite-gbt").inner_text() == gbt()
    page.locator("#evidence button[data-copy]").first.click()  # the news citation
    assert _wait_for(lambda: page.evaluate("window.__ragCopied") == NEWS, timeout=10)
    page.locator("#chat .turn button[data-copy]").first.click()  # the answer, as plain text
    assert _wait_for(lambda: page.evaluate("window.__ragCopied") == "答：15.3%\n" + TEXT[SENTENCE[0]:SENTENCE[1]], 10)
    page.locator("#chat .turn button[data-open]").first.click()
    page.locator("#reader mark.span").wait_for(timeout=60_000)
    assert page.locator("#reader mark.sent").text_content() == TEXT[SENTENCE[0]:SENTENCE[1]]
    assert page.locator("#reader mark.span").text_content() == TEXT[SHORT[0]:SHORT[1]]
    assert page.url.endswith(link(doc="huangshi-kexie-2025-12-17", s=SENTENCE, h=SHORT))
    assert page.locator("#reader .rd-toc li").count() == 5
    assert page.locator("#reader .rd-text").inner_text() == TEXT  # the whole report, character for character
    mark = page.locator("#reader mark.sent").bounding_box()
    assert 0 <= mark["y"] < PHONE["height"]  # scrolled to the cited sentence
    page.context.close()


def test_a_place_link_opens_the_reader_in_a_fresh_browser(browser, url):
    s = (TEXT.index("黄石科技馆"), TEXT.index("黄石科技馆") + 20)
    page = _page(browser, url + link(doc="huangshi-kexie-2025-12-17", s=s), viewport=DESKTOP)
    page.locator("#reader mark.sent").wait_for(timeout=60_000)
    assert page.locator("#reader mark.sent").text_content() == TEXT[s[0]:s[1]]
    assert page.locator("#reader .cite-gbt").inner_text() == gbt()
    page.context.close()


def test_a_quote_link_checks_it_and_not_found_offers_no_citation(browser, url):
    page = _page(browser, url + link(quote="2024年,黄石市公民具备科学素质比例达25.3%"), viewport=DESKTOP)
    page.locator("#verify-verdict").get_by_text("与原文不符").wait_for(timeout=60_000)
    assert page.locator("#verify-cite .cite-gbt").inner_text() == gbt()
    assert page.locator("#verify-cite .cite-news").inner_text().startswith(
        f"据黄石市科协2025年12月17日发布的《{TITLE}》第三部分（打造全域科普 健全惠民体系）第1段：“")
    page.goto(url + link(quote="月球上已建成三座科普基地并对外开放"))
    page.locator("#verify-cite").get_by_text("不提供出处").wait_for(timeout=60_000)
    assert page.locator("#verify-cite .citebox").count() == 0
    page.context.close()


def test_phone_landing_shows_a_report_card_above_the_fold(browser, url):
    page = _page(browser, url)
    card = page.locator("#cards .card").first
    card.wait_for(timeout=60_000)
    box = card.locator("h3").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    assert TITLE in card.inner_text() and "黄石市科协" in card.inner_text() and "2025年12月17日" in card.inner_text()
    small = page.locator("#cards .chip, #cards .act, #ask-btn, button[role=tab]").evaluate_all(
        "els => els.filter(e => e.getClientRects().length).map(e => [e.textContent.trim(), e.getBoundingClientRect().height])"
        ".filter(([t, h]) => h < 44)")
    assert small == []
    page.context.close()


def test_enter_during_ime_composition_does_not_submit(browser, url):
    page = _page(browser, url)
    box = page.locator("#question textarea")
    box.fill("yuanshi")
    # The Enter that confirms a pinyin composition: isComposing, keyCode 229.
    box.evaluate("t => t.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', keyCode: 229, isComposing: true,"
                 " bubbles: true, cancelable: true}))")
    page.wait_for_timeout(1500)
    assert page.locator("#chat .turn").count() == 0 and box.input_value() == "yuanshi"
    box.fill(QUESTION)
    box.press("Shift+Enter")
    assert box.input_value() == QUESTION + "\n" and page.locator("#chat .turn").count() == 0
    box.press("Enter")
    page.locator("#chat .turn").wait_for(timeout=60_000)
    assert page.locator("#chat .turn").count() == 1
    page.reload()  # the visitor's questions survive a reload
    page.locator("#chat .turn").wait_for(timeout=60_000)
    assert QUESTION in page.locator("#chat").inner_text()
    assert QUESTION in page.locator("#history-list").text_content()
    page.context.close()


CHROME_JS = """() => {
  const skip = ['#chat', '#reader', '#cards', '#verify-verdict', '#verify-diff', '#verify-changes', '#verify-cite',
                '#history-list'];
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode, el = n.parentElement;
    if (!el || !el.getClientRects().length || skip.some(s => el.closest(s)) || el.closest('script,style')) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    words.push(n.textContent);
  }
  for (const el of document.querySelectorAll('[title],[aria-label],[placeholder]')) {
    if (!el.getClientRects().length || skip.some(s => el.closest(s))) continue;
    for (const a of ['title', 'aria-label', 'placeholder']) if (el.getAttribute(a)) words.push(el.getAttribute(a));
  }
  return words.join('\\n');
}"""
ALLOWED = {"Shift", "GB", "EB", "OL"}


def _rgb(css: str) -> str:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chrome_is_chinese_and_marks_are_readable(browser, url, scheme):
    page = _page(browser, url + link(q=QUESTION), viewport=DESKTOP, scheme=scheme)
    page.locator("#evidence mark.span").wait_for(timeout=60_000)
    for name in ("引文核查", "阅读原文", "问答"):
        page.get_by_role("tab", name=name).click()
        page.wait_for_timeout(300)
        latin = set(re.findall(r"[A-Za-z]{2,}", page.evaluate(CHROME_JS))) - ALLOWED
        assert latin == set(), name
    assert page.locator("footer").evaluate_all("els => els.filter(e => e.getClientRects().length).length") == 0
    for sel in ("#evidence mark.sent", "#evidence mark.span"):
        fg, bg = page.locator(sel).first.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
        assert theme.contrast(_rgb(fg), _rgb(bg)) >= 4.5, (sel, fg, bg)
    page.context.close()
