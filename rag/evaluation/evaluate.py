"""Evaluation: retrieval, answer sentence, EM/F1 (``metrics.py``), abstention, tables.

One :class:`Outcome` per question records what a system did; :func:`summarize`
turns a list of them into the numbers in the README.
"""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from ..model.embed import DEFAULT_MODEL
from .metrics import cmrc_em, cmrc_f1


@dataclass(frozen=True)
class QAItem:
    """One question with its gold answers and, when known, its gold place."""

    id: str
    question: str
    answers: tuple[str, ...]
    doc: str | None = None
    paragraph: int | None = None
    lang: str = "zh-Hans"
    type: str = "fact"
    fold: int | None = None  # the training fold of its article: scored by the model that never saw it

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class Outcome:
    """What one system did with one question.

    ``rank`` is the 1-based rank of the first retrieved chunk that holds a
    gold answer (None: not in the top 10).  ``sentence_ok`` needs an answer
    (abstention is a miss); ``guess_ok`` judges the reader's best guess even
    when it abstained, which shows what calibration costs.
    """

    item: QAItem
    rank: int | None
    answered: bool
    sentence_ok: bool
    guess_ok: bool
    paragraph_ok: bool | None
    short: str
    seconds: float
    confidence: float = 0.0


def _mean(xs) -> float | None:
    xs = list(xs)
    return sum(xs) / len(xs) if xs else None


