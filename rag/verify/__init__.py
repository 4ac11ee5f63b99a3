"""Quote checking: is a pasted quote in the corpus, where, and what changed.

``verify(index, quote)`` checks one quote; ``check_draft(index, text)``
finds every quotation in a journalist's draft and checks each.  Modules:
``views`` (the normalised corpus), ``locate`` and ``splice`` (where a quote
lies), ``diff`` (what changed), ``verdict`` (the verdict), ``explain`` (it
in words), ``drafts`` (quotations in a draft), ``ui`` (the Gradio tab).
"""
from .diff import KINDS, Change, DiffOp
from .drafts import DraftCheck, DraftError, DraftQuote, check_draft
from .explain import format_verdict
from .verdict import LABELS, Match, Piece, QuoteError, Verdict, check_quote, verify

__all__ = ["KINDS", "LABELS", "Change", "DiffOp", "DraftCheck", "DraftError", "DraftQuote", "Match", "Piece",
           "QuoteError", "Verdict", "check_draft", "check_quote", "format_verdict", "verify"]
