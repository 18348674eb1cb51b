# Two commands: `make run` serves the course, `make test` runs the tests.
# Both create .venv and install the project on first use.
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app app
STAMP  := $(VENV)/.installed-stamp
# Ralph, the LRS of France Université Numérique, for the xAPI forwarding test; its own venv,
# since its dependencies are not the app's.
RALPH_VENV  := .venv-ralph
RALPH_STAMP := $(RALPH_VENV)/.installed-stamp
RALPH_PIN   := 'ralph-malph[cli,lrs,backend-fs]==5.1.0' requests==2.34.2
PYTHON ?= python3

.PHONY: run test install lint check bench clean browser screenshots

# Debian's Chromium drives the browser tests (Playwright uses it; no browser download).
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(RALPH_STAMP):
	test -x $(RALPH_VENV)/bin/python || $(PYTHON) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/python -m pip install --quiet $(RALPH_PIN)
	touch $(RALPH_STAMP)

run: $(STAMP)
	$(FLASK) db upgrade
	$(FLASK) course demo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(STAMP) $(RALPH_STAMP) browser
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check course tests bench screenshots app.py
	$(VENV)/bin/ruff format --check course tests bench screenshots app.py
	$(VENV)/bin/mypy course screenshots
	$(VENV)/bin/bandit -c pyproject.toml -r course --severity-level medium --quiet

check: $(STAMP)
	$(PY) -m course.content check

bench: $(STAMP)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(PY) -m bench

# The main pages at desktop and phone sizes into docs/screenshots/ (screenshots/__main__.py).
screenshots: $(STAMP) browser
	$(PY) -m screenshots

clean:
	rm -rf $(VENV) $(RALPH_VENV) .pytest_cache .mypy_cache .ruff_cache
