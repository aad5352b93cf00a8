"""Cancelling a verification on the warm workers stops the candidate's worker at once (the
verification raises Cancelled); the next verification starts a new worker and passes."""

import threading
import time

import pytest

from transverify.verify import Cancelled, VerifyOptions
from transverify.verify.torch_jax import runner, warm

SOURCE = """
import torch
import torch.nn as nn

class Model(nn.Module):
    def forward(self, x):
        return torch.relu(x) + 1

def get_inputs():
    return [torch.randn(3, 4)]
"""

SLOW = """
import time
import jax

class Model:
    def __call__(self, params, x):
        time.sleep(600)  # at trace time: the candidate never finishes
        return jax.nn.relu(x) + 1
"""

RIGHT = """
import jax

class Model:
    def __call__(self, params, x):
        return jax.nn.relu(x) + 1
"""


@pytest.fixture
def warm_sides():
    was = warm.enabled()
    warm.enable()
    yield
    warm.stop_all()
    if not was:
        warm.disable()


def test_cancel_stops_the_warm_worker_and_the_next_verification_restarts_it(tmp_path, warm_sides):
    (tmp_path / "model.py").write_text(SOURCE)
    (tmp_path / "slow_jax.py").write_text(SLOW)
    (tmp_path / "right_jax.py").write_text(RIGHT)
    cancel = threading.Event()
    before = warm.starts().get("candidate", 0)

    def cancel_when_the_candidate_runs():
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not cancel.is_set():
            side = warm._sides.get("candidate")
            if side is not None and side.workdir is not None and any(side.workdir.glob("job*/pair0")):
                time.sleep(1.0)
                cancel.set()
            time.sleep(0.05)

    helper = threading.Thread(target=cancel_when_the_candidate_runs, daemon=True)
    helper.start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        runner.verify_one(tmp_path / "model.py", tmp_path / "slow_jax.py", VerifyOptions(cases=2, cancel=cancel))
    assert time.monotonic() - started < 200  # not the candidate's 600 s
    assert not warm._sides["candidate"].alive()

    result = runner.verify_one(tmp_path / "model.py", tmp_path / "right_jax.py", VerifyOptions(cases=2))
    assert result.verdict == "equivalent", result.message
    assert warm.starts()["candidate"] == before + 2
