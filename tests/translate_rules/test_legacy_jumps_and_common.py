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


PARAMS_H = (
    "      integer nmax, nrep\n"
    "      double precision scale, shift, rcond, rtol\n"
    # past column 72, as generated class-size headers are written: read whole
    "      parameter(  nmax=8, nrep=3, scale=2.5d0, shift=10.0d0, rcond=1.0d-1, rtol=1.0d-9 )\n"
    "c     sizes of the problem class\n"
    "      common /state/ seed, hist\n"
    "      double precision seed, hist(nmax)\n")

KERNEL_F = """\
      subroutine smooth(n, x, y)
      include 'params.h'
      integer n, i
      double precision x(n), y(n), rnd
      external rnd
      do 10 i = 1, n
         y(i) = scale * x(i) + rnd(x(i))
   10 continue
      end
"""

UTIL_F = """\
      double precision function rnd(v)
      double precision v
      rnd = v * v - 0.5d0
      end

      subroutine other(v)
      double precision v
      v = 0.0d0
      end
"""


def test_include_parameters_become_shared_constants_and_procedures_are_found_by_definition(tmp_path, tv_cmd):
    import json
    import subprocess

    (tmp_path / "params.h").write_text(PARAMS_H)
    (tmp_path / "smooth.f").write_text(KERNEL_F)
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "util.f").write_text(UTIL_F)  # rnd is defined in util.f, not rnd.f
    out = tmp_path / "smooth.cpp"
    proc = subprocess.run([*tv_cmd, "translate", str(tmp_path / "smooth.f"), "--to", "cpp", "--solver", "rules",
                           "--entry", "smooth", "-I", str(lib), "-o", str(out), "--json", "--no-capture"],
                          capture_output=True, text=True, timeout=300)
    payload = json.loads(proc.stdout)
    assert proc.returncode == 0, payload["message"]
    code = out.read_text()
    assert "constexpr double scale = 2.5;" in code
    # constants and COMMON state the routine does not use are left out, and so are the header's comments
    assert "rcond" not in code and "nrep" not in code and "hist" not in code and "sizes of the" not in code
    assert code.index("double rnd(double v)") < code.index("void smooth(")


def test_common_state_from_an_include_file_is_translated_and_verified(tmp_path, tv_cmd):
    import json
    import subprocess

    (tmp_path / "grid.h").write_text(
        "      integer lm, nm\n"
        "      parameter (lm = 3, nm = 2 + 2**lm)\n"
        "      integer lt, nx(nm)\n"
        "      double precision level\n"
        "      common /grid/ lt, nx, level\n")
    (tmp_path / "coarsen.f").write_text("""\
      subroutine coarsen(f)
      include 'grid.h'
      double precision f
      integer k
      do 10 k = lt - 1, 1, -1
         nx(k) = nx(k + 1) / 2
   10 continue
      level = level * f + nx(lt)
      end
""")
    out = tmp_path / "coarsen.cpp"
    proc = subprocess.run([*tv_cmd, "translate", str(tmp_path / "coarsen.f"), "--to", "cpp", "--solver", "rules",
                           "--entry", "coarsen", "-o", str(out), "--json", "--no-capture"],
                          capture_output=True, text=True, timeout=300)
    payload = json.loads(proc.stdout)
    assert proc.returncode == 0, payload["message"]
    code = out.read_text()
    assert "constexpr int nm = 2 + int_pow(2, lm);" in code and "// COMMON /grid/" in code
    assert "int lt = 0;" in code


def test_a_constant_typed_before_the_constants_it_is_computed_from_is_emitted_after_them(tmp_path, tv_cmd):
    import json
    import subprocess

    # the type statement of nr comes first; its value, from nm, is given later
    (tmp_path / "work.h").write_text(
        "      integer nr, nm\n"
        "      parameter (nm = 4)\n"
        "      parameter (nr = nm * nm + 1)\n"
        "      double precision buf(nr)\n"
        "      common /work/ buf\n")
    (tmp_path / "fill.f").write_text("""\
      subroutine fill(x)
      include 'work.h'
      double precision x
      integer i
      do 10 i = 1, nr
         buf(i) = x * i
   10 continue
      end
""")
    out = tmp_path / "fill.cpp"
    proc = subprocess.run([*tv_cmd, "translate", str(tmp_path / "fill.f"), "--to", "cpp", "--solver", "rules",
                           "--entry", "fill", "-o", str(out), "--json", "--no-capture"],
                          capture_output=True, text=True, timeout=300)
    payload = json.loads(proc.stdout)
    assert proc.returncode == 0, payload["message"]
    code = out.read_text()
    assert code.index("constexpr int nm = 4;") < code.index("constexpr int nr = nm * nm + 1;")
