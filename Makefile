# The two quick-start targets; both set up everything they need first.
.PHONY: demo test setup setup-dev bench clean

demo: setup
	.venv/bin/transverify verify examples/fortran/saxpy.f90 examples/fortran/saxpy.cpp

test: setup-dev
	.venv/bin/python -m pytest -n 2 -q

setup:
	scripts/setup.sh

setup-dev:
	scripts/setup.sh --dev

bench: setup
	.venv/bin/python bench/run.py

clean:
	rm -rf .venv extension/node_modules extension/out *.vsix
