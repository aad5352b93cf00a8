"""Where the AST route cannot map a module, the rules fall back to the export-graph route
(torch.export + run_decompositions, ATen ops emitted one by one, fixed values named), the
output says which route produced it and is verified; an ATen op without a mapping is refused
with its source line."""

import subprocess
import sys
import textwrap
from pathlib import Path

from transverify.translators.torch_jax import translate_file

# torch.addcmul, F.hardshrink and torch.logit have no AST mapping; their ATen forms do.
UNMAPPED = """
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self, features, groups):
        super().__init__()
        self.fc = nn.Linear(features, features)
        self.scale = nn.Parameter(torch.ones(features))
        self.gn = nn.GroupNorm(groups, features)

    def forward(self, x):
        y = torch.addcmul(self.fc(x), x, self.scale, value=0.5)
        y = F.hardshrink(y, 0.3)
        y = torch.logit(torch.sigmoid(y), eps=1e-6)
        return self.gn(y.unsqueeze(-1)).squeeze(-1)


batch = 4
features = 6
def get_inputs():
    return [torch.randn(batch, features)]
def get_init_inputs():
    return [features, 2]
"""

NO_ATEN_MAPPING = """
import torch
import torch.nn as nn


class Model(nn.Module):
    def forward(self, x):
        y = x * 2
        return torch.xlogy(y, x)


def get_inputs():
    return [torch.rand(3, 4)]
"""


def test_export_route_translates_and_verifies_what_the_ast_route_cannot_map(tmp_path):
    source = tmp_path / "unmapped.py"
    source.write_text(UNMAPPED)
    target = tmp_path / "unmapped_jax.py"
    exe = Path(sys.executable).with_name("transverify")
    run = subprocess.run([str(exe), "translate", str(source), "--to", "jax", "--solver", "rules", "-o", str(target),
                          "--cases", "4"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    code = target.read_text()
    assert "route: export graph (ATen), the Python AST route could not map torch.addcmul (line 15)" in code
    assert "self.group_norm_num_groups = 2  # fixed by torch.export" in code  # fixed values are named
    assert "linear = x @ p_fc_weight.T + p_fc_bias  # line 15" in code  # each op says where it came from
    assert "p_fc_weight = params['fc.weight']" in code


def test_export_route_refuses_an_aten_op_without_mapping_naming_the_line(tmp_path):
    source = tmp_path / "xlogy.py"
    source.write_text(textwrap.dedent(NO_ATEN_MAPPING))
    result = translate_file(source)
    assert result.code is None
    constructs = [(issue.construct, issue.line) for issue in result.unsupported]
    assert ("torch.xlogy", 9) in constructs  # the AST route's refusal
    assert any(c.startswith("aten.xlogy") and line == 9 for c, line in constructs), constructs
