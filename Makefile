# The README's commands. Everything installs into .venv; nothing is needed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCENARIO ?= saas
PERSONS ?= 3000
DAYS ?= 120
SEED ?= 7

export DBT_PROFILES_DIR := $(CURDIR)
export GROWTHLENS_DUCKDB ?= $(CURDIR)/warehouse.duckdb

.PHONY: venv demo test bench lint clean test-spark bench-spark

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

demo: venv
	rm -f "$(GROWTHLENS_DUCKDB)"
	$(BIN)/growthlens simulate --scenario $(SCENARIO) --persons $(PERSONS) --days $(DAYS) --seed $(SEED) --out "$(GROWTHLENS_DUCKDB)"
	$(BIN)/dbt build --vars '{scenario: $(SCENARIO)}' --quiet
	$(BIN)/growthlens summary

test: venv
	$(BIN)/python -m pytest -q

bench: venv
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/incremental.py $(BENCH_INCREMENTAL_ARGS)
	$(BIN)/python bench/funnel_heavy_user.py --sizes 10000 100000 1000000 --naive-sizes 10000 100000 --runs 1
	$(BIN)/python bench/clv.py --persons 1000000 --runs 1
	$(BIN)/python bench/attribution.py --millions 10 --runs 1
	cd bench && ../$(BIN)/python library.py --runs 3

# The same project on Apache Spark (local mode; needs Java 17): the spark extra on top of dev.
$(VENV)/.installed-spark: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev,spark]"
	touch $@

test-spark: $(VENV)/.installed-spark
	mkdir -p target
	GROWTHLENS_SPARK_TESTS=1 $(BIN)/python -m pytest -q tests/spark --basetemp=target/spark-tests

bench-spark: $(VENV)/.installed-spark
	$(BIN)/python bench/spark.py $(BENCH_SPARK_ARGS)

lint: venv
	$(BIN)/ruff check python tests bench
	$(BIN)/sqlfluff lint models macros analyses

clean:
	rm -rf $(VENV) target logs dbt_packages warehouse.duckdb warehouse.duckdb.wal
