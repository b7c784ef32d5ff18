# Two commands: `make run` sets everything up and serves the app; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
VAR := var

# `make run` serves plain HTTP on a local port; production keeps the secure defaults (see README).
LOCAL_HTTP_ENV := DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-0} \
	DJANGO_SECURE_COOKIES=$${DJANGO_SECURE_COOKIES:-0} DJANGO_HSTS_SECONDS=$${DJANGO_HSTS_SECONDS:-0} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1,[::1],$(HOST)}

.PHONY: run setup data static serve test lint bench clean

run: setup data static serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency declaration changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# Needs the venv's python (order-only: a rebuilt venv keeps the key); written to a temporary file and
# moved into place, so a failure never leaves an empty key behind.
$(VAR)/secret_key: | $(BIN)/python
	mkdir -p $(VAR)
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@.tmp && mv $@.tmp $@ \
		|| { rm -f $@.tmp; exit 1; }

setup: $(VENV)/.installed $(VAR)/secret_key
	$(BIN)/python manage.py migrate --noinput -v0

data: setup
	$(BIN)/python manage.py import_sources
	$(BIN)/python manage.py load_chronology

# collectstatic compresses every file; skip it when nothing under static/ or the packages changed.
STATIC_INPUTS := $(shell find static -type f 2>/dev/null) $(VENV)/.installed
$(VAR)/.static-stamp: $(STATIC_INPUTS)
	$(BIN)/python manage.py collectstatic --noinput -v0
	touch $@

static: setup $(VAR)/.static-stamp

# gunicorn takes its forwarded-header trust from the settings (timeline/gunicorn.py); a background worker
# (django-tasks) runs large imports beside it and stops with it.
serve:
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(LOCAL_HTTP_ENV) $(BIN)/python manage.py db_worker --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(LOCAL_HTTP_ENV) $(BIN)/gunicorn timeline.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - -c python:timeline.gunicorn

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

test: $(VENV)/.installed-dev $(VAR)/secret_key
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev $(VAR)/secret_key
	$(BIN)/python -m timeline.benchmarks

clean:
	rm -rf $(VENV) $(VAR)
