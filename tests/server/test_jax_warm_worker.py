"""The language server verifies PyTorch -> JAX on warm, pre-imported sandboxed workers, and every
verification still starts from a fresh fork: what one candidate plants (patched library
functions, environment, files in scratch and home, a process left behind) is gone for the next,
and a candidate that kills its worker only fails itself; the next verification gets a new one."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

import pytest
from lsprotocol import types

from tests.server.conftest import client, llm, records, run_command, workspace  # noqa: F401

if importlib.util.find_spec("torch") is None or importlib.util.find_spec("jax") is None:
    pytest.skip("the [jax] extra (torch, jax) is not installed", allow_module_level=True)

pytestmark = [pytest.mark.asyncio]

SOURCE = """
import torch
import torch.nn as nn

class Model(nn.Module):
    def forward(self, x):
        return torch.tanh(x) * 2

def get_inputs():
    return [torch.randn(4, 5)]
"""

# Right, and leaves as much behind as it can.
PLANTER = """
import os, sys, subprocess
import jax.numpy as jnp

_tanh = jnp.tanh
jnp.tanh = lambda x: x * 0
os.environ["PLANTED"] = "1"
sys.modules["planted_marker"] = sys
for path in ("/tmp/planted", os.path.expanduser("~/planted"), "../planted", "/dev/shm/planted"):
    try:
        open(path, "w").write("x")
    except OSError:
        pass
if os.fork() == 0:  # a process that outlives the verification
    os.setsid()
    import time
    time.sleep(600)
    os._exit(0)

class Model:
    def __call__(self, params, x):
        return _tanh(x) * 2
"""

# Right only where nothing of the planter survived.
CHECKER = """
import os, sys, glob
import jax.numpy as jnp

left = [what for what, seen in (
    ("patched jnp.tanh", float(jnp.tanh(1.0)) == 0.0),
    ("environment", "PLANTED" in os.environ),
    ("module", "planted_marker" in sys.modules),
    ("files", any(os.path.exists(p) for p in ("/tmp/planted", os.path.expanduser("~/planted"), "../planted",
                                               "/dev/shm/planted"))),
    ("processes", [p for p in glob.glob("/proc/[0-9]*")
                   if int(p.rsplit("/", 1)[1]) not in (1, os.getpid(), os.getppid())]),
) if seen]
if left:
    raise RuntimeError(f"state of an earlier verification is still here: {left}")

class Model:
    def __call__(self, params, x):
        return jnp.tanh(x) * 2
"""

# Kills the warm worker it was forked from.
KILLER = """
import os, signal
os.kill(os.getppid(), signal.SIGKILL)

class Model:
    def __call__(self, params, x):
        return x
"""


async def _verify(client, workspace: Path, name: str, text: str) -> dict:
    target = workspace / f"{name}_jax.py"
    target.write_text(textwrap.dedent(text))
    return await run_command(client, types.Command(title="verify", command="transverify.verifyAgainstSource",
                                                   arguments=[{"uri": target.as_uri(),
                                                               "source": str(workspace / "model.py")}]))


async def test_warm_worker_isolates_verifications_and_restarts_after_a_crash(client, workspace):  # noqa: F811
    (workspace / "model.py").write_text(SOURCE)
    client.set_configuration({"solver": "rules", "cases": 3}, section="transverify")

    first = await _verify(client, workspace, "planter", PLANTER)
    assert first["verdict"] == "equivalent", first
    assert first["worker"].startswith("warm") and "candidate 1x" in first["worker"], first

    second = await _verify(client, workspace, "checker", CHECKER)
    assert second["verdict"] == "equivalent", second  # nothing the planter left is visible
    assert "candidate 1x" in second["worker"], second  # the same warm worker served it

    killed = await _verify(client, workspace, "killer", KILLER)
    assert killed["verdict"] == "not_equivalent", killed

    third = await _verify(client, workspace, "checker_again", CHECKER)
    assert third["verdict"] == "equivalent", third
    assert "candidate 2x" in third["worker"], third  # started again after the crash
