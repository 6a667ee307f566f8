# storyline: every target creates or refreshes .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= ../shared/corpus/dev
OUT ?=
DEMO_DB ?= demo.db
LOCK := requirements.lock

.PHONY: demo test score bench bench-incremental bench-web reliability lint lock clean venv

# Install from the lock: `-r requirements.lock` installs exactly the versions listed there (every
# transitive package, the ones CI tested), then storyline itself with --no-deps, so pip resolves nothing
# and a fresh clone gets the same set whatever PyPI has released since.  (`-c requirements.lock` as
# constraints was the alternative: it would resolve pyproject.toml again and silently take the newest
# release of any dependency missing from the lock.)  --no-build-isolation builds the editable install with
# the locked setuptools instead of fetching an unpinned one.  `pip check` then fails the install if the
# lock no longer satisfies pyproject.toml's ranges: run `make lock`.
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade "pip>=24" >/dev/null
	@echo "installing storyline and its dependencies into $(VENV) from $(LOCK) (first run takes a few minutes)"
	@$(BIN)/python -m pip install --quiet -r $(LOCK)
	@$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
		echo "$(LOCK) does not satisfy pyproject.toml: run make lock" >&2; exit 1; }
	@touch $(STAMP)

# Regenerate the lock from pyproject.toml (dependencies and the test, postgres and dask extras) with
# pip-compile, in a throw-away venv.  Versions already in the lock are kept while pyproject.toml still
# allows them; `make lock UPGRADE=1` takes the newest releases within the ranges.
lock:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet "pip-tools>=7.6,<8"; \
	CUSTOM_COMPILE_COMMAND="make lock" "$$tmp/venv/bin/pip-compile" --quiet --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --extra test --extra postgres --extra dask \
		$(if $(UPGRADE),--upgrade) --output-file $(LOCK) pyproject.toml
	@echo "wrote $(LOCK)"

venv: $(STAMP)

demo: $(STAMP)
	@$(BIN)/storyline demo --db $(DEMO_DB)

test: $(STAMP)
	@$(BIN)/python -m pytest -q

score: $(STAMP)
	@$(BIN)/storyline score "$(CORPUS)" $(if $(OUT),--out "$(OUT)")

# the stage-by-stage run, then the incremental section (BENCH_STORES=0,1000,10000 adds the 10,000-article store)
bench: $(STAMP)
	@$(BIN)/python bench/run.py
	@$(BIN)/python bench/incremental.py

bench-incremental: $(STAMP)
	@$(BIN)/python bench/incremental.py

bench-web: $(STAMP)
	@$(BIN)/python bench/web_load.py

reliability: $(STAMP)
	@$(BIN)/python -m pytest -q tests/reliability

# ruff, configured in pyproject.toml ([tool.ruff])
lint: $(STAMP)
	@$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) demo.db .pytest_cache
