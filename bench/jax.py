"""PyTorch -> JAX: translation time, verification time cold (CLI, new processes) vs warm (the
language server's pre-imported workers, a fresh fork per verification) vs batched (one pair of
processes for many pairs), CodeBLEU of the rule output against hand-written references
(bench/jax_references), and the run time of the emitted JAX against the torch reference on CPU.

Every number is a median measured in this run; ratios compare numbers of this run only.
CodeBLEU needs the `codebleu` package, whose metadata pins tree-sitter < 0.23 while transverify
uses 0.26; its code works with 0.26 (Parser().language, Language(tree_sitter_python.language())),
so `scripts/setup.sh --dev` installs codebleu==0.7.0 without its dependencies into
.venv/codebleu, a folder only this script puts on its path: the main environment's pins stay.

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


REFERENCES = Path(__file__).resolve().parent / "jax_references"
CODEBLEU_DIR = REPO / ".venv" / "codebleu"


def load_codebleu():
    """calc_codebleu, or the reason it cannot be used here."""
    if CODEBLEU_DIR.is_dir() and str(CODEBLEU_DIR) not in sys.path:
        sys.path.append(str(CODEBLEU_DIR))  # appended: it cannot shadow the environment's packages
    try:
        from codebleu import calc_codebleu
    except ImportError as exc:
        return None, (f"codebleu is not installed ({exc}); scripts/setup.sh --dev installs it into "
                      f"{CODEBLEU_DIR.relative_to(REPO)}")
    return calc_codebleu, None


def codebleu_table(translate_file, verify_many, Job, VerifyOptions) -> None:
    """CodeBLEU of the rules' output against each hand-written reference (which must verify)."""
    calc, why = load_codebleu()
    names = sorted(p.name.removesuffix("_jax.py") for p in REFERENCES.glob("*_jax.py"))
    checks = verify_many([Job(EXAMPLES / f"{n}.py", REFERENCES / f"{n}_jax.py", VerifyOptions(cases=4))
                          for n in names])
    bad = [f"{n}: {r.message}" for n, r in zip(names, checks) if not r.ok]
    assert not bad, f"hand-written references that do not verify: {bad}"
    if calc is None:
        print(f"CodeBLEU: not measured: {why}\n")
        return
    print(f"{'example (vs hand-written)':28} {'CodeBLEU':>9} {'n-gram':>7} {'weighted':>8} {'syntax':>7} {'dataflow':>8}")
    scores = []
    for name in names:
        rules = translate_file(EXAMPLES / f"{name}.py").code
        score = calc([(REFERENCES / f"{name}_jax.py").read_text()], [rules], lang="python")
        scores.append(score["codebleu"])
        print(f"{name:28} {score['codebleu']:9.3f} {score['ngram_match_score']:7.3f} "
              f"{score['weighted_ngram_match_score']:8.3f} {score['syntax_match_score']:7.3f} "
              f"{score['dataflow_match_score']:8.3f}")
    print(f"{'median':28} {statistics.median(scores):9.3f}   (the rule output includes its prelude of "
          f"torch-compatible layers; the references are verified equivalent)\n")


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
    batch_total = time.perf_counter() - started
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    harness = [r.timings.get("harness", 0.0) for r in results]

    from transverify.verify.torch_jax import runner, warm

    warm.enable()  # what the language server does
    started = time.perf_counter()
    assert runner.verify_one(*pairs[0], VerifyOptions()).ok
    first_warm = time.perf_counter() - started
    warm_times = []
    for source, target in pairs:
        started = time.perf_counter()
        result = runner.verify_one(source, target, VerifyOptions())
        warm_times.append(time.perf_counter() - started)
        assert result.ok and result.tools.get("worker", "").startswith("warm"), result.message
    warm.stop_all()
    print(f"verify cold (CLI, new processes per pair): median {statistics.median(cold):.2f} s over {len(cold)} pairs")
    print(f"verify warm (server workers, a fresh fork per pair): first {first_warm:.2f} s (starts the workers), "
          f"then median {statistics.median(warm_times):.2f} s over {len(warm_times)} pairs")
    print(f"verify batched (one pair of processes, {len(pairs)} pairs): {batch_total:.2f} s in all, "
          f"{batch_total / len(pairs):.2f} s per pair, median in-process {statistics.median(harness):.2f} s")
    print(f"cold / warm per pair: {statistics.median(cold) / statistics.median(warm_times):.1f}x\n")

    codebleu_table(translate_file, verify_many, Job, VerifyOptions)

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
