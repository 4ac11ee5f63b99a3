"""Colours and layout of the page: one palette per theme, checked for contrast.

Gradio marks dark mode with a ``dark`` class (following the phone's
setting), so every colour this app paints is a CSS variable set once for
light and once under ``.dark``.  ``PAIRS`` lists each text colour with the
background it is drawn on; tests/test_theme.py holds every pair to WCAG AA
(4.5:1) in both themes, so a highlight can never again be white on pale
yellow.  The layout is phone-first: one column, evidence under its answer,
tap targets at least 44 px high.
"""
from __future__ import annotations

VERDICTS = ("exact", "near", "altered", "not_found", "skipped")  # skipped: a draft's quotation left unchecked
PALETTES = {
    "light": {"fg": "#1f2937", "bg": "#ffffff", "muted": "#5b6470", "link": "#1d4ed8", "error": "#b42318",
              "sent-fg": "#1f2937", "sent-bg": "#fff3b0", "span-fg": "#1f2937", "span-bg": "#ffd166",
              "vq-fg": "#1f2937", "vq-bg": "#ffd6d6", "vs-fg": "#1f2937", "vs-bg": "#d6f0ff",
              "chip-fg": "#1e3a8a", "chip-bg": "#e0e7ff", "border": "#d1d5db", "card-bg": "#f8fafc",
              "badge-fg": "#ffffff", "exact-bg": "#1b7f3b", "near-bg": "#2f6fb3", "altered-bg": "#b3261e",
              "not_found-bg": "#6b6b6b", "skipped-bg": "#5b6470", "primary-fg": "#ffffff", "primary-bg": "#c2410c",
              "primary-hover": "#9a3412", "tab-fg": "#c2410c"},
    "dark": {"fg": "#f3f4f6", "bg": "#1f2937", "muted": "#a8b0bc", "link": "#93c5fd", "error": "#ffb4a8",
             "sent-fg": "#fff7d6", "sent-bg": "#5c4a00", "span-fg": "#ffffff", "span-bg": "#8a5a00",
             "vq-fg": "#ffe3e3", "vq-bg": "#6b1d1d", "vs-fg": "#e3f4ff", "vs-bg": "#0f4a6b",
             "chip-fg": "#e0e7ff", "chip-bg": "#1e3a8a", "border": "#4b5563", "card-bg": "#111827",
             "badge-fg": "#ffffff", "exact-bg": "#166534", "near-bg": "#1e40af", "altered-bg": "#991b1b",
             "not_found-bg": "#4b5563", "skipped-bg": "#374151", "primary-fg": "#ffffff", "primary-bg": "#c2410c",
             "primary-hover": "#9a3412", "tab-fg": "#fb923c"},
}
# (text, background) as drawn: body text, muted notes, links, errors on the panel and card;
# the highlighted sentence and short answer; the quote diff's marks; example-question chips;
# the verdict badges (white on the verdict's colour); the primary buttons and the selected tab's label
# (Gradio's orange is 2.8:1 on white).
PAIRS = [("fg", "bg"), ("muted", "bg"), ("link", "bg"), ("error", "bg"), ("fg", "card-bg"), ("muted", "card-bg"),
         ("link", "card-bg"), ("sent-fg", "sent-bg"), ("span-fg", "span-bg"), ("vq-fg", "vq-bg"),
         ("vs-fg", "vs-bg"), ("chip-fg", "chip-bg"), ("primary-fg", "primary-bg"),
         ("primary-fg", "primary-hover"), ("tab-fg", "bg")] + [("badge-fg", f"{v}-bg") for v in VERDICTS]


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``.

    >>> luminance("#ffffff"), luminance("#000000")
    (1.0, 0.0)
    """
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours.

    >>> round(contrast("#ffffff", "#000000"), 1), round(contrast("#888888", "#ffffff"), 2)
    (21.0, 3.54)
    """
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _variables(palette: dict) -> str:
    return "".join(f"--rag-{name}:{value};" for name, value in palette.items())


