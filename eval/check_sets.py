#!/usr/bin/env python3
"""Validate the development sets eval/qa_report.jsonl and eval/quotes_report.jsonl
against corpus/huangshi-kexie-2025-12-17.txt (a byte-for-byte copy of ../shared/corpus/).

Stdlib + opencc only.  Prints a summary table; exits 1 on any problem.

Usage: python eval/check_sets.py [--report PATH] [--qa PATH] [--quotes PATH]
"""
import argparse
import collections
import difflib
import json
import os
from pathlib import Path
import re
import sys
import unicodedata

import opencc

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_REPORT = str(Path(__file__).resolve().parents[1] / "corpus" / "huangshi-kexie-2025-12-17.txt")

# Expected first characters of the 18 body paragraphs (sanity check of the numbering).
EXPECTED_STARTS = [
    "春华秋实", "五年来,黄石市科协屡获殊荣", "近五年来", "黄石市科协着力优化", "积极营造",
    "黄石市科协精准发力", "五年来,黄石市科协构筑", "黄石市科协牵头组织", "2024年,黄石市公民",
    "黄石市科协成功构建", "黄石市科协精心打造", "为推进智库建设", "科学制定", "创新实施",
    "五年来,黄石市科协坚持", "黄石市科协积极推进", "黄石市科协党组理论", "奋楫扬帆",
]

QA_MIN = {"total": 130, "number": 35, "zh-Hant": 15, "en": 12, "unanswerable": 22,
          "name": 5, "date": 3, "fact": 10}
QUOTE_MIN = {"total": 70, "exact": 15, "near": 12, "altered": 20, "not_found": 14}
# Sub-categories are read from the first word of `note`.
ALTERED_SUB_MIN = {"number": 8, "name": 4, "negation": 4, "word": 4}
EXACT_SUB_MIN = {"traditional": 3, "full-width punctuation": 3, "full-width digits": 2,
                 "two sentences": 2}
NOT_FOUND_FABRICATION_MIN = 10

T2S = opencc.OpenCC("t2s")
S2T = opencc.OpenCC("s2t")

# Punctuation variants mapped to one form (applied after NFKC, which already folds
# full-width ASCII such as ，：（）；！？ and full-width digits).
PUNCT_MAP = {
    "“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"',
    "＂": '"', "‘": "'", "’": "'", "﹁": '"', "﹂": '"',
    "，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "！": "!", "？": "?",
    "〔": "(", "〕": ")", "【": "[", "】": "]",
    "～": "~", "－": "-",
}


def normalize(s: str) -> str:
    s = T2S.convert(s)
    s = unicodedata.normalize("NFKC", s)
    s = "".join(PUNCT_MAP.get(ch, ch) for ch in s)
    s = re.sub(r"\.{3,}|…+", "…", s)  # …, ……, ... , ...... -> one ellipsis mark
    s = re.sub(r"\s+", "", s)  # whitespace incl. NBSP (NFKC turns NBSP into space)
    return s


