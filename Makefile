# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint typecheck migrations-check pytest messages bench run worker beat clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo's emails (match digests, messages) are written to var/mail/ rather than sent.
demo: export EMAIL_URL ?= file://$(CURDIR)/var/mail
demo: $(STAMP) messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "  talentpool demo: http://$(HOST):$(PORT)/admin/"
	@echo "  log in as mette@kystlys.example (Kystlys A/S) or anna@fjallbo.example (Fjällbo Bygg AB)"
	@echo "  password: talentpool-demo"
	@echo "  emails the demo sends are written to var/mail/"
	@echo
	EMBEDDED_BEAT=1 $(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

test: lint typecheck migrations-check pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy .

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

pytest: $(STAMP) messages browser
	$(BIN)/pytest $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium. Install it when missing; without root or apt the
# tests are skipped and say why.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium and chromium-driver for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	    || echo "could not install chromium: the browser tests will be skipped"; \
	else echo "chromium is not installed and cannot be (needs root and apt): the browser tests will be skipped"; fi

# Compiled catalogs (.mo) are build output, made from the committed .po files.
messages: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore '.venv' --verbosity 0

bench: $(STAMP)
	@for b in bench/[!_]*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

run: $(STAMP)
	EMBEDDED_BEAT=1 $(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

worker: $(STAMP)
	$(BIN)/celery -A talentpool worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A talentpool beat --loglevel=INFO

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
