"""A Fortran routine that calls a subroutine implemented in C (NAME.c beside it or in an -I
directory, as benchmark suites keep their clock): the C source is compiled and linked with the
reference and with the candidate alike, and the rule translator calls it through gfortran's
convention (`name_`, every argument by address)."""

from __future__ import annotations

import json
import subprocess

STAMP_H = "/* gfortran calls stamp_ */\n#define stamp stamp_\n"
STAMP_C = '#include "stamp.h"\n\nvoid stamp(double *t)\n{\n  *t = 0.25;\n}\n'
TICKS_F = """\
      subroutine tick(k)
      integer k
      double precision acc(8)
      common /ticks/ acc
      double precision now
      external now
      acc(k) = acc(k) + now()
      end

      double precision function now()
      double precision t
      call stamp(t)
      now = t
      end
"""
KERNEL_F = """\
      subroutine twice(n, x, on)
      integer n, i
      double precision x(n)
      logical on
      if (on) call tick(3)
      do 10 i = 1, n
         x(i) = 2.0d0 * x(i)
   10 continue
      end
"""
PROBE_F = """\
      subroutine probe(v)
      double precision v
      call stamp(v)
      v = v + 1.0d0
      end
"""
PROBE_CPP = """\
extern "C" void stamp_(double* t);
void probe(double& v) {
    stamp_(&v);
    v = v + %s;
}
"""


def _library(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "stamp.h").write_text(STAMP_H)
    (lib / "stamp.c").write_text(STAMP_C)
    (lib / "ticks.f").write_text(TICKS_F)
    return lib


def test_a_called_c_routine_is_linked_and_the_translation_calls_it(tv_cmd, tmp_path):
    lib = _library(tmp_path)
    (tmp_path / "kernel.f").write_text(KERNEL_F)
    out = tmp_path / "kernel.cpp"
    done = subprocess.run([*tv_cmd, "translate", str(tmp_path / "kernel.f"), "--to", "cpp", "--solver", "rules",
                           "--entry", "twice", "-I", str(lib), "-o", str(out), "--json", "--no-capture"],
                          capture_output=True, text=True, timeout=300)
    payload = json.loads(done.stdout)
    assert done.returncode == 0, payload["message"]
    code = out.read_text()
    assert 'extern "C" void stamp_(double* arg1);' in code and "stamp_(&t);" in code
    # tick and now come from one file: each is translated once
    assert code.count("double now()") == 1 and code.count("void tick(int k)") == 1


def test_the_candidate_is_linked_with_the_same_c_source(verify_cli, tmp_path):
    lib = _library(tmp_path)
    source = tmp_path / "probe.f"
    source.write_text(PROBE_F)
    right, wrong = tmp_path / "right.cpp", tmp_path / "wrong.cpp"
    right.write_text(PROBE_CPP % "1.0")
    wrong.write_text(PROBE_CPP % "2.0")
    code, payload, _ = verify_cli(source, right, "-I", lib, "--cases", "3")
    assert code == 0, payload["message"]
    code, payload, _ = verify_cli(source, wrong, "-I", lib, "--cases", "3")
    assert code == 1 and payload["mismatches"][0]["expected"] == 1.25, payload["message"]


def test_a_c_source_that_does_not_compile_is_an_error_of_the_source(verify_cli, tmp_path):
    lib = _library(tmp_path)
    (lib / "stamp.c").write_text("void stamp_(double *t) { *t = ; }\n")
    source = tmp_path / "probe.f"
    source.write_text(PROBE_F)
    candidate = tmp_path / "right.cpp"
    candidate.write_text(PROBE_CPP % "1.0")
    code, payload, _ = verify_cli(source, candidate, "-I", lib, "--cases", "3")
    assert code == 2 and payload["stage"] == "compile_source", payload["message"]
    assert payload["diagnostics"][0]["file"].endswith("stamp.c") and "does not compile" in payload["message"]


PROGRAM_F = """\
      program show
      double precision v
      call stamp(v)
      print *, 'stamp', v + 1.0d0
      end
"""


def test_a_program_calling_a_c_routine_is_translated_and_verified(tv_cmd, tmp_path):
    lib = _library(tmp_path)
    (tmp_path / "show.f").write_text(PROGRAM_F)
    out = tmp_path / "show.cpp"
    done = subprocess.run([*tv_cmd, "translate", str(tmp_path / "show.f"), "--to", "cpp", "--solver", "rules",
                           "-I", str(lib), "-o", str(out), "--json", "--no-capture"],
                          capture_output=True, text=True, timeout=300)
    payload = json.loads(done.stdout)
    assert done.returncode == 0, payload["message"]
    assert "int main()" in out.read_text() and "stamp_(&v);" in out.read_text()
