# One command each, on a fresh Debian machine:
#   make demo   set everything up, validate and simulate the bundled service-desk example
#   make test   set everything up and run the test suite (what CI runs)
.PHONY: setup demo test lint bench

setup:
	@bash scripts/setup.sh

demo: setup
	.venv/bin/procmap validate --strict examples/service_desk.yaml
	.venv/bin/procmap simulate examples/service_desk.yaml

test: setup
	.venv/bin/python -m pytest -q --nbmake tests examples/notebooks

lint: setup
	.venv/bin/ruff check procmap tests benchmarks
