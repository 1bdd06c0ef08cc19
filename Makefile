# Two commands do everything on a fresh machine: `make run` and `make test`.
# Each step is skipped when already done (stamp file, model manifest, index content hash).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.deps-installed

.PHONY: run test setup deps model index nlu chromium axe postgresql chat eval blind bench llm clean

run: setup
	$(PY) -m ui

test: setup chromium axe postgresql
	$(PY) -m pytest

setup: nlu

$(PY):
	$(PYTHON) -m venv $(VENV)

# torch first: `torch==2.13.0` takes the CPU build on this disk; anything else may pull a CUDA build.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

deps: $(STAMP)

model: deps
	$(PY) -m index model

index: model
	$(PY) -m index build

# The intent classifier, trained from nlu/exemplars/ (skipped when the exemplars have not changed).
nlu: index
	$(PY) -m nlu train

# Debian's Chromium for the browser tests (no browser download), and CJK fonts so screenshots are readable.
chromium:
	@command -v chromium >/dev/null 2>&1 && fc-list :lang=zh-tw 2>/dev/null | grep -q . || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

# axe-core for the accessibility tests, from the npm registry (version and sha256 pinned in pyproject.toml).
axe: deps
	@command -v npm >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null)
	$(PY) tests/axe_core.py

# Debian's PostgreSQL server binaries: the storage tests start their own server in a temp directory.
postgresql:
	@command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null)

eval: setup
	$(PY) -m eval run --out reports/eval
	$(PY) -m eval blind --out reports/eval

blind: setup
	$(PY) -m eval blind --out reports/eval

bench: setup
	$(PY) -m eval bench --out reports/bench

chat: setup
	$(PY) -m assistant chat

# Optional local LLM for phrasing (not part of `make test`): compiles llama-cpp-python (~9 min on 2 cores).
llm: setup
	$(PY) -m pip install --quiet --disable-pip-version-check llama-cpp-python==0.3.36
	$(PY) -m assistant llm-setup

clean:
	rm -rf data/chroma
