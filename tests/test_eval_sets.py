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
