"""The question-and-answer list: each answer with its evidence right under it.

Phone first: a turn is the question, the answer, and a collapsible
「依据与出处」 holding the marked paragraph, paste-ready citations and the
other passages, each with a button that opens the reader at that place.
Every report or visitor string goes through ``verbatim`` (text) or
``attribute`` (``data-*`` values the page's script copies or opens).
"""
from __future__ import annotations

from .. import cite
from ..escape import attribute, verbatim
from ..reader import ABSTAIN_MESSAGE, TENTATIVE_NOTE, level, tentative, unmentioned_note
from ..types import Citation, Response
from .links import link
from .reader_view import cite_box

OPEN = '<details class="evidence">'


def open_button(c: Citation, highlight: tuple[int, int] | None = None) -> str:
    """「在原文中查看」: the page's script opens the reader at the cited text.

    A button, not a link: an answer holds no ``<a>`` at all, so any link in
    it could only come from a rendered payload (the browser test checks).
    """
    target = link(doc=c.doc, s=(c.start, c.end), h=highlight)
    return f'<button class="act" data-open="{attribute(target[1:])}">在原文中查看</button>'


def where(docs: dict, c: Citation) -> str:
    """The citation in words: document title, part and paragraph (and the paragraph's number overall)."""
    doc = docs.get(c.doc)
    words = cite.place(doc, c.paragraph, c.page) if doc else f"第{c.paragraph}段"
    return f"《{c.title}》{words}"  # place() adds the whole document's number where it differs


def paragraph_marked(docs: dict, r: Response) -> str:
    """The answer's paragraph with the sentence and the short answer marked."""
    a = r.answer
    doc = docs[a.citation.doc]
    t = doc.text
    s0, s1, a0, a1 = a.citation.start, a.citation.end, a.span_start, a.span_end
    p0, p1 = (doc.paragraph(a.citation.paragraph).start, doc.paragraph(a.citation.paragraph).end) \
        if a.citation.paragraph else (s0, s1)
    inner = (verbatim(t[s0:a0]) + f'<mark class="span">{verbatim(t[a0:a1])}</mark>' + verbatim(t[a1:s1])
             if (a0, a1) != (s0, s1) else verbatim(t[s0:s1]))
    return f'<p class="verbatim">{verbatim(t[p0:s0])}<mark class="sent">{inner}</mark>{verbatim(t[s1:p1])}</p>'


def passages(docs: dict, r: Response) -> str:
    return "".join(f'<div class="passage"><p class="verbatim">{verbatim(p.text)}</p>'
                   f'<p class="cite verbatim">{verbatim(where(docs, p.citation))} · 排序分 {p.score:.2f}</p>'
                   f'<div class="acts">{open_button(p.citation)}</div></div>' for p in r.passages)


def answer_block(docs: dict, r: Response, accessed) -> str:
    """The answer, its confidence, and the buttons to copy it or share it."""
    share = f'<button class="act" data-share="{attribute(link(q=r.question))}">复制链接</button>'
    if r.answer is None:
        why = r.note or unmentioned_note(r.unmentioned)
        return (f'<p class="abstain">{verbatim(ABSTAIN_MESSAGE)}。</p>'
                + (f'<p>{verbatim(why)}。</p>' if why else "")
                + f'<p class="muted">下面列出最接近的段落，仅供参考，并非答案。</p><div class="acts">{share}</div>')
    a = r.answer
    head = f'<p><strong>答：<span class="verbatim">{verbatim(a.text)}</span></strong></p>' if a.text != a.sentence else ""
    note = f"（{verbatim(TENTATIVE_NOTE)}）" if tentative(r.question, a.confidence) else ""
    plain = (f"答：{a.text}\n" if a.text != a.sentence else "") + a.sentence
    return (f'{head}<blockquote class="verbatim">{verbatim(a.sentence)}</blockquote>'
            f'<p class="cite">出处：<span class="verbatim">{verbatim(where(docs, a.citation))}</span></p>'
            f"<p>置信度：<span title='答对的概率约为 {a.confidence:.2f}'>{level(a.confidence)}</span>{note}</p>"
            f'<div class="acts"><button class="act" data-copy="{attribute(plain)}">复制答案</button>{share}'
            f'{open_button(a.citation, (a.span_start, a.span_end))}</div>')


def evidence(docs: dict, r: Response, accessed) -> str:
    """The collapsible evidence of one answer (closed; the newest turn is shown open)."""
    if r.answer is None:
        return f'{OPEN}<summary>最接近的段落（{len(r.passages)}）</summary>{passages(docs, r)}</details>'
    cites = cite.for_answer(r, docs, accessed)
    return (f'{OPEN}<summary>依据与出处</summary><h4>原文段落</h4>{paragraph_marked(docs, r)}'
            f'{cite_box(cites["news"], cites["gbt7714"])}<h4>参考段落</h4>{passages(docs, r)}</details>')


def turn(docs: dict, r: Response, accessed) -> str:
    """One question and its answer with the evidence under it."""
    return (f'<article class="turn"><p class="q verbatim">问：{verbatim(r.question)}</p>'
            f'{answer_block(docs, r, accessed)}{evidence(docs, r, accessed)}</article>')


def conversation(turns: list[str]) -> str:
    """Newest first, so the latest answer sits right under the question box; its evidence open."""
    if not turns:
        return ""
    newest = turns[-1].replace(OPEN, '<details class="evidence" id="evidence" open>', 1)
    return "".join([newest, *reversed(turns[:-1])])


def error(message: str, title: str = "无法提问") -> str:
    """Why a question (quote, draft) was rejected, shown under its box; what was on screen stays.

    >>> error("稿件为空", "无法核查稿件")
    '<p class="ask-error" role="alert">无法核查稿件：稿件为空</p>'
    """
    return f'<p class="ask-error" role="alert">{title}：{verbatim(message)}</p>'
