# The two commands of the README: `make run` and `make test`. Everything else is set-up.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PERSON ?= W01
CLOCK ?= sim

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml scripts/system-packages
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	scripts/system-packages
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/safetyloop config check config/demo-plant.yaml
	$(BIN)/safetyloop db upgrade
	$(BIN)/safetyloop shell --as $(PERSON) --clock $(CLOCK)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n auto

bench: $(STAMP)
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/sweep.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
