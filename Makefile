# Two commands for a fresh machine with Python 3.11 and make: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run chat web browser test faults check lint typecheck format bench clean

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

# The web chat on this machine only (PORT, default 8080); no token needed.
web: setup
	$(BIN)/python -m bot web --host 127.0.0.1

# Debian's Chromium, for the browser tests of the web chat (as root, e.g. in CI).
browser:
	@if command -v chromium >/dev/null 2>&1; then \
		echo "Chromium : $$(command -v chromium)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium absent : « sudo apt-get install chromium » pour les tests dans le navigateur."; \
	fi

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
