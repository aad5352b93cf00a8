"""Item 2: a candidate that prints credentials (a private key, the configured API key, tokens)
gets them neither to the LLM endpoint nor into the record store or its exports; the store
is created 0600 and a store left readable by others is tightened."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.security.server_support import SAXPY_CPP, SAXPY_F90, cli_env, run_cli
from tests.support.scripted_llm import ScriptedLLM

pytestmark = pytest.mark.skipif(shutil.which("gfortran") is None or shutil.which("g++") is None,
                                reason="gfortran and g++ are needed to verify translations")

CONFIG_KEY = "cfgkey-7Qm2Lp9Xw4Rt"  # no known shape: only masked because it is the configured key
PRIVATE_KEY = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "QyNTUxOQAAACBq5iqLVLpPLnJ0F4m5t3yZYC2TzE2SLqgG4vsdvkhRXgAAAJhVb9wnVW/c\n"
    "-----END OPENSSH PRIVATE KEY-----")
KEY_BODY = "QyNTUxOQAAACBq5iqLVLpPLnJ0F4m5t3yZYC2TzE2SLqgG4vsdvkhRXgAAAJhVb9wnVW"
OTHER_TOKENS = ["ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c", "AKIAIOSFODNN7EXAMPLE",
                "sk-proj-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe"]
PLANTED = [CONFIG_KEY, KEY_BODY, "BEGIN OPENSSH PRIVATE KEY", *OTHER_TOKENS]

# A candidate whose compile errors quote the secret lines (what an `#include` of ~/.ssh/id_ed25519
# and a crafted error do), with the configured key and tokens in its text.
LEAKY = (f'// leaked: {CONFIG_KEY} {" ".join(OTHER_TOKENS)}\n'
         f"{PRIVATE_KEY}\n"
         "void saxpy(int n, float a, const float* x, float* y) { for (int i = 0; i < n; ++i) y[i] = a * x[i] + z[i]; }\n")


def fenced(code: str) -> str:
    return f"Here it is.\n\n```cpp\n{code}```\n"


def test_nothing_secret_reaches_the_endpoint_the_store_or_an_export(tmp_path: Path):
    source = tmp_path / "saxpy.f90"
    source.write_text(SAXPY_F90)
    env = cli_env(tmp_path, config=f'[llm]\napi_key = "{CONFIG_KEY}"\nretry_backoff = 0.05\nmax_retries = 1\n')
    store = Path(env["TRANSVERIFY_RECORDS"])
    with ScriptedLLM() as llm:
        llm.reply(fenced(LEAKY)).reply(fenced(SAXPY_CPP))
        run = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--max-rounds", "2",
                      "--base-url", llm.base_url, "--model", "m", env=env)
        requests = list(llm.requests)
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(requests) == 2
    # The key does authenticate the requests, so it is in the header; no body carries anything planted.
    assert requests[0]["headers"]["authorization"] == f"Bearer {CONFIG_KEY}"
    question = requests[1]["body"]["messages"][-1]
    assert question["role"] == "user" and "[REDACTED]" in question["content"]  # the feedback went back, masked
    for request in requests:
        body = json.dumps(request["body"])
        for secret in PLANTED:
            assert secret not in body, f"{secret!r} reached the endpoint"

    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    dump = "\n".join(sqlite3.connect(store).iterdump())
    assert "[REDACTED]" in dump
    for secret in PLANTED:
        assert secret not in dump, f"{secret!r} was stored"

    out = tmp_path / "export.jsonl"
    export = run_cli("records", "export", "--format", "messages", "--out", str(out), env=env)
    assert export.returncode == 0, export.stderr
    text = out.read_text()
    assert text and all(secret not in text for secret in PLANTED)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_an_existing_world_readable_store_and_key_file_are_tightened(tmp_path: Path):
    env = cli_env(tmp_path, config=f'[llm]\napi_key = "{CONFIG_KEY}"\n')
    config = tmp_path / "config" / "transverify" / "config.toml"
    config.chmod(0o644)
    store = Path(env["TRANSVERIFY_RECORDS"])
    sqlite3.connect(store).execute("CREATE TABLE unrelated (x)").connection.commit()
    store.chmod(0o644)
    source = tmp_path / "saxpy.f90"
    source.write_text(SAXPY_F90)
    run = run_cli("translate", str(source), "--to", "cpp", "--solver", "rules", env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
