# PetsApp Desktop: `make run` opens the app on the embedded demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint format openapi screenshots dist clean translations system-packages

# Translations: translations/petsapp_<language>.ts are the sources (committed; Qt Linguist
# edits them), resources/translations/*.qm what the app loads (built, not committed).
# `make translations NEW_LANGUAGE=de` starts translations/petsapp_de.ts.
TS_FILES := $(sort translations/petsapp_en.ts $(wildcard translations/petsapp_*.ts) \
  $(NEW_LANGUAGE:%=translations/petsapp_%.ts))
QM_FILES := $(patsubst translations/%.ts,resources/translations/%.qm,$(TS_FILES))

# What Qt's window needs from the system (and python3-venv): installed with apt-get on
# Debian/Ubuntu, saying what and why first; elsewhere named (tools/system_packages.py).
system-packages:
	@$(PYTHON) tools/system_packages.py $(if $(filter screenshots,$(MAKECMDGOALS)),--also xvfb xauth)

$(STAMP): pyproject.toml | system-packages
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create $(VENV): on Debian/Ubuntu install python3-venv (sudo apt-get install python3-venv)."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: system-packages $(STAMP) $(QM_FILES)
	$(BIN)/petsapp-desktop --demo

test: system-packages $(STAMP) $(QM_FILES)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: $(STAMP)
	$(BIN)/python -m backend.openapi_doc docs/openapi.json

# Every translatable string in desktop/ into each .ts (new ones unfinished, vanished ones
# dropped), then compiled. A test fails when translations/petsapp_en.ts is not current.
translations: $(STAMP)
	$(BIN)/pyside6-lupdate -extensions py -no-obsolete -locations none desktop -ts $(TS_FILES)
	@mkdir -p resources/translations
	for ts in $(TS_FILES); do \
	  qm=resources/translations/$$(basename $$ts .ts).qm; \
	  $(BIN)/pyside6-lrelease -silent $$ts -qm $$qm || exit 1; \
	done

resources/translations/%.qm: translations/%.ts | $(STAMP)
	@mkdir -p $(@D)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

screenshots: system-packages $(STAMP) $(QM_FILES)
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python tools/screenshots.py docs/screenshots
	PETSAPP_COLOR_SCHEME=dark xvfb-run -a -s "-screen 0 1280x800x24" \
	  $(BIN)/python tools/screenshots.py docs/screenshots

# The one-folder bundle (dist/petsapp-desktop/), then, where dpkg-deb exists, the Debian package
# dist/petsapp-desktop_<version>_<arch>.deb (packaging/linux/build-deb.sh; packaging/README.md).
dist: $(STAMP) $(QM_FILES)
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
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .mypy_cache
