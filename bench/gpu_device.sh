#!/usr/bin/env bash
# Everything issue 19 needs measured on a GPU machine, in one run; results under $OUT.
#
#   bash bench/gpu_carry.sh build/gpu-carry         # here, once: wheels the GPU image lacks, bwrap
#   device run, carry ["build/gpu-carry"], timeout_s 400, command:
#     bash bench/gpu_device.sh                       # in the repository root there
# (about 6 minutes: wheels and sanity 25 s, bench 160 s, the four topics 30 s, the bank 110 s)
#
# Writes $OUT/device.log (everything), $OUT/doctor.json, $OUT/cgroup-v2.txt, $OUT/gpu.json and $OUT/gpu.md (bench/gpu.py),
# $OUT/sanity.json (one CUDA job through `python -m executor run`), $OUT/check-fixed.txt (the four
# topics that failed on CUDA) and $OUT/check-cuda.txt (`python -m content check --device cuda`).
# Each step has its own time limit, so a slow step costs only itself. Without a GPU it still runs
# (CUDA jobs run on the CPU and say so), which is how it is tested before it meets one.
set -u
OUT=${OUT:-/tmp/gpu-device-out}
CARRY=${GPU_CARRY:-build/gpu-carry}
RUNS=${GPU_RUNS:-10}
BENCH_S=${GPU_BENCH_S:-160}
CHECK_S=${GPU_CHECK_S:-110}
PY=${PYTHON:-python3}
mkdir -p "$OUT"
exec > >(tee -a "$OUT/device.log") 2>&1
export PYTHONUNBUFFERED=1
[ -d /usr/local/nvidia/bin ] && export PATH="$PATH:/usr/local/nvidia/bin"
started=$(date +%s)
step() { echo "== $(($(date +%s) - started)) s: $*"; }

step "wheels and bubblewrap from $CARRY"
if ls "$CARRY"/whl/*.whl >/dev/null 2>&1; then
    "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
        --target /tmp/gpu-site "$CARRY"/whl/*.whl && export PYTHONPATH="/tmp/gpu-site${PYTHONPATH:+:$PYTHONPATH}"
fi
if ! command -v bwrap >/dev/null && [ -x "$CARRY/bwrap" ]; then
    install -m 0755 "$CARRY/bwrap" /usr/local/bin/bwrap
    if ldd /usr/local/bin/bwrap | grep -q "not found" && [ -d "$CARRY/lib" ]; then
        cp -n "$CARRY"/lib/* /usr/local/lib/ && ldconfig
    fi
fi
command -v bwrap && bwrap --version

step "machine"
nvidia-smi --query-gpu=name,memory.total,memory.used,driver_version,compute_mode --format=csv 2>&1 | head -5
command -v nvidia-cuda-mps-control || echo "no nvidia-cuda-mps-control"
nproc; uname -r; stat -fc %T /sys/fs/cgroup 2>/dev/null
"$PY" -c "import sys, torch; print(sys.version.split()[0], torch.__version__, 'cuda', torch.cuda.is_available())"
"$PY" -c "import saq, pydantic, yaml; print('saq', saq.__version__, 'pydantic', pydantic.VERSION)"

step "executor sanity: one CUDA job through python -m executor run"
cat > /tmp/gpu-sanity.py <<'EOF'
import torch
x = torch.ones(256, 256, device="cuda" if torch.cuda.is_available() else "cpu")
print("sum", (x @ x).sum().item(), "on", x.device, "initialised", torch.cuda.is_initialized())
EOF
timeout -k 5 60 "$PY" -m executor run --code-file /tmp/gpu-sanity.py --framework torch --device cuda \
    --timeout 30 --json > "$OUT/sanity.json"
echo "exit $?"; cat "$OUT/sanity.json"

step "benchmarks and the fence (bench/gpu.py, at most $BENCH_S s)"
timeout -k 10 "$BENCH_S" "$PY" -m bench.gpu --out "$OUT" --runs "$RUNS" --cold-runs 1 \
    --phases env,mps,ready,plain,cold
echo "exit $?"

step "content check --device cuda: the four topics that failed on CUDA"
timeout -k 10 45 "$PY" -m content -v check --device cuda -j 4 \
    register-buffer-vs-parameter save-load-state-dict zero3-deepspeed-fsdp cuda-memory-management \
    > "$OUT/check-fixed.txt" 2>&1
echo "exit $?"; tail -5 "$OUT/check-fixed.txt"

step "content check --device cuda: the whole bank (at most $CHECK_S s)"
timeout -k 10 "$CHECK_S" "$PY" -m content -v check --device cuda -j "$(nproc)" > "$OUT/check-cuda.txt" 2>&1
echo "exit $?"; grep -E "FAIL|checked|TensorFlow" "$OUT/check-cuda.txt" | tail -30

step "executor doctor --device cuda (the sandbox, cgroup v2, CUDA init time, the fence)"
timeout -k 5 100 "$PY" -m executor doctor --device cuda --json > "$OUT/doctor.json" 2> "$OUT/doctor.log"
echo "exit $?"; cat "$OUT/doctor.json"; tail -5 "$OUT/doctor.log"

step "cgroup v2: the executor's own subtree with memory and pids (tests/executor -k cgroup_v2)"
timeout -k 5 90 "$PY" -m pytest tests/executor/test_cgroup_v2.py -q -p no:cacheprovider -o addopts="" \
    > "$OUT/cgroup-v2.txt" 2>&1
echo "exit $?"; tail -15 "$OUT/cgroup-v2.txt"

step "done"
cat "$OUT/gpu.md" 2>/dev/null
