# Two commands for a fresh machine (see README):
#   make demo   start the app with a ready demo seminar on the embedded SQLite database
#   make test   install everything the tests need, then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo serve test bench bench-report bench-load clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/workshop serve --demo

serve: $(STAMP)
	$(BIN)/workshop serve

test: $(STAMP)
	scripts/install-system-deps.sh
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/graph_benchmark.py

bench-report: $(STAMP)
	$(BIN)/python bench/report_benchmark.py

bench-load: $(STAMP)
	$(BIN)/python bench/load_benchmark.py

clean:
	rm -rf $(VENV) .pytest_cache data
