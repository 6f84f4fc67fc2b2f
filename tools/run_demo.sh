#!/usr/bin/env bash
# The main job on the embedded default, on CPU in minutes:
#   1. set up ./.venv (idempotent);
#   2. synthesize GOPRO-layout clips to data/demo_gopro if absent (procedural scenes with
#      camera shake and moving objects, blurred by averaging 7-13 high-rate frames);
#   3. train FST with configs/fst_demo.py;
#   4. test it (every test frame, full resolution) and print PSNR/SSIM of the blurry input
#      and of FST's output.
# With real GOPRO_Large, train with configs/fst_gopro.py instead (see README).
#   bash tools/run_demo.sh            # DEMO_DATA, DEMO_WORK_DIR, DEMO_ITERS override defaults
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh
PY="${FST_VENV:-$ROOT/.venv}/bin/python"
export NO_ALBUMENTATIONS_UPDATE=1 PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
DATA="${DEMO_DATA:-data/demo_gopro}"
WORK="${DEMO_WORK_DIR:-work_dirs/fst_demo}"
ITERS="${DEMO_ITERS:-400}"
start=$(date +%s)

if [ ! -d "$DATA/train" ]; then
  echo "== synthesizing GOPRO-layout data in $DATA"
  "$PY" tools/synthesize_gopro.py --out "$DATA" --size 256x256 --train 4 --test 2 --frames 24
fi
opts=(train_dataloader.dataset.data_root="$DATA" val_dataloader.dataset.data_root="$DATA"
      test_dataloader.dataset.data_root="$DATA")

echo "== training FST for $ITERS iterations (log: $WORK)"
"$PY" tools/train.py configs/fst_demo.py --work-dir "$WORK" \
  --cfg-options "${opts[@]}" train_cfg.max_iters="$ITERS" train_cfg.val_interval="$ITERS" \
  param_scheduler.T_max="$ITERS" 2>&1 | grep --line-buffered -E "Iter\(|Error|error" || true
CKPT="$WORK/iter_$ITERS.pth"
[ -f "$CKPT" ] || { echo "run_demo: training did not produce $CKPT; see the log in $WORK" >&2; exit 1; }

echo "== testing $CKPT on every test frame"
"$PY" tools/test.py configs/fst_demo.py "$CKPT" --work-dir "$WORK" --out "$WORK/scores.json" \
  --cfg-options "${opts[@]}" 2>&1 | grep --line-buffered -v -E "Warning|warn|^\s*$" | \
  sed -n '/^sequence/,/overall/p'

"$PY" - "$WORK/scores.json" "$start" <<'PYEOF'
import json, sys, time
r = json.load(open(sys.argv[1]))
o = r['overall']
print(f"\n== demo result on {r['num_frames']} test frames ({r['protocol']})")
print(f"   blurry input : PSNR {o['input_PSNR']:.2f} dB  SSIM {o['input_SSIM']:.4f}")
print(f"   FST output   : PSNR {o['PSNR']:.2f} dB  SSIM {o['SSIM']:.4f}"
      f"   ({o['PSNR'] - o['input_PSNR']:+.2f} dB)")
print(f"   scores: {sys.argv[1]}; total time {time.time() - float(sys.argv[2]):.0f} s")
PYEOF
