# Two commands for a newcomer: `make run` (the app with demo data on SQLite) and `make test`.
# Both create .venv and install what they need, Debian packages included (as root).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint system-deps browser-deps clean

run: system-deps $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Sasaran Mutu: http://$(HOST):$(PORT)/  (masuk sebagai kepala / sasaranmutu)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: system-deps browser-deps $(VENV)/.installed-test
	$(BIN)/pytest -n auto

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

system-deps:
	@sh .ci/system-deps python weasyprint

# axe-core, the accessibility checker the browser tests inject into every page (from the npm
# registry, pinned; installed once into a git-ignored folder, so no CDN is needed at run time).
AXE_VERSION := 4.14.1
AXE_DIR := .cache/axe

browser-deps:
	@sh .ci/system-deps chromium npm
	@grep -qs '"version": "$(AXE_VERSION)"' $(AXE_DIR)/node_modules/axe-core/package.json \
		|| npm install --silent --no-audit --no-fund --prefix $(AXE_DIR) axe-core@$(AXE_VERSION)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) staticfiles build .pytest_cache $(AXE_DIR)
