! Letter grades for a fixed list of scores, with select case over integer ranges.
program grade_report
  implicit none
  integer, parameter :: nstudents = 8
  integer :: scores(nstudents) = [95, 83, 71, 64, 58, 100, 89, 77]
  integer :: i, passed
  character(len=1) :: grade

  passed = 0
  do i = 1, nstudents
     select case (scores(i))
     case (90:)
        grade = 'A'
     case (80:89)
        grade = 'B'
     case (70:79)
        grade = 'C'
     case (60:69)
        grade = 'D'
     case default
        grade = 'F'
     end select
     if (grade /= 'F') passed = passed + 1
     print *, i, scores(i), grade
  end do
  print *, 'passed', passed, 'of', nstudents
  print *, 'average', real(sum(scores)) / nstudents
end program grade_report
