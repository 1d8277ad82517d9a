# The README's two commands, `make run` and `make test`, do all set-up themselves on a fresh Debian machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMPS := .stamps

.PHONY: run test lint catalogs catalogs-sync lock system-deps-run system-deps-test clean

run: system-deps-run $(STAMPS)/venv catalogs
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py 'webapp:create_app()'

test: system-deps-test $(STAMPS)/venv catalogs lint
	$(BIN)/pytest

lint: $(STAMPS)/venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

system-deps-run:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

# Reproducible installs: requirements.lock pins every package; pyproject.toml says what we depend on.
$(STAMPS)/venv: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[test]'
	@mkdir -p $(STAMPS) && touch $@

# Compiled catalogs are build output (.mo is ignored by git); the .po files are the source.
catalogs: $(STAMPS)/venv
	$(BIN)/pybabel compile --statistics -d translations

# After editing translations/zh_Hans: regenerate the zh_Hant catalog through the same converter as the guides.
catalogs-sync: $(STAMPS)/venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --omit-header --ignore-dirs='.* _* tests' .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l zh_Hans --no-fuzzy-matching
	$(BIN)/flask --app webapp catalogs sync

# Regenerate the lock after changing dependencies in pyproject.toml.
lock: $(STAMPS)/venv
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock

clean:
	rm -rf $(VENV) $(STAMPS) .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete
