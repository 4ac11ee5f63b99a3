"""The page as a visitor meets it, in Debian chromium: links, the reader, citations, phone, IME, Chinese chrome."""
from __future__ import annotations

import re
import shutil
from datetime import date

import pytest

from conftest import REPORT, REPORT_DIR
from rag.app import theme
from rag.app.links import link
from test_app import BROWSER_ARGS, DRAFT, _wait_for, _wait_text, serve

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium is installed by `make test`")]

QUESTION = "2024年黄石市民的科学素质比例是多少？"
TITLE = "黄石市科协第八次代表大会以来工作综述"
TEXT = REPORT.read_bytes().decode("utf-8")
SENTENCE = (1804, 1867)  # the answer's sentence and short answer in the report file
SHORT = (1824, 1829)
NEWS = (f"据黄石市科协2025年12月17日发布的《{TITLE}》第三部分（打造全域科普 健全惠民体系）第1段（全文第9段）："
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


def _clipboard(page) -> str:
    """What the last copy button put on the system clipboard (the page's own record must agree)."""
    text = page.evaluate("navigator.clipboard.readText()")
    assert text == page.evaluate("window.__ragCopied")
    return text


@pytest.mark.parametrize("size, scheme", [("phone", "light"), ("desktop", "dark")])
def test_full_flow_ask_read_share_reopen_then_verify_and_copy(browser, url, size, scheme):
    """The visitor's way: ask → the reader at the highlighted sentence → copy its link → a fresh browser opens
    the same place; the answer's own link reproduces the answer; verify → copy the news citation."""
    viewport = PHONE if size == "phone" else DESKTOP
    context = browser.new_context(viewport=viewport, color_scheme=scheme, locale="en-US",
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(url)
    page.get_by_text("就绪").wait_for(timeout=60_000)
    page.locator("#question textarea").fill(QUESTION)
    page.locator("#question textarea").press("Enter")
    page.locator("#evidence mark.span").wait_for(timeout=60_000)
    answer = page.locator("#chat .turn").first.inner_text()
    page.locator("#chat .turn button[data-share]").first.click()
    asked = _clipboard(page)
    assert asked == url.rstrip("/") + "/" + link(q=QUESTION)
    page.locator("#chat .turn button[data-open]").first.click()
    page.locator("#reader mark.span").wait_for(timeout=60_000)
    assert page.locator("#reader mark.sent").text_content() == TEXT[SENTENCE[0]:SENTENCE[1]]
    page.locator("#reader button[data-share]").first.click()
    place = _clipboard(page)
    assert place.endswith(link(doc="huangshi-kexie-2025-12-17", s=SENTENCE, h=SHORT))

    fresh = browser.new_context(viewport=viewport, color_scheme=scheme, locale="en-US")  # no history, no storage
    other = fresh.new_page()
    other.goto(place)
    other.locator("#reader mark.span").wait_for(timeout=60_000)
    assert other.locator("#reader mark.sent").text_content() == TEXT[SENTENCE[0]:SENTENCE[1]]
    assert other.locator("#reader mark.span").text_content() == TEXT[SHORT[0]:SHORT[1]]
    mark = other.locator("#reader mark.sent").bounding_box()
    assert 0 <= mark["y"] < viewport["height"]
    other.goto(asked)
    other.locator("#evidence mark.span").wait_for(timeout=60_000)
    assert other.locator("#chat .turn").first.inner_text() == answer
    fresh.close()

    page.get_by_role("tab", name="引文核查").click()
    page.locator("#verify-quote textarea").fill(TEXT[slice(*DRAFT_EXACT)])
    page.locator("#verify-quote textarea").press("Enter")
    page.locator("#verify-verdict").get_by_text("原文一致").wait_for(timeout=60_000)
    page.locator("#verify-cite button[data-copy]").first.click()
    assert _clipboard(page) == NEWS.replace(TEXT[SENTENCE[0]:SENTENCE[1]], TEXT[slice(*DRAFT_EXACT)])
    context.close()


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
        f"据黄石市科协2025年12月17日发布的《{TITLE}》第三部分（打造全域科普 健全惠民体系）第1段（全文第9段）：“")
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


DRAFT_SUMMARY = "稿件中找到 4 处引语：原文一致 1 处，与原文不符 1 处，未找到 1 处，未核查 1 处。"
DRAFT_EXACT = (1804, 1829)  # the 「」 quotation's place in the report file


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_draft_is_checked_quotation_by_quotation(browser, url, scheme):
    page = _page(browser, url, scheme=scheme)
    tab = page.get_by_role("tab", name="核查稿件")
    assert tab.bounding_box()["x"] + tab.bounding_box()["width"] <= PHONE["width"]  # all tabs fit a phone
    tab.click()
    box = page.locator("#draft-text textarea")
    box.fill(DRAFT)
    box.press("Enter")  # a newline in a draft, not a check
    page.wait_for_timeout(1000)
    assert box.input_value() == DRAFT + "\n" and page.locator("#draft-results .dcheck").count() == 0
    box.press("Control+Enter")
    _wait_text(page.locator("#draft-results"), DRAFT_SUMMARY)
    checks = page.locator("#draft-results .dcheck")
    assert checks.locator(".vbadge").all_inner_texts() == ["原文一致", "与原文不符", "未找到", "未核查"]
    assert checks.locator("blockquote").all_inner_texts() == [
        "2024年,黄石市公民具备科学素质比例达15.3%", "黄石科技馆年均参观量突破40万人次", "月球上已建成三座科普基地并对外开放", "四服务"]
    exact, altered, missing, skipped = (checks.nth(i) for i in range(4))
    assert exact.locator(".cite-news").inner_text() == NEWS.replace(TEXT[SENTENCE[0]:SENTENCE[1]], TEXT[slice(*DRAFT_EXACT)])
    assert exact.locator(".cite-gbt").inner_text() == gbt()
    assert altered.locator("li").all_inner_texts() == ["数字：引文为“40万人次”，原文为“30万人次”"]
    assert (altered.locator("mark.vq").inner_text(), altered.locator("mark.vs").inner_text()) == ("4", "3")
    assert "引文与第10段的原文不符" in altered.inner_text() and altered.locator(".citebox").count() == 1
    assert missing.locator(".citebox, button").count() == 0 and "不提供出处与引用格式" in missing.inner_text()
    assert "未核查" in skipped.inner_text() and "多为名称或术语" in skipped.inner_text() and skipped.locator("button").count() == 0
    for badge in checks.locator(".vbadge").all():
        fg, bg = badge.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
        assert theme.contrast(_rgb(fg), _rgb(bg)) >= 4.5, (scheme, fg, bg)
    if scheme == "dark":
        return page.context.close()
    exact.locator("button[data-copy]").first.click()
    assert _wait_for(lambda: page.evaluate("window.__ragCopied") == exact.locator(".cite-news").inner_text(), 10)
    exact.get_by_role("button", name="在原文中查看").click()
    page.locator("#reader mark.sent").wait_for(timeout=60_000)
    assert page.locator("#reader mark.sent").text_content() == TEXT[slice(*DRAFT_EXACT)]
    page.context.close()


DRAFT5 = ("记者从黄石市科协获悉，「2024年,黄石市公民具备科学素质比例达15.3%」。"
          '报告写道"累计邀请院士50人次……为企业提供技术指导600余次"。'
          "该会负责人称“黄石科技馆年均参观量突破40万人次”，"
          "又称『黄石科技馆年均参观量突破30万人次,惠及群众10万余人次』。\n"
          "一位市民表示：月球上已建成三座科普基地并对外开放。")


def test_a_draft_with_five_quotation_styles_gets_each_verdict(browser, url):
    """「」 exact, "" near (marked elision), “” altered (a number), 『』 altered (an unmarked omission), 表示： not_found."""
    page = _page(browser, url, viewport=DESKTOP)
    page.get_by_role("tab", name="核查稿件").click()
    page.locator("#draft-text textarea").fill(DRAFT5)
    page.locator("#draft-btn").click()
    _wait_text(page.locator("#draft-results"), "稿件中找到 5 处引语")
    assert page.locator("#draft-results .dsum").inner_text() == (
        "稿件中找到 5 处引语：原文一致 1 处，基本一致 1 处，与原文不符 2 处，未找到 1 处。")
    checks = page.locator("#draft-results .dcheck")
    assert checks.locator(".vbadge").all_inner_texts() == ["原文一致", "基本一致", "与原文不符", "与原文不符", "未找到"]
    assert [c.locator(".dhead .muted").inner_text() for c in checks.all()] == [
        "（「…」）", '（"…"）', "（“…”）", "（『…』）", "（冒号后的话）"]
    assert checks.locator("blockquote").all_inner_texts() == [
        "2024年,黄石市公民具备科学素质比例达15.3%", "累计邀请院士50人次……为企业提供技术指导600余次",
        "黄石科技馆年均参观量突破40万人次", "黄石科技馆年均参观量突破30万人次,惠及群众10万余人次",
        "月球上已建成三座科普基地并对外开放"]
    exact, near, number, omission, missing = (checks.nth(i) for i in range(5))
    assert exact.locator(".cite-news").inner_text() == NEWS.replace(TEXT[SENTENCE[0]:SENTENCE[1]], TEXT[slice(*DRAFT_EXACT)])
    assert "引文用省略号删节了" in near.inner_text() and near.locator("li").count() == 0
    assert near.locator(".citebox").count() >= 1
    assert number.locator("li").all_inner_texts() == ["数字：引文为“40万人次”，原文为“30万人次”"]
    assert omission.locator("li").all_inner_texts() == ["删节：引文未加省略号，删去了原文的“科普大篷车累计行程2万公里”"]
    assert omission.locator(".citebox").count() == 1
    for check in (exact, near, number, omission):
        assert check.locator(".cite-gbt").first.inner_text() == gbt()
    assert missing.locator(".citebox, .cite-news, .cite-gbt, button").count() == 0
    assert "不提供出处与引用格式" in missing.inner_text()
    page.context.close()


def test_rejected_draft_and_quote_are_explained_inline(browser, url):
    """An empty or over-long draft, a too-short quote: a Chinese note under the box, the results stay, no toast."""
    page = _page(browser, url, viewport=DESKTOP)
    page.get_by_role("tab", name="核查稿件").click()
    page.locator("#draft-text textarea").fill(DRAFT)
    page.locator("#draft-btn").click()
    before = _wait_text(page.locator("#draft-results"), DRAFT_SUMMARY)
    for draft, note in [(" \n ", "无法核查稿件：稿件为空，请粘贴要核查的文字"),
                        ("字" * 50_001, "无法核查稿件：稿件过长（50001 字），请控制在 50000 字以内")]:
        page.locator("#draft-text textarea").fill(draft)
        page.locator("#draft-btn").click()
        _wait_text(page.locator("#draft-error"), note)
        assert page.locator("#draft-error").inner_text() == note
        assert page.locator("#draft-results").inner_text() == before
        assert page.locator("#draft-text textarea").input_value() == draft
    page.get_by_role("tab", name="引文核查").click()
    page.locator("#verify-quote textarea").fill("黄石科技馆年均参观量突破40万人次")
    page.locator("#verify-quote textarea").press("Enter")
    page.locator("#verify-verdict").get_by_text("与原文不符").wait_for(timeout=60_000)
    verdict = page.locator("#verify-changes").inner_text()
    page.locator("#verify-quote textarea").fill("黄")
    page.locator("#verify-btn").click()
    _wait_text(page.locator("#verify-error"), "无法核查：引文太短")
    assert page.locator("#verify-error").inner_text() == "无法核查：引文太短（有效字符少于 4 个），无法核查，请粘贴完整的一句话"
    assert page.locator("#verify-changes").inner_text() == verdict
    page.locator("#verify-quote textarea").fill("黄石市成功入选首批全国全域科普试点单位")
    page.locator("#verify-btn").click()
    page.locator("#verify-verdict").get_by_text("原文一致").wait_for(timeout=60_000)
    assert page.locator("#verify-error").inner_text() == ""
    assert page.locator(".toast-body").count() == 0
    page.context.close()


CHROME_JS = """() => {
  const skip = ['#chat', '#reader', '#cards', '#verify-verdict', '#verify-diff', '#verify-changes', '#verify-cite',
                '#history-list', '#draft-results'];
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
ALLOWED = {"Shift", "Ctrl", "GB", "EB", "OL"}


def _rgb(css: str) -> str:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chrome_is_chinese_and_marks_are_readable(browser, url, scheme):
    page = _page(browser, url + link(q=QUESTION), viewport=DESKTOP, scheme=scheme)
    page.locator("#evidence mark.span").wait_for(timeout=60_000)
    for name in ("引文核查", "核查稿件", "阅读原文", "问答"):
        page.get_by_role("tab", name=name).click()
        page.wait_for_timeout(300)
        latin = set(re.findall(r"[A-Za-z]{2,}", page.evaluate(CHROME_JS))) - ALLOWED
        assert latin == set(), name
    assert page.locator("footer").evaluate_all("els => els.filter(e => e.getClientRects().length).length") == 0
    for sel in ("#evidence mark.sent", "#evidence mark.span"):
        fg, bg = page.locator(sel).first.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
        assert theme.contrast(_rgb(fg), _rgb(bg)) >= 4.5, (sel, fg, bg)
    page.context.close()
