# DVN-Dashboard: `make run` sets everything up and starts the app, `make test` runs all tests.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Official BKG boundaries ("ebenen" shapefile zip): the VG5000 zip beside the project if it is there. Nothing is
# downloaded unless you name a URL yourself, e.g. BOUNDARIES=https://daten.gdz.bkg.bund.de/produkte/vg/vg250_ebenen_0101/aktuell/vg250_01-01.gk3.shape.ebenen.zip
LOCAL_BOUNDARIES := $(wildcard ../shared/geo/vg5000_01-01.gk3.shape.ebenen.zip)
BOUNDARIES ?= $(LOCAL_BOUNDARIES)
PORT ?= 8501
PYTEST_ARGS ?=
BENCH_ARGS ?=
# `make cluster`: nginx on 127.0.0.1:CLUSTER_PORT in front of N Streamlit instances (deploy/README.md).
N ?= 3
CLUSTER_PORT ?= 8080
SESSIONS ?= 12
DURATION ?= 60
# The full VG5000 build is tested whenever this points at the real zip (CI always has it).
BOUNDARIES_TEST ?= $(LOCAL_BOUNDARIES)

.PHONY: run setup test lint format bench e2e clean venv geo lock cluster cluster-stop loadtest

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

setup: venv
	$(BIN)/python -m data_access migrate
	$(BIN)/python -m data_access reference
	@if [ -n "$(BOUNDARIES)" ]; then \
		$(BIN)/python -m geo build --source "$(BOUNDARIES)" --if-missing || echo "Die App startet ohne Karte."; \
	else \
		echo "Keine Grenzen-Datei angegeben: die App startet ohne Karte (make run BOUNDARIES=PFAD_ODER_URL)."; \
	fi
	@if [ "$(DEMO)" = "0" ]; then \
		echo "DEMO=0: keine Beispieldaten geladen (echter Betrieb, docs/ONBOARDING.md)."; \
	else \
		$(BIN)/python -m data_access seed --demo --if-empty; \
	fi

run: setup
	$(BIN)/streamlit run dashboard.py --server.address 127.0.0.1 --server.port $(PORT)

test: venv
	BOUNDARIES="$(BOUNDARIES_TEST)" $(BIN)/python -m pytest $(PYTEST_ARGS)

e2e: venv
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# constraints.txt is generated, never edited by hand: the exact versions of everything requirements*.txt pull in.
# Pins already in it are kept; `make lock UPGRADE=1` moves every transitive pin to the newest allowed version.
lock: venv
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
		$(if $(UPGRADE),--upgrade) --output-file constraints.txt requirements-dev.txt

bench: venv
	BOUNDARIES="$(BOUNDARIES_TEST)" $(BIN)/python -m bench $(BENCH_ARGS)

cluster: venv
	$(BIN)/python -m deploy start --instanzen $(N) --port $(CLUSTER_PORT) $(if $(BOUNDARIES),--grenzen "$(BOUNDARIES)")

cluster-stop: venv
	$(BIN)/python -m deploy stop

loadtest: venv
	$(BIN)/python -m deploy loadtest --sitzungen $(SESSIONS) --dauer $(DURATION)

clean:
	rm -rf build .pytest_cache test-artifacts
