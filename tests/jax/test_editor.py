"""The editor offers "Translate to JAX and verify" on nn.Module classes and runs it offline
(rules, then verification) over the language server protocol."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.server.conftest import client, code_actions, llm, open_file, records, run_command, workspace  # noqa: F401

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "jax"
pytestmark = [pytest.mark.asyncio]


async def test_jax_action_is_live_on_a_module_class_and_translates_offline(client, workspace, llm):  # noqa: F811
    model = workspace / "model.py"
    shutil.copy(EXAMPLES / "mlp_relu.py", model)
    client.set_configuration({"solver": "rules", "cases": 3}, section="transverify")
    uri = open_file(client, model, "python")
    line = next(i for i, text in enumerate(model.read_text().splitlines()) if text.startswith("class Model"))
    (action,) = await code_actions(client, uri, line=line + 2)
    assert action.title == "Translate to JAX and verify" and action.disabled is None
    assert await code_actions(client, uri, line=len(model.read_text().splitlines()) - 1) == []  # get_init_inputs

    answer = await run_command(client, action.command)
    assert answer["status"] == "applied" and answer["verdict"] == "equivalent", answer
    translated = (workspace / "model_jax.py").read_text()
    assert "class Model(Module):" in translated and "self.fc2(p.sub('fc2'), jax.nn.relu(" in translated
    assert llm.requests == []
