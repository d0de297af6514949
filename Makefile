# Assistant Mon espace santé — every command a newcomer or CI needs.
# `make help` lists them.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
# The web front's own environment: bot.web never imports Rasa, so it ships a current aiohttp
# (requirements-web.lock) instead of the 3.9 that Rasa pins in .venv. Its tests run there too.
WEB_VENV := .venv-web
WEB_PY := $(WEB_VENV)/bin/python
WEB_TESTS := tests/web tests/browser
MODEL := models/mes.tar.gz
# fr_core_news_md reduced to its tokenizer and word vectors, loaded by config.yml (rasa_ext/nlu/spacy_model.py)
SPACY_MODEL := var/spacy/fr_core_news_md-vectors
export PYTHONPATH := $(CURDIR)
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
# Rasa would otherwise send usage data and crash reports (which can quote user text) to its servers.
export RASA_TELEMETRY_ENABLED := false

.DEFAULT_GOAL := help
.PHONY: help install browser lighthouse train train-if-needed data data-refresh run shell test test-nlu test-stories eval blind review review-append report lint validate bench clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-16s %s\n", $$1, $$2}'

install: $(VENV)/.installed $(WEB_VENV)/.installed node_modules/.installed $(SPACY_MODEL)/meta.json ## Create .venv and .venv-web (Python 3.10), node_modules (DSFR) and the trimmed spaCy model

$(VENV)/.installed: requirements.lock pyproject.toml
	@PYTHON=$$(scripts/find_python310.sh) || exit 1; \
	  [ -x $(PY) ] || $$PYTHON -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip<24.1"
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

$(WEB_VENV)/.installed: requirements-web.lock
	@PYTHON=$$(scripts/find_python310.sh) || exit 1; \
	  [ -x $(WEB_PY) ] || $$PYTHON -m venv $(WEB_VENV)
	$(WEB_PY) -m pip install --quiet --upgrade "pip<24.1"
	$(WEB_PY) -m pip install --quiet -r requirements-web.lock
	@touch $@

$(SPACY_MODEL)/meta.json: $(VENV)/.installed rasa_ext/nlu/spacy_model.py
	$(PY) -m tools spacy-model

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm (Node.js) manque : installez-le, par exemple « sudo apt-get install nodejs npm »."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

browser: ## Install Debian's Chromium for the browser tests if it is missing (apt, never a download)
	@scripts/ensure_chromium.sh >/dev/null

train: install ## Train the model (models/mes.tar.gz), after generating the answers' NLU data (data/answers) and domain/guides.yml (data/guides)
	$(PY) -m tools answers build
	$(PY) -m tools guides build
	@fingerprint=$$($(PY) -m tools fingerprint) && \
	  $(RASA) train --domain domain --fixed-model-name mes --out models && \
	  echo "$$fingerprint" > models/.fingerprint

train-if-needed: install ## Train only if the data, domain or config changed since the last model
	@if [ -f $(MODEL) ] && [ "$$($(PY) -m tools fingerprint)" = "$$(cat models/.fingerprint 2>/dev/null)" ]; then \
	  echo "Modèle à jour : pas de nouvel entraînement."; \
	else $(MAKE) --no-print-directory train; fi

FS_DB := var/.france_services_loaded
FS_CSV := data/france_services/france_services_anct_20240801_raw.csv

data: $(FS_DB) ## Load the France Services list into the database (SQLite var/, or FRANCE_SERVICES_DB_URL)

$(FS_DB): $(FS_CSV) bot/france_services/schema.py | install
	$(PY) -m tools data load --file $(FS_CSV)
	@touch $@

data-refresh: install ## Download the newest official France Services list from data.gouv.fr and swap it in
	$(PY) -m tools data refresh

run: train-if-needed data ## Install, train if needed, load the data, start actions (5055), Rasa (5005) and the site (8000, from .venv-web)
	@scripts/run.sh

shell: train-if-needed data ## Chat with the assistant in the terminal
	@scripts/run.sh shell

test: train-if-needed browser ## Run the whole test suite (lint, unit, data validation, NLU, conversations; the site's tests in .venv-web)
	$(VENV)/bin/ruff check bot rasa_ext tools actions tests bench
	@# Both runs, even if the first fails; the site's tests with the aiohttp it ships (.venv-web).
	status=0; \
	  $(PY) -m pytest $(addprefix --ignore=,$(WEB_TESTS)) || status=$$?; \
	  $(WEB_PY) -m pytest $(WEB_TESTS) || status=$$?; \
	  $(MAKE) --no-print-directory lighthouse || status=$$?; \
	  exit $$status

lighthouse: install browser ## Measure both pages with Lighthouse (mobile, slow 4G), median of 3 runs: reports/lighthouse/, fails under the bars (about 1 minute)
	CHROME_PATH=$$(scripts/ensure_chromium.sh) $(WEB_PY) -m bot.web.lighthouse

lint: install ## Check the code style
	$(VENV)/bin/ruff check bot rasa_ext tools actions tests bench

validate: install ## Check data and domain: rasa data validate + links, examples, duplicates, personal data
	$(PY) -m tools guides check
	$(PY) -m tools validate
	$(PY) -m pytest -q -p no:cacheprovider tests/quality/test_validate.py tests/quality/test_data.py

test-nlu: train-if-needed ## Score intents on the held-out sentences: reports/nlu (table, confusion matrix), bar in config/thresholds.yml
	$(PY) -m pytest -q -p no:cacheprovider tests/quality/test_nlu.py

test-stories: train-if-needed ## Run the test stories and whole conversations; fail on any prediction error
	$(PY) -m pytest -q -p no:cacheprovider tests/quality/test_conversations.py tests/dialogue

eval: train-if-needed data ## Ask the external questions (tests/external/) through the REST channel: reports/eval/results.{json,md}
	$(PY) -m tools eval

blind: train-if-needed ## Score the bare model on the questions written blind (tests/blind/): reports/blind/results.{json,md}
	$(PY) -m tools blind

review: install ## What users asked and the assistant missed: reports/review (to_label.yml, stories, usage + plots)
	$(PY) -m tools review

review-append: install ## Add the examples labelled in reports/review/to_label.yml to the answer bank or data/nlu/reviewed.yml
	$(PY) -m tools review append reports/review/to_label.yml
	$(PY) -m tools answers build

report: install ## Write reports/index.html: one page summarising the last NLU, stories, review and bench runs
	$(PY) -m tools report

bench: install ## Benchmark the project against Rasa's default recipe (reports/bench/; BENCH_ARGS=--quick for a smoke run)
	$(PY) -m bench $(BENCH_ARGS)

clean: ## Remove trained models, caches and reports
	rm -rf models .rasa reports .pytest_cache .ruff_cache var/spacy var/bench
