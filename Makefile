# r57: two commands on a fresh machine with Python 3.11.5+ or 3.12 and pip (scripts/check-python says which
# Python it found; another one: make reports PYTHON=/path/to/python3.11):
#   make reports   regenerate every default report into reports/
#   make test      run the test suite (what CI runs)
# Both create .venv/ on first use and install the pinned dependencies; later runs work offline.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.r57-installed
CONSTRAINTS := requirements/constraints.txt

.PHONY: reports test lint lab explore bench data-verify data-build clean-venv lock help scheduled site

help:
	@echo "make reports | make test | make site | make lint | make scheduled | make lab | make explore | make bench | make data-verify | make data-build | make lock"

# the explorer's Voila page template (no CDN; notebooks/00_explore.ipynb names it) goes where Voila looks
EXPLORER_TEMPLATE := share/jupyter/voila/templates/r57-explorer
$(STAMP): pyproject.toml $(CONSTRAINTS) $(wildcard $(EXPLORER_TEMPLATE)/*)
	@scripts/check-python $(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON))
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e '.[test,dev]'
	$(BIN)/r57 kernel install
	mkdir -p $(VENV)/$(dir $(EXPLORER_TEMPLATE)) && cp -R $(EXPLORER_TEMPLATE) $(VENV)/$(dir $(EXPLORER_TEMPLATE))
	touch $(STAMP)

reports: $(STAMP)
	$(BIN)/r57 run-all

# The publishable site, copied out of reports/ (after make reports): pages, PDFs, CSVs and results.json of
# the catalogue in both editions, no locks, run records, ad-hoc runs or notebooks; every file 0644, folder 0755.
# SITE_DIR must be absent, empty or an earlier `make site`'s (r57 site build refuses anything else, exit 2).
SITE_DIR ?= site
site: $(STAMP)
	$(BIN)/r57 site build $(SITE_DIR)

# lint, then the whole suite in one pass
test: $(STAMP) lint
	$(BIN)/python -m pytest

# ruff's lint and format check over the code, tests and notebooks' text twins; the import-layer contract
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts notebooks
	$(BIN)/ruff format --check src tests benchmarks scripts notebooks
	$(BIN)/lint-imports

# The scheduled job (cron, docs/scheduling.md): refresh, test, reports, history snapshot, site build, publish; logs in logs/.
scheduled:
	scripts/scheduled-run

# Benchmarks: each script prints its figures with the core count (medians of repeated runs).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_montecarlo.py
	$(BIN)/python benchmarks/bench_api.py
	$(BIN)/python benchmarks/bench_regeneration.py
	$(BIN)/python benchmarks/bench_explorer.py
	$(BIN)/python benchmarks/bench_explorer_browser.py

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

# The scenario explorer as a standalone page (Voila) on this machine only, offline, on the r57 kernel: `r57 explore`
# (src/analysis/run/explore_server.py holds every server setting) prints the address to open, with its token;
# requests naming another Host or Origin than 127.0.0.1/localhost/[::1] with this port are refused.
# EXPLORE_PORT=N: another port than r57's default (explore_server.PORT).
# tests/test_explore_server.py and tests/test_browser_explorer.py start the same command.
# the explorer's starting language: make explore R57_LANG=vi (or LANG=vi); English otherwise
EXPLORE_LANG = $(or $(filter en vi,$(R57_LANG)),$(filter en vi,$(LANG)),en)
explore: $(STAMP)
	$(if $(filter en vi,$(LANG)),LANG=C.UTF-8) R57_LANG=$(EXPLORE_LANG) $(BIN)/r57 explore $(if $(EXPLORE_PORT),--port=$(EXPLORE_PORT))

data-verify: $(STAMP)
	$(BIN)/r57 data verify

data-build: $(STAMP)
	$(BIN)/r57 data build

# Re-pin every dependency to what is installed in .venv now (after changing pyproject.toml), and
# write environment.yml with the same pins under conda-forge names (scripts/environment_yml.py).
lock: $(STAMP)
	{ echo "# Pinned versions for reproducible reports; regenerate with make lock."; $(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v "^r57"; } > $(CONSTRAINTS)
	$(BIN)/python scripts/environment_yml.py

clean-venv:
	rm -rf $(VENV)
