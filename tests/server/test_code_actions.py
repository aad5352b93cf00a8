"""Listing code actions: tree-sitter finds the unit under the cursor; nothing compiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from .conftest import code_actions, open_file, translation_ready

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture
def client(listing_client):
    return listing_client


@pytest.fixture
def workspace(shared_workspace):
    return shared_workspace

CUDA = """
__global__ void scale(float* x, float a, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] *= a;
}
void launch(float* x, float a, int n) { scale<<<(n + 255) / 256, 256>>>(x, a, n); }
"""

TORCH = """import torch
from torch import nn


class Affine(nn.Module):
    def forward(self, x):
        return 2 * x + 1


def helper():
    return 3
"""


async def test_fortran_subroutine_offers_translate_to_cpp(client, workspace: Path):
    uri = open_file(client, workspace / "saxpy.f90", "fortran")
    actions = await code_actions(client, uri, line=9)  # inside the do loop of saxpy
    titles = [a.title for a in actions]
    assert titles == ["Translate to C++ and verify"]
    action = actions[0]
    assert action.kind == types.CodeActionKind.RefactorRewrite
    assert action.command.command == "transverify.translate"
    assert list(action.command.arguments) == [{"uri": uri, "entry": "saxpy", "target": "cpp"}]
    reason = translation_ready()
    if reason is None:
        assert action.disabled is None
    else:  # offered, but greyed out with the reason, never silently missing
        assert action.disabled is not None and action.disabled.reason


async def test_no_action_outside_any_unit(client, workspace: Path):
    uri = open_file(client, workspace / "saxpy.f90", "fortran")
    assert await code_actions(client, uri, line=0) == []  # the comment above the subroutine


async def test_cuda_kernel_and_pytorch_module(client, workspace: Path):
    kernel = workspace / "scale.cu"
    kernel.write_text(CUDA)
    uri = open_file(client, kernel, "cuda-cpp")
    titles = [a.title for a in await code_actions(client, uri, line=2)]
    assert titles == ["Translate to CPU (OpenMP) and verify", "CPU equivalent, TVM-optimized (verify)"]

    model = workspace / "model.py"
    model.write_text(TORCH)
    uri = open_file(client, model, "python")
    (jax,) = await code_actions(client, uri, line=6)
    assert jax.title == "Translate to JAX and verify"
    from transverify.verify.pairs import find_pair

    if find_pair("python", "python") is None:  # no verifier for it here: greyed out, saying why
        assert "python -> jax is not supported yet: no verifier for python -> python" in jax.disabled.reason
    assert await code_actions(client, uri, line=10) == []  # a plain function is not an nn.Module


async def test_selection_spanning_two_units_offers_nothing(client, workspace: Path):
    source = workspace / "two.f90"
    source.write_text((workspace / "saxpy.f90").read_text() + "\nsubroutine zero(n, y)\n  integer :: n\n"
                      "  real :: y(n)\n  y = 0.0\nend subroutine zero\n")
    uri = open_file(client, source, "fortran")
    actions = await code_actions(client, uri, line=16)
    assert actions[0].command.arguments[0]["entry"] == "zero"
    assert await code_actions(client, uri, line=5, end_line=16) == []


async def test_hover_names_the_unit_and_its_action(client, workspace: Path):
    uri = open_file(client, workspace / "saxpy.f90", "fortran")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=10, character=4)))
    assert "subroutine `saxpy`" in hover.contents.value
    assert "Translate to C++ and verify" in hover.contents.value
