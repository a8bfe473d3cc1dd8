# StarCoach — two commands do all set-up on a fresh Debian/Ubuntu machine:
#   make run    installs what the app needs, then starts it
#   make test   installs what the tests need too, then runs lint and the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
RUN_STAMP := $(VENV)/.installed-run
# Exact versions with hashes (make lock refreshes them; pyproject.toml keeps the ranges).
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock

# Debian packages: PortAudio for the microphone, the X/GL libraries Qt's xcb plugin loads.
APT_RUN := libportaudio2 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 \
	libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 \
	libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libfontconfig1 libdbus-1-3
# ...and for the tests: a virtual screen, a private PulseAudio as the virtual microphone,
# speech and audio tools for the corpus scripts.
APT_TEST := xvfb xauth pulseaudio pulseaudio-utils libasound2-plugins espeak-ng sox flac binutils \
	flite festival

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint unit e2e bench screenshots sysdeps-run sysdeps-test venv lock clean

run: sysdeps-run $(RUN_STAMP)
	$(BIN)/starcoach

test: sysdeps-test $(STAMP) lint
	$(BIN)/python -m pytest

unit: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e"

e2e: sysdeps-test $(STAMP)
	$(BIN)/python -m pytest -m e2e

lint: $(STAMP)
	$(BIN)/ruff check starcoach tests benchmarks
	$(BIN)/ruff format --check starcoach tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_architecture.py

bench: sysdeps-test $(STAMP)
	$(BIN)/python -m benchmarks
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python -m benchmarks.gui

screenshots: sysdeps-test $(STAMP)
	xvfb-run -a -s "-screen 0 1440x900x24" $(BIN)/python docs/screenshots/take.py

venv: $(STAMP)

# Installs only what is missing, so a second run costs a dpkg query.
sysdeps-run:
	@bash packaging/apt-install.sh $(APT_RUN)

sysdeps-test:
	@bash packaging/apt-install.sh $(APT_RUN) $(APT_TEST)

# The venv gets exactly what the lock files say (pip checks every hash), then StarCoach
# itself, editable and without dependencies, so nothing unpinned comes in.
define install_locked
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || bash packaging/apt-install.sh python3-venv
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(1)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		--no-build-isolation -e .
endef

$(RUN_STAMP): pyproject.toml $(LOCK)
	$(call install_locked,$(LOCK))
	@touch $@

$(STAMP): pyproject.toml $(DEV_LOCK)
	$(call install_locked,$(DEV_LOCK))
	@touch $@ $(RUN_STAMP)

# Refresh both lock files from pyproject.toml's ranges (newest releases that fit), with uv,
# which the dev lock pins. The dev lock is constrained by the app lock so the two agree.
# Commit both after `make test` passes on them.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml packaging/build-requirements.in --universal \
		--python-version 3.11 --generate-hashes --upgrade --quiet -o $(LOCK)
	$(BIN)/uv pip compile pyproject.toml packaging/build-requirements.in --extra dev \
		--universal --python-version 3.11 --generate-hashes --upgrade --quiet \
		-c $(LOCK) -o $(DEV_LOCK)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

# --- Packaging (packaging/README.md) ----------------------------------------------------------
.PHONY: bundle test-slow

# dist/starcoach/ (one-folder PyInstaller bundle) + dist/starcoach-<version>-linux-<arch>.tar.gz.
# binutils: `strip` takes the debug info out of the bundled libraries (-64 MB).
bundle: sysdeps-run $(STAMP)
	@bash packaging/apt-install.sh binutils
	PYTHON=$(CURDIR)/$(BIN)/python bash packaging/build.sh

# The slow suite: builds the bundle (unless dist/ is newer than every source) and smoke-tests it.
test-slow: sysdeps-test $(STAMP)
	@bash packaging/apt-install.sh binutils
	$(BIN)/python -m pytest -m slow
