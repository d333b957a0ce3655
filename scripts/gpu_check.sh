#!/usr/bin/env bash
# The GPU checks of issue 12, prepared to run in one go on a lent GPU (one H100: under 8 min).
# Usage: scripts/gpu_check.sh OUTDIR   (from the project root, its environment active)
# Each check writes OUTDIR/<name>.log and a line to OUTDIR/summary.txt (ok, FAILED, TIMEOUT or
# skipped); the whole run stops by its deadline, the later checks skipped. Without CUDA it
# says so, records it and exits 0: there is nothing to check on a CPU.
set -u
out=${1:?usage: scripts/gpu_check.sh OUTDIR}
mkdir -p "$out"
cd "$(dirname "$0")/.." || exit 1
summary="$out/summary.txt"
: >"$summary"
deadline=$((SECONDS + ${GPU_CHECK_SECONDS:-450}))  # 7.5 min in all (one H100)

note() { echo "$*" | tee -a "$summary"; }

if ! python -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
  note "CUDA is missing (torch.cuda.is_available() is false): every GPU check skipped"
  exit 0
fi
note "device: $(python -c 'import torch; print(torch.cuda.get_device_name())')"

# check NAME CAP_SECONDS COMMAND...: run with the smaller of its cap and the time left
check() {
  local name=$1 cap=$2; shift 2
  local left=$((deadline - SECONDS))
  if [ "$left" -lt 20 ]; then note "skipped  $name (out of time)"; return; fi
  local limit=$((cap < left ? cap : left)) started=$SECONDS
  timeout "$limit" "$@" >"$out/$name.log" 2>&1
  local code=$? took=$((SECONDS - started))
  if [ $code = 0 ]; then note "ok       $name (${took} s)"
  elif [ $code = 124 ]; then note "TIMEOUT  $name (${limit} s)"
  else note "FAILED   $name (exit $code, ${took} s): $(tail -n 1 "$out/$name.log")"; fi
}

check train_lstm_gpu 90 python train.py model=lstm trainer=gpu hydra.run.dir="$out/train_lstm_gpu"
check test_gpu 200 python -m pytest tests/test_gpu.py -q -p no:cacheprovider
# steps, start-up and the 16-job sweep (one multirun; joblib 4 at once; processes estimated
# from 2 of them), into a copy of docs/PERFORMANCE.md that gains a GPU block
cp docs/PERFORMANCE.md "$out/PERFORMANCE.md" 2>/dev/null
check benchmark_cuda 300 python scripts/benchmark.py --device cuda --out "$out/PERFORMANCE.md" \
  --logs "$out/benchmark" --rounds 3 --startup-runs 1 --process-jobs 2
if [ -f scripts/benchmark_scratch.py ]; then
  check benchmark_scratch 60 python scripts/benchmark_scratch.py --device cuda
  check benchmark_scratch_compile 90 python scripts/benchmark_scratch.py --device cuda --compile
else
  note "skipped  benchmark_scratch (scripts/benchmark_scratch.py does not exist)"
fi
note "total ${SECONDS} s"
