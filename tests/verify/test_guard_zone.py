"""A candidate that writes one element past the end of an array is caught even where the write
does not crash: the harness puts a guard zone after every array and checks it after the call."""

SOURCE = """\
subroutine exclusive_scan(n, a, b)
  implicit none
  integer, intent(in) :: n
  integer, intent(in) :: a(0:n-1)
  integer, intent(out) :: b(0:n-1)
  integer :: i
  b(0) = 0
  do i = 1, n - 1
     b(i) = b(i - 1) + a(i - 1)
  end do
end subroutine exclusive_scan
"""

CANDIDATE = """\
void exclusive_scan(int n, const int* a, int* b) {
    b[0] = 0;
    for (int i = 1; i < n; ++i) b[i] = b[i - 1] + a[i - 1];
}
"""


def test_write_past_the_end_is_named(write, verify_cli):
    source = write("exclusive_scan.f90", SOURCE)
    code, result, _ = verify_cli(source, write("exclusive_scan.cpp", CANDIDATE), "--cases", "3")
    assert code == 0, result["message"]
    one_too_far = write("scan_past_end.cpp", CANDIDATE.replace("i < n;", "i <= n;"))
    code, result, _ = verify_cli(source, one_too_far, "--cases", "3")
    assert code == 1 and result["stage"] == "run"
    assert "wrote past the end of array 'b'" in result["message"], result["message"]
