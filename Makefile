# Two commands for a fresh machine with Python 3.11 and make: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run chat test faults check lint typecheck format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then \
		$(BIN)/python -m bot run; \
	else \
		echo "Pas de TELEGRAM_BOT_TOKEN : discussion dans le terminal. Pour Telegram, voir « Connecter Telegram » dans le README."; \
		$(BIN)/python -m bot chat; \
	fi

chat: setup
	$(BIN)/python -m bot chat

lint: setup
	$(BIN)/ruff format --check bot tests
	$(BIN)/ruff check bot tests

typecheck: setup
	$(BIN)/mypy bot

test: lint typecheck
	$(BIN)/python -m bot check
	$(BIN)/python -m pytest -q -rs

# The slow end-to-end fault suite alone (make test runs it too). FAULT_BURST=3000 and
# FAULT_LOCK_SECONDS=20 replay it at the sizes of the reliability issue.
faults: setup
	$(BIN)/python -m pytest -q -m faults

check: test

format: setup
	$(BIN)/ruff format bot tests
	$(BIN)/ruff check --fix bot tests

bench: setup
	$(BIN)/python -m bot bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