LAYOUT = """
/* Gradio's status tracker writes "processing |" and "queue: 1/2" in English,
   whatever the page's language; its spinner and bar say as much. */
.progress-text {display:none !important}
.rag-panel, #chat, #reader, #cards, #draft-results {color:var(--rag-fg)}
.verbatim {white-space:pre-wrap}
.cite, .rd-x, .muted {color:var(--rag-muted)}
.rag-panel a, #chat a, #reader a, #cards a, #draft-results a {color:var(--rag-link)}
mark.sent {background:var(--rag-sent-bg); color:var(--rag-sent-fg); padding:1px 0}
mark.span {background:var(--rag-span-bg); color:var(--rag-span-fg); font-weight:700}
mark.vq {background:var(--rag-vq-bg); color:var(--rag-vq-fg); font-weight:700}
mark.vs {background:var(--rag-vs-bg); color:var(--rag-vs-fg); font-weight:700}
span.velide {color:var(--rag-muted)}
.vbadge {display:inline-block; color:var(--rag-badge-fg); padding:4px 12px; border-radius:12px; font-weight:700}
.vpair {display:flex; flex-wrap:wrap; gap:8px 16px} .vpair > div {flex:1 1 16em; border:1px solid var(--rag-border);
  border-radius:6px; padding:8px}
#draft-results .dcheck {border:1px solid var(--rag-border); border-radius:10px; padding:10px 12px; margin:10px 0}
#draft-results .dcheck blockquote {margin:6px 0; padding-left:8px; border-left:3px solid var(--rag-border)}
.abstain, .ask-error {color:var(--rag-error); font-weight:700; margin:4px 0}
.busy {color:var(--rag-muted)}
.turn {border:1px solid var(--rag-border); border-radius:10px; padding:10px 12px; margin:10px 0; background:var(--rag-bg)}
.turn .q {font-weight:700; margin:0 0 6px}
.turn blockquote {margin:6px 0; padding-left:8px; border-left:3px solid var(--rag-border)}
.turn details.evidence > summary, .card details > summary, .rd-toc > summary, #history summary {display:list-item;
  padding:12px 0; line-height:20px; cursor:pointer; font-weight:600}
.passage {border-left:3px solid var(--rag-border); padding-left:8px; margin:8px 0}
.acts {display:flex; flex-wrap:wrap; gap:6px; margin:6px 0}
.act, .chip {min-height:44px; min-width:44px; display:inline-flex; align-items:center; padding:0 12px;
  border:1px solid var(--rag-border); border-radius:22px; background:var(--rag-bg); color:var(--rag-link);
  font-size:15px; cursor:pointer; text-decoration:none; box-sizing:border-box}
.chip {background:var(--rag-chip-bg); color:var(--rag-chip-fg) !important; border-color:transparent}
.citebox {border:1px dashed var(--rag-border); border-radius:8px; padding:6px 8px; margin:6px 0}
.citebox p {margin:2px 0}
.card {border:1px solid var(--rag-border); border-radius:12px; padding:10px 12px; background:var(--rag-card-bg);
  color:var(--rag-fg); margin:0 0 8px}
.card h3 {margin:0 0 4px; font-size:17px; line-height:1.35}
.card .meta {margin:0 0 6px; color:var(--rag-muted); font-size:14px}
.card .chips {display:flex; flex-wrap:wrap; gap:6px}
.card ol, .rd-toc ol {margin:4px 0; padding-left:1.4em}
.card li a, .rd-toc li a {display:inline-flex; align-items:center; min-height:44px}
#reader .rd-text {white-space:pre-wrap; line-height:1.8; font-size:16px}
#reader .rd-h {display:inline-block; font-weight:700; font-size:1.1em; margin-top:6px}
#reader .rd-t {font-weight:700; font-size:1.2em}
#reader .rd-head {margin:0 0 8px}
#history-list a {display:inline-flex; min-height:44px; align-items:center}
#app-title h1, #app-title h2 {font-size:20px; margin:4px 0}
#app-title p {margin:0}
button[role=tab], #ask-btn, #verify-btn, #draft-btn, .gradio-container button.primary {min-height:44px}
.gradio-container button.primary {background:var(--rag-primary-bg) !important; color:var(--rag-primary-fg) !important}
.gradio-container button.primary:hover {background:var(--rag-primary-hover) !important}
button[role=tab].selected {color:var(--rag-tab-fg) !important}
#copied {position:fixed; left:50%; bottom:24px; transform:translateX(-50%); background:var(--rag-fg);
  color:var(--rag-bg); padding:8px 16px; border-radius:20px; z-index:1000; display:none}
#copied.on {display:block}
footer, .api-docs, .settings-btn {display:none !important}
@media (max-width: 640px) {
  /* four tabs fit a 390 px phone side by side: none is hidden behind Gradio's overflow menu */
  button[role=tab] {padding:0 12px !important}
  .card h3 {font-size:16px}
}
"""

LAYOUT += "".join(f".vbadge.v-{v} {{background:var(--rag-{v}-bg)}}\n" for v in VERDICTS)

# Gradio scopes the css= rules to its inner container; the page's outer margin is set from <head>:
# Gradio's 32 px each side would leave a phone's four tabs no room.
OUTER = "@media (max-width: 640px) {.gradio-container .main.app {padding-left:8px; padding-right:8px}}"


def css() -> str:
    """The page's stylesheet: both palettes and the phone-first layout."""
    return (f":root {{{_variables(PALETTES['light'])}}}\n.dark {{{_variables(PALETTES['dark'])}}}\n" + LAYOUT)
