#!/usr/bin/env bash
# scripts/test runs every tests/*.sh: this one plays the notebook's live player in a real browser
# (python/tests/test_live_browser.py: JupyterLab on localhost, Debian's chromium driven by
# Playwright). It runs here, in the extra stage, and not with the other Python tests: the python
# stage shares the machine's two cores with the host stage and a cargo build, and a page starved
# of CPU for a few hundred milliseconds underruns, which this test counts. Nothing else runs
# beside the extra stage. It needs the quintet module the python stage installed in the venv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
exec "${QUINTET_PYTHON:-$ROOT/.venv/bin/python}" -m pytest python/tests/test_live_browser.py \
    -v -p no:cacheprovider
