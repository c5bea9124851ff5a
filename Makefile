# The README's two commands: `make demo` and `make test`. Both set up .venv first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m marsad demo

test: $(STAMP)
	sh scripts/install_chromium.sh
	$(BIN)/ruff check marsad tests bench scripts fuzz
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check marsad tests bench scripts fuzz
	$(BIN)/ruff format --check marsad tests bench scripts fuzz

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
