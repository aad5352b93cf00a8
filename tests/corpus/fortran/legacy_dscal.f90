! Reference-BLAS style scaling kept from legacy code: implicit typing,
! upper case, labelled DO loops ending on CONTINUE, .LT./.EQ. operators.
      SUBROUTINE DSCAL(N, DA, DX)
      INTEGER N
      DOUBLE PRECISION DA, DX(N)
      INTEGER I, M, MP1
      IF (N .LT. 1) RETURN
      M = MOD(N, 5)
      IF (M .EQ. 0) GO TO 40
      DO 30 I = 1, M
        DX(I) = DA*DX(I)
   30 CONTINUE
      IF (N .LT. 5) RETURN
   40 MP1 = M + 1
      DO 50 I = MP1, N, 5
        DX(I) = DA*DX(I)
        DX(I + 1) = DA*DX(I + 1)
        DX(I + 2) = DA*DX(I + 2)
        DX(I + 3) = DA*DX(I + 3)
        DX(I + 4) = DA*DX(I + 4)
   50 CONTINUE
      RETURN
      END
