# Two commands for a fresh machine (see README):
#   make demo   start the app with a ready demo seminar on the embedded SQLite database
#   make test   install everything the tests need, then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core (npm registry, version pinned in tools/axe/package-lock.json): the rehearsal injects
# it into every page it visits. Git-ignored; never served by the app.
AXE := tools/axe/node_modules/axe-core/axe.min.js

.PHONY: demo serve test rehearse bench bench-report bench-load bench-load-workers bench-load-rooms bench-load-badwifi bench-dedup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/workshop serve --demo

serve: $(STAMP)
	$(BIN)/workshop serve

$(AXE): tools/axe/package.json tools/axe/package-lock.json
	scripts/install-system-deps.sh
	cd tools/axe && npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

# Two workers (pytest-xdist); tests that drive servers and Chromium stay on one of them, in turn
# (tests/conftest.py), so they never compete with each other for a 2-core machine.
test: $(STAMP) $(AXE)
	scripts/install-system-deps.sh
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# Before a seminar: play every shipped run sheet (or RUN_SHEETS="deux-jours") in Chromium.
rehearse: $(STAMP) $(AXE)
	scripts/install-system-deps.sh
	$(BIN)/workshop rehearse $(RUN_SHEETS)

bench: $(STAMP)
	$(BIN)/python bench/graph_benchmark.py

bench-report: $(STAMP)
	$(BIN)/python bench/report_benchmark.py

bench-load: $(STAMP)
	$(BIN)/python -m bench.load single

# Workers mode (PostgreSQL at TEST_POSTGRES_URL, Redis, HAProxy: scripts/install-system-deps.sh).
bench-load-workers: $(STAMP)
	$(BIN)/python -m bench.load workers

bench-load-rooms: $(STAMP)
	$(BIN)/python -m bench.load rooms

# Needs root; tc netem, or where the kernel has none, iptables' NFQUEUE (apt-get install iptables).
bench-load-badwifi: $(STAMP)
	$(BIN)/python -m bench.load badwifi

bench-dedup: $(STAMP)
	$(BIN)/python bench/dedup_benchmark.py

clean:
	rm -rf $(VENV) .pytest_cache data
