"""The public API: what callers (the translate command, the loop, the editor) rely on."""

from __future__ import annotations

import subprocess

import pytest

from transverify.translators.fortran_cpp import RuleTranslation, Unsupported, translate_file, translate_source

from .conftest import translate, translated

SAXPY = """
    ! y <- a*x + y
    subroutine saxpy(n, a, x, y)
      implicit none
      integer, intent(in) :: n
      real, intent(in) :: a
      real, intent(in) :: x(n)
      real, intent(inout) :: y(n)
      integer :: i
      do i = 1, n
        y(i) = a * x(i) + y(i)
      end do
    end subroutine saxpy
    """


def test_saxpy_is_the_code_an_engineer_would_write():
    code = translated(SAXPY)
    assert "// y <- a*x + y" in code  # comments kept
    assert "void saxpy(int n, float a, const float* x, float* y) {" in code  # const on read-only input
    # the counter is declared where it lives, and runs from 0 since it only addresses arrays
    assert "for (int i = 0; i < n; ++i) {" in code
    assert "y[i] = a * x[i] + y[i];" in code
    assert "static_cast" not in code  # no needless casts


def test_translate_file_reads_the_file(tmp_path):
    path = tmp_path / "saxpy.f90"
    path.write_text(SAXPY)
    result = translate_file(path)
    assert isinstance(result, RuleTranslation)
    assert result.code is not None and "void saxpy(" in result.code
    assert result.entry is None


def test_missing_file_is_reported_not_raised(tmp_path):
    result = translate_file(tmp_path / "absent.f90")
    assert result.code is None
    assert result.unsupported[0].construct == "file"


def test_syntax_error_names_its_line():
    result = translate("""
        subroutine broken(x)
          real :: x
          x = = 2.0
        end subroutine broken
        """)
    assert result.code is None
    assert result.unsupported[0].construct == "syntax"
    assert result.unsupported[0].line == 4


@pytest.mark.parametrize("source, construct, line", [
    ("""
     subroutine aliased(x)
       real, intent(inout) :: x
       real :: a, b
       equivalence (a, b)
       a = x
       x = b
     end subroutine aliased
     """, "equivalence", 5),
    ("""
     subroutine moves(p)
       type point
         real :: x, y
       end type point
       type(point), intent(inout) :: p
       p%x = 1.0
     end subroutine moves
     """, "derived type", 3),
    ("""
     subroutine views(n, u)
       integer, intent(in) :: n
       real, target, intent(inout) :: u(n)
       real, pointer :: p(:)
       p => u
     end subroutine views
     """, "pointer", 5),
    ("""
     subroutine shape_free(x)
       real, intent(inout) :: x(:)
       x = 0.0
     end subroutine shape_free
     """, "assumed-shape array", 3),
    ("""
     subroutine calls_outside(n, x)
       integer, intent(in) :: n
       real, intent(inout) :: x(n)
       call dscal(n, 2.0, x, 1)
     end subroutine calls_outside
     """, "external procedure", 5),
    ("""
     program table
       implicit none
       print '(t10, a)', 'x'
     end program table
     """, "edit descriptor", 4),
    ("""
     subroutine label(name, n)
       character(len=*), intent(inout) :: name
       integer, intent(out) :: n
       n = len_trim(name)
     end subroutine label
     """, "character", 3),
    ("""
     function ramp(n) result(r)
       integer, intent(in) :: n
       real :: r(n)
       r = 1.0
     end function ramp
     """, "array-valued function", 2),
])
def test_unsupported_constructs_are_named_with_their_line(source, construct, line):
    result = translate(source)
    assert result.code is None
    found = [(u.line, u.construct) for u in result.unsupported]
    assert any(c.startswith(construct) or construct in c for _, c in found), found
    assert line in [l for l, _ in found], found
    assert all(isinstance(u, Unsupported) and u.message for u in result.unsupported)


def test_every_unsupported_construct_is_reported_not_just_the_first():
    result = translate("""
        subroutine several(n, x)
          integer, intent(in) :: n
          real, intent(inout) :: x(n)
          write(10, *) x
          x(1) = 2.0
          read(*, *) x(2)
        end subroutine several
        """)
    assert [u.line for u in result.unsupported] == [5, 7]


def test_entry_selects_the_procedure_and_what_it_calls():
    source = """
        module tools
          implicit none
        contains
          real function twice(x)
            real, intent(in) :: x
            twice = 2.0 * x
          end function twice
          real function thrice(x)
            real, intent(in) :: x
            thrice = 3.0 * x
          end function thrice
          subroutine apply(x, y)
            real, intent(in) :: x
            real, intent(out) :: y
            y = twice(x) + 1.0
          end subroutine apply
        end module tools
        """
    result = translate(source, entry="APPLY")
    assert result.entry == "apply"
    assert "void apply(float x, float& y)" in result.code
    assert "float twice(float x)" in result.code
    assert result.code.index("float twice(") < result.code.index("void apply(")  # callee first
    assert "thrice" not in result.code
    whole = translate(source)
    assert whole.code.count("float thrice(") == 1
    assert any("apply, thrice, twice" in note and "--entry" in note for note in whole.notes)


def test_unknown_entry_is_reported():
    result = translate(SAXPY, entry="daxpy")
    assert result.code is None
    assert result.unsupported[0].construct == "entry"
    assert "saxpy" in result.unsupported[0].message


@pytest.mark.parametrize("garbage", ["", "\x00\x01 binary", "program\n", "end", "subroutine s(\n", "x = 1\n" * 3])
def test_garbage_never_raises(garbage):
    result = translate_source(garbage, "junk.f90")
    assert result.code is None or isinstance(result.code, str)
    if result.code is None:
        assert result.unsupported and result.unsupported[0].line >= 1


def test_openmp_becomes_pragma_with_note():
    result = translate("""
        subroutine scale(n, x)
          integer, intent(in) :: n
          real, intent(inout) :: x(n)
          integer :: i
          !$omp parallel do
          do i = 1, n
            x(i) = 2.0 * x(i)
          end do
          !$omp end parallel do
        end subroutine scale
        """)
    assert "#pragma omp parallel for\n    for (int i = 0; i < n; ++i) {" in result.code
    assert any("-fopenmp" in note for note in result.notes)


def test_output_is_clang_format_clean(tmp_path):
    from transverify.translators.fortran_cpp.formatting import STYLE, clang_format_binary
    binary = clang_format_binary()
    if binary is None:
        pytest.skip("clang-format is not installed")
    code = translated(SAXPY)
    done = subprocess.run([binary, f"--style={STYLE}", "--dry-run", "-Werror", "--assume-filename=x.cpp"],
                          input=code, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
