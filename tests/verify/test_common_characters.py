"""CHARACTER members of COMMON blocks in unit mode: they travel as their bytes (blank padded,
Fortran storage order) and are compared byte for byte after the call. The C++ side holds a
character*1 member as `char`, a longer one as `std::string` (what the rule translator emits) or
`char[n]`, an array of strings as `char[count * length]`."""

from __future__ import annotations

import json
import subprocess

SOURCE = """\
      subroutine label(x)
      common /names/ tag, code, keys
      character*4 tag
      character code
      character keys(3)*2
      double precision x
      if (code .eq. 'a') then
         tag = 'done'
         x = 1.0d0
      else
         tag(1:1) = code
         x = 2.0d0
      end if
      keys(2) = tag(1:2)
      end
"""

CANDIDATE = """\
#include <string>
std::string tag(4, ' ');
char code = ' ';
char keys[6];
void label(double& x) {
    if (code == 'a') { tag = "done"; x = 1.0; } else { tag[0] = code; x = 2.0; }
    keys[2] = tag[0]; keys[3] = tag[1];
}
"""


def test_character_members_are_set_and_compared(verify_cli, write):
    code, out, _ = verify_cli(write("label.f", SOURCE), write("label.cpp", CANDIDATE))
    assert code == 0, out["message"]
    assert all(len(case["tag"]) == 4 and len(case["keys"]) == 6 and len(case["code"]) == 1 for case in out["inputs"])
    assert {case["code"] == "a" for case in out["inputs"]} == {True, False}  # both branches taken


def test_a_wrong_character_member_is_caught(verify_cli, write):
    wrong = CANDIDATE.replace("tag[0] = code; x = 2.0;", "tag[0] = code; tag[3] = code; x = 2.0;")
    code, out, _ = verify_cli(write("label.f", SOURCE), write("label_wrong.cpp", wrong))
    assert code == 1 and out["mismatches"][0]["output"] == "tag", out["message"]


def test_rule_translation_of_a_character_common_block_verifies(tv_cmd, write, tmp_path):
    scalars_only = SOURCE.replace("tag, code, keys", "tag, code")
    source = write("label1.f", "\n".join(line for line in scalars_only.splitlines() if "keys" not in line) + "\n")
    out_file = tmp_path / "label1.cpp"
    proc = subprocess.run([*tv_cmd, "translate", str(source), "--to", "cpp", "--solver", "rules", "-o", str(out_file),
                           "--json", "--no-capture"], capture_output=True, text=True, timeout=180)
    payload = json.loads(proc.stdout)
    assert proc.returncode == 0, payload["message"]
    assert "std::string tag(4, ' ');" in out_file.read_text()
