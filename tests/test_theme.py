"""Every text colour of the page against its background: WCAG AA (4.5:1) in light and dark."""
from __future__ import annotations

import re

import pytest

from rag.app import theme


@pytest.mark.parametrize("name", sorted(theme.PALETTES))
def test_every_pair_meets_wcag_aa(name):
    palette = theme.PALETTES[name]
    low = {f"{fg} on {bg}": round(theme.contrast(palette[fg], palette[bg]), 2) for fg, bg in theme.PAIRS
           if theme.contrast(palette[fg], palette[bg]) < 4.5}
    assert low == {}


def test_the_stylesheet_paints_only_palette_colours():
    """No literal colour in the layout rules: each is a variable the palettes define (and the test checks)."""
    css = theme.css()
    layout = css.split("\n", 2)[2]
    assert re.findall(r"#[0-9a-fA-F]{3,6}\b", layout) == []
    used = set(re.findall(r"var\(--rag-([a-z-]+)\)", css))
    assert used <= set(theme.PALETTES["light"]) == set(theme.PALETTES["dark"])
    drawn = {name for pair in theme.PAIRS for name in pair}
    assert used - drawn <= {"border"}  # borders carry no text
