#!/usr/bin/env bash
# The GPU checks as one script, for a machine with an NVIDIA GPU where CuPy and PyTorch
# (a CUDA build) both see it: the tests marked gpu (every op and layer on CuPy against the
# CPU, the op-coverage checks against PyTorch on CUDA), then the GPU benchmark.
#   bash benchmarks/on_a_gpu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
python - <<'CHECK'
import cupy, torch
assert cupy.cuda.runtime.getDeviceCount() > 0, "CuPy sees no GPU"
assert torch.cuda.is_available(), "PyTorch sees no GPU"
CHECK
python -m pytest -q -m gpu -p no:cacheprovider tests
python benchmarks/challenge.py --quick
