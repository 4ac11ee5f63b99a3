"""Load and soak runs against ``ui.py``: many local clients, bounded in count and time.

``python -m bench.load [--clients 50] [--requests 20] [--soak 4000]`` starts
the app on 127.0.0.1 over a copy of the cached report index, then

* **load**: ``clients`` threads each send ``requests`` mixed requests (3 in
  4 questions, 1 in 4 quotes) at once; reports errors and ask/verify latency;
* **soak**: ``soak`` requests from 4 threads; reports the app's RSS before
  and after (growth is what a leak would show).

Only the app's own loopback port is ever contacted.
"""
from __future__ import annotations

import json
from collections import Counter
import statistics
import threading
import time
from pathlib import Path

from rag.evaluation.evaluate import percentile

QUESTIONS_AND_QUOTES = Path(__file__).resolve().parents[1] / "eval"


def _inputs(distinct: bool = False) -> tuple[list[str], list[str]]:
    """Questions and quotes to send.  The report's 165 questions repeat (as a
    public page's popular questions do, so the engine's answer cache serves
    most); ``distinct`` draws on both report sets (866 questions) so that no
    question of a 50 x 20 run is asked twice and every answer is computed."""
    def column(name, key):
        rows = (QUESTIONS_AND_QUOTES / name).read_text(encoding="utf-8").splitlines()
        return [json.loads(x)[key] for x in rows if x.strip()]

    questions = column("qa_report.jsonl", "question")
    if distinct:
        questions = list(dict.fromkeys(questions + column("qa_report2.jsonl", "question")))
    return questions, column("quotes_report.jsonl", "quote")


def call(http, url: str, api: str, args: list) -> str:
    """One call through Gradio's plain HTTP API (what ``curl`` would do): POST
    ``/gradio_api/call/NAME``, then read the event stream for the result.

    ``gradio_client`` costs the load generator about 67 ms of CPU a request
    (measured), more than the app spends answering; on the same 2 cores that
    measured the client, not the app.
    """
    event = http.post(f"{url}gradio_api/call/{api}", json={"data": args}).raise_for_status().json()["event_id"]
    with http.stream("GET", f"{url}gradio_api/call/{api}/{event}") as stream:
        kind = None
        for line in stream.iter_lines():
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:") and kind in ("complete", "error"):
                if kind == "error":
                    raise RuntimeError(line[5:].strip())
                return json.loads(line[5:])[0]
    raise RuntimeError("no result")


def _client_run(url: str, plan: list[tuple[str, str]], out: list, deadline: float) -> None:
    import httpx

    with httpx.Client(timeout=120) as http:
        for kind, text in plan:
            if time.time() > deadline:
                out.append((kind, None, "deadline"))
                continue
            t0 = time.perf_counter()
            try:
                json.loads(call(http, url, kind, [text, 5] if kind == "ask" else [text]))
                out.append((kind, time.perf_counter() - t0, None))
            except Exception as exc:  # counted, never raised: the run reports errors
                out.append((kind, None, f"{type(exc).__name__}: {str(exc)[:80]}"))


def hammer(url: str, clients: int, requests: int, timeout: float = 1200, distinct: bool = False) -> dict:
    """``clients`` threads, ``requests`` each, mixed ask/verify."""
    questions, quotes = _inputs(distinct)
    results: list = []
    deadline = time.time() + timeout
    threads = []
    for c in range(clients):
        plan = [("verify", quotes[(c * requests + i) % len(quotes)]) if i % 4 == 3
                else ("ask", questions[(c * requests + i) % len(questions)]) for i in range(requests)]
        threads.append(threading.Thread(target=_client_run, args=(url, plan, results, deadline)))
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    row = {"requests": len(results), "errors": sum(1 for _, _, e in results if e), "wall_s": round(wall, 1),
           "error_kinds": dict(Counter(e for _, _, e in results if e))}
    for kind in ("ask", "verify"):
        secs = [s for k, s, e in results if k == kind and not e]
        if secs:
            row[kind] = {"n": len(secs), "median_ms": round(1000 * statistics.median(secs), 1),
                         "p95_ms": round(1000 * percentile(secs, 0.95), 1)}
    return row


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024


def run(url: str, pid: int, clients: int, requests: int, soak: int) -> dict:
    """Load, then soak, against a running app."""
    import httpx

    # The app makes its English bridge in the background once it answers
    # (seconds of CPU); one English question waits for it, so the runs
    # measure answering, not the start.
    with httpx.Client(timeout=300) as http:
        call(http, url, "ask", ["What does the report say?", 5])
    # Distinct questions first, while the answer cache is empty.
    out = {"load_distinct": hammer(url, clients, requests, distinct=True), "load": hammer(url, clients, requests)}
    if soak:
        before = rss_mb(pid)
        out["soak"] = hammer(url, 4, soak // 4)
        out["soak"]["rss_before_mb"] = round(before, 1)
        out["soak"]["rss_after_mb"] = round(rss_mb(pid), 1)
        out["soak"]["rss_growth_mb"] = round(out["soak"]["rss_after_mb"] - before, 1)
    return out
