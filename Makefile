# storyline: every target creates or refreshes .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= ../shared/corpus/dev
OUT ?=
DEMO_DB ?= demo.db

.PHONY: demo test score bench bench-web reliability lint clean venv

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade "pip>=24" >/dev/null
	@echo "installing storyline and its dependencies into $(VENV) (first run takes a few minutes)"
	@$(BIN)/python -m pip install --quiet -e ".[test,postgres,dask]"
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	@$(BIN)/storyline demo --db $(DEMO_DB)

test: $(STAMP)
	@$(BIN)/python -m pytest -q

score: $(STAMP)
	@$(BIN)/storyline score "$(CORPUS)" $(if $(OUT),--out "$(OUT)")

bench: $(STAMP)
	@$(BIN)/python bench/run.py

bench-web: $(STAMP)
	@$(BIN)/python bench/web_load.py

reliability: $(STAMP)
	@$(BIN)/python -m pytest -q tests/reliability

clean:
	rm -rf $(VENV) demo.db .pytest_cache
