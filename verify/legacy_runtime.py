"""LSAME and XERBLA for both sides of a unit-mode harness, when the source calls them but
does not define them (the reference BLAS/LAPACK keeps them in files of their own).

Public API:
  fortran_runtime(externals) -> str     tv_runtime.f90: module tv_legacy_state, LSAME, XERBLA
  cpp_runtime(externals, defined) -> str
                                        definitions placed before the candidate's #include,
                                        skipping what the candidate defines itself

XERBLA records the argument number instead of printing and stopping (the reference's does
both), so both sides run every case and the reported number is compared as output `xerbla`.
The C++ names and types are the documented convention: `bool lsame(char ca, char cb)` and
`void xerbla(const char* srname, int info)`.
"""

from __future__ import annotations

_FORTRAN_STATE = """\
module tv_legacy_state
  implicit none
  integer :: tv_xerbla_info = 0
end module tv_legacy_state
"""

_FORTRAN_LSAME = """\
logical function lsame(ca, cb)
  implicit none
  character(len=1), intent(in) :: ca, cb
  integer :: a, b
  a = iachar(ca)
  b = iachar(cb)
  if (a >= 97 .and. a <= 122) a = a - 32
  if (b >= 97 .and. b <= 122) b = b - 32
  lsame = a == b
end function lsame
"""

_FORTRAN_XERBLA = """\
subroutine xerbla(srname, info)
  use tv_legacy_state, only: tv_xerbla_info
  implicit none
  character(len=*), intent(in) :: srname
  integer, intent(in) :: info
  if (len(srname) < 0) return
  tv_xerbla_info = info
end subroutine xerbla
"""

_CPP_LSAME = """\
bool lsame(char ca, char cb) {
  if (ca >= 'a' && ca <= 'z') ca = (char)(ca - 32);
  if (cb >= 'a' && cb <= 'z') cb = (char)(cb - 32);
  return ca == cb;
}
"""

_CPP_XERBLA = """\
static int tv_xerbla_info = 0;
void xerbla(const char* srname, int info) {
  (void)srname;
  tv_xerbla_info = info;
}
"""


def fortran_runtime(externals: frozenset[str]) -> str:
    parts = [_FORTRAN_STATE]
    if "lsame" in externals:
        parts.append(_FORTRAN_LSAME)
    if "xerbla" in externals:
        parts.append(_FORTRAN_XERBLA)
    return "\n".join(parts)


def cpp_runtime(externals: frozenset[str], defined: set[str]) -> str:
    parts = []
    if "lsame" in externals and "lsame" not in defined:
        parts.append(_CPP_LSAME)
    if "xerbla" in externals and "xerbla" not in defined:
        parts.append(_CPP_XERBLA)
    return "\n".join(parts)
