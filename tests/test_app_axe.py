"""axe-core (from npm) finds no contrast or label violation on any tab, desktop and phone, light and dark.

axe-core is installed once per checkout into the gitignored ``.cache/npm``
(``npm install --no-save``) and injected into the page; without npm the test
is skipped, saying why.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from test_app import DRAFT, _wait_text
from test_app_pages import DESKTOP, PHONE, QUESTION, _page, browser, url  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
# Contrast and every rule about a control's accessible name.
RULES = ["color-contrast", "label", "label-title-only", "form-field-multiple-labels", "button-name",
         "input-button-name", "aria-input-field-name", "aria-toggle-field-name", "aria-command-name",
         "select-name", "link-name"]
RUN = """async rules => {
  const r = await axe.run(document, {runOnly: {type: 'rule', values: rules}, resultTypes: ['violations']});
  return r.violations.map(v => ({rule: v.id, nodes: v.nodes.map(n => [n.target.join(' '), n.failureSummary])}));
}"""


@pytest.fixture(scope="module")
def axe() -> Path:
    if not AXE.exists():
        if not shutil.which("npm"):
            pytest.skip("npm is not installed: axe-core comes from the npm registry")
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(AXE.parents[2]),
                        "axe-core@4"], check=True, cwd=ROOT, timeout=300, capture_output=True)
    return AXE


def _violations(page, axe: Path, where: str) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe))
    page.wait_for_timeout(400)  # Gradio's tab switch and fade-ins settle
    return [f"{where}: {v['rule']}: {target}: {summary}"
            for v in page.evaluate(RUN, RULES) for target, summary in v["nodes"]]


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_contrast_or_label_violation(browser, url, axe, size, scheme):  # noqa: F811
    page = _page(browser, url + "?q=" + QUESTION, viewport=DESKTOP if size == "desktop" else PHONE, scheme=scheme)
    page.emulate_media(color_scheme=scheme)
    page.locator("#evidence mark.span").wait_for(timeout=60_000)
    found = _violations(page, axe, "问答")
    page.get_by_role("tab", name="引文核查").click()
    page.locator("#verify-quote textarea").fill("2024年,黄石市公民具备科学素质比例达25.3%")
    page.locator("#verify-btn").click()
    page.locator("#verify-cite .citebox").wait_for(timeout=60_000)
    found += _violations(page, axe, "引文核查")
    page.get_by_role("tab", name="核查稿件").click()
    page.locator("#draft-text textarea").fill(DRAFT)
    page.locator("#draft-btn").click()
    _wait_text(page.locator("#draft-results"), "稿件中找到")
    found += _violations(page, axe, "核查稿件")
    page.locator("#draft-results button", has_text="在原文中查看").first.click()
    page.locator("#reader mark.sent").wait_for(timeout=60_000)
    found += _violations(page, axe, "阅读原文")
    page.context.close()
    assert found == [], "\n".join(found)
