# station: two commands do everything on a fresh Debian machine (as root):
#   make demo   - install what is needed and run the station demo against virtual cards
#   make test   - install what is needed and run lint, types and the whole test suite
.PHONY: setup demo test lint bench pcscd clean

setup:
	bash scripts/setup.sh

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

lint: setup
	.venv/bin/ruff check station tests bench
	.venv/bin/ruff format --check station
	.venv/bin/mypy station
	.venv/bin/lint-imports --no-cache

pcscd:
	bash scripts/pcscd-start.sh

bench: setup
	bash scripts/pcscd-start.sh
	for b in bench/*.py; do echo "== $$b"; .venv/bin/python $$b || exit 1; done

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache .hypothesis
