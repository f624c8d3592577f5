# Newsroom: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := newsroom.settings

.PHONY: run serve test test-fast browser-deps venv migrate demo messages lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

venv: $(VENV)/.installed

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

migrate: venv
	mkdir -p var
	DEBUG=true $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=true $(BIN)/python manage.py load_demo

run: demo
	@echo "Newsroom: http://127.0.0.1:$(PORT)/  admin: http://127.0.0.1:$(PORT)/admin/"
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production set-up: gunicorn, DEBUG off, collected static files.
serve: migrate
	DEBUG=false NEWSROOM_ALLOW_DEV_SECRET=$${SECRET_KEY:+false}$${SECRET_KEY:-true} $(BIN)/python manage.py collectstatic --noinput -v 0
	DEBUG=false NEWSROOM_ALLOW_DEV_SECRET=$${SECRET_KEY:+false}$${SECRET_KEY:-true} $(BIN)/gunicorn newsroom.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -

messages: venv
	DEBUG=true $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

test: venv browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var
