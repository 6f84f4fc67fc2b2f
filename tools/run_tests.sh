#!/usr/bin/env bash
# The test suite on a fresh machine: set up ./.venv (idempotent), then run pytest on CPU.
#   bash tools/run_tests.sh [pytest args]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/tools/setup_env.sh"
cd "$ROOT"
export NO_ALBUMENTATIONS_UPDATE=1 PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
exec "${FST_VENV:-$ROOT/.venv}/bin/python" -m pytest -q "$@"
