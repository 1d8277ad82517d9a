# The README's two commands, `make run` and `make test`, do all set-up themselves on a fresh Debian machine.
# The venv's Python: Debian's python3 where there is one, else python3 on the PATH. Debian builds its interpreter
# with profile-guided and link-time optimization; a Python built from source without --enable-optimizations (pyenv's
# default, first on this machine's PATH) renders a summary PDF in ~1.1x the time (README, "Serving under load").
PYTHON ?= $(or $(wildcard /usr/bin/python3),python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMPS := .stamps

.PHONY: run test lint typecheck catalogs catalogs-sync lock system-deps-run system-deps-test clean

run: system-deps-run $(STAMPS)/venv catalogs
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m webapp.wsgi

test: system-deps-test $(STAMPS)/venv catalogs lint typecheck
	@mkdir -p .pytest-tmp
	TMPDIR=$(CURDIR)/.pytest-tmp $(BIN)/pytest  # a /tmp of its own: the privacy tests read every file the app may have left there

# ruff, and the import-linter contracts in pyproject.toml ([tool.importlinter]): the layers, the pure core, the
# PDF engine that knows no web. A wrong import fails here.
lint: $(STAMPS)/venv
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .
	@out=$$($(BIN)/lint-imports --no-cache --no-logo 2>&1) && echo "import-linter: $$(echo "$$out" | grep '^Contracts:')" || { echo "$$out"; exit 1; }

# Settings in pyproject.toml [tool.mypy].
typecheck: $(STAMPS)/venv
	$(BIN)/mypy

system-deps-run:
	@PYTHON=$(PYTHON) scripts/system-deps.sh run

system-deps-test:
	@PYTHON=$(PYTHON) scripts/system-deps.sh test

# Reproducible installs: pyproject.toml says what we depend on; requirements/*.txt pin every package with its hashes
# (runtime.txt: [project] dependencies, what the image installs; test.txt: runtime + the test extra, what this venv
# installs; build.txt: [build-system] requires). Plain locked wheels: nothing is compiled in place. pip checks
# every download against them, then the project itself is
# installed editable with no dependencies and no build isolation, so nothing un-hashed is fetched.
export PIP_DISABLE_PIP_VERSION_CHECK := 1
$(STAMPS)/venv: pyproject.toml requirements/test.txt requirements/build.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r requirements/test.txt -r requirements/build.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@mkdir -p $(STAMPS) && touch $@

# Compiled catalogs are build output (.mo is ignored by git); the .po files are the source.
catalogs: $(STAMPS)/venv
	$(BIN)/pybabel -q compile -d translations

# After editing translations/zh_Hans: regenerate the zh_Hant catalog through the same converter as the guides.
catalogs-sync: $(STAMPS)/venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --omit-header --ignore-dirs='.* _* tests' .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l zh_Hans --no-fuzzy-matching
	$(BIN)/flask --app webapp catalogs sync

# Regenerate the locks after changing dependencies in pyproject.toml. Versions already locked are kept unless
# pyproject.toml rules them out; `make lock LOCK_ARGS=--upgrade` (or `LOCK_ARGS='-P flask'`) moves them on.
# Locked for CPython 3.11 on x86_64 Linux with glibc 2.36 (Debian bookworm, the image's base); each package lists
# the hashes of all its files for that version. The test lock is constrained to the runtime lock: same versions.
UV_VERSION := 0.13.8
LOCK_ARGS ?=
UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_36 --custom-compile-command 'make lock' $(LOCK_ARGS)
lock: $(STAMPS)/uv
	$(UV_COMPILE) pyproject.toml -o requirements/runtime.txt
	$(UV_COMPILE) pyproject.toml --extra test -c requirements/runtime.txt -o requirements/test.txt
	$(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
	  | $(UV_COMPILE) - -o requirements/build.txt

$(STAMPS)/uv:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q uv==$(UV_VERSION)
	@mkdir -p $(STAMPS) && touch $@

clean:
	rm -rf $(VENV) $(STAMPS) .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete
