#!/usr/bin/env bash
# Install fst_plugin from a folder made by tools/misc/pack_offline.py, with no index and
# without touching the node's torch, torchvision or numpy.
#
#   bash fst_offline/install.sh --venv ~/fst-venv     # a venv on top of the node's Python
#   bash fst_offline/install.sh                       # into the running python3's environment
#   FST_PYTHON=/opt/torch/.venv/bin/python3 bash fst_offline/install.sh --venv ~/fst-venv
#
# --venv makes a virtual environment that sees the node's torch and everything else the node
# has (--system-site-packages, plus the site-packages of the node's own venv if its python is
# one), and the packed wheels go into it (shadowing, not
# replacing, the node's copies). Every packed wheel is installed with --no-deps: the packer
# already closed the dependency list against the node's packages. mmcv: its wheel when one
# was packed, else its source archive is built here (ops for the CPU, c++20; 2-5 minutes on
# 16 cores), kept as a wheel next to this script for the next install.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${FST_PYTHON:-python3}"
VENV=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --venv) VENV="$2"; shift 2 ;;
    --python) PY="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "install_offline: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
log() { printf '[install_offline %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
t0=$(date +%s)

[[ -f "$HERE/manifest.json" ]] || { echo "install_offline: $HERE/manifest.json missing: is this a folder made by pack_offline.py?" >&2; exit 1; }
if [[ -n "$VENV" ]]; then
  if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating $VENV on top of $("$PY" -c 'import sys; print(sys.executable)')"
    "$PY" -m venv --system-site-packages "$VENV"
    # the node's python may itself be a venv (its packages are then not "system" ones):
    # a .pth puts its site-packages after the new venv's own
    "$PY" -c 'import site, sys; print("\n".join(p for p in site.getsitepackages() if p not in sys.base_prefix))' \
      > "$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/zz_node_site_packages.pth"
  fi
  PY="$VENV/bin/python"
fi
node_stack() { "$PY" -c 'import torch, numpy; print(torch.__version__, torch.__file__, numpy.__version__)'; }
BEFORE="$(node_stack)" || { echo "install_offline: $PY has no torch/numpy; this installs onto an existing PyTorch" >&2; exit 1; }
log "torch/numpy before: $BEFORE"

PIP=("$PY" -m pip --disable-pip-version-check install --no-index --no-deps --quiet)
mapfile -t wheels < <(ls "$HERE"/*.whl | grep -v -E '/(mmcv|setuptools|wheel)-[^/]*\.whl$')
log "installing ${#wheels[@]} wheels"
"${PIP[@]}" "${wheels[@]}"

mmcv_whl="$(ls "$HERE"/mmcv-2.1.0-*.whl "$HERE"/built/mmcv-2.1.0-*.whl 2>/dev/null | head -n 1 || true)"
if [[ -z "$mmcv_whl" ]]; then
  sdist="$HERE/mmcv-2.1.0.tar.gz"
  [[ -f "$sdist" ]] || { echo "install_offline: neither an mmcv wheel nor $sdist in $HERE" >&2; exit 1; }
  log "building mmcv 2.1.0 with ops from $sdist"
  "${PIP[@]}" "$HERE"/setuptools-*.whl "$HERE"/wheel-*.whl
  build="$(mktemp -d)"
  tar -xzf "$sdist" -C "$build"
  # torch >= 2.10 headers need C++20
  sed -i -E 's/-std=c\+\+1[47]/-std=c++20/g' "$build/mmcv-2.1.0/setup.py"
  mkdir -p "$HERE/built"
  (cd "$build/mmcv-2.1.0" && MMCV_WITH_OPS=1 FORCE_CUDA=0 MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
     "$PY" -m pip --disable-pip-version-check wheel --quiet --no-index --no-deps \
     --no-build-isolation . -w "$HERE/built")
  rm -rf "$build"
  mmcv_whl="$(ls "$HERE"/built/mmcv-2.1.0-*.whl | head -n 1)"
fi
"${PIP[@]}" "$mmcv_whl"

AFTER="$(node_stack)"
[[ "$AFTER" == "$BEFORE" ]] || { echo "install_offline: torch/numpy changed: $BEFORE -> $AFTER" >&2; exit 1; }
"$PY" - <<'PYEOF'
import fst_plugin, mmcv.ops, mmagic.models, mmengine, torch
from mmagic.utils import register_all_modules
register_all_modules()
print(f'fst_plugin {fst_plugin.__version__}, mmcv {mmcv.__version__} with ops, '
      f'mmengine {mmengine.__version__}, torch {torch.__version__} '
      f'(cuda: {torch.cuda.is_available()})')
PYEOF
log "done in $(( $(date +%s) - t0 )) s; python: $PY"
