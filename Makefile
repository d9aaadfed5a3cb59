# jixi-report: `make report YEAR=2025`, `make plan`, `make draft BASE=<ref>`, `make check`,
# `make test`, `make bench`.
# Every target first sets up only what is missing: system fonts/libraries, then .venv.

PYTHON ?=
VENV   := .venv
JR     := $(VENV)/bin/jixi-report
STAMP  := $(VENV)/.installed
YEAR   ?=

.PHONY: setup system check plan report draft all test lint bench clean

# The package's bytecode brought up to date at every target: where PYTHONDONTWRITEBYTECODE is
# set, every build would otherwise compile each of its modules anew (2 % of a cold report).
setup: system $(STAMP)
	@$(VENV)/bin/python -m compileall -q jixi_report

system:
	@scripts/ensure-system.sh

$(STAMP): pyproject.toml scripts/ensure-venv.sh
	@PYTHON=$(PYTHON) scripts/ensure-venv.sh
	@touch $@

check: setup
	@$(JR) check

plan: setup
	@$(JR) plan

report: setup
	@if [ -z "$(YEAR)" ]; then echo "usage: make report YEAR=2025" >&2; exit 2; fi
	@$(JR) report --year $(YEAR)

all: setup
	@$(JR) build --all

draft: setup
	@if [ -z "$(BASE)" ]; then echo "usage: make draft BASE=<git ref> [STAGE=征求意见稿]" >&2; exit 2; fi
	@scripts/draft.sh "$(BASE)" "$(or $(STAGE),征求意见稿)"

# Both cores, a test file per worker at a time: files share their builds within a worker.
test: setup
	@$(VENV)/bin/python -m pytest -n 2 --dist=loadfile

lint: setup
	@$(VENV)/bin/ruff check jixi_report tests scripts

bench: setup
	@$(VENV)/bin/python scripts/bench.py

clean:
	rm -rf build/plan build/20[0-9][0-9]
