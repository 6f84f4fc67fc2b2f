#!/usr/bin/env bash
# The whole GPU check of the mission's commands, as one script for a short lease on a CUDA
# machine with its own PyTorch and no internet. Prepare on a connected machine:
#
#   python tools/misc/pack_offline.py --python-version 3.12 \
#       --have tools/misc/gpu_node_packages.txt --out work_dirs/offline_gpu
#
# then on the GPU machine, from the repository root (carry work_dirs/offline_gpu):
#
#   OUT=/where/results/go bash tools/misc/gpu_check.sh
#
# A dry run of the plumbing on a CPU with an installed environment (2 iterations a step; the
# paper's FST at batch 8 and 256 px takes minutes per iteration on a small CPU):
#   FST_CHECK_ITERS=2 FST_CHECK_PYTHON=.venv/bin/python \
#     FST_CHECK_FST_OPTS=train_dataloader.batch_size=1 bash tools/misc/gpu_check.sh
#
# Steps (each under its own time limit; a failing step is recorded and the next one runs):
#  1. offline install into a venv on top of the node's Python (mmcv's ops built there);
#  2. tiny GOPRO-layout data (procedural, 256x256) and its frame store;
#  3. tools/train.py, the paper's FST (configs/fst/fst_1xb8-1000e_gopro-store.py: batch 8,
#     EMA) reading the frame store, 300 iterations with --amp (fp16 and loss scaling on
#     CUDA): iterations/s and GPU utilisation (nvidia-smi);
#  3b. the shipped recipe both ways, same samples (batch 16 at 224 px, bf16 autocast, from the
#     shipped weights, footage synthesized by CPU workers while training): tools/train.py with
#     configs/fst/fst-local-path_1xb16-3000i_footage-stream.py, and against it the retired
#     plain loop when a copy from git history is carried (FST_CHECK_LOOP, default
#     $WH/plain_loop.py); iterations/s of each (needs data/footage: carry it);
#  4. tools/dist_train.sh with 1 GPU (NCCL) for the demo EDVR and STFAN, 100 iterations each,
#     then --resume of the FST run for 20 more iterations;
#  5. tools/dist_test.sh: PSNR/SSIM of the three checkpoints;
#  6. tools/test.py with the shipped weights, --dtype fp32 against fp16: PSNR of each;
#  7. tools/deblur_video.py on 1280x720 frames (shipped weights, default precision): fps;
#  8. the CUDA tests of the test suite (pytest -m "not slow" on the tests that use CUDA).
# Results: $OUT/summary.md and one log per step.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUT="${OUT:-$ROOT/work_dirs/gpu_check}"
WH="${FST_WHEELHOUSE_DIR:-$ROOT/work_dirs/offline_gpu}"
VENV="${FST_VENV:-/tmp/fst-venv}"
ITERS="${FST_CHECK_ITERS:-300}"
SHORT=$(( ITERS / 3 > 1 ? ITERS / 3 : 2 ))
WORK=/tmp/fst_gpu_check
export PORT="${PORT:-29531}"  # dist_*.sh rendezvous port, away from the default others use
mkdir -p "$OUT" "$WORK"
SUMMARY="$OUT/summary.md"
: > "$SUMMARY"
note() { echo "$*" | tee -a "$SUMMARY"; }
step() {  # step NAME SECONDS COMMAND...: run with a limit, log, record the outcome
  local name="$1" limit="$2"; shift 2
  local t0=$(date +%s)
  timeout "$limit" "$@" > "$OUT/$name.log" 2>&1
  local rc=$?
  note "- $name: rc $rc in $(( $(date +%s) - t0 )) s"
  return $rc
}

note "# GPU check, $(date -u +%Y-%m-%dT%H:%MZ)"
note "$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo 'no nvidia-smi: a dry run')"

if [[ -n "${FST_CHECK_PYTHON:-}" ]]; then
  PY="$FST_CHECK_PYTHON"; note "- install: skipped, using $PY"
else
  step install 420 env MAX_JOBS="$(nproc)" bash "$WH/install.sh" --venv "$VENV" --python python3 \
    || { note "install failed: see install.log"; exit 1; }
  PY="$VENV/bin/python"
