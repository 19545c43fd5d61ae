# Everything a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Two workers per core: most end-to-end tests wait on the emulator, not on the CPU.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) * 2 )))
SANDBOX_PORT ?= 8080

.PHONY: run test lint migrate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Without a token (environment or .env) the bot runs in its sandbox: an emulated Telegram.
run: $(STAMP)
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || grep -qs '^TELEGRAM_BOT_TOKEN=..*' .env; then \
		$(PY) -m bot run; \
	else \
		echo "No TELEGRAM_BOT_TOKEN: starting the sandbox (emulated Telegram, demo county) on port $(SANDBOX_PORT); to use real Telegram put TELEGRAM_BOT_TOKEN=<token from @BotFather> in .env and run make run again."; \
		$(PY) -m bot sandbox --port $(SANDBOX_PORT); \
	fi

migrate: $(STAMP)
	$(PY) -m bot migrate

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

test: lint
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# bench/_*.py are helpers the benches start, not benches.
bench: $(STAMP)
	for script in bench/[!_]*.py; do $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
