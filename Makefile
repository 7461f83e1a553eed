# Two commands do all the set-up on a fresh machine (see README.md):
#   make serve   build and serve the site at http://127.0.0.1:8000 (creates .venv on first use;
#                PORT=8001 picks another port)
#   make test    run the whole test suite, strict site build included
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# TensorFlow's C++ start-up chatter and MkDocs's "2.0" notice are not warnings about our site.
export TF_CPP_MIN_LOG_LEVEL := 3
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test bench mutate clean clean-cache

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e ".[all]"
	touch $@

# PORT=8001 serves elsewhere; a busy port is named in one line instead of a traceback after a
# whole build (scripts/serve.py).
PORT ?= 8000

serve: $(STAMP)
	@$(BIN)/python scripts/serve.py $(PORT)

build: $(STAMP)
	$(BIN)/mkdocs build --strict

test: $(STAMP)
	$(BIN)/python -m pytest -n 2

bench: $(STAMP)
	$(BIN)/python benchmarks/build.py

# Drift is caught: break the models on purpose, one mutation at a time, in a temporary copy of
# the repository, and report which ones the test suite notices (scripts/mutate.py).
mutate: $(STAMP)
	$(BIN)/python scripts/mutate.py

clean:
	rm -rf site .pytest_cache

# The build cache (.cache/cnnguide) is keyed by content; deleting it is always safe.
clean-cache:
	rm -rf .cache
