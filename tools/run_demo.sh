#!/usr/bin/env bash
# The main job on the embedded default, on CPU in minutes:
#   1. set up ./.venv (idempotent);
#   2. synthesize GOPRO-layout clips to data/demo_gopro if absent (procedural scenes with
#      camera shake and moving objects, blurred by averaging 7-13 high-rate frames; milder
#      shake than the tool's default so that minutes of CPU training can show a gain);
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
ITERS="${DEMO_ITERS:-900}"
start=$(date +%s)

if [ ! -d "$DATA/train" ]; then
  echo "== synthesizing GOPRO-layout data in $DATA"
  "$PY" tools/synthesize_gopro.py --out "$DATA" --size 256x256 --train 4 --test 2 --frames 24 \
    --shake 1.0
fi
opts=(train_dataloader.dataset.data_root="$DATA" val_dataloader.dataset.data_root="$DATA"
      test_dataloader.dataset.data_root="$DATA")

echo "== training FST for $ITERS iterations (log: $WORK)"
mkdir -p "$WORK"
set +e
"$PY" tools/train.py configs/fst_demo.py --work-dir "$WORK" \
  --cfg-options "${opts[@]}" train_cfg.max_iters="$ITERS" train_cfg.val_interval="$ITERS" \
  param_scheduler.T_max="$ITERS" > "$WORK/train_console.log" 2>&1 &
pid=$!
tail -n +1 -f "$WORK/train_console.log" --pid=$pid | grep --line-buffered -E "Iter\(train\)"
wait $pid; rc=$?
set -e
CKPT="$WORK/iter_$ITERS.pth"
if [ $rc -ne 0 ] || [ ! -f "$CKPT" ]; then
  tail -n 30 "$WORK/train_console.log" >&2
  echo "run_demo: training failed (exit $rc); full log: $WORK/train_console.log" >&2
  exit 1
fi

echo "== testing $CKPT on every test frame"
if ! "$PY" tools/test.py configs/fst_demo.py "$CKPT" --work-dir "$WORK" \
    --out "$WORK/scores.json" --show-dir "$WORK/test_images" \
    --cfg-options "${opts[@]}" > "$WORK/test_console.log" 2>&1; then
  tail -n 30 "$WORK/test_console.log" >&2
  echo "run_demo: testing failed; full log: $WORK/test_console.log" >&2
  exit 1
fi
sed -n '/^sequence/,/^overall/p' "$WORK/test_console.log"

"$PY" - "$WORK/scores.json" "$start" <<'PYEOF'
import json, sys, time
r = json.load(open(sys.argv[1]))
o = r['overall']
print(f"\n== demo result on {r['num_frames']} test frames ({r['protocol']})")
print(f"   blurry input : PSNR {o['input_PSNR']:.2f} dB  SSIM {o['input_SSIM']:.4f}")
print(f"   FST output   : PSNR {o['PSNR']:.2f} dB  SSIM {o['SSIM']:.4f}"
      f"   ({o['PSNR'] - o['input_PSNR']:+.2f} dB)")
print(f"   scores: {sys.argv[1]}; output images: {sys.argv[1].rsplit('/', 1)[0]}/test_images")
print(f"   total time {time.time() - float(sys.argv[2]):.0f} s")
PYEOF
