"""The development sets stay valid: gold strings in the report and in their paragraph."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_eval_sets_pass_their_checker():
    run = subprocess.run([sys.executable, str(ROOT / "eval" / "check_sets.py")], capture_output=True, text=True,
                         cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().endswith("OK")


def test_development_report_questions_are_grounded_in_their_reports():
    """eval/qa_dev (batches a to aj): every gold is in its report (as
    published in ../shared/corpus-dev) and in its evidence.  Earlier held-out folders keep only
    their first runs' results, no questions."""
    import json

    import pytest

    dev = ROOT.parent / "shared" / "corpus-dev"
    if not dev.is_dir():
        pytest.skip("../shared/corpus-dev is beside the project root")
    batches = ("qa_dev",)
    files = [f for batch in batches for f in sorted((ROOT / "eval" / batch).glob("*.jsonl"))]
    assert len(files) == 270
    ids = set()
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text = next(dev.glob(row["doc"] + ".*")).read_text(encoding="utf-8")
            assert row["id"] not in ids and row["lang"] in ("zh-Hans", "zh-Hant", "en")
            ids.add(row["id"])
            if row["answers"]:
                assert row["evidence"] in text and all(a in row["evidence"] for a in row["answers"]), row["id"]
            else:
                assert row["type"] == "unanswerable" and row["evidence"] is None
