# PetsApp Desktop: `make run` opens the app on the embedded demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint format openapi screenshots dist clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create $(VENV): on Debian/Ubuntu install python3-venv (sudo apt-get install python3-venv)."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/petsapp-desktop

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: $(STAMP)
	$(BIN)/python -m backend.openapi_doc docs/openapi.json

screenshots: $(STAMP)
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python tools/screenshots.py docs/screenshots

# The one-folder bundle (dist/petsapp-desktop/), then, where dpkg-deb exists, the Debian package
# dist/petsapp-desktop_<version>_<arch>.deb (packaging/linux/build-deb.sh; packaging/README.md).
dist: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dist]'
	$(BIN)/pyinstaller --noconfirm --clean build.spec
	@du -sh dist/petsapp-desktop
	rm -f dist/petsapp-desktop_*.deb
	@if command -v dpkg-deb >/dev/null; then \
	  PYTHON=$(BIN)/python packaging/linux/build-deb.sh dist/petsapp-desktop dist; \
	else \
	  echo "dpkg-deb not found: no .deb built (the bundle is dist/petsapp-desktop/)"; \
	fi

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
