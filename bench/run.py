"""Speed benchmarks: warm ask/verify latency, index builds, app cold start, memory.

``python -m bench.run [--model M] [--n 200]`` prints a markdown table and
writes ``bench/results/latest.json``.  Latencies are medians and p95 over at
least 200 calls (the dev questions reused cyclically) after a short warm-up;
index builds and cold starts are repeated and their median reported, because
one run on a shared 2-core machine says little.

>>> stats([0.010, 0.020, 0.030])["median_ms"]
20.0
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rag.evaluation.benchmarks import ROOT, SETS, cache_dir, load_squad, model_tag, open_set_engine, shared_dir, write_corpus
from rag.model.embed import load_embedder
from rag.evaluation.evaluate import percentile, threads
from rag.index import build_index

WARMUP = 5


def stats(seconds: list[float]) -> dict:
    return {"n": len(seconds), "median_ms": round(1000 * statistics.median(seconds), 2),
            "p95_ms": round(1000 * percentile(seconds, 0.95), 2)}


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": cpu, "python": platform.python_version(),
            "threads": threads()}


def timed_calls(fn, inputs: list[str], n: int) -> list[float]:
    """Time ``fn`` on ``n`` inputs taken cyclically, after a warm-up."""
    for x in inputs[:WARMUP]:
        fn(x)
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(inputs[i % len(inputs)])
        out.append(time.perf_counter() - t0)
    return out


def _jsonl(path: Path, key: str) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(x)[key] for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def bench_builds(corpus: Path, embedder, repeats: int) -> dict:
    """Build the report index from scratch ``repeats`` times into a temp folder."""
    runs, chars = [], sum(len(p.read_text(encoding="utf-8")) for p in corpus.glob("*.*"))
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            build_index(corpus, Path(tmp) / "index", embedder)
            runs.append(time.perf_counter() - t0)
    return {"runs_s": [round(r, 2) for r in runs], "median_s": round(statistics.median(runs), 2),
            "chars": chars, "chars_per_s": round(chars / statistics.median(runs))}


def bench_cmrc_build(embedder, progress) -> dict:
    """CMRC2018 dev corpus build: from the cached index's manifest, else built now (once)."""
    contexts, _ = load_squad(shared_dir() / SETS["cmrc2018"], "cmrc2018")
    corpus = write_corpus(contexts, cache_dir() / "bench-corpus" / "cmrc2018")
    engine, built = open_set_engine("cmrc2018", corpus, embedder, progress)
    chars = sum(len(c.text) + len(c.title) for c in contexts)
    seconds = engine.index.manifest["build_seconds"]
    return {"seconds": seconds, "source": "built now" if built else "cached index manifest",
            "chunks": len(engine.index.chunks), "chars": chars, "chars_per_s": round(chars / seconds)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_run(model: str, index_src: Path, args) -> dict:
    """``bench.load`` against a freshly started app over a copy of the index."""
    from gradio_client import Client

    from bench.load import run as load

    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(index_src, Path(tmp) / "index")
        env = os.environ | {"GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        cmd = [sys.executable, str(ROOT / "ui.py"), "--port", str(port), "--index", str(Path(tmp) / "index"),
               "--corpus", str(ROOT / "corpus"), "--model", model] + (["--backend", args.backend] if args.backend else [])
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _first_answer(Client, f"http://127.0.0.1:{port}/", proc, time.perf_counter(), 900)
            return load(f"http://127.0.0.1:{port}/", proc.pid, args.clients, args.requests, args.soak)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def cold_start(model: str, index_src: Path | None, timeout: float = 900, backend: str | None = None) -> tuple[float, int]:
    """Seconds from launching ``ui.py`` to the first answer from ``/ask``, and
    the app's peak RSS in MB (VmHWM: RUSAGE_CHILDREN would count the pages a
    forked child shares with this process before it execs).

    With ``index_src`` the index is copied in first (a restart); without it
    the app builds the index itself (a first run).
    """
    from gradio_client import Client

    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        if index_src:
            shutil.copytree(index_src, index)
        env = os.environ | {"GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        cmd = [sys.executable, str(ROOT / "ui.py"), "--port", str(port), "--index", str(index),
               "--corpus", str(ROOT / "corpus"), "--model", model] + (["--backend", backend] if backend else [])
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            seconds = _first_answer(Client, f"http://127.0.0.1:{port}/", proc, t0, timeout)
            return seconds, _peak_rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def _peak_rss_mb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) // 1024


def _first_answer(Client, url: str, proc, t0: float, timeout: float) -> float:
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"ui.py exited with code {proc.returncode}")
        try:
            reply = Client(url, verbose=False).predict("黄石有几家院士工作站？", 5, api_name="/ask")
            json.loads(reply)
            return time.perf_counter() - t0
        except Exception:  # not listening yet: poll again
            time.sleep(0.2)
    raise TimeoutError("ui.py did not answer in time")


def run(args, progress) -> dict:
    embedder = load_embedder(args.model, progress, args.backend)
    corpus = ROOT / "corpus"
    engine, _ = open_set_engine("report", corpus, embedder, progress)
    questions = _jsonl(ROOT / "eval" / "qa_report.jsonl", "question")
    out = {"machine": machine(), "model": embedder.id, "ask": stats(timed_calls(engine.ask, questions, args.n))}
    out["machine"]["threads"] = threads()
    quotes = _jsonl(ROOT / "eval" / "quotes_report.jsonl", "quote")
    out["verify"] = stats(timed_calls(engine.verify, quotes, args.n)) if quotes else "no quote set"
    out["build_report"] = bench_builds(corpus, embedder, args.build_repeats)
    if args.cmrc:
        out["build_cmrc2018"] = bench_cmrc_build(embedder, progress)
    index_src = cache_dir() / "bench-index" / f"report-{model_tag(embedder.id)}"
    cold = [cold_start(args.model, index_src, backend=args.backend) for _ in range(args.cold_runs)]
    first = cold_start(args.model, None, backend=args.backend) if args.cold_runs else (None, None)
    secs = [c for c, _ in cold]
    out["cold_start_s"] = {"runs": [round(c, 2) for c in secs], "median": round(statistics.median(secs), 2)} if cold else None
    out["cold_start_with_build_s"] = round(first[0], 2) if first[0] else None
    out["peak_rss_mb"] = {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                          "ui": max([m for _, m in cold] + [first[1] or 0]) or None}
    if args.clients:
        out["load"] = load_run(args.model, index_src, args)
    return out


def markdown(r: dict) -> str:
    m = r["machine"]
    rows = [("ask, warm (median / p95)", _lat(r["ask"])),
            ("verify, warm (median / p95)", _lat(r["verify"]) if isinstance(r["verify"], dict) else r["verify"]),
            ("ask p95 / median", f"{r['ask']['p95_ms'] / r['ask']['median_ms']:.2f}"),
            ("report index build (median of runs)", f"{r['build_report']['median_s']} s "
             f"({r['build_report']['chars_per_s']} chars/s, runs {r['build_report']['runs_s']})")]
    if "build_cmrc2018" in r:
        c = r["build_cmrc2018"]
        rows.append(("CMRC2018 dev index build", f"{c['seconds']:.0f} s ({c['chunks']} chunks, {c['chars_per_s']} chars/s, {c['source']})"))
    if r["cold_start_s"]:
        rows.append(("ui.py cold start → first answer, index present", f"{r['cold_start_s']['median']} s (runs {r['cold_start_s']['runs']})"))
        rows.append(("ui.py cold start → first answer, index built", f"{r['cold_start_with_build_s']} s"))
    rows.append(("peak RSS (bench process / ui.py)", f"{r['peak_rss_mb']['self']} MB / {r['peak_rss_mb']['ui']} MB"))
    if r.get("load"):
        soak = r["load"].get("soak")
        for key, what in (("load_distinct", "distinct questions"), ("load", "report questions, repeating")):
            load = r["load"][key]
            rows.append((f"load: {load['requests']} requests from many clients at once ({what})",
                         f"{load['errors']} errors; ask {_lat(load['ask'])}; verify {_lat(load['verify'])}; {load['wall_s']} s"))
        if soak:
            rows.append((f"soak: {soak['requests']} requests", f"{soak['errors']} errors; RSS {soak['rss_before_mb']} → "
                         f"{soak['rss_after_mb']} MB (growth {soak['rss_growth_mb']} MB)"))
    head = (f"model `{r['model']}` · {m['nproc']} cores · {m['cpu']} · RAG_THREADS={m['threads']['RAG_THREADS']}"
            f" · torch threads {m['threads']['torch']}\n\n| measure | value |\n|---|---|")
    return head + "\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)


def _lat(s: dict) -> str:
    return f"{s['median_ms']:.1f} / {s['p95_ms']:.1f} ms (n={s['n']})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=os.environ.get("RAG_MODEL", "intfloat/multilingual-e5-small"))
    parser.add_argument("--backend", default=None, help="onnx | onnx-fp32 | torch (default: RAG_BACKEND, else onnx)")
    parser.add_argument("--n", type=int, default=200, help="timed calls per latency measure")
    parser.add_argument("--build-repeats", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=3, help="0 skips the ui.py cold start")
    parser.add_argument("--no-cmrc", dest="cmrc", action="store_false", help="skip the CMRC2018 index build")
    parser.add_argument("--clients", type=int, default=50, help="load run: concurrent clients (0 skips load and soak)")
    parser.add_argument("--requests", type=int, default=20, help="load run: requests per client")
    parser.add_argument("--soak", type=int, default=4000, help="soak run: requests, RSS before and after")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    parser.add_argument("--scale", action="store_true", help="also run bench.scale at 10k and 100k chunks "
                        "(results in bench/results/scale.json; `make bench-scale` adds 1M)")
    args = parser.parse_args(argv)
    result = run(args, progress=lambda msg: print(msg, file=sys.stderr))
    publish(result, markdown, args.json)
    if args.scale:
        from bench import scale

        scale.main([])
    return 0


def say(msg: str) -> None:
    """Progress of a benchmark, on stderr (stdout carries the table)."""
    print(msg, file=sys.stderr, flush=True)


def run_and_publish(parser: argparse.ArgumentParser, run, table, argv: list[str] | None) -> int:
    """A benchmark's ``main``: parse ``argv``, ``run(args, say)``, print its table, save ``--json``."""
    args = parser.parse_args(argv)
    publish(run(args, say), table, args.json)
    return 0


def publish(result: dict, table, path: Path) -> None:
    """Print the markdown table and write the JSON next to the other results."""
    print(table(result))
    save_json(result, path)


def save_json(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
