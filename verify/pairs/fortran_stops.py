"""Unit mode for a procedure that ends the program (STOP) on some inputs, as the reference
XERBLA does: the drivers run one process per case, and each case is compared by what it did,
stdout and exit status when the reference stopped, the outputs (and stdout) when it returned.

Public API:
  compare_case_by_case(verifier, proc, cases, ref_dir, cand_dir) -> (mismatches, stopped, failure)
      failure is (verdict-side, message) when a run crashed or timed out: "reference" or "candidate"
"""

from __future__ import annotations

from ..compare import compare_exit_status, compare_stdout
from ..result import Mismatch
from ..unit_harness import returned_from_every_case
from ..unit_inputs import read_outputs, write_inputs
from .fortran_cpp_helpers import read_bytes

CASE_INPUTS = "case_inputs.bin"


def compare_case_by_case(verifier, proc, cases, ref_dir, cand_dir, limit: int):
    mismatches: list[Mismatch] = []
    stopped = 0
    for index, case in enumerate(cases):
        data = write_inputs(proc, [case])
        for directory in (ref_dir, cand_dir):
            (directory / CASE_INPUTS).write_bytes(data)
            (directory / CASE_INPUTS).chmod(0o644)
            (directory / "outputs.bin").unlink(missing_ok=True)
        ref = verifier._run(ref_dir, ["./reference", CASE_INPUTS, "outputs.bin"], ["outputs.bin"])
        if ref.timed_out or ref.signal_name:
            return mismatches, stopped, ("reference", f"the reference {ref.describe_failure()} on generated case {index}")
        cand = verifier._run(cand_dir, ["./candidate", CASE_INPUTS, "outputs.bin"], ["outputs.bin"])
        if cand.timed_out or cand.signal_name:
            return mismatches, stopped, ("candidate", f"the candidate {cand.describe_failure()} on case {index}")
        ref_data, cand_data = read_bytes(ref_dir / "outputs.bin"), read_bytes(cand_dir / "outputs.bin")
        ref_returned, cand_returned = returned_from_every_case(ref_data), returned_from_every_case(cand_data)
        found = _renumbered(compare_stdout(ref.stdout_text, cand.stdout_text, limit=limit), index)
        if ref_returned != cand_returned:
            found.append(Mismatch(output="returned", case=index, index=None, expected=ref_returned,
                                  actual=cand_returned))
        elif ref_returned:
            ref_values, _ = read_outputs(proc, [case], ref_data)
            cand_values, _ = read_outputs(proc, [case], cand_data)
            found += _renumbered(verifier._compare(proc, [case], ref_values, cand_values), index)
        else:
            stopped += 1
            found += _renumbered(compare_exit_status(ref.returncode, cand.returncode), index)
        mismatches += found
        if len(mismatches) >= limit:
            break
    return mismatches[:limit], stopped, None


def _renumbered(found: list[Mismatch], case: int) -> list[Mismatch]:
    for mismatch in found:
        mismatch.case = case
    return found