def percentile(xs: list[float], q: float) -> float | None:
    """Nearest-rank percentile.

    >>> percentile([5, 1, 3, 2, 4], 0.5), percentile(list(range(1, 101)), 0.95)
    (3, 95)
    """
    if not xs:
        return None
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, -(-int(q * 100) * len(s) // 100) - 1))]


def summarize(outcomes: list[Outcome]) -> dict:
    """Metrics over answerable questions, plus abstention on unanswerable ones.

    Rates are fractions (0..1); ``None`` when a metric has no questions.
    """
    ans = [o for o in outcomes if o.item.answerable]
    unans = [o for o in outcomes if not o.item.answerable]
    paras = [o.paragraph_ok for o in ans if o.paragraph_ok is not None]
    correct = sum(o.sentence_ok for o in ans) + sum(not o.answered for o in unans)
    return {
        "questions": len(outcomes), "answerable": len(ans),
        "r1": _mean(o.rank == 1 for o in ans),
        "r5": _mean(o.rank is not None and o.rank <= 5 for o in ans),
        "mrr10": _mean(1.0 / o.rank if o.rank else 0.0 for o in ans),
        "sent_acc": _mean(o.sentence_ok for o in ans),
        "guess_acc": _mean(o.guess_ok for o in ans),
        "para_acc": _mean(paras) if paras else None,
        "em": _mean(cmrc_em(o.item.answers, o.short) for o in ans),
        "f1": _mean(cmrc_f1(o.item.answers, o.short) for o in ans),
        "abstain": _mean(not o.answered for o in ans),
        "unanswerable": len(unans),
        "unans_abstain": _mean(not o.answered for o in unans),
        "overall": correct / len(outcomes) if outcomes else None,
        "p50_ms": _ms(statistics.median([o.seconds for o in outcomes])) if outcomes else None,
        "p95_ms": _ms(percentile([o.seconds for o in outcomes], 0.95)),
        "ece": _ece(outcomes),
    }


def _ece(outcomes: list[Outcome]) -> float | None:
    """Expected calibration error of the confidence as P(the best guess is right); unanswerable: never right."""
    import numpy as np

    from .training import expected_calibration_error

    if not outcomes:
        return None
    conf = np.asarray([o.confidence for o in outcomes])
    right = np.asarray([o.item.answerable and o.guess_ok for o in outcomes], float)
    return expected_calibration_error(conf, right)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(1000 * seconds, 2)


COLUMNS = [("questions", "n"), ("r1", "R@1"), ("r5", "R@5"), ("mrr10", "MRR@10"),
           ("sent_acc", "sent acc"), ("guess_acc", "guess acc"), ("em", "EM"), ("f1", "F1"),
           ("abstain", "abstain"), ("ece", "ECE"), ("p50_ms", "p50 ms")]
REPORT_COLUMNS = [("questions", "n"), ("answerable", "answerable"), ("r1", "R@1"), ("r5", "R@5"), ("sent_acc", "sent acc"),
                  ("para_acc", "para acc"), ("em", "EM"), ("f1", "F1"), ("abstain", "abstain"),
                  ("unans_abstain", "unans. abstain"), ("overall", "overall"), ("ece", "ECE"), ("p50_ms", "p50 ms")]


def _cell(key: str, value) -> str:
    if value is None:
        return "–"
    if key.endswith("_ms"):
        return f"{value:.1f}"
    if key == "ece":
        return f"{value:.3f}"
    if isinstance(value, float):
        return f"{100 * value:.1f}"
    return str(value)


def markdown_table(rows: dict[str, dict], columns=COLUMNS) -> str:
    """One row per system; rates shown in %, latencies in ms.

    >>> print(markdown_table({"a": {"questions": 2, "r1": 0.5}}, [("questions", "n"), ("r1", "R@1")]))
    | system | n | R@1 |
    |---|---|---|
    | a | 2 | 50.0 |
    """
    head = "| system | " + " | ".join(label for _, label in columns) + " |"
    rule = "|---" * (len(columns) + 1) + "|"
    body = ["| " + name + " | " + " | ".join(_cell(k, m.get(k)) for k, _ in columns) + " |"
            for name, m in rows.items()]
    return "\n".join([head, rule, *body])


# The report's question sets: the first written with the system, the second
# by a separate writer who saw only the report (see eval/README.md).
REPORT_SETS = {"report": "qa_report.jsonl", "report2": "qa_report2.jsonl"}
ALL_SETS = ("report", "report2", "quotes", "dev", "cmrc2018", "drcd", "cross")
# The development reports' questions (eval/qa_dev/, see eval/README.md); RAG_DEV_QA
# points at another folder of such files, e.g. a new batch for its first run.
DEV_QA = "qa_dev"
MODES = ("hybrid", "bm25", "dense")


@dataclass(frozen=True)
class EvalOptions:
    """What ``rag eval`` runs; paths default to the project's own."""

    sets: tuple[str, ...] = ALL_SETS
    limit: int | None = None
    modes: tuple[str, ...] = MODES
    peer: bool = True
    model: str = DEFAULT_MODEL
    backend: str | None = None  # None: RAG_BACKEND, else the default
    corpus: str = "corpus"
    eval_dir: str = str(Path(__file__).resolve().parents[2] / "eval")  # the dev sets ship with the code


def _breakdown(outcomes: list[Outcome]) -> dict[str, dict]:
    """Report-set metrics per language and per question type."""
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(f"lang={o.item.lang}", []).append(o)
        groups.setdefault(f"type={o.item.type}", []).append(o)
    return {k: summarize(v) for k, v in sorted(groups.items())}


def run_eval(opts: EvalOptions, progress=None) -> dict:
    """Run every requested set; return JSON-ready metrics (no per-question rows)."""
    from . import benchmarks as B
    from ..model.embed import load_embedder
    from . import devsets

    embedder = load_embedder(opts.model, progress, opts.backend)
    out = {"meta": {"model": opts.model, "embedder": embedder.id, "limit": opts.limit, "modes": list(opts.modes), "peer": opts.peer,
                    "threads": threads()}, "sets": {}}
    corpus, eval_dir = Path(opts.corpus), Path(opts.eval_dir)
    for name in opts.sets:
        started = time.perf_counter()
        if name == "quotes":
            from .quotes import eval_quotes

            res = eval_quotes(corpus, eval_dir / "quotes_report.jsonl", opts.limit, embedder, progress)
        elif name == "cross":
            res = devsets.eval_cross(opts.limit, embedder, progress)
        elif name == "dev":
            import os

            folder = Path(os.environ.get("RAG_DEV_QA") or eval_dir / DEV_QA)
            res = devsets.eval_dev(sorted(folder.glob("*.jsonl")), opts.limit, opts.modes, embedder, progress,
                                   trained_on=folder.resolve() == (eval_dir / DEV_QA).resolve())
            res["breakdown"] = _breakdown(res["systems"][f"ours-{opts.modes[0]}"]) if opts.modes else {}
        elif name in REPORT_SETS:
            res = B.eval_report(corpus, eval_dir / REPORT_SETS[name], opts.limit, opts.modes, opts.peer,
                                embedder, progress)
            res["breakdown"] = _breakdown(res["systems"][f"ours-{opts.modes[0]}"]) if opts.modes else {}
        else:
            res = B.eval_squad(name, opts.limit, opts.modes, opts.peer, embedder, progress)
        if "systems" in res:
            res["systems"] = {k: summarize(v) for k, v in res["systems"].items()}
        res["seconds"] = round(time.perf_counter() - started, 1)
        out["sets"][name] = res
    return out


def threads() -> dict:
    """Thread settings that latencies depend on (torch only if already loaded)."""
    import os
    import sys

    torch = sys.modules.get("torch")
    return {"RAG_THREADS": os.environ.get("RAG_THREADS"), "torch": torch.get_num_threads() if torch else None}


def format_results(results: dict) -> str:
    """Markdown: one section and table per set."""
    parts = [f"model `{results['meta']['model']}`, limit {results['meta']['limit'] or 'none (full)'}"]
    for name, res in results["sets"].items():
        parts.append(f"\n### {name} ({res.get('seconds', 0):.0f} s)")
        if "skipped" in res:
            parts.append(f"skipped: {res['skipped']}")
            continue
        if "quotes" in res:
            parts.append(_quotes_markdown(res["quotes"]))
            continue
        cols = REPORT_COLUMNS if name in REPORT_SETS or name in ("dev", "cross") else COLUMNS
        parts.append(markdown_table(res["systems"], cols))
        if res.get("breakdown"):
            parts += ["", markdown_table(res["breakdown"], cols)]
        info = {k: v for k, v in res.get("info", {}).items() if k != "lost_examples"}
        parts.append("\n" + ", ".join(f"{k}: {v}" for k, v in info.items()))
    return "\n".join(parts)


def _quotes_markdown(q: dict) -> str:
    """The quote set's row: verdict accuracy overall and per gold verdict."""
    row = {"questions": q["quotes"], "accuracy": q["accuracy"], "para_acc": q["para_acc"],
           "p50_ms": q["p50_ms"], "p95_ms": q["p95_ms"], **{f"v_{k}": v for k, v in q["per_verdict"].items()}}
    cols = ([("questions", "n"), ("accuracy", "verdict acc")] + [(f"v_{k}", k) for k in q["per_verdict"]]
            + [("para_acc", "para acc"), ("p50_ms", "p50 ms"), ("p95_ms", "p95 ms")])
    confusion = ", ".join(f"{k} {v}" for k, v in q["confusion"].items())
    return markdown_table({"verify": row}, cols) + "\nconfusion (gold->found): " + confusion
