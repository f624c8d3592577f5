# Newsroom: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Two workers: the machines that run CI have two cores.
PYTEST_ARGS ?= -n 2

.PHONY: run serve serve-proxy test test-fast browser-deps test-deps venv dev-venv migrate demo messages lint lock clean bench-deps bench-site worker

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Two locks: requirements.lock is what production runs ([project.dependencies] only: no test
# tool), requirements-dev.lock adds the [dependency-groups] dev tools (pytest, Playwright,
# ruff, import-linter...). `make run` needs the first, `make test` and `make lint` the second.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	@# A virtualenv made by another tool (uv venv) may have no pip: give it one first.
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --upgrade --default-pip
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev

# Debian packages the tests need: chromium for the browser tests (Playwright drives it and
# never downloads a browser), a CJK font so screenshots show Chinese, Java for the HTML checker,
# redis-server for the fault tests (each starts a Redis of its own and hangs it), Varnish with
# the xkey vmod for the HTTP cache's tests and `make serve-proxy`.
DEBIAN_PACKAGES := chromium fonts-wqy-microhei default-jre-headless redis-server varnish varnish-modules
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
test-deps: browser-deps
browser-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ] && ! { [ "$$missing" = default-jre-headless ] && command -v java >/dev/null; }; then \
	  echo "Installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

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
	DEBUG=false NEWSROOM_ALLOW_DEV_SECRET=$$([ -n "$$SECRET_KEY" ] && echo false || echo true) $(BIN)/python manage.py collectstatic --noinput -v 0
	DEBUG=false NEWSROOM_ALLOW_DEV_SECRET=$$([ -n "$$SECRET_KEY" ] && echo false || echo true) $(BIN)/gunicorn newsroom.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} --preload --access-logfile -

# The production set-up behind Varnish (deploy/varnish/newsroom.vcl): readers on $(PORT),
# gunicorn on $(BACKEND_PORT); the app purges Varnish by surrogate key on every public change.
BACKEND_PORT ?= 8001
PROXY_ENV = DEBUG=false NEWSROOM_ALLOW_DEV_SECRET=$$([ -n "$$SECRET_KEY" ] && echo false || echo true) \
	HTTP_CACHE_SECONDS=$${HTTP_CACHE_SECONDS:-3600} HTTP_CACHE_PURGE_URLS=http://127.0.0.1:$(PORT)/
serve-proxy: migrate browser-deps
	$(PROXY_ENV) $(BIN)/python manage.py collectstatic --noinput -v 0
	mkdir -p var/varnish
	sed 's/\.port = "8000"/.port = "$(BACKEND_PORT)"/' deploy/varnish/newsroom.vcl > var/varnish/newsroom.vcl
	varnishd -f $(CURDIR)/var/varnish/newsroom.vcl -a 127.0.0.1:$(PORT) -T 127.0.0.1:0 -n $(CURDIR)/var/varnish/work \
	  -P $(CURDIR)/var/varnish/varnishd.pid -s malloc,256m $$([ "$$(id -u)" = 0 ] && echo -j none)
	@echo "Newsroom behind Varnish: http://127.0.0.1:$(PORT)/ (gunicorn on $(BACKEND_PORT))"
	trap 'kill $$(cat var/varnish/varnishd.pid)' EXIT INT TERM; \
	$(PROXY_ENV) $(BIN)/gunicorn newsroom.wsgi --bind 127.0.0.1:$(BACKEND_PORT) --workers $${WEB_CONCURRENCY:-2} --preload --access-logfile -

messages: venv
	DEBUG=true $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

test: dev-venv browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Style (ruff), formatting, and which way imports go (import-linter: pyproject.toml's contracts).
lint: dev-venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

# After a change to pyproject.toml's dependencies: both locks, each keeping the pins it has.
lock: dev-venv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --group dev --python-version 3.11 -o requirements-dev.lock

clean:
	rm -rf $(VENV) var

# The public site under load (bench/site.py): Debian's wrk drives a gunicorn like `make serve`'s.
bench-deps:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; fi; }

bench-site: dev-venv bench-deps
	$(BIN)/python bench/site.py $(BENCH_ARGS)

# The task worker, for TASKS_BACKEND=database (or rq): run one or several. `make run` needs
# none (tasks run in the web process after each commit).
worker: migrate
	TASKS_BACKEND=$${TASKS_BACKEND:-database} $(BIN)/python manage.py worker
