# Jupitershine — every target creates .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo test lint bench gallery screenshots venv clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	@echo "== I57: Juno's closest approach to Io, 2023-12-30 08:36:00.836 UTC =="
	$(VENV)/bin/jupitershine info --preset i57 | tee out/i57-info.txt
	$(VENV)/bin/jupitershine info --preset i57 --json > out/i57-info.json
	$(VENV)/bin/jupitershine geometry --preset i57 --out out/i57.csv
	@head -4 out/i57.csv
	$(VENV)/bin/jupitershine still --preset i57 --size 1280x720 --out out/i57.png
	$(VENV)/bin/jupitershine render --preset i57-flyby --size 640x360 --fps 20 --overwrite --out out/i57-flyby-demo.mp4
	@echo "== wrote out/i57-info.txt, out/i57-info.json, out/i57.csv (4,800 rows, ±20 min at 0.5 s), out/i57.png (the view from Juno)"
	@echo "   and out/i57-flyby-demo.mp4 (the flyby, 640x360 at 20 fps; full size: jupitershine render --preset i57-flyby) =="

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check viewer tests bench
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) -m pip install -q -e '.[bench]'
	@mkdir -p bench/results
	$(PY) bench/run.py

# The README's pictures: 960x540 stills rendered headlessly into docs/gallery/ (tools/gallery.py).
gallery: $(STAMP)
	@mkdir -p docs/gallery
	$(PY) tools/gallery.py --out docs/gallery

# The README's pictures of the running window (docs/gallery/fly_*.png), under Xvfb without a display.
screenshots: $(STAMP)
	@mkdir -p docs/gallery
	$(if $(DISPLAY),,xvfb-run -a -s "-screen 0 1600x900x24") $(PY) tools/fly_screenshots.py --out docs/gallery

clean:
	rm -rf $(VENV) out dist build .pytest_cache .mypy_cache .ruff_cache
