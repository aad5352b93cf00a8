# The two quick-start targets (demo, test) set up everything they need first.
.PHONY: demo test setup setup-dev bench clean

DEMO_OUT := build/demo/saxpy.cpp

# The main job, offline: translate a bundled Fortran routine to C++ and verify it.
demo: setup
	.venv/bin/transverify translate examples/fortran/saxpy.f90 --to cpp -o $(DEMO_OUT)
	@echo "----- $(DEMO_OUT)"
	@cat $(DEMO_OUT)

test: setup-dev
	.venv/bin/python -m pytest -n 2 -q --durations=20

setup:
	scripts/setup.sh

setup-dev:
	scripts/setup.sh --dev

# Every benchmark prints medians and ratios to a baseline measured in the same run.  The TVM
# bench tunes one small GEMM (16 trials, a few minutes the first time, then from the cache).
bench: setup-dev
	@for b in verify translate translate_coverage loop cuda cuda_translate lsp dataset jax tvm; do \
	  echo "===== bench/$$b.py"; .venv/bin/python bench/$$b.py || exit 1; done

clean:
	rm -rf .venv build extension/node_modules extension/out *.vsix tests/editor_e2e/node_modules tests/editor_e2e/output
