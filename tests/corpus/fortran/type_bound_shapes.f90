! Object-oriented Fortran: an abstract shape type with a deferred type-bound
! area procedure and two extensions.
module type_bound_shapes
  implicit none

  type, abstract :: shape
   contains
     procedure(area_interface), deferred :: area
  end type shape

  abstract interface
     real(8) function area_interface(self)
       import :: shape
       class(shape), intent(in) :: self
     end function area_interface
  end interface

  type, extends(shape) :: circle
     real(8) :: radius = 1.0d0
   contains
     procedure :: area => circle_area
  end type circle

  type, extends(shape) :: rectangle
     real(8) :: width = 1.0d0, height = 1.0d0
   contains
     procedure :: area => rectangle_area
  end type rectangle

contains

  real(8) function circle_area(self)
    class(circle), intent(in) :: self
    circle_area = 3.141592653589793d0 * self%radius**2
  end function circle_area

  real(8) function rectangle_area(self)
    class(rectangle), intent(in) :: self
    rectangle_area = self%width * self%height
  end function rectangle_area

  ! Total area of n circles and n rectangles built from the given sizes.
  real(8) function total_area(n, sizes)
    integer, intent(in) :: n
    real(8), intent(in) :: sizes(n)
    type(circle) :: c
    type(rectangle) :: r
    integer :: i
    total_area = 0.0d0
    do i = 1, n
       c%radius = abs(sizes(i))
       r%width = abs(sizes(i))
       r%height = 2.0d0
       total_area = total_area + c%area() + r%area()
    end do
  end function total_area

end module type_bound_shapes
