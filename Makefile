# Lini: `make run` serves the demo on http://127.0.0.1:8000/graphql, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install tools storefront run migrate seed test lint format bench bench-checkout bench-garments bench-dispatch bench-hostile bench-webhooks schema schema-check codegen graphiql-assets clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# Lini's own modules compiled once (also where PYTHONDONTWRITEBYTECODE is set, which would otherwise have every
# start compile ~260 of them again: ~0.6 s of `serve` and of `migrate`; bench/startup.py says which case it measured).
install: $(VENV)/.installed
	@$(PY) -m compileall -q core schema plugins lini server.py bench >/dev/null

# Node tools pinned in tools/package-lock.json: graphql-inspector, graphql-codegen, and the GraphiQL build Lini serves.
tools/node_modules/.package-lock.json: tools/package-lock.json
	npm ci --prefix tools --no-audit --no-fund

# ariadne-codegen (the Python codegen recipe) in a venv of its own: it pins a graphql-core and a ruff Lini's must not get.
tools/.venv-codegen/.installed: tools/codegen-requirements.txt
	$(PYTHON) -m venv tools/.venv-codegen
	tools/.venv-codegen/bin/python -m pip install --quiet -r tools/codegen-requirements.txt
	touch $@

tools: tools/node_modules/.package-lock.json tools/.venv-codegen/.installed

# The reference storefront (storefront/, issue 18): npm ci, then graphql-codegen on schema.graphql, tsc and vite
# build into storefront/dist, which Lini serves at /shop/<brand>/. Rebuilt when its sources or the schema change.
STOREFRONT_SOURCES := $(shell find storefront/src -type f -not -path 'storefront/src/gql/*' 2>/dev/null) \
	storefront/index.html storefront/vite.config.ts storefront/codegen.ts storefront/tsconfig.json schema.graphql

storefront/node_modules/.package-lock.json: storefront/package-lock.json
	npm ci --prefix storefront --no-audit --no-fund

storefront/dist/index.html: storefront/node_modules/.package-lock.json $(STOREFRONT_SOURCES)
	cd storefront && npm run build

storefront: storefront/dist/index.html

migrate: install
	$(PY) server.py migrate

seed: migrate
	$(PY) server.py seed-demo --if-empty

# The API on /graphql and the demo brand's shop on http://127.0.0.1:8000/shop/sekar-modest/
run: seed storefront
	$(PY) server.py serve

# One pytest worker per core (pytest-xdist); each worker has its own SQLite template and PostgreSQL database.
test: install tools storefront
	$(PY) -m pytest -n auto

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy core plugins lini

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Every figure of the speed issue (#13) in one run, each beside its floor: the bench catalog page and the
# storefront's usual page (demo and wide catalogs) in-process and over HTTP (wrk: `apt-get install -y wrk`),
# cached and uncached; checkout completion on PostgreSQL with 2 workers; migrate, start and idle memory;
# then tailor dispatch. BENCH_ARGS="--backend postgres" moves the first to PostgreSQL.
bench: install
	@command -v wrk >/dev/null || echo "wrk is not installed: the HTTP part is skipped (apt-get install -y wrk)"
	$(PY) -m bench $(BENCH_ARGS)
	$(PY) -m bench.storefront
	$(PY) -m bench.checkout
	$(PY) -m bench.startup
	$(PY) -m bench.dispatch

bench-checkout: install
	$(PY) -m bench.checkout

# Tailor dispatch (issue 16): one job ranked over 1,000 tailors, a batch of 10,000 jobs; BENCH_ARGS="--backend postgres".
bench-dispatch: install
	$(PY) -m bench.dispatch $(BENCH_ARGS)

# Made-to-measure pricing (quote, checkout totals with 1 and 10 garments); BENCH_ARGS="--backend postgres".
bench-garments: install
	$(PY) -m bench.garments $(BENCH_ARGS)

# Outbox -> webhooks with 2 workers on PostgreSQL (issue 14): deliveries/s beside a bare client's, commit-to-arrival delay.
bench-webhooks: install
	$(PY) -m bench.webhooks $(BENCH_ARGS)

# Issue #12's hostile requests against uvicorn --workers 2 on PostgreSQL, with /health timed meanwhile;
# BENCH_ARGS="--repo DIR" serves another checkout (before/after), "--markdown" prints the table for bench/README.md.
bench-hostile: install
	$(PY) -m bench.hostile $(BENCH_ARGS)

# Issue 15: a 100,000-row supplier feed through the supplier_catalogs importer; BENCH_ARGS="--backend postgres".
bench-catalog-import: install
	$(PY) -m bench.catalog_import $(BENCH_ARGS)

# schema.graphql is the schema of Lini with its built-in plugins only (`--installed` for the local plugins too).
schema: install
	$(PY) server.py export-schema --output schema.graphql

# What CI checks on the schema: no breaking change against HEAD~1 without a deprecation or a CHANGELOG.md note
# (SCHEMA_BASE=REV for another base), and the example documents in docs/examples/ valid against it.
DESCRIPTION_RULES = types-have-descriptions,fields-have-descriptions,arguments-have-descriptions,enum-values-have-descriptions,input-object-values-have-descriptions

schema-check: install tools
	$(PY) tools/schema_diff.py
	tools/node_modules/.bin/graphql-inspector validate 'docs/examples/*.graphql' schema.graphql
	# every type, field, argument, input field and enum value described (issue 17; tests/schema/test_descriptions.py
	# says which Python module a missing one belongs to)
	tools/node_modules/.bin/graphql-schema-linter --rules $(DESCRIPTION_RULES) schema.graphql

# The TypeScript codegen recipe of docs/storefront.md (graphql-codegen, client-preset) on docs/examples/,
# type-checked with the example's own use of it; the Python recipe (ariadne-codegen) runs in the tests.
codegen: tools
	cd tools && npx graphql-codegen --config codegen.ts && npx tsc --noEmit -p tsconfig.json

# Re-vendor GraphiQL (schema/static/graphiql/) from the versions pinned in tools/package-lock.json.
graphiql-assets: tools
	$(PY) tools/vendor_graphiql.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
