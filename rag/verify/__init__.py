"""Quote checking: is a pasted quote in the corpus, where, and what changed.

Modules: ``verdict`` (the verdict of one quote), ``locate`` (where it lies),
``diff`` (what changed), ``ui`` (the Gradio tab).
"""
from .diff import KINDS, Change, DiffOp
from .verdict import LABELS, Match, QuoteError, Verdict, check_quote, format_verdict, verify

__all__ = ["KINDS", "LABELS", "Change", "DiffOp", "Match", "QuoteError", "Verdict", "check_quote",
           "format_verdict", "verify"]
