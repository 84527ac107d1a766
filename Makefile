# SayPro Marketplace Engagement. `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SAYPRO := $(BIN)/saypro
STAMP := $(VENV)/.installed
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast lint format demo clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its dev tools (starts nothing)

run: install ## Migrate, load demo data if the database is empty, serve on :$(PORT) with a worker
	$(SAYPRO) migrate --no-input
	$(SAYPRO) demo --if-empty
	$(SAYPRO) collectstatic --no-input --verbosity 0
	$(SAYPRO) serve --port $(PORT)

test: install ## Run the whole suite (browser journeys need /usr/bin/chromium)
	$(BIN)/python -m pytest

lint: install ## ruff (lint and format check) and missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(SAYPRO) makemigrations --check --dry-run

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

demo: install ## (Re)generate the demo marketplace: make demo ARGS="--seed 7 --scale medium"
	$(SAYPRO) migrate --no-input
	$(SAYPRO) demo $(ARGS)

clean: ## Remove the virtualenv and everything under var/ (database, keys, mail)
	rm -rf $(VENV) var
