# The whole set-up is `make run` (serve the portal) and `make test` (run every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run setup assets test fuzz audit check lint format migrations seed demo worker beat bench scale-data loadtest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The local OpenID provider (oidc-provider) that the tests and the load test sign in through.
tests/oidc/node_modules/.installed: tests/oidc/package.json tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund
	touch $@

# The stylesheet: GOV.UK Frontend's Sass built with oneSource's settings.
static/build/onesource.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build

assets: static/build/onesource.css

setup: $(VENV)/.installed assets
	$(MANAGE) migrate --no-input
	$(MANAGE) load_seed

run: setup
	PORT=$(PORT) $(MANAGE) load_demo
	@echo ""
	@echo "oneSource portal on http://127.0.0.1:$(PORT)/  (sign in with a demo user, password onesource-demo)"
	@echo "  admin                                    - oneSource performance team (everything)"
	@echo "  director.ict, director.exchequer         - oneSource directors"
	@echo "  officer.exchequer                        - oneSource officer, Exchequer and Transactional"
	@echo "  officer.havering, officer.newham, officer.bexley - partner council officers"
	@echo "  committee                                - Joint Committee member"
	@echo ""
	@echo "admin and the directors also give a two-factor code: add the key ONES OURC EDEM OTWO FACT ORKE YFOR DEMO"
	@echo "to an authenticator app (time-based), or print the current code with"
	@echo "  .venv/bin/python manage.py demo_code admin      (or director.ict, director.exchequer)"
	@echo ""
	PORT=$(PORT) $(MANAGE) runserver 127.0.0.1:$(PORT)

# Connections are not kept between requests in tests, so the test database can be dropped at the end.
test: $(VENV)/.installed assets tests/oidc/node_modules/.installed
	DATABASE_CONN_MAX_AGE=0 $(BIN)/pytest $(PYTEST_ARGS)

# A longer, random search for bad input: the API contract test and the page-form fuzz with
# FUZZ_EXAMPLES examples per operation (make test runs both derandomised, with a fixed seed).
fuzz: $(VENV)/.installed assets
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-200} DATABASE_CONN_MAX_AGE=0 $(BIN)/pytest tests/api/test_contract.py tests/test_page_fuzz.py $(PYTEST_ARGS)

check: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) spectacular --validate --fail-on-warn --file /dev/null
	$(BIN)/bandit --quiet --recursive apps onesource --severity-level high --confidence-level high

# Known vulnerabilities in the pinned packages (needs PyPI's JSON API or OSV to be reachable).
audit: $(VENV)/.installed
	$(BIN)/pip-audit --requirement requirements.txt --progress-spinner off

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: setup
	$(BIN)/celery -A onesource worker --loglevel=info

beat: setup
	$(BIN)/celery -A onesource beat --loglevel=info

# Reports through a real Celery worker, the single-query floor, and the dashboards under 16 clients
# (PostgreSQL: DATABASE_URL=postgres://...; an empty database is migrated, seeded and filled with the
# scale data first, as for `make loadtest`).
bench: $(VENV)/.installed
	scripts/prepare_scale_db
	$(BIN)/python scripts/bench.py

# Benchmark volume: 300 partners, 100 KPIs and 60 months of approved figures (1.8 million) in a couple of
# minutes, on a migrated and seeded PostgreSQL database. `make scale-data SCALE_ARGS=--replace` generates it again.
scale-data: $(VENV)/.installed
	$(MANAGE) generate_scale_data --partners 300 --kpis 100 --months 60 $(SCALE_ARGS)

# The main journeys at 50 users for 2 minutes against gunicorn on DATABASE_URL (PostgreSQL), filled with
# the seed, scale and demo data; prints p50, p95, p99 and the failures (scripts/loadtest/run says how to vary it).
loadtest: $(VENV)/.installed tests/oidc/node_modules/.installed
	scripts/loadtest/run

clean:
	rm -rf $(VENV) node_modules tests/oidc/node_modules var staticfiles
