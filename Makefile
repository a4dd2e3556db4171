# The two commands of the README: `make run` and `make test`. Both install what is missing.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk poppler-utils gettext qpdf zbar-tools
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test deps system-deps python-deps assets migrate seed lint fmt bench messages clean

# The development server with a Celery worker beside it on the embedded file broker
# (var/broker/): certificates, the report, imports and award runs never hold a request.
# Certificates print verification links to the address served here.
RUN_ENV := QCX_EMBEDDED_BROKER=1 QCX_SITE_URL=http://$(HOST):$(PORT)

run: deps migrate seed
	@echo "qcexchange: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@$(RUN_ENV) $(BIN)/celery -A qcexchange worker --loglevel=WARNING --concurrency=1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: deps
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

deps: system-deps python-deps assets messages

# Debian/Ubuntu: install the packages WeasyPrint, the PDF tests, the translations and the
# front-end assets need, only when one is missing.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	$(PY) -c "import venv, ensurepip" >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then echo "Please install:$$missing"; exit 1; fi; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  echo "Installing system packages:$$missing"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

python-deps: $(VENV)/.installed

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

assets: node_modules/.installed

messages: python-deps
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: deps
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py assign_venues cmqa-40 --seed 2021

lint: python-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: python-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: deps
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf var/ staticfiles/ .pytest_cache
