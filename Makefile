# station: two commands do everything on a fresh Debian machine (as root):
#   make demo   - install what is needed and run the station demo against virtual cards
#   make test   - install what is needed and run lint, types and the whole test suite
.PHONY: setup demo test lint bench pcscd clean screenshots

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

# every screen as a PNG in docs/screenshots (real windows under Xvfb, virtual card, PSAM and
# printer); holds the tests' vpcd lock so it never fights a test run for the virtual slots
screenshots: setup
	bash scripts/pcscd-start.sh
	for lang in zh_CN en; do \
	  for s in scripts/screenshots_bench.py scripts/screenshots_supervisor.py scripts/screenshots_teller.py; do \
	    flock $${STATION_VPCD_LOCK:-/tmp/station-vpcd.lock} xvfb-run -a .venv/bin/python $$s --lang $$lang || exit 1; \
	  done; \
	done
	flock $${STATION_VPCD_LOCK:-/tmp/station-vpcd.lock} xvfb-run -a .venv/bin/python scripts/screenshots.py
