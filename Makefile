# Newsroom: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Two workers: the machines that run CI have two cores.
PYTEST_ARGS ?= -n 2

.PHONY: run serve serve-proxy test test-fast browser-deps venv migrate demo messages lint clean bench-deps bench-site

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

venv: $(VENV)/.installed

# Debian packages the tests need: chromium for the browser tests (Playwright drives it and
# never downloads a browser), a CJK font so screenshots show Chinese, Java for the HTML checker,
# Varnish with the xkey vmod for the HTTP cache's tests and `make serve-proxy`.
DEBIAN_PACKAGES := chromium fonts-wqy-microhei default-jre-headless varnish varnish-modules
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
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

test: venv browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var

# The public site under load (bench/site.py): Debian's wrk drives a gunicorn like `make serve`'s.
bench-deps:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; fi; }

bench-site: venv bench-deps
	$(BIN)/python bench/site.py $(BENCH_ARGS)
