#!/usr/bin/env bash
# End-to-end check of the offline install on this machine: a fresh "node" environment with a
# preinstalled torch, a wheelhouse packed for it, the install with no index, then
# tools/train.py (FST, EDVR, STFAN: 2 iterations each) and tools/test.py (PSNR/SSIM) on a tiny
# synthesized GOPRO-layout dataset, all with the installed environment.
#
#   bash tools/misc/check_offline_install.sh [WORK_DIR]      # default: work_dirs/offline_check
#
# Needs the network for the packing step only (PyPI, and the torch wheels for the "node").
# FST_NODE_TORCH / FST_NODE_TORCHVISION pick the node's torch (default: this machine's pins);
# FST_MMCV_WHEEL a built mmcv wheel for it (default: ../shared/wheels when one fits, else the
# sdist is packed and built during the install).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
WORK="$(mkdir -p "${1:-work_dirs/offline_check}" && cd "${1:-work_dirs/offline_check}" && pwd)"
PY_BOOT="${FST_PYTHON:-python3}"
TORCH="${FST_NODE_TORCH:-2.14.1}"
TORCHVISION="${FST_NODE_TORCHVISION:-0.29.1}"
log() { printf '[check_offline %(%H:%M:%S)T] %s\n' -1 "$*"; }
t_start=$(date +%s)

log "1/5 the node: a fresh venv with torch $TORCH and torchvision $TORCHVISION only"
rm -rf "$WORK/fst-venv" "$WORK/wheelhouse" "$WORK/wheelhouse.tar"
[[ -x "$WORK/node/bin/python" ]] || "$PY_BOOT" -m venv "$WORK/node"
"$WORK/node/bin/python" -m pip install -q "torch==$TORCH" "torchvision==$TORCHVISION"
"$WORK/node/bin/python" -m pip list --format=freeze > "$WORK/node_freeze.txt"

log "2/5 packing for it (tools/misc/pack_offline.py)"
pyver="$("$WORK/node/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
tag="cp${pyver/./}"
mmcv_args=()
mmcv_whl="${FST_MMCV_WHEEL:-$ROOT/../shared/wheels/mmcv-2.1.0-$tag-$tag-linux_x86_64.whl}"
if [[ -f "$mmcv_whl" && "$TORCH" == "2.14.1" ]]; then mmcv_args=(--mmcv-wheel "$mmcv_whl"); fi
t0=$(date +%s)
"$PY_BOOT" tools/misc/pack_offline.py --python-version "$pyver" --have "$WORK/node_freeze.txt" \
  --out "$WORK/wheelhouse" --archive "${mmcv_args[@]}" | tail -n 2
log "packing took $(( $(date +%s) - t0 )) s"

log "3/5 installing with no index (PIP_CONFIG_FILE=/dev/null, no find-links)"
t0=$(date +%s)
env PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= PIP_INDEX_URL=http://127.0.0.1:9/none \
  bash "$WORK/wheelhouse/install.sh" --venv "$WORK/fst-venv" --python "$WORK/node/bin/python"
log "install took $(( $(date +%s) - t0 )) s"
PY="$WORK/fst-venv/bin/python"

log "4/5 tiny GOPRO-layout data"
DATA="$WORK/tiny_gopro"
[[ -d "$DATA/train" ]] || "$PY" tools/dataset_converters/synthesize_gopro.py --out "$DATA" \
  --size 96x96 --train 2 --test 1 --frames 12 > "$WORK/synthesize.log" 2>&1
opts=(train_dataloader.dataset.data_root="$DATA" val_dataloader.dataset.data_root="$DATA"
      test_dataloader.dataset.data_root="$DATA"
      train_cfg.max_iters=2 train_cfg.val_interval=3 train_dataloader.num_workers=0
      train_dataloader.persistent_workers=False)

log "5/5 tools/train.py and tools/test.py with the installed environment"
for cfg in configs/fst/fst-half_1xb4-900i_demo.py \
           configs/edvr_deblur/edvr-deblur-wotsa-s_1xb4-900i_demo.py \
           configs/stfan/stfan-s_1xb4-900i_demo.py; do
  name="$(basename "$cfg" .py)"
  "$PY" tools/train.py "$cfg" --work-dir "$WORK/$name" --cfg-options "${opts[@]}" \
    > "$WORK/$name.train.log" 2>&1 || { tail -n 30 "$WORK/$name.train.log"; exit 1; }
  "$PY" tools/test.py "$cfg" "$WORK/$name/iter_2.safetensors" --out "$WORK/$name.test.json" \
    --cfg-options test_dataloader.dataset.data_root="$DATA" \
    > "$WORK/$name.test.log" 2>&1 || { tail -n 30 "$WORK/$name.test.log"; exit 1; }
  log "$name: $(grep -o -E '(PSNR|SSIM)[A-Za-z_]*: [0-9.]+' "$WORK/$name.test.log" | tr '\n' ' ')"
done
du -sh "$WORK/wheelhouse.tar" | sed 's/^/wheelhouse archive: /'
log "offline install check passed in $(( $(date +%s) - t_start )) s"
