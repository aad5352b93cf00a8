"""Is there a GPU to run CUDA natively?  Asked once per process.

A GPU counts only when `nvidia-smi -L` lists one AND a probe kernel built with
nvcc runs and returns the right answer: a listed but busy, broken or
driver-mismatched GPU falls back to the CPU execution layer.
TRANSVERIFY_CUDA_EXECUTION=cpu forces the CPU path (=gpu insists on the GPU).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import lru_cache

from .. import sandbox

CPU_EMULATED = "cpu-emulated"

PROBE = r"""
#include <cstdio>
__global__ void probe(int* out) { out[threadIdx.x] = threadIdx.x * 2; }
int main() {
  int* d = nullptr; int h[32] = {0};
  if (cudaMalloc(&d, sizeof h) != cudaSuccess) return 1;
  probe<<<1, 32>>>(d);
  if (cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost) != cudaSuccess) return 2;
  for (int i = 0; i < 32; ++i) if (h[i] != 2 * i) return 3;
  std::puts("probe ok");
  return 0;
}
"""


def parse_gpu_list(text: str) -> list[str]:
    """GPU names from `nvidia-smi -L` ("GPU 0: NVIDIA H100 80GB HBM3 (UUID: ...)")."""
    return [m.group(1).strip() for m in re.finditer(r"^GPU \d+: (.+?)(?: \(UUID:.*)?$", text, re.MULTILINE)]


def detect_gpu(nvcc: str | None) -> str | None:
    """Name of a working GPU, or None (TRANSVERIFY_CUDA_EXECUTION=cpu: read on each call, so a
    long-running server follows it; the probe itself runs once)."""
    if os.environ.get("TRANSVERIFY_CUDA_EXECUTION", "auto") == "cpu" or nvcc is None:
        return None
    return _probe_gpu(nvcc)


@lru_cache(maxsize=1)
def _probe_gpu(nvcc: str) -> str | None:
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return None
    try:
        listed = subprocess.run([smi, "-L"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    names = parse_gpu_list(listed.stdout)
    if listed.returncode != 0 or not names:
        return None
    return names[0] if _probe_runs(nvcc) else None


def _probe_runs(nvcc: str) -> bool:
    workdir = sandbox.make_workdir("transverify-gpu-probe-")
    try:
        (workdir / "probe.cu").write_text(PROBE)
        built = subprocess.run([nvcc, "-arch=native", "-o", str(workdir / "probe"), str(workdir / "probe.cu")],
                               capture_output=True, text=True, timeout=180, cwd=workdir)
        if built.returncode != 0:
            return False
        # Run it the way verification will: inside the sandbox.  If the sandbox
        # hides the GPU's device files, the CPU path is used instead.
        os.chmod(workdir / "probe", 0o755)
        ran = sandbox.run([str(workdir / "probe")], workdir, sandbox.Limits(timeout=60, memory_mb=None))
        return ran.returncode == 0 and "probe ok" in ran.stdout_text
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        sandbox.remove_workdir(workdir)


def execution_label(gpu_name: str | None) -> str:
    return f"gpu: {gpu_name}" if gpu_name else CPU_EMULATED
