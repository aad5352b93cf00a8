"""PyTorch -> JAX: translation time, verification time cold (CLI) vs warm (one harness process
for many pairs), and the run time of the emitted JAX against the torch reference on CPU.

Every number is a median measured in this run; ratios compare numbers of this run only.
CodeBLEU is not measured: the `codebleu` package pins tree-sitter < 0.23, which conflicts with
the tree-sitter 0.26 the rest of transverify uses.

Run: .venv/bin/python bench/jax.py [--examples 6] [--reps 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# This file is named jax.py: its own folder on sys.path would shadow the jax package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
EXAMPLES = REPO / "examples" / "jax"
CHOSEN = ("mlp_relu", "conv_bn_gelu", "resnet_block", "self_attention", "conv_transpose_grouped", "layer_norm",
          "squeeze_excite", "cross_entropy")


def median_time(function, reps: int) -> float:
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=6)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    if importlib.util.find_spec("torch") is None or importlib.util.find_spec("jax") is None:
        print("the [jax] extra (torch, jax) is not installed: nothing to measure")
        return 0
    from transverify.translators.torch_jax import translate_file
    from transverify.verify import VerifyOptions
    from transverify.verify.torch_jax.runner import Job, verify_many

    names = CHOSEN[:args.examples]
    folder = Path(tempfile.mkdtemp(prefix="transverify-bench-jax-"))
    pairs = []
    print(f"{'example':28} {'translate ms':>12}")
    translate_times = []
    for name in names:
        source = EXAMPLES / f"{name}.py"
        seconds = median_time(lambda: translate_file(source), args.reps)
        translate_times.append(seconds)
        target = folder / f"{name}_jax.py"
        target.write_text(translate_file(source).code)
        pairs.append((source, target))
        print(f"{name:28} {seconds * 1000:12.1f}")
    print(f"{'median':28} {statistics.median(translate_times) * 1000:12.1f}\n")

    exe = Path(sys.executable).with_name("transverify")
    cold = []
    for source, target in pairs[:3]:
        cold.append(median_time(lambda: subprocess.run([str(exe), "verify", str(source), str(target)],
                                                       capture_output=True, check=True), 1))
    started = time.perf_counter()
    results = verify_many([Job(s, t, VerifyOptions()) for s, t in pairs])
    warm_total = time.perf_counter() - started
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    harness = [r.timings.get("harness", 0.0) for r in results]
    print(f"verify cold (CLI, one process per pair): median {statistics.median(cold):.2f} s over {len(cold)} pairs")
    print(f"verify warm (one process, {len(pairs)} pairs): {warm_total:.2f} s in all, "
          f"{warm_total / len(pairs):.2f} s per pair, median in-process {statistics.median(harness):.2f} s")
    print(f"cold / warm per pair: {statistics.median(cold) / (warm_total / len(pairs)):.1f}x\n")

    print(f"{'example':28} {'torch ms':>9} {'jax ms':>9} {'jax/torch':>9}")
    import jax
    import torch

    from transverify.verify.torch_jax import reference
    from transverify.verify.torch_jax.candidate import Callable_, load

    ratios = []
    for index, (source, target) in enumerate(pairs):
        spec = {"entry": "Model", "kind": "class", "inputs": []}
        module = reference.SourceFile.read(str(source)).load()
        model = reference.build(module, spec)
        inputs = reference.make_inputs(module, spec, 0)
        state = {k: v.detach().numpy() for k, v in model.state_dict().items()}
        candidate = Callable_(load(str(target), 1000 + index), "Model", "class", reference.init_inputs(module),
                              state, "eval")
        candidate([x.numpy() for x in inputs])  # compile once
        arrays = [jax.numpy.asarray(x.numpy()) for x in inputs]
        jitted = candidate._jitted[()]
        with torch.no_grad():
            torch_s = median_time(lambda: model(*inputs), max(args.reps, 5))
        jax_s = median_time(lambda: jax.block_until_ready(jitted(candidate.params, *arrays)), max(args.reps, 5))
        ratios.append(jax_s / torch_s)
        print(f"{source.stem:28} {torch_s * 1000:9.3f} {jax_s * 1000:9.3f} {jax_s / torch_s:9.2f}")
    print(f"{'median ratio':28} {'':9} {'':9} {statistics.median(ratios):9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
