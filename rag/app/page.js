// The page's behaviour that Gradio does not give: Enter and IME, links in the URL,
// copy and share buttons, the visitor's history in localStorage, the reader's scroll.
// Report and visitor text is only ever set with .value or .textContent here.
(() => {
  const HISTORY = "rag-history-v1", MAX_HISTORY = 20, RESTORE = 6;
  const $ = (sel) => document.querySelector(sel);
  const boxes = { question: "#ask-btn", "verify-quote": "#verify-btn", "draft-text": "#draft-btn" };
  const BOXES = "#question, #verify-quote, #draft-text";

  // Enter submits, Shift+Enter is a newline, and nothing happens while an IME composes
  // (pinyin: the Enter that confirms a composition must not send the Latin letters).
  // A draft is many paragraphs: there Enter is a newline and Ctrl/Shift+Enter checks it.
  window.addEventListener("keydown", (e) => {
    const box = e.target.closest && e.target.closest(BOXES);
    if (!box || e.target.tagName !== "TEXTAREA") return;
    if (e.isComposing || e.keyCode === 229) { e.stopPropagation(); return; }
    if (e.key !== "Enter") return;
    e.stopPropagation();  // Gradio's own Enter handling never sees it
    const send = box.id === "draft-text" ? (e.ctrlKey || e.metaKey || e.shiftKey) : !e.shiftKey;
    if (!send) return;
    e.preventDefault();
    $(boxes[box.id]).click();
  }, true);
  // Gradio submits on keypress (Shift+Enter in a multi-line box): keep that event from it too.
  window.addEventListener("keypress", (e) => {
    if (e.key === "Enter" && e.target.closest && e.target.closest(BOXES)) e.stopPropagation();
  }, true);

  function setValue(sel, value) {
    const ta = $(sel + " textarea");
    if (!ta) return false;
    ta.value = value;
    ta.dispatchEvent(new Event("input", { bubbles: true }));
    return true;
  }
  function whenPresent(sel, fn, tries = 300) {
    const el = $(sel);
    if (el) return fn(el);
    if (tries > 0) setTimeout(() => whenPresent(sel, fn, tries - 1), 100);
  }
  function tab(name) {
    const b = [...document.querySelectorAll("button[role=tab]")].find((x) => x.textContent.trim() === name);
    if (b && b.getAttribute("aria-selected") !== "true") b.click();
  }
  function run(sel, value, button, tabName) {
    tab(tabName);
    whenPresent(sel + " textarea", () => {
      setValue(sel, value);
      setTimeout(() => $(button).click(), 60);
    });
  }
  function say(text) {
    let t = $("#copied");
    if (!t) { t = document.createElement("div"); t.id = "copied"; t.setAttribute("role", "status"); document.body.appendChild(t); }
    t.textContent = text; t.classList.add("on");
    clearTimeout(t._timer); t._timer = setTimeout(() => t.classList.remove("on"), 1600);
  }
  async function copy(text) {
    try { await navigator.clipboard.writeText(text); }
    catch (err) {  // no clipboard permission: the old way
      const ta = document.createElement("textarea"); ta.value = text; document.body.appendChild(ta);
      ta.select(); document.execCommand("copy"); ta.remove();
    }
    window.__ragCopied = text;
    say("已复制");
  }
  const here = (query) => location.origin + location.pathname + query;
  function setUrl(query, push) {
    if (location.search === query) return;
    history[push ? "pushState" : "replaceState"](null, "", here(query));
  }

  // The visitor's history: what they asked and checked, newest first.
  function load() { try { return JSON.parse(localStorage.getItem(HISTORY)) || []; } catch (e) { return []; } }
  function remember(kind, text) {
    text = (text || "").trim();
    if (!text || text.length > 5000) return;
    const items = load().filter((x) => !(x.k === kind && x.t === text));
    items.unshift({ k: kind, t: text });
    try { localStorage.setItem(HISTORY, JSON.stringify(items.slice(0, MAX_HISTORY))); } catch (e) {}
    drawHistory();
  }
  function drawHistory() {
    const list = $("#history-list");
    if (!list) return;
    list.replaceChildren();
    for (const item of load()) {
      const li = document.createElement("li"), a = document.createElement("a");
      a.href = "?" + new URLSearchParams({ [item.k]: item.t });
      a.textContent = (item.k === "quote" ? "核查：" : "问：") + item.t;
      a.dataset.kind = item.k; a.dataset.text = item.t;
      li.appendChild(a); list.appendChild(li);
    }
    const box = $("#history");
    if (box) box.hidden = !list.children.length;
  }

  document.addEventListener("click", (e) => {
    const el = e.target.closest && e.target.closest("[data-copy],[data-share],[data-open],[data-ask],[data-jump],#history-list a,#ask-btn,#verify-btn");
    if (!el) return;
    if (el.id === "ask-btn") { const v = $("#question textarea").value; if (v.trim()) { remember("q", v); setUrl("?" + new URLSearchParams({ q: v.trim() })); } return; }
    if (el.id === "verify-btn") { const v = $("#verify-quote textarea").value; if (v.trim()) { remember("quote", v); setUrl("?" + new URLSearchParams({ quote: v.trim() })); } return; }
    e.preventDefault();
    if (el.dataset.copy !== undefined) return copy(el.dataset.copy);
    if (el.dataset.share !== undefined) return copy(here(el.dataset.share));
    if (el.dataset.open !== undefined) { setUrl("?" + el.dataset.open, true); return openReader(el.dataset.open); }
    if (el.dataset.ask !== undefined) return run("#question", el.dataset.ask, "#ask-btn", "问答");
    if (el.dataset.jump) { const t = document.getElementById(el.dataset.jump); if (t) t.scrollIntoView({ block: "start" }); return; }
    if (el.dataset.kind === "quote") return run("#verify-quote", el.dataset.text, "#verify-btn", "引文核查");
    if (el.dataset.kind === "q") return run("#question", el.dataset.text, "#ask-btn", "问答");
  });

  function openReader(query) {
    tab("阅读原文");
    whenPresent("#open-target textarea", () => { setValue("#open-target", query); setTimeout(() => $("#open-btn").click(), 60); });
  }
  // The reader scrolls to its mark each time it is filled, once its tab is on screen.  Gradio mounts the
  // reader's tab lazily, often already filled, so the whole page is watched: a mark element not yet
  // scrolled to (every fill makes new ones) is scrolled to, whatever else changes on the page.
  let scrolledTo = null, pending = null;
  function scrollToMark(target, centre, tries = 60) {
    if (!target.isConnected) return;
    if (!target.getClientRects().length && tries > 0) return setTimeout(() => scrollToMark(target, centre, tries - 1), 50);
    target.scrollIntoView({ block: centre ? "center" : "start" });
  }
  function checkReader() {
    pending = null;
    const reader = $("#reader");
    const mark = reader && (reader.querySelector("mark.span") || reader.querySelector("mark.sent"));
    const target = mark || (reader && reader.querySelector(".rd-head"));
    if (!target || target === scrolledTo) return;
    scrolledTo = target;
    scrollToMark(target, !!mark);
  }
  function watchReader() {
    new MutationObserver(() => { if (!pending) pending = setTimeout(checkReader, 30); })
      .observe(document.body, { childList: true, subtree: true });
  }

  // A link reproduces its result; without one, the last questions come back.
  function start() {
    const p = new URLSearchParams(location.search);
    drawHistory();
    watchReader();
    if (p.get("q")) return run("#question", p.get("q"), "#ask-btn", "问答");
    if (p.get("quote")) return run("#verify-quote", p.get("quote"), "#verify-btn", "引文核查");
    if (p.get("doc")) return openReader(location.search.slice(1));
    const asked = load().filter((x) => x.k === "q").slice(0, RESTORE).map((x) => x.t).reverse();
    if (asked.length) whenPresent("#restore-in textarea", () => { setValue("#restore-in", JSON.stringify(asked)); setTimeout(() => $("#restore-btn").click(), 60); });
  }
  window.addEventListener("popstate", () => { const q = location.search; if (q.includes("doc=")) openReader(q.slice(1)); });
  // A click made before Gradio has bound its events is lost, so links wait for the server's first
  // answer (the landing cards, marked data-ready); after 30 s they go ahead anyway.
  (function whenReady(tries) {
    if ($("#cards [data-ready]") || tries === 0) return start();
    setTimeout(() => whenReady(tries - 1), 100);
  })(300);
})();