fi
note "$("$PY" -c 'import torch, mmcv; print("torch", torch.__version__, "cuda", torch.version.cuda, "mmcv", mmcv.__version__)')"

DATA="$WORK/gopro"
if [[ ! -d "$DATA-store" ]]; then  # a rerun on the same machine reuses the data
  step data 420 bash -c "'$PY' tools/dataset_converters/synthesize_gopro.py --out '$DATA' --size 256x256 \
    --train 4 --test 2 --frames 24 && '$PY' tools/dataset_converters/build_frame_store.py '$DATA' '$DATA-store'"
fi
roots=(train_dataloader.dataset.data_root="$DATA" val_dataloader.dataset.data_root="$DATA"
       test_dataloader.dataset.data_root="$DATA" train_dataloader.num_workers=4)
FST=configs/fst/fst_1xb8-1000e_gopro-store.py
EDVR=configs/edvr_deblur/edvr-deblur-wotsa-s_1xb4-900i_demo.py
STFAN=configs/stfan/stfan-s_1xb4-900i_demo.py

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader,nounits -lms 500 \
  > "$OUT/gpu_util_train.csv" 2>/dev/null &
smi=$!
# the paper's config validates on named GOPRO_Large sequences: none here
fst_opts=(train_dataloader.dataset.data_root="$DATA" test_dataloader.dataset.data_root="$DATA"
          train_dataloader.num_workers=4 train_dataloader.dataset.frame_store="$DATA-store" val_dataloader=None
          val_cfg=None val_evaluator=None "train_dataloader.dataset.exclude_sequences=[]"
          train_cfg.val_interval=100000 ${FST_CHECK_FST_OPTS:-}
          default_hooks.checkpoint.interval="$ITERS")
step train_fst 300 "$PY" tools/train.py "$FST" --amp --work-dir "$WORK/fst" \
  --cfg-options "${fst_opts[@]}" train_cfg.max_iters="$ITERS"
kill $smi 2>/dev/null
note "  FST train: $(grep -o 'time: [0-9.]*' "$OUT/train_fst.log" | tail -n 5 | awk '{s+=$2} END {if (NR) printf "%.3f s/it (last %d logs), %.1f it/s", s/NR, NR, NR/s}')"
[[ -s "$OUT/gpu_util_train.csv" ]] && note "  GPU utilisation during training (mean of samples > 0): $(awk -F, '$1>0 {s+=$1; n++} END {if (n) printf "%.0f %% over %d samples", s/n, n}' "$OUT/gpu_util_train.csv")"

SHIPPED_CFG=configs/fst/fst-local-path_1xb4-850i_footage.py
SHIPPED=fst_plugin/model_zoo/fst_footage.safetensors
FOOTAGE="${FST_CHECK_FOOTAGE:-$ROOT/data/footage}"
workers=$(( $(nproc) > 3 ? $(nproc) - 2 : 1 ))
if [[ -f "$FOOTAGE/footage.json" ]]; then
  step recipe_runner 300 "$PY" tools/train.py configs/fst/fst-local-path_1xb16-3000i_footage-stream.py \
    --amp bf16 --work-dir "$WORK/recipe" --cfg-options load_from="$SHIPPED" \
    train_dataloader.dataset.footage="$FOOTAGE" train_dataloader.num_workers=$workers \
    train_cfg.max_iters="$ITERS" default_hooks.checkpoint.interval="$ITERS" ${FST_CHECK_RECIPE_OPTS:-}
  note "  recipe, Runner: $(grep -o 'time: [0-9.]*' "$OUT/recipe_runner.log" | tail -n 5 | awk '{s+=$2} END {if (NR) printf "%.3f s/it (last %d logs), %.2f it/s", s/NR, NR, NR/s}')"
  # the plain loop that trained the shipped weights left the package (a second trainer);
  # FST_CHECK_LOOP names a copy taken from git history to time it on the same samples:
  #   git show b8e196a:tools/misc/train_footage_gpu.py > work_dirs/offline_gpu/plain_loop.py
  LOOP="${FST_CHECK_LOOP:-$WH/plain_loop.py}"
  if [[ -f "$LOOP" ]]; then
    step recipe_loop 300 "$PY" "$LOOP" --footage "$FOOTAGE" --out "$WORK/loop" \
      --model-config configs/_base_/models/fst_local_path.py --init "$SHIPPED" --minutes 4 \
      --batch-size 16 --crop 224 --identity-share 0.07 --static-share 0.25 --downscale-share 0.3 \
      --min-scale 0.6 --dtype bf16 --workers $workers --max-iters "$ITERS" ${FST_CHECK_LOOP_OPTS:-}
    note "  recipe, plain loop: $("$PY" - "$WORK/loop/train_log.json" <<'PYEOF'
