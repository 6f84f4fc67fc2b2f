#!/usr/bin/env bash
# Set up fst_plugin's project-local virtual environment, idempotently.
#
#   bash tools/setup_env.sh            # creates/updates ./.venv
#   FST_VENV=/path/venv bash tools/setup_env.sh
#   FST_WHEELHOUSE=/dir/with/wheels bash tools/setup_env.sh
#   FST_FORCE_MMCV_BUILD=1 bash tools/setup_env.sh   # ignore wheelhouses, build mmcv from sdist
#
# What it installs (pins in requirements/runtime.txt):
#   torch 2.14.1 / torchvision 0.29.1, mmengine 0.10.7, numpy<2, opencv-python, the small part of
#   mmagic's dependency list that its restoration code imports, then mmcv 2.1.0 *with ops* and
#   mmagic 1.2.0 (--no-deps: its full list pulls face/diffusion stacks deblurring never uses),
#   and finally fst_plugin itself in editable mode.
#
# mmcv 2.1.0 has no wheel for torch 2.14. Order of preference:
#   1. already installed in the venv with working mmcv.ops -> keep it;
#   2. a matching wheel in $FST_WHEELHOUSE, ../shared/wheels or .cache/wheels;
#   3. build it from the PyPI sdist with every -std=c++14/17 switched to -std=c++20 (torch>=2.10
#      headers require C++20). CUDA kernels are compiled too when nvcc and a GPU are present.
#      The built wheel is kept in .cache/wheels so the next run reuses it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${FST_VENV:-$ROOT/.venv}"
CACHE="$ROOT/.cache"
PY_BOOT="${FST_PYTHON:-}"
MMCV_VERSION=2.1.0
MMAGIC_VERSION=1.2.0

log() { printf '[setup_env %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

if [[ -z "$PY_BOOT" ]]; then
  for cand in python3.11 python3 python; do
    if command -v "$cand" >/dev/null 2>&1; then PY_BOOT="$cand"; break; fi
  done
fi
[[ -n "$PY_BOOT" ]] || { echo "setup_env: no python3 found on PATH" >&2; exit 1; }

# ---- idempotency: a stamp of everything that decides the environment's content ------------
stamp_src() {
  cat "$ROOT/requirements/runtime.txt" "$ROOT/requirements/tests.txt" "$ROOT/setup.py" \
    "$ROOT/tools/setup_env.sh"
}
STAMP_WANT="$(stamp_src | sha256sum | cut -c1-16)"
STAMP_FILE="$VENV/.fst_plugin_stamp"
if [[ -x "$VENV/bin/python" && -f "$STAMP_FILE" && "$(cat "$STAMP_FILE")" == "$STAMP_WANT" ]]; then
  if "$VENV/bin/python" -c "import mmcv.ops, mmagic.models, fst_plugin" >/dev/null 2>&1; then
    log "environment $VENV is up to date"
    exit 0
  fi
  log "stamp matches but imports fail; repairing"
fi

if [[ ! -x "$VENV/bin/python" ]]; then
  log "creating virtual environment $VENV with $($PY_BOOT --version 2>&1)"
  "$PY_BOOT" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check)

log "installing pinned runtime requirements"
"${PIP[@]}" install -q -r "$ROOT/requirements/runtime.txt" -r "$ROOT/requirements/tests.txt"

# ---- mmcv with ops -------------------------------------------------------------------------
mmcv_ok() {
  "$PY" - <<EOF >/dev/null 2>&1
import mmcv, mmcv.ops
assert mmcv.__version__ == "$MMCV_VERSION", mmcv.__version__
EOF
}

