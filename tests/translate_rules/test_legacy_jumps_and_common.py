"""FORTRAN 77 jumps and shared storage as legacy libraries use them: computed GO TO, COMMON
blocks whose declarations (and the PARAMETERs sizing them) come from INCLUDE files."""

from __future__ import annotations

from .conftest import needs_compilers, verify_translation

pytestmark = needs_compilers


def test_computed_goto_becomes_a_switch_of_gotos(tmp_path):
    code, result = verify_translation("""
        subroutine pick(job, x, y)
          integer, intent(in) :: job
          real(8), intent(in) :: x
          real(8), intent(out) :: y
          y = 0.0d0
          go to (10, 20, 10), job
          y = -1.0d0
          go to 30
       10 y = y + x
       20 y = y + 2.0d0 * x
       30 continue
        end subroutine pick
        """, tmp_path, entry="pick", cases=12)
    flat = " ".join(code.split())
    assert "switch (job) {" in flat and "case 3: goto label_10;" in flat and "default: break;" in flat
    # job drawn outside 1..3 too: the fall-through path is compared as well
    assert {c["job"] for c in result.inputs} - {1, 2, 3}