import json, sys
log = json.load(open(sys.argv[1]))['log']
a, b = (log[1], log[-1]) if len(log) > 2 else (log[0], log[-1])
rate = (b['iteration'] - a['iteration']) / max(b['seconds'] - a['seconds'], 1e-9)
print(f"{1 / rate:.3f} s/it, {rate:.2f} it/s (iterations {a['iteration']}-{b['iteration']})")
PYEOF
)"
  else
    note "- recipe, plain loop: skipped, no $LOOP (see the comment above this step)"
  fi
else
  note "- recipe comparison: skipped, no $FOOTAGE/footage.json (carry data/footage)"
fi

for m in EDVR STFAN; do
  cfg="${!m}"
  step "dist_train_${m,,}" 240 env PYTHON="$PY" bash tools/dist_train.sh "$cfg" 1 --amp \
    --work-dir "$WORK/${m,,}" --cfg-options "${roots[@]}" train_cfg.max_iters="$SHORT" \
    train_cfg.val_interval=100000 param_scheduler.T_max="$SHORT"
done
step resume_fst 180 "$PY" tools/train.py "$FST" --amp --resume --work-dir "$WORK/fst" \
  --cfg-options "${fst_opts[@]}" train_cfg.max_iters=$(( ITERS + 2 ))

for m in fst edvr stfan; do
  cfg=$FST; [[ $m == edvr ]] && cfg=$EDVR; [[ $m == stfan ]] && cfg=$STFAN
  ckpt="$(ls -t "$WORK/$m"/iter_*.safetensors 2>/dev/null | head -n 1)"
  step "dist_test_$m" 180 env PYTHON="$PY" bash tools/dist_test.sh "$cfg" "$ckpt" 1 \
    --out "$OUT/dist_test_$m.json" --cfg-options test_dataloader.dataset.data_root="$DATA"
  note "  $m: $(grep -o -E '(PSNR|SSIM)[A-Za-z_]*: [0-9.]+' "$OUT/dist_test_$m.log" | head -n 2 | tr '\n' ' ')"
done

for dt in fp32 fp16; do
  step "test_shipped_$dt" 180 "$PY" tools/test.py "$SHIPPED_CFG" "$SHIPPED" --dtype $dt \
    --out "$OUT/test_shipped_$dt.json" --cfg-options test_dataloader.dataset.data_root="$DATA"
  note "  shipped, $dt: $(grep -o -E '(PSNR|SSIM)[A-Za-z_]*: [0-9.]+' "$OUT/test_shipped_$dt.log" | head -n 2 | tr '\n' ' ')"
done

[[ -d "$WORK/hd/test" ]] || step frames_720p 180 "$PY" tools/dataset_converters/synthesize_gopro.py --out "$WORK/hd" \
  --size 1280x720 --train 0 --test 1 --frames "${FST_CHECK_HD_FRAMES:-60}" --avg-range 3 3
hd_blur="$(ls -d "$WORK"/hd/test/*/blur | head -n 1)"
step deblur_720p 240 "$PY" tools/deblur_video.py "$hd_blur" "$WORK/hd_out"
note "  720p: $(grep -i -o -E '[0-9.]+ frames/s[^,]*' "$OUT/deblur_720p.log" | tail -n 1)"

step cuda_tests 300 "$PY" -m pytest -q -x tests -k "cuda or gpu" -p no:cacheprovider
note "  tests: $(tail -n 1 "$OUT/cuda_tests.log")"
note "done"
