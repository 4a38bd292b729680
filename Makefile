# examens — commandes du projet. Voir README.md.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
.DEFAULT_GOAL := help

VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := $(VENV)/bin/python
EXAMENS := $(VENV)/bin/examens

.PHONY: help install demo test lint typecheck layers migrations bench clean

help: ## Affiche cette aide
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(UV):
	@echo "→ Installation de uv (gestionnaire de dépendances) dans $(TOOLS)/"
	@PYBIN=$$(scripts/find-python.sh) && "$$PYBIN" -m venv $(TOOLS) && $(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	@echo "→ Installation des dépendances verrouillées (uv.lock) dans $(VENV)/"
	@PYBIN=$$(scripts/find-python.sh) && UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --compile-bytecode --python "$$PYBIN" --quiet
	@touch $@

# Le code du projet est installé en mode éditable : son bytecode est compilé à chaque `make install` (seuls les
# fichiers modifiés sont recompilés), pour que les commandes démarrent vite même sous PYTHONDONTWRITEBYTECODE.
install: $(VENV)/.installed ## Crée .venv avec les dépendances verrouillées (idempotent)
	@$(PY) -m compileall -q src >/dev/null

demo: install ## Session de démonstration en base (3 000 candidats), délibérée, servie sur http://127.0.0.1:8000/ (application web et /admin/)
	@$(EXAMENS) demo $(ARGS)

lint: install ## ruff (style et erreurs)
	@$(VENV)/bin/ruff check src tests bench
	@$(VENV)/bin/ruff format --check src tests bench

layers: install ## Contrôle des couches (import-linter)
	@$(VENV)/bin/lint-imports --no-cache

typecheck: install ## mypy strict sur le cœur et la planification
	@$(VENV)/bin/mypy

migrations: install ## Vérifie qu'aucune migration ne manque
	@DJANGO_SETTINGS_MODULE=examens.config.settings $(PY) -m django makemigrations --check --dry-run

test: install lint layers typecheck migrations ## Toute la suite : ruff, couches, mypy, migrations, pytest (SQLite puis PostgreSQL)
	@$(VENV)/bin/pytest -q
	@scripts/test-postgresql.sh

bench: install ## Benchmarks (chiffres dans docs/benchmarks.md)
	-@$(PY) bench/deliberation.py
	-@$(PY) bench/imports.py
	-@$(PY) bench/deliberation_base.py
	@$(PY) bench/planning.py --temps-max 60 --graine 1

clean: ## Supprime les environnements et fichiers générés
	rm -rf $(VENV) $(TOOLS) var/ .pytest_cache .mypy_cache .ruff_cache