def load_paragraphs(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    start = next(i for i, l in enumerate(lines) if "|文章来源:" in l) + 1
    end = next(i for i, l in enumerate(lines) if i > start and l.strip().startswith("首页"))
    paras, headings = [], []
    for l in lines[start:end]:
        l = l.strip()
        if not l:
            continue
        # Section headings: short lines without sentence-final punctuation.
        if len(l) < 30 and "。" not in l:
            headings.append(l)
            continue
        paras.append(l)
    return paras, headings


def best_window_ratio(q, p):
    """Best difflib ratio of q against any window of p of similar length."""
    best = 0.0
    for L in range(max(1, len(q) - 4), len(q) + 7):
        for i in range(0, max(1, len(p) - L + 1)):
            sm = difflib.SequenceMatcher(None, q, p[i:i + L], autojunk=False)
            if sm.real_quick_ratio() <= best or sm.quick_ratio() <= best:
                continue
            r = sm.ratio()
            if r > best:
                best = r
    return best


def read_jsonl(path, problems):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                problems.append(f"{os.path.basename(path)}:{n}: bad JSON: {e}")
    return rows


def check_row(r, keys, prefix, ids, problems) -> bool:
    """Keys, id format and id uniqueness of one row; False if the row is unusable."""
    rid = r.get("id", "?")
    if set(r) != keys:
        problems.append(f"{rid}: keys {sorted(r)} != {sorted(keys)}")
        return False
    if not re.fullmatch(rf"{prefix}\d{{3,}}", str(rid)):
        problems.append(f"{rid}: id format")
    if rid in ids:
        problems.append(f"{rid}: duplicate id")
    ids.add(rid)
    return True


def check_qa(rows, full_text, paras, problems, warnings):
    keys = {"id", "question", "lang", "type", "answers", "paragraph"}
    ids, questions = set(), set()
    c_type, c_lang = collections.Counter(), collections.Counter()
    covered = set()
    for r in rows:
        rid = r.get("id", "?")
        if not check_row(r, keys, "q", ids, problems):
            continue
        q = r["question"]
        if not isinstance(q, str) or not q.strip():
            problems.append(f"{rid}: empty question")
            continue
        if q in questions:
            problems.append(f"{rid}: duplicate question")
        questions.add(q)
        lang, typ, ans, p = r["lang"], r["type"], r["answers"], r["paragraph"]
        if lang not in ("zh-Hans", "zh-Hant", "en"):
            problems.append(f"{rid}: bad lang {lang}")
        if typ not in ("number", "name", "date", "fact", "unanswerable"):
            problems.append(f"{rid}: bad type {typ}")
        c_type[typ] += 1
        c_lang[lang] += 1
        # script sanity
        if lang == "zh-Hant" and T2S.convert(q) == q:
            problems.append(f"{rid}: zh-Hant question contains no Traditional characters")
        if lang == "zh-Hant" and S2T.convert(q) != q:
            warnings.append(f"{rid}: zh-Hant question differs from OpenCC s2t form: {S2T.convert(q)}")
        if lang == "zh-Hans" and T2S.convert(q) != q:
            problems.append(f"{rid}: zh-Hans question contains Traditional characters")
        if lang == "en" and re.search(r"[\u4e00-\u9fff]", q):
            warnings.append(f"{rid}: English question contains CJK characters")
        if not isinstance(ans, list) or not all(isinstance(a, str) and a for a in ans):
            problems.append(f"{rid}: answers must be a list of non-empty strings")
            continue
        if typ == "unanswerable":
            if ans or p is not None:
                problems.append(f"{rid}: unanswerable must have answers [] and paragraph null")
            continue
        if not 1 <= len(ans) <= 3:
            problems.append(f"{rid}: needs 1-3 answers, has {len(ans)}")
        if not isinstance(p, int) or not 1 <= p <= len(paras):
            problems.append(f"{rid}: bad paragraph {p}")
            continue
        covered.add(p)
        for a in ans:
            if a not in full_text:
                problems.append(f"{rid}: answer {a!r} not a substring of the report")
            elif a not in paras[p - 1]:
                where = [i + 1 for i, x in enumerate(paras) if a in x]
                problems.append(f"{rid}: answer {a!r} not in paragraph {p} (found in {where})")
            if len(a) > 60:
                warnings.append(f"{rid}: long answer ({len(a)} chars)")
    for k in ("number", "name", "date", "fact", "unanswerable"):
        if c_type[k] < QA_MIN[k]:
            problems.append(f"qa: type {k} has {c_type[k]} < {QA_MIN[k]}")
    for k in ("zh-Hant", "en"):
        if c_lang[k] < QA_MIN[k]:
            problems.append(f"qa: lang {k} has {c_lang[k]} < {QA_MIN[k]}")
    if len(rows) < QA_MIN["total"]:
        problems.append(f"qa: {len(rows)} questions < {QA_MIN['total']}")
    missing = sorted(set(range(1, len(paras) + 1)) - covered)
    if missing:
        problems.append(f"qa: paragraphs without questions: {missing}")
    return c_type, c_lang, covered


def check_quotes(rows, paras, problems, warnings):
    keys = {"id", "quote", "verdict", "paragraph", "note"}
    ids, seen = set(), set()
    c_verdict = collections.Counter()
    c_sub = collections.defaultdict(collections.Counter)
    nparas = [normalize(x) for x in paras]
    nbody = "".join(nparas)
    for r in rows:
        rid = r.get("id", "?")
        if not check_row(r, keys, "v", ids, problems):
            continue
        q, v, p, note = r["quote"], r["verdict"], r["paragraph"], r["note"]
        if not isinstance(q, str) or not q.strip():
            problems.append(f"{rid}: empty quote")
            continue
        if q in seen:
            problems.append(f"{rid}: duplicate quote")
        seen.add(q)
        if not isinstance(note, str) or not note.strip():
            problems.append(f"{rid}: empty note")
            note = ""
        if v not in ("exact", "near", "altered", "not_found"):
            problems.append(f"{rid}: bad verdict {v}")
            continue
        c_verdict[v] += 1
        nq = normalize(q)
        in_body = nq in nbody
        if v == "not_found":
            if p is not None:
                problems.append(f"{rid}: not_found must have paragraph null")
            if in_body:
                problems.append(f"{rid}: not_found quote occurs in the report")
            c_sub[v]["fabrication" if note.startswith("fabrication") else "other"] += 1
            r_best = max(best_window_ratio(nq, x) for x in nparas)
            if r_best >= 0.8:
                problems.append(f"{rid}: not_found quote is very close to the report (ratio {r_best:.2f})")
            elif r_best >= 0.65:
                warnings.append(f"{rid}: not_found quote fairly close to the report (ratio {r_best:.2f})")
            continue
        if not isinstance(p, int) or not 1 <= p <= len(paras):
            problems.append(f"{rid}: bad paragraph {p}")
            continue
        npara = nparas[p - 1]
        if v == "exact":
            if len(nq) < 8:
                problems.append(f"{rid}: exact quote shorter than 8 characters")
            if nq not in npara:
                problems.append(f"{rid}: exact quote not found in normalised paragraph {p}")
            for sub in EXACT_SUB_MIN:
                if note.startswith(sub):
                    c_sub[v][sub] += 1
            continue
        # near / altered: must NOT match after normalisation, but must be close to paragraph p
        if in_body:
            problems.append(f"{rid}: {v} quote actually matches the report after normalisation")
        if v == "near" and "…" in nq:
            parts = [x for x in nq.split("…") if x]
            pos, ok = 0, True
            for part in parts:
                j = npara.find(part, pos)
                if j < 0:
                    ok = False
                    break
                pos = j + len(part)
            if not ok:
                problems.append(f"{rid}: elided parts are not found in order in paragraph {p}")
        else:
            ratio = best_window_ratio(nq, npara)
            if ratio < 0.6:
                problems.append(f"{rid}: {v} quote not close to paragraph {p} (ratio {ratio:.2f})")
        if v == "altered":
            sub = note.split()[0] if note else ""
            c_sub[v][sub] += 1
    for k in ("exact", "near", "altered", "not_found"):
        if c_verdict[k] < QUOTE_MIN[k]:
            problems.append(f"quotes: verdict {k} has {c_verdict[k]} < {QUOTE_MIN[k]}")
    if len(rows) < QUOTE_MIN["total"]:
        problems.append(f"quotes: {len(rows)} quotes < {QUOTE_MIN['total']}")
    for k, m in ALTERED_SUB_MIN.items():
        if c_sub["altered"][k] < m:
            problems.append(f"quotes: altered/{k} has {c_sub['altered'][k]} < {m}")
    for k, m in EXACT_SUB_MIN.items():
        if c_sub["exact"][k] < m:
            problems.append(f"quotes: exact/{k} has {c_sub['exact'][k]} < {m}")
    if c_sub["not_found"]["fabrication"] < NOT_FOUND_FABRICATION_MIN:
        problems.append(f"quotes: not_found fabrications {c_sub['not_found']['fabrication']} "
                        f"< {NOT_FOUND_FABRICATION_MIN}")
    return c_verdict, c_sub


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--report", default=DEFAULT_REPORT)
    ap.add_argument("--qa", default=os.path.join(HERE, "qa_report.jsonl"))
    ap.add_argument("--qa2", default=os.path.join(HERE, "qa_report2.jsonl"), help="the second question set")
    ap.add_argument("--quotes", default=os.path.join(HERE, "quotes_report.jsonl"))
    ap.add_argument("-v", "--verbose", action="store_true", help="also print warnings")
    args = ap.parse_args()

    problems, warnings = [], []
    full_text = open(args.report, encoding="utf-8").read()
    paras, headings = load_paragraphs(args.report)
    if len(paras) != 18:
        problems.append(f"report: expected 18 paragraphs, got {len(paras)}")
    for i, (p, s) in enumerate(zip(paras, EXPECTED_STARTS), 1):
        if not p.startswith(s):
            problems.append(f"report: paragraph {i} does not start with {s!r}")
    if len(headings) != 5:
        problems.append(f"report: expected 5 section headings, got {len(headings)}")

    qa = read_jsonl(args.qa, problems)
    quotes = read_jsonl(args.quotes, problems)
    c_type, c_lang, covered = check_qa(qa, full_text, paras, problems, warnings)
    c_verdict, c_sub = check_quotes(quotes, paras, problems, warnings)
    qa2 = read_jsonl(args.qa2, problems)
    check_qa(qa2, full_text, paras, problems, warnings)
    if {r.get("id") for r in qa} & {r.get("id") for r in qa2}:
        problems.append("qa2: ids repeat ids of the first question set")

    print(f"report: {len(paras)} paragraphs, {len(headings)} headings")
    print(f"\nqa_report.jsonl: {len(qa)} questions")
    print(f"  {'type':<14}{'n':>5}   {'min':>4}")
    for k in ("number", "name", "date", "fact", "unanswerable"):
        print(f"  {k:<14}{c_type[k]:>5}   {QA_MIN[k]:>4}")
    print(f"  {'lang':<14}{'n':>5}")
    for k in ("zh-Hans", "zh-Hant", "en"):
        print(f"  {k:<14}{c_lang[k]:>5}   {QA_MIN.get(k, ''):>4}")
    per_para = collections.Counter(r.get("paragraph") for r in qa if r.get("paragraph"))
    print("  per paragraph: " + " ".join(f"{i}:{per_para[i]}" for i in range(1, len(paras) + 1)))

    print(f"\nqa_report2.jsonl: {len(qa2)} questions")
    print(f"\nquotes_report.jsonl: {len(quotes)} quotes")
    print(f"  {'verdict':<14}{'n':>5}   {'min':>4}  sub-categories")
    for k in ("exact", "near", "altered", "not_found"):
        subs = ", ".join(f"{s}={n}" for s, n in sorted(c_sub[k].items()))
        print(f"  {k:<14}{c_verdict[k]:>5}   {QUOTE_MIN[k]:>4}  {subs}")

    if warnings and args.verbose:
        print(f"\n{len(warnings)} warning(s):")
        for w in warnings:
            print("  - " + w)
    elif warnings:
        print(f"\n{len(warnings)} warning(s) (use -v to show)")
    if problems:
        print(f"\nFAIL: {len(problems)} problem(s):")
        for p in problems:
            print("  - " + p)
        sys.exit(1)
    print("\nOK")


if __name__ == "__main__":
    main()
