// Never returns: the sandbox must stop it at the timeout.
void saxpy(int n, float a, const float* x, float* y) {
    volatile unsigned long spins = 0;
    for (;;) { spins = spins + 1; }
}