find_wheel() {
  local tag dir whl
  tag="$("$PY" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
  local dirs=()
  [[ -n "${FST_WHEELHOUSE:-}" ]] && dirs+=("$FST_WHEELHOUSE")
  dirs+=("$ROOT/../shared/wheels" "$CACHE/wheels")
  for dir in "${dirs[@]}"; do
    [[ -d "$dir" ]] || continue
    for whl in "$dir"/mmcv-"$MMCV_VERSION"-"$tag"-"$tag"-linux_"$(uname -m)".whl; do
      [[ -f "$whl" ]] && { echo "$whl"; return 0; }
    done
  done
  return 1
}

build_mmcv() {
  local t0 build src
  t0=$(date +%s)
  build="$CACHE/mmcv-build"
  rm -rf "$build"; mkdir -p "$build" "$CACHE/wheels"
  # mmcv 2.1.0's setup.py needs an older setuptools (torch itself asks for a newer one, so this
  # is installed only for the build and only here, where pip merely warns about it)
  "${PIP[@]}" install -q "setuptools<70" wheel ninja
  log "building mmcv $MMCV_VERSION with ops from the PyPI sdist (this takes 10-20 minutes on 2 cores)"
  "${PIP[@]}" download -q --no-deps --no-binary :all: --no-build-isolation \
    "mmcv==$MMCV_VERSION" -d "$build"
  tar -xzf "$build"/mmcv-"$MMCV_VERSION".tar.gz -C "$build"
  src="$build/mmcv-$MMCV_VERSION"
  # torch >= 2.10 headers: "C++20 or later compatible compiler is required"
  sed -i -E 's/-std=c\+\+1[47]/-std=c++20/g' "$src/setup.py"
  grep -q -- '-std=c++20' "$src/setup.py" || { echo "setup_env: c++20 patch did not apply to $src/setup.py" >&2; exit 1; }
  local env=(MMCV_WITH_OPS=1 "MAX_JOBS=${MAX_JOBS:-$(nproc)}")
  if command -v nvcc >/dev/null 2>&1 && "$PY" -c "import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)"; then
    log "nvcc and a GPU found: compiling CUDA kernels too (FORCE_CUDA=1)"
    env+=(FORCE_CUDA=1)
  fi
  (cd "$src" && env "${env[@]}" "$PY" -m pip wheel -q --no-build-isolation --no-deps . -w "$CACHE/wheels")
  log "mmcv build took $(( $(date +%s) - t0 )) s; wheel kept in $CACHE/wheels"
}

if mmcv_ok; then
  log "mmcv $MMCV_VERSION with ops already installed"
else
  whl=""
  if [[ "${FST_FORCE_MMCV_BUILD:-0}" != "1" ]]; then whl="$(find_wheel || true)"; fi
  if [[ -z "$whl" ]]; then
    if [[ "${FST_FORCE_MMCV_BUILD:-0}" == "1" ]]; then rm -f "$CACHE"/wheels/mmcv-*.whl; fi
    build_mmcv
    whl="$(ls "$CACHE"/wheels/mmcv-"$MMCV_VERSION"-*.whl | head -n 1)"
  fi
  log "installing $whl"
  "${PIP[@]}" install -q --no-deps --force-reinstall "$whl"
  mmcv_ok || { echo "setup_env: mmcv.ops does not import after installing $whl" >&2; exit 1; }
fi

# ---- mmagic without its heavy dependency list, then the plugin ------------------------------
"${PIP[@]}" install -q --no-deps "mmagic==$MMAGIC_VERSION"
"${PIP[@]}" install -q --no-deps --no-build-isolation -e "$ROOT"

log "checking imports"
"$PY" - <<'EOF'
import torch, mmengine, mmcv, mmcv.ops, mmagic, mmagic.models  # noqa: F401
import fst_plugin  # noqa: F401
print(f"torch {torch.__version__}, mmengine {mmengine.__version__}, mmcv {mmcv.__version__}, "
      f"mmagic {mmagic.__version__}, fst_plugin {fst_plugin.__version__}")
EOF
echo "$STAMP_WANT" > "$STAMP_FILE"
log "environment ready: activate with 'source $VENV/bin/activate'"
